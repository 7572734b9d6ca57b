"""The one list of pages: file, title, icon and URL path, used by app.py, the tests and bench.

Page files are named like their URL paths: AppTest's switch_page finds pages by file.
"""

from __future__ import annotations

from dataclasses import dataclass

from kompass.present.strings import PAGE_TITLES


@dataclass(frozen=True)
class PageSpec:
    """One page of the app. `url_path` "" is the start page ("/")."""

    script: str
    title: str
    icon: str
    url_path: str

    @property
    def path(self) -> str:
        """The page's URL path as a browser sees it ("/profil")."""
        return "/" + self.url_path


_ICONS = {
    "oversikt": ":material/map:",
    "profil": ":material/account_balance:",
    "jamfor": ":material/compare_arrows:",
    "utveckling": ":material/trending_up:",
    "lar-av-andra": ":material/school:",
    "fynd": ":material/search:",
    "data": ":material/database:",
}
# The start page's file is oversikt.py; its URL path is "/".
PAGES: tuple[PageSpec, ...] = tuple(
    PageSpec(f"pages/{name}.py", PAGE_TITLES[url], icon, url)
    for name, icon in _ICONS.items()
    for url in ["" if name == "oversikt" else name]
)


def page(script: str) -> PageSpec:
    """The page whose file is `script` ("pages/profil.py")."""
    return next(p for p in PAGES if p.script == script)
