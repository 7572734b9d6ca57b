"""Who may write: the read-only mode and the named writers (issue 13).

`kompass serve` decides the mode before the app starts (kompass.ui.server) and
hands it over in `KOMPASS_READ_ONLY`; the app reads it here. Without the
variable (`streamlit run app.py`, AppTest) the app may write, as before.
A read-only app never writes to the database: no upload, no import, no
building or upgrading of the store on start.

With sign-in configured (`KOMPASS_SIGN_IN`, `KOMPASS_WRITERS`: see
`server.sign_in_setting`) only the named writers may write: the user is
Streamlit's `st.user` (st.login) or the e-mail address a trusted reverse
proxy sends in a header. Every write goes through `audited`, which refuses
anyone else and logs who wrote what (file name, sha256, result) on the
server's log.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from kompass.errors import KompassError
from kompass.present import access as present_access
from kompass.present.strings import error_text
from kompass.store import audit
from kompass.ui import cache
from kompass.ui.common import ensure_store, plain
from kompass.ui.server import SignIn, read_only_setting, sign_in_setting

T = TypeVar("T")
WRITE_REFUSED = "write_refused"  # the KompassError code of a write by someone not allowed
_LOG = logging.getLogger("kompass.writes")


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to sys.stderr as it is when a record comes (a test may have replaced it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def _server_log() -> logging.Logger:
    """The write log on the server's stderr (Streamlit configures only its own loggers)."""
    if not _LOG.handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s kompass write: %(message)s"))
        _LOG.addHandler(handler)
        _LOG.setLevel(logging.INFO)
        _LOG.propagate = False
    return _LOG


def current_user(sign_in: SignIn) -> str | None:
    """The signed-in user's e-mail address (lower case), or None when nobody signed in."""
    if sign_in.kind == "oidc":
        if not st.user.get("is_logged_in", False):
            return None
        email = st.user.get("email")
    else:
        email = st.context.headers.get(sign_in.header)
    return (str(email).strip().lower() or None) if email else None


def can_write() -> bool:
    """May this session store uploads and imports?

    False in the read-only mode; with sign-in, True only for a named writer;
    otherwise True (the address rule was applied by `kompass serve`).
    """
    if read_only_setting() is True:
        return False
    sign_in = sign_in_setting()
    if sign_in is None:
        return True
    user = current_user(sign_in)
    return user is not None and user in sign_in.writers


def read_only_note() -> None:
    """On the Data page when this session may not write: why, and how new data arrives."""
    if can_write():
        return
    sign_in = None if read_only_setting() is True else sign_in_setting()
    if sign_in is None:
        st.info(present_access.READ_ONLY_NOTE)
        return
    user = current_user(sign_in)
    if user is None:
        st.info(present_access.SIGN_IN_NOTE)
        if sign_in.kind == "oidc":
            st.button(present_access.SIGN_IN_BUTTON, on_click=st.login, key="kompass_login")
    else:
        st.info(plain(present_access.not_a_writer(user)))


def audited(action: str, file_name: str, data: bytes | None, write: Callable[..., T],
            *args: Any) -> T:  # fmt: skip
    """`write(*args)` for an allowed writer, logged on the server (who, what, sha256, result)
    and in the store's `audit` table.

    Anyone else gets a KompassError (code "write_refused") and nothing is written.
    The store's writers add the audit row of what they store in the same transaction
    (`store.audit.recording`: one row per file, with the name and sha256 they store);
    a refused or failed write wrote nothing, so its row goes in right after, in a
    transaction of its own, unless the app is read-only (then the server log only).
    The store is the write's last Path argument, as every write of the Data page takes it.
    """
    sign_in = sign_in_setting()
    user = current_user(sign_in) if sign_in else None
    digest = hashlib.sha256(data).hexdigest() if data is not None else None
    what = f"{action} {file_name!r} sha256={digest or '-'} by {user or '-'}"
    record = audit.Audit("app", user, action)
    after = (_store_of(args), (file_name, digest), record)
    if not can_write():
        _server_log().info("%s: refused", what)
        _record_after(*after, "refused")
        raise KompassError(f"{action} refused: not a writer", code=WRITE_REFUSED)
    try:
        with audit.recording(record):
            result = write(*args)
    except Exception as exc:
        reason = getattr(exc, "code", None) or type(exc).__name__
        _server_log().info("%s: failed (%s)", what, reason)
        _record_after(*after, f"failed: {reason}")
        raise
    _server_log().info("%s: %s", what, getattr(result, "status", "stored"))
    return result


# A refused or failed write's audit row waits this long for the store, no more: the
# user is waiting for the message, and the server log has the line anyway.
AFTER_WAIT_SECONDS = 1.0


def _store_of(args: tuple[Any, ...]) -> Path | None:
    return next((a for a in reversed(args) if isinstance(a, Path)), None)


def _record_after(
    db: Path | None, file: tuple[str, str | None], record: audit.Audit, result: str
) -> None:
    """The audit row of a write that stored nothing; never in the read-only mode (nothing
    is written there), and a store that cannot take it now only costs the row."""
    if db is None or read_only_setting() is True or not db.exists():
        return
    try:
        audit.record_now(db, [(file[0], file[1], result)], record, wait=AFTER_WAIT_SECONDS)
    except KompassError as exc:
        _server_log().info("audit row not stored (%s)", getattr(exc, "code", exc))


def prepare_store(db: Path) -> str | None:
    """The app's start on `db`: a Swedish message to show, or None.

    May write: build an empty store from the bundled reports and upgrade an older one
    (`common.ensure_store`). Read-only: only look; an older or newer store is named,
    and nothing is written. Without a store the run ends here: a page's first read
    would create an empty one.
    """
    if read_only_setting() is not True:
        return ensure_store(db)
    if not db.exists():
        st.info(present_access.NO_DATABASE)
        st.stop()
    try:
        if not cache.store_is_current(db):
            return present_access.OLDER_STORE
    except KompassError as exc:
        return error_text(exc)
    return None
