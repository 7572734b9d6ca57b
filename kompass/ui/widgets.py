"""Pickers shared by several pages (municipality and year at the top, mean in the sidebar).

The municipality and the year are in the main area, in one row at the top,
so a phone user sees them without opening the sidebar (issue 10, point 7).
For them the URL decides (issue 10, point 6): `?kommun=` and `?ar=` name what
the page shows, a value that has no evaluation stops the page with a Swedish
message and links to what exists, and a widget change writes the URL in its
callback before the rerun. So the URL, the widgets and the page never disagree.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kompass.domain import municipalities
from kompass.present import links, means
from kompass.ui import cache, registry, urlstate
from kompass.ui.common import current_db, plain

MUNICIPALITY_KEY = "w_kommun"
NEARBY = 5  # links offered when the neighbours have no evaluation
# Widths in px: the municipality and the year side by side on a laptop; on a phone the
# row wraps and the year goes below the municipality.
MUNICIPALITY_WIDTH = 320
YEAR_WIDTH = 220
# The year picker's place in the top row, set by municipality_picker in the same run.
_year_slot = threading.local()


def current_page() -> registry.PageSpec | None:
    """The page this run shows (by its file, else its URL path), or None outside a run."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    info: Any = ctx.pages_manager.get_pages().get(ctx.page_script_hash, {})
    script = str(info.get("script_path", "")).replace("\\", "/")
    for spec in registry.PAGES:
        if script.endswith(spec.script):
            return spec
    url = info.get("url_pathname")
    return next((p for p in registry.PAGES if url is not None and p.url_path == url), None)


def _set_tab_title(name: str | None, year: int | None = None) -> None:
    spec = current_page()
    if spec is not None:
        st.set_page_config(page_title=links.tab_title(spec.title, name, year))


def _all_evaluations() -> pd.DataFrame:
    """Every evaluation, whatever the page's pool (Jämför passes the latest with areas)."""
    return cache.evaluations(current_db())


def _link(label: str, params: dict[str, str], page: str | None = None) -> None:
    """A link to `page` (default: this page) with `params`; the mean in the URL goes along."""
    spec = current_page()
    target = page or (spec.script if spec else registry.page("pages/profil.py").script)
    mean = urlstate.url_value("medel")
    query = {**params, "medel": mean} if mean and target == getattr(spec, "script", "") else params
    # st.page_link encodes the query; the label is made inert (names come from the store).
    st.page_link(target, label=plain(label), query_params=query)


def _picked_municipality(key: str) -> None:
    """Widget callback: the new municipality goes to the URL; its year starts at the latest."""
    code = st.session_state.get(key)
    if code is None:
        return
    st.query_params["kommun"] = code
    if "ar" in st.query_params:
        del st.query_params["ar"]


def _picked_year(key: str) -> None:
    value = st.session_state.get(key)
    if value is not None:
        st.query_params["ar"] = value


def _default_code(options: list[str]) -> str:
    """Without `?kommun=`: this session's last municipality, else the first by name."""
    earlier = urlstate.session_value("kommun")
    return earlier if earlier in options else options[0]


def _nearby_links(code: str, names: dict[str, str]) -> None:
    """Links to evaluated neighbours of `code`, else to the nearest evaluated municipalities."""
    db = current_db()
    near = sorted((c for c in cache.neighbours(db, code) if c in names), key=lambda c: names[c])
    heading = links.EVALUATED_NEIGHBOURS
    if not near:
        nearest = cache.peers(db, code, "narmast", NEARBY)
        near = [c for c in nearest.code if c in names]
        heading = links.NEAREST_EVALUATED
    if not near:
        st.write(links.NO_EVALUATED_NEARBY)
        return
    st.write(heading)
    for c in near:
        _link(names[c], {"kommun": c})


def _stop_for_municipality(asked: str, names: dict[str, str]) -> NoReturn:
    """`?kommun=` names no municipality of this page: say so, offer links, stop the page."""
    evaluated = set(_all_evaluations().code)
    exact = municipalities.by_code(asked) if re.fullmatch(r"\d{4}", asked) else None
    if exact is None:
        st.warning(plain(links.unknown_municipality(asked)))
        meant = municipalities.resolve_municipality(asked)
        if meant is not None and meant.code in names:
            _link(links.did_you_mean(meant.name, meant.code), {"kommun": meant.code})
        elif meant is not None:
            st.write(plain(links.no_evaluation(meant.name)))
            _nearby_links(meant.code, names)
    elif exact.code in evaluated:
        # Evaluated, but not as this page needs (only an imported total, no area scores).
        st.warning(plain(links.no_area_scores(exact.name)))
        _link(links.profile_instead(exact.name), {"kommun": exact.code}, "pages/profil.py")
        _nearby_links(exact.code, names)
    else:
        st.warning(plain(links.no_evaluation(exact.name)))
        _nearby_links(exact.code, names)
    st.caption(links.PICK_ANOTHER)
    _set_tab_title(exact.name if exact else None)
    st.stop()


def _origins(rows: pd.DataFrame) -> list[str]:
    """Each row's origin for `links.year_option`: "published" for data/published results."""
    published = rows["published"] if "published" in rows else pd.Series(False, index=rows.index)
    return ["published" if bool(p) else str(o) for o, p in zip(rows.origin, published, strict=True)]


def _stop_for_year(name: str, code: str, asked: str, rows: pd.DataFrame) -> NoReturn:
    """`?ar=` is no evaluation year of this municipality: links to the years it has; stop."""
    st.warning(plain(links.no_evaluation_year(name, asked)))
    st.write(plain(links.evaluations_of(name)))
    origins = _origins(rows.drop_duplicates("year"))
    for year, origin in zip(rows.drop_duplicates("year").year, origins, strict=True):
        label = f"{name} {links.year_option(str(year), origin)}"
        _link(label, {"kommun": code, "ar": str(year)})
    _set_tab_title(name)
    st.stop()


def _remember_year_slot(container: Any) -> None:
    ctx = get_script_run_ctx()
    # ctx.cursors is a new dict on every run: the slot is used only in the run that made it.
    _year_slot.value = (ctx.cursors if ctx else None, container)


def _take_year_slot() -> Any:
    ctx = get_script_run_ctx()
    run, container = getattr(_year_slot, "value", (None, None))
    _year_slot.value = (None, None)
    if ctx is not None and run is ctx.cursors and container is not None:
        return container
    return _picker_row()


def _picker_row() -> Any:
    """The row at the top of the page that holds the pickers (wraps on a narrow screen)."""
    return st.container(horizontal=True, vertical_alignment="bottom")


def municipality_picker(
    evals: pd.DataFrame, only: list[str] | None = None, label: str = links.MUNICIPALITY_LABEL
) -> str | None:
    """Picker over evaluated municipalities at the top of the page, synced with `?kommun=`.

    `?kommun=` that is not one of the options (an unknown code, a name, a
    municipality without evaluation) and `?ar=` that is no evaluation year of
    the municipality stop the page with a message and links; nothing else is
    shown and the URL stays as it was. Without `?kommun=` the page shows this
    session's last municipality (else the first by name) and writes it to the URL.
    """
    pool = evals[evals.code.isin(only)] if only is not None else evals
    names = dict(zip(pool.code, pool.name, strict=False))
    options = sorted(names, key=lambda c: names[c])
    if not options:
        return None
    asked = urlstate.url_value("kommun")
    if asked is None:
        code: str | None = _default_code(options)
        if "ar" in st.query_params:  # a year without a municipality means nothing
            del st.query_params["ar"]
    else:
        code = asked if asked in names else None
    row = _picker_row()
    st.session_state[MUNICIPALITY_KEY] = code
    row.selectbox(
        label,
        options,
        key=MUNICIPALITY_KEY,
        format_func=lambda c: names[c],
        placeholder=links.CHOOSE_MUNICIPALITY,
        on_change=_picked_municipality,
        args=(MUNICIPALITY_KEY,),
        width=MUNICIPALITY_WIDTH,
    )
    if code is None:
        _stop_for_municipality(str(asked), names)
    urlstate.write_param("kommun", code, None)
    year = urlstate.url_value("ar")
    if year is not None:
        mine = _all_evaluations()
        mine = mine[mine.code == code].sort_values("year", ascending=False)
        if year not in {str(y) for y in mine.year}:
            _stop_for_year(names[code], code, year, mine)
    _remember_year_slot(row)
    _set_tab_title(names[code])
    return code


def year_picker(evals: pd.DataFrame, code: str) -> int | None:
    """This municipality's evaluation years, next to the municipality, synced with `?ar=`.

    The key is per municipality, so a new municipality gets a new picker at
    its latest year (the municipality's callback takes `ar` out of the URL).
    `?ar=` that is no year of this municipality stops the page with links.
    """
    rows = evals[evals.code == code].sort_values("year", ascending=False)
    options = [str(y) for y in dict.fromkeys(rows.year)]
    if not options:
        return None
    name = str(rows.name.iloc[0])
    asked = urlstate.url_value("ar")
    if asked is not None and asked not in options:
        _stop_for_year(name, code, asked, rows)
    value = asked or options[0]
    origin = dict(zip(options, _origins(rows.drop_duplicates("year")), strict=False))
    key = f"w_ar_{code}"
    st.session_state[key] = value
    _take_year_slot().selectbox(
        links.YEAR_LABEL,
        options,
        key=key,
        format_func=lambda y: links.year_option(y, origin[y]),
        placeholder=links.CHOOSE_YEAR,
        on_change=_picked_year,
        args=(key,),
        width=YEAR_WIDTH,
    )
    # Written also when it is the latest, so a shared link keeps its meaning.
    urlstate.write_param("ar", value, options[0])
    _set_tab_title(name, int(value))
    return int(value)


def mean_picker(db: Path, framework: str, container: object = None) -> pd.Series | None:
    """Choose which mean to show, synced with `?medel=`; None for no mean.

    Default (`present.means.default_key`): SKR's stated series, else the
    computed mean over at least ten municipalities, else none; a smaller
    computed mean only on request. The result has key, label, legend (short,
    for charts), source (the help text), total, scores (8, None where
    missing), kind, verdict (may a difference be coloured) and n (None if unknown).
    """
    options = means.named_means(cache.mean_options(db, framework))
    if options.empty:
        return None
    labels = dict(zip(options.key, options.label, strict=True))
    labels[means.NO_MEAN_KEY] = means.NO_MEAN_LABEL
    key = urlstate.select(
        means.PICKER_LABEL,
        list(labels),
        "medel",
        means.default_key(options) or means.NO_MEAN_KEY,
        format_func=lambda k: labels[k],
        container=container or st.sidebar,
        help=means.PICKER_HELP,
    )
    chosen = options[options.key == key]
    if chosen.empty:
        return None
    mean = chosen.iloc[0].copy()
    mean["total"] = None if pd.isna(mean.total) else float(mean.total)
    mean["verdict"] = bool(mean.verdict)
    return mean


def evaluation_row(evals: pd.DataFrame, code: str, year: int) -> pd.Series | None:
    """The evaluation of `code` in `year` (the pickers make sure it exists), or None."""
    rows = evals[(evals.code == code) & (evals.year == year)]
    return rows.iloc[0] if not rows.empty else None
