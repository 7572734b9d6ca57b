"""Pickers whose values live in the URL (`st.query_params`).

One rule for every page: a value from the URL is used if it is one of the
options, otherwise the value chosen earlier in this session, otherwise the
default. Defaults are left out of the URL so links stay short, except for the
parameters in `ALWAYS_IN_URL`, whose default depends on the data: a shared
link must keep its meaning after the next evaluation or a new mean (issue 10).

The municipality and year pickers (`kompass.ui.widgets`) are stricter: a
value in the URL that is not an option is an error shown to the user, never
replaced by another value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

import streamlit as st

# The municipality (no default), the year (default: the latest evaluation) and the mean
# (default: the report's series) are always written, so a link says what it shows.
ALWAYS_IN_URL = frozenset({"kommun", "ar", "medel"})


def initial_value(param: str, options: Sequence[str], default: str | None) -> str | None:
    """The value to start from: URL, then this session's choice, then default."""
    url = st.query_params.get(param)
    if url in options:
        return url
    shared = st.session_state.get(f"val_{param}")
    if shared in options:
        return shared
    return default if default in options else (options[0] if options else None)


def url_value(param: str) -> str | None:
    """The parameter's value in the URL (the last one if repeated); None if absent or blank."""
    value = st.query_params.get(param)
    return None if value is None or not str(value).strip() else str(value)


def session_value(param: str) -> str | None:
    """The value last written for `param` in this session (see `write_param`), or None."""
    value = st.session_state.get(f"val_{param}")
    return None if value is None else str(value)


def write_param(param: str, value: str | None, default: str | None) -> None:
    """Put a value in the URL, or take it out when it is the default.

    A parameter in `ALWAYS_IN_URL` stays in the URL even when it is the default.
    """
    st.session_state[f"val_{param}"] = value
    if value is None or (value == default and param not in ALWAYS_IN_URL):
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


def page_url() -> str:
    """This page's address with its current parameters, for "Dela länk".

    The browser's URL as Streamlit last saw it (`st.context.url`), without its
    old query, plus the parameters the page holds now (`st.query_params`).
    """
    base = (st.context.url or "").split("?", 1)[0].split("#", 1)[0]
    query = urlencode(st.query_params.to_dict())
    return base + (f"?{query}" if query else "")
