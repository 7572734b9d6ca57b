"""Errors every floor may raise: a stable `code`, the facts in `fields`, an English message.

The code and fields are the contract: the app renders them in Swedish
(`kompass.present.strings.error_text`), the CLI prints the English message. Nothing
here imports another kompass module, so any module may import it.
"""

from __future__ import annotations

from typing import Any


class KompassError(Exception):
    """Base of kompass's expected errors (never a bug): `code`, `fields`, English `message`."""

    code = "error"

    def __init__(self, message: str, code: str | None = None, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.fields = fields


class StoreError(KompassError):
    """The database cannot be opened or written (not the report's fault)."""

    code = "store_unavailable"


class StoreLockedError(StoreError):
    """Another process (or connection) holds a conflicting lock on the database."""

    code = "store_locked"


class StoreCorruptError(StoreError):
    """The database file is not a DuckDB database or is damaged; writes stop."""

    code = "store_corrupt"


class StoreReadOnlyError(StoreError):
    """The database (or its folder) cannot be written: read-only file or file system."""

    code = "store_read_only"


class StoreFullError(StoreError):
    """The disk holding the database is full."""

    code = "store_full"


class BudgetExceeded(KompassError):
    """A parse or export went over its budget (pages, seconds, memory) and was stopped."""

    code = "budget_exceeded"
