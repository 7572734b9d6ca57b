"""Kommunkompassen explorer: the Streamlit entry point and frame around every page.

Pages and their URL paths come from `kompass.ui.registry` (the URL contract in
issue 3); the page files in pages/ only lay out widgets and charts.
"""

from importlib import resources
from pathlib import Path

import streamlit as st

from kompass.present.links import tab_title
from kompass.present.strings import ABOUT_KOMMUNKOMPASSEN, APP_TITLE, page_not_found
from kompass.ui import access, cache, registry
from kompass.ui.common import (
    current_db,
    frame,
    leave_v1_mode,
    plain,
    unknown_page,
)

# A local icon: a Material icon name here makes the browser fetch it from Google. From the
# package, so an installed app (kompass serve from a wheel) finds it too.
FAVICON = Path(str(resources.files("kompass") / "assets" / "favicon.png"))
leave_v1_mode()
st.set_page_config(page_title=APP_TITLE, page_icon=str(FAVICON), layout="wide")

PAGES = [
    st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url_path or None,
            default=not p.url_path)
    for p in registry.PAGES
]  # fmt: skip

# A path that names no page: the start page with a Swedish note, not Streamlit's English dialog.
missing = unknown_page({p.url_path for p in registry.PAGES})
page = st.navigation(PAGES)
# The tab names the page; pages about one municipality name it too (widgets.*_picker).
st.set_page_config(page_title=tab_title(page.title))
frame()
if missing:
    st.warning(plain(page_not_found(missing)))
# A database that is locked, damaged or unwritable: one Swedish message, no page below it.
# A read-only app (kompass serve --read-only) builds and upgrades nothing (ui.access).
problem = cache.guarded(access.prepare_store, current_db())
if problem:
    st.warning(problem)
st.sidebar.caption(ABOUT_KOMMUNKOMPASSEN)
# A page's reads share one read-only connection, closed when the page is done.
with cache.one_connection(current_db()):
    page.run()
