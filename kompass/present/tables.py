"""Display tables: query results as Swedish text for static tables."""

from __future__ import annotations

import pandas as pd

from kompass.present.strings import num, signed


def formatted(table: pd.DataFrame) -> pd.DataFrame:
    """Numbers as Swedish text for static tables: "42,2"; differences with a sign."""
    out = table.copy()
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]) or out[col].dtype == object:
            is_diff = col.startswith(("Skillnad", "Förändring", "Gap"))
            if pd.api.types.is_numeric_dtype(out[col]) or all(
                isinstance(v, (int, float)) or v is None for v in out[col]
            ):
                out[col] = [signed(v) if is_diff else num(v) for v in out[col]]
    return out
