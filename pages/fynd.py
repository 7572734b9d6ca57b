"""Styrkor och förbättringar: search every finding across reports."""

import streamlit as st

from kompass import queries
from kompass.present import findings, tables
from kompass.present.strings import KIND
from kompass.ui import cache, urlstate
from kompass.ui.common import (
    current_db,
    empty_state,
    highlight,
    leave_v1_mode,
    load_evaluations,
    plain,
    source_text,
)

leave_v1_mode()
db = current_db()
evals = load_evaluations(db)
st.title(findings.TITLE)
st.write(findings.INTRO)
if evals is None or evals.empty:
    empty_state(findings.EMPTY_WHAT)
    st.stop()

q = st.text_input(
    findings.SEARCH_LABEL,
    value=st.query_params.get("q", ""),
    key="w_q",
    placeholder=findings.SEARCH_PLACEHOLDER,
)
urlstate.write_param("q", q.strip() or None, None)
names_2020 = cache.area_names(db, "2020")
names_2010 = cache.area_names(db, "2010")
area_options = [findings.ALL, *[str(a) for a in queries.AREAS]]


def area_label(value: str) -> str:
    return findings.area_label(value, names_2020, names_2010)


cols = st.columns([3, 2])
area = urlstate.select(
    findings.AREA_LABEL,
    area_options,
    "omrade",
    findings.ALL,
    format_func=area_label,
    container=cols[0],
)
kind = urlstate.select(
    findings.KIND_LABEL,
    [findings.ALL, *KIND],
    "typ",
    findings.ALL,
    format_func=findings.kind_label,
    container=cols[1],
)
munis = dict(zip(evals.code, evals.name, strict=False))
chosen = st.sidebar.multiselect(
    findings.MUNICIPALITIES_LABEL,
    sorted(munis, key=munis.get),
    format_func=munis.get,
    key="w_fynd_kommuner",
    placeholder=findings.MUNICIPALITIES_PLACEHOLDER,
)
low, high = int(evals.year.min()), int(evals.year.max())
years = (
    st.sidebar.slider(findings.YEARS_LABEL, low, high, (low, high)) if low < high else (low, high)
)

found = cache.findings_page(
    db,
    q,
    None if area == findings.ALL else int(area),
    None if kind == findings.ALL else kind,
    chosen or None,
    years,
)
st.markdown(f"**{findings.hits_count(found.n_hits)}** " + findings.hits_where(found.n_evaluations))
if found.hits.empty:
    st.info(findings.NO_HITS)
    st.stop()

counts = found.counts.rename(columns=KIND)
counts.index = [findings.area_row(a) for a in counts.index]
with st.expander(findings.COUNTS_EXPANDER):
    st.dataframe(tables.grid(counts), width="stretch")

hits = found.hits
if len(hits) < found.n_hits:
    st.caption(
        findings.truncated_caption(
            len(hits), found.n_hits, found.n_shown_evaluations, found.n_evaluations
        )
    )
for (name, year, file_name), group in hits.groupby(["name", "year", "file_name"], sort=False):
    label = findings.evaluation_label(plain(name), year, len(group))
    with st.expander(label, expanded=found.n_hits <= 40):
        # One markdown block per evaluation: thousands of elements would stall the page.
        blocks = []
        for (area_no, area_name), by_area in group.groupby(["area", "area_name"], sort=True):
            blocks.append(f"**{area_no} {plain(area_name)}**\n")
            blocks += [
                f"- *{KIND[k]}:* {highlight(t, q)}"
                for k, t in zip(by_area.kind, by_area.text, strict=True)
            ]
            blocks.append("")
        st.markdown("\n".join(blocks))
        # A stored file name is text, never markup (it may hold a link or an image).
        st.caption(source_text([file_name]))
