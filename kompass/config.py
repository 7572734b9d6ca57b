"""Where kompass finds its bundled data and its database.

`KOMPASS_DB` chooses the DuckDB file (default `data/kompass.duckdb`);
`KOMPASS_DATA` the folder with the bundled reference data (default: the
repository's `data/`).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Folder with municipalities.csv, neighbours.csv, frameworks.csv, reports/."""
    return Path(os.environ.get("KOMPASS_DATA", REPO_ROOT / "data"))


def reports_dir() -> Path:
    """The bundled sample reports (the embedded default for ingest)."""
    return data_dir() / "reports"


def db_path() -> Path:
    """The DuckDB file: `KOMPASS_DB`, else `data/kompass.duckdb`."""
    return Path(os.environ.get("KOMPASS_DB", data_dir() / "kompass.duckdb"))
