"""Pickers whose values live in the URL (`st.query_params`).

One rule for every page: a value from the URL is used if it is one of the
options, otherwise the value chosen earlier in this session, otherwise the
default. Defaults are left out of the URL so links stay short.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


def initial_value(param: str, options: Sequence[str], default: str | None) -> str | None:
    """The value to start from: URL, then this session's choice, then default."""
    url = st.query_params.get(param)
    if url in options:
        return url
    shared = st.session_state.get(f"val_{param}")
    if shared in options:
        return shared
    return default if default in options else (options[0] if options else None)


def write_param(param: str, value: str | None, default: str | None) -> None:
    """Put a value in the URL, or take it out when it is the default."""
    st.session_state[f"val_{param}"] = value
    if value is None or value == default:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != value:
        st.query_params[param] = value


def select(
    label: str,
    options: Sequence[str],
    param: str,
    default: str | None,
    format_func: Callable[[Any], str] = str,
    container: Any = None,
    help: str | None = None,
) -> str | None:
    """A selectbox synced with the URL parameter `param`."""
    container = container or st.sidebar
    key = f"w_{param}"
    options = list(options)
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    if key in st.session_state:
        current = st.session_state[key]
    else:
        current = initial_value(param, options, default)
    if not options:
        write_param(param, None, default)
        return None
    value = container.selectbox(
        label, options, index=options.index(current), key=key, format_func=format_func, help=help
    )
    write_param(param, value, default)
    return value


def split_codes(text: str | None, options: Sequence[str]) -> list[str]:
    """Comma-separated codes from the URL, keeping only valid ones, in order."""
    if not text:
        return []
    seen: list[str] = []
    for part in text.split(","):
        code = part.strip()
        if code in options and code not in seen:
            seen.append(code)
    return seen
