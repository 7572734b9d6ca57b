"""Where kompass finds its reference data, its sample reports and its database.

The reference data (frameworks, municipalities, neighbours, polygons) ships
inside the package (`kompass/domain/data/`). `KOMPASS_DATA` chooses the folder
with `reports/` and the database (default: the repository's `data/` in a
checkout, else the current folder); `KOMPASS_DB` the DuckDB file (default
`<data folder>/kompass.duckdb`).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def reference_file(name: str) -> Path:
    """A reference file shipped in the package (`kompass/domain/data/NAME`)."""
    return Path(str(resources.files("kompass.domain") / "data" / name))


def data_dir() -> Path:
    """Folder with reports/ and the database: KOMPASS_DATA, the checkout's data/, or here."""
    if "KOMPASS_DATA" in os.environ:
        return Path(os.environ["KOMPASS_DATA"])
    checkout = REPO_ROOT / "data"
    return checkout if (checkout / "reports").is_dir() else Path.cwd()


def reports_dir() -> Path:
    """The bundled sample reports (the embedded default for ingest)."""
    return data_dir() / "reports"


def published_dir() -> Path:
    """Published results and means with their sources (loaded with the sample reports)."""
    return data_dir() / "published"


def db_path() -> Path:
    """The DuckDB file: `KOMPASS_DB`, else `kompass.duckdb` in the data folder."""
    return Path(os.environ.get("KOMPASS_DB", data_dir() / "kompass.duckdb"))
