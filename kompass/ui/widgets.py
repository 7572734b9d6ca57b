"""Pickers shared by several pages (sidebar municipality, year, mean)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from kompass import queries
from kompass.present import tables
from kompass.ui import cache, urlstate


def municipality_picker(
    evals: pd.DataFrame, only: list[str] | None = None, label: str = "Kommun"
) -> str | None:
    """Sidebar picker over evaluated municipalities, synced with `?kommun=`."""
    pool = evals[evals.code.isin(only)] if only is not None else evals
    names = dict(zip(pool.code, pool.name, strict=False))
    options = sorted(names, key=lambda c: names[c])
    # No default: the municipality always stays in the URL, so links say what they show.
    return urlstate.select(label, options, "kommun", None, format_func=lambda c: names[c])


def year_picker(evals: pd.DataFrame, code: str) -> int | None:
    """Sidebar picker of this municipality's evaluation years, synced with `?ar=`."""
    rows = evals[evals.code == code].sort_values("year", ascending=False)
    options = [str(y) for y in rows.year]
    origin = dict(zip(options, rows.origin, strict=False))

    def fmt(y: str) -> str:
        return (
            y
            if origin[y] == "report"
            else f"{y} (uppgift ur senare rapport)"
            if origin[y] == "stated_in_report"
            else f"{y} (importerad)"
        )

    value = urlstate.select(
        "Utvärdering (år)", options, "ar", options[0] if options else None, format_func=fmt
    )
    return int(value) if value else None


def mean_picker(db: Path, framework: str, container: object = None) -> pd.Series | None:
    """Choose which mean to show; the report's series is the default where it exists."""
    options = tables.mean_labels(cache.query("mean_options", db, framework))
    if options.empty:
        return None
    keys = list(options.key)
    labels = dict(zip(options.key, options.label, strict=False))
    refs = options[options.kind == queries.REFERENCE_KIND]
    default = refs.key.iloc[0] if not refs.empty else keys[0]
    key = urlstate.select(
        "Jämför med medelvärde",
        keys,
        "medel",
        default,
        format_func=lambda k: labels[k],
        container=container or st.sidebar,
        help="Ett medelvärde visas alltid med sin källa eller sitt antal (n).",
    )
    return options[options.key == key].iloc[0]


def evaluation_row(evals: pd.DataFrame, code: str, year: int) -> pd.Series | None:
    rows = evals[(evals.code == code) & (evals.year == year)]
    return rows.iloc[0] if not rows.empty else None
