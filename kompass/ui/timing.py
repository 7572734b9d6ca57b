"""Server time of page reruns, measured with Streamlit's AppTest (for `kompass bench`).

Here, not in kompass.devtools, because only kompass.ui imports Streamlit.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kompass.ui import cache


def rerun_ms(
    db: Path, pages: list[tuple[str, str, dict[str, str]]], repeats: int = 3
) -> dict[str, float]:
    """Median milliseconds of a warm rerun of each (label, script, query params) page."""
    os.environ["KOMPASS_DB"] = str(db)
    os.environ["KOMPASS_NO_AUTOLOAD"] = "1"
    cache.clear()
    out: dict[str, float] = {}
    for label, script, params in pages:
        at = AppTest.from_file(script, default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()  # cold: fills the caches
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            at.run()
            samples.append((time.perf_counter() - started) * 1000)
        if at.exception:
            raise RuntimeError(f"{label}: {at.exception[0].value}")
        out[label] = statistics.median(samples)
    return out
