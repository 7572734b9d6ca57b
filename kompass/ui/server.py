"""`kompass serve`: the app from a checkout or an installed package, with the project's settings.

The app is `app.py` and `pages/` at the top of the repository. A wheel ships
them, with `.streamlit/config.toml`, as data files under `share/kompass/`
(pyproject.toml, `[tool.setuptools.data-files]`); `app_dir` finds them in
either place. Streamlit reads its config file from the current folder only,
so the project's settings (`config.toml`) travel as options to the server
(kompass.ui.asgi runs it as `st.App`), and the ones that keep a server private,
safe and quick are set whatever the file says: no usage statistics, headless,
XSRF protection on, no file watcher.

Who may write is decided here, before the app starts, and handed to it in
`KOMPASS_READ_ONLY` (read by kompass.ui.access): read-only when asked for, or by
default when the server listens on another address than this machine's
loopback and no sign-in is configured. With sign-in (`KOMPASS_SIGN_IN` and
`KOMPASS_WRITERS`, see `sign_in_setting`) only the named writers may write,
wherever the app listens. The start-up log says which.
"""

from __future__ import annotations

import gc
import ipaddress
import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

from kompass import store
from kompass.config import REPO_ROOT
from kompass.errors import KompassError

APP_SCRIPT = "app.py"
CONFIG = Path(".streamlit") / "config.toml"
INSTALLED_DIR = ("share", "kompass")  # where the wheel's data files land, under the prefix
DEFAULT_PORT = 8501
DEFAULT_ADDRESS = "127.0.0.1"  # this machine only, as `make run` always did
# Whatever config.toml says: a served app must not call home, open a browser or accept
# cross-site form posts.
FORCED: dict[str, Any] = {
    "browser.gatherUsageStats": False,
    "server.headless": True,
    "server.enableXsrfProtection": True,
    # A served app's code does not change under it. Streamlit's file watcher walked every
    # loaded module after each run, on the server's event loop: 0.1-0.3 s in which no
    # session got its messages (BENCHMARKS.md, "Where the rest went").
    "server.fileWatcherType": "none",
}


READ_ONLY_ENV = "KOMPASS_READ_ONLY"
_YES = {"1", "true", "yes", "on", "ja"}
_NO = {"0", "false", "no", "off", "nej"}


def read_only_setting(env: Mapping[str, str] | None = None) -> bool | None:
    """KOMPASS_READ_ONLY as asked: True (1/true/yes/on), False (0/false/no/off), else None.

    Here, not in kompass.ui.access, so that `kompass serve` reads it without importing
    Streamlit's caches before the server runs.
    """
    value = (os.environ if env is None else env).get(READ_ONLY_ENV, "").strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


SIGN_IN_ENV = "KOMPASS_SIGN_IN"
WRITERS_ENV = "KOMPASS_WRITERS"
HEADER_PREFIX = "header:"


@dataclass(frozen=True)
class SignIn:
    """Who the user is and who may write.

    `kind` "oidc": Streamlit's `st.login` (OpenID Connect, configured in the `[auth]`
    section of .streamlit/secrets.toml); "header": a reverse proxy that authenticates
    and sends the e-mail address in `header`. `writers`: the allowed addresses, lower case.
    """

    kind: str
    header: str
    writers: frozenset[str]


def sign_in_setting(env: Mapping[str, str] | None = None) -> SignIn | None:
    """KOMPASS_SIGN_IN ("oidc" or "header:X-Forwarded-Email") with KOMPASS_WRITERS (e-mail
    addresses, separated by commas or spaces); None when no sign-in is configured.

    ValueError for a half or wrong configuration: the server must not start guessing.
    """
    env = os.environ if env is None else env
    kind = env.get(SIGN_IN_ENV, "").strip()
    writers = frozenset(w.lower() for w in env.get(WRITERS_ENV, "").replace(",", " ").split())
    if not kind:
        return None
    if not writers:
        raise ValueError(f"{SIGN_IN_ENV} is set but {WRITERS_ENV} names no writer")
    if kind.lower() == "oidc":
        return SignIn("oidc", "", writers)
    if kind.lower().startswith(HEADER_PREFIX) and kind[len(HEADER_PREFIX) :].strip():
        return SignIn("header", kind[len(HEADER_PREFIX) :].strip(), writers)
    raise ValueError(f"{SIGN_IN_ENV}={kind!r}: write oidc or header:<header name>")


@dataclass(frozen=True)
class ServeOptions:
    """What `kompass serve` was asked for; `read_only` None means "decide by the address"."""

    db: Path
    port: int = DEFAULT_PORT
    address: str = DEFAULT_ADDRESS
    base_url_path: str = ""
    read_only: bool | None = None


@dataclass(frozen=True)
class Mode:
    """The decided access mode and the reason the start-up log gives for it."""

    read_only: bool
    reason: str


def app_dir() -> Path:
    """The folder holding app.py and pages/: the checkout's top, else the installed copy."""
    if (REPO_ROOT / APP_SCRIPT).is_file() and (REPO_ROOT / "pages").is_dir():
        return REPO_ROOT
    try:
        files = metadata.distribution("kompass").files or []
    except metadata.PackageNotFoundError:
        files = []
    for file in files:
        parts = Path(str(file)).parts
        if parts[-3:] == (*INSTALLED_DIR, APP_SCRIPT):
            return Path(str(file.locate())).resolve().parent
    raise FileNotFoundError(
        "the app (app.py and pages/) is neither in a checkout nor installed with kompass"
    )


def is_loopback(address: str) -> bool:
    """Does `address` reach this machine only (127.0.0.0/8, ::1, localhost)?"""
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


def decide_mode(options: ServeOptions, env: Mapping[str, str] | None = None) -> Mode:
    """Read-only when asked (flag or KOMPASS_READ_ONLY=1), writable when KOMPASS_READ_ONLY=0,
    else writable on a loopback address and read-only on any other."""
    asked = options.read_only if options.read_only else read_only_setting(env)
    if asked is True:
        return Mode(True, "read-only as asked: uploads and imports are off")
    sign_in = sign_in_setting(env)
    if sign_in is not None:
        how = "st.login" if sign_in.kind == "oidc" else f"the proxy's {sign_in.header} header"
        return Mode(
            False,
            f"sign-in through {how}: {len(sign_in.writers)} named writer(s) may upload "
            "and import, everyone else reads",
        )
    if asked is False:
        return Mode(False, f"{READ_ONLY_ENV}=0: anyone who reaches the app can upload and import")
    if is_loopback(options.address):
        return Mode(False, f"listening on {options.address} (this machine only): uploads allowed")
    return Mode(
        True,
        f"listening on {options.address} and no sign-in configured: read-only "
        f"(uploads and imports are off; set {READ_ONLY_ENV}=0 to allow them)",
    )


def streamlit_settings(options: ServeOptions, config: Path | None) -> dict[str, Any]:
    """Every setting of config.toml, the address and the forced ones, as Streamlit's options."""
    settings: dict[str, Any] = {}
    if config is not None and config.is_file():
        with config.open("rb") as f:
            for section, values in tomllib.load(f).items():
                for key, value in values.items():
                    settings[f"{section}.{key}"] = value
    settings.update(FORCED)
    settings["server.port"] = options.port
    settings["server.address"] = options.address
    if options.base_url_path.strip("/"):
        settings["server.baseUrlPath"] = options.base_url_path.strip("/")
    return settings


def streamlit_flags(options: ServeOptions, config: Path | None) -> list[str]:
    """The same settings as `--section.key value` flags (for `streamlit run`)."""
    settings = streamlit_settings(options, config)
    return [part for key, value in settings.items() for part in (f"--{key}", _flag_value(value))]


def _flag_value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def check_store(db: Path, mode: Mode) -> str | None:
    """Before the server starts: a writer creates or upgrades the store; a reader only looks.

    Returns a note for the log (a reader without a store yet, or on an older one).
    Raises KompassError for a store this kompass must not open (code "store_too_new").
    """
    if not mode.read_only:
        # The writer's open creates the store or upgrades an older one, in one transaction;
        # it waits for an ingest that holds the file, as the CLI's writers do.
        with store.connect(db, wait=store.WRITER_WAIT_SECONDS):
            return None
    if not db.exists():
        # A container's app may start before its first ingest: it says so until then.
        return f"no database at {db} yet: the app says so until `kompass ingest` creates it"
    try:
        current = store.is_current(db)  # a newer schema raises; an older one is read as is
    except store.StoreLockedError:
        return f"{db} is being written: the app checks it on the first visit"
    return None if current else f"{db} has an older schema: the next `kompass ingest` upgrades it"


def prepare(options: ServeOptions, log: TextIO) -> tuple[Path, dict[str, Any], Mode]:
    """Everything before Streamlit starts: the mode, the store, the environment, the log.

    Returns the app's script and Streamlit's settings for it.
    """
    db = options.db.resolve()
    mode = decide_mode(options)
    note = check_store(db, mode)
    os.environ["KOMPASS_DB"] = str(db)
    os.environ[READ_ONLY_ENV] = "1" if mode.read_only else "0"
    folder = app_dir()
    url = f"http://{options.address}:{options.port}/{options.base_url_path.strip('/')}"
    print(f"kompass serve: {url.rstrip('/')}/ on {db}", file=log)
    print(f"kompass serve: {mode.reason}", file=log)
    if note:
        print(f"kompass serve: {note}", file=log)
    return folder / APP_SCRIPT, streamlit_settings(options, folder / CONFIG), mode


def serve(options: ServeOptions, log: TextIO | None = None) -> int:
    """Start the app (blocks until the server stops); exit code 2 when it cannot start."""
    log = log if log is not None else sys.stderr
    try:
        script, settings, _ = prepare(options, log)
    except (KompassError, FileNotFoundError, ValueError) as exc:  # newer store, no app, sign-in
        print(f"kompass serve: {exc}", file=log)
        return 2
    _warm(options.db.resolve())
    freeze_heap()
    from kompass.ui import asgi  # only when a server starts: it imports Streamlit

    try:
        asgi.run(script, settings)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int | None) else 1
    return 0


def freeze_heap() -> None:
    """Leave everything alive now (modules, warm caches) out of later garbage collections.

    Streamlit collects garbage in full after every script run, holding the
    interpreter: over the 190,000 objects of a warm server that took 0.13-0.22 s,
    in which no session got its messages. Frozen, the objects made before the
    first visitor are not traversed again, and a collection takes under 0.01 s.
    """
    gc.collect()  # what is garbage now is freed, not frozen
    gc.freeze()


def _warm(db: Path) -> None:
    """Fill the shared caches before the first visitor (kompass.ui.warm, when present)."""
    try:
        from kompass.ui import warm
    except ImportError:
        return
    warm.warm(db)
