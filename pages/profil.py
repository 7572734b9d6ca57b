"""Kommunprofil: one evaluation, answered at the top.

Under the headline figures: the summary's sentences and one table (score,
mean, difference, the neighbours' mean, the change since last time), with a
row of actions (print-out, picture, CSV, link). Then the charts; sub-areas,
findings and the report's contradictions below, collapsed where long.
"""

from typing import Any

import streamlit as st

from kompass.present import charts, means, partial, printout, profile
from kompass.present.strings import KIND, PAGE_TITLES, num
from kompass.ui import cache, urlstate, widgets
from kompass.ui.common import (
    chart,
    current_db,
    empty_state,
    evaluation_sentence,
    evaluators_sentence,
    leave_v1_mode,
    load_evaluations,
    opened,
    plain,
    rest_follows,
    source_text,
    text_table,
)

leave_v1_mode()
db = current_db()
evals = load_evaluations(db)
st.title(PAGE_TITLES["profil"])
if evals is None or evals.empty:
    empty_state(profile.EMPTY_WHAT)
    st.stop()

code = widgets.municipality_picker(evals)
year = widgets.year_picker(evals, code)
row = widgets.evaluation_row(evals, code, year)
mean = widgets.mean_picker(db, row.framework)
mean_key = means.NO_MEAN_KEY if mean is None else str(mean.key)
facts = cache.summary_facts(db, code, int(row.year), mean_key)
near = cache.neighbour_mean(db, code, str(row.framework))
imported = row.origin == "import"
color = charts.BASE_STYLE.color  # the base municipality, the same on every chart

st.header(plain(profile.heading(facts)))
st.markdown(plain(profile.about_line(facts)))
st.caption(evaluation_sentence(row) + " " + evaluators_sentence(row))


def actions() -> None:
    """One row: print-out and picture, the table as CSV, a link to this view."""
    left, middle, right = st.columns(3)
    flag = f"printout:{row.evaluation_id}:{mean_key}"
    if left.button(
        profile.PRINT_BUTTON, help=profile.PRINT_HELP, width="stretch", key="make_printout"
    ):
        st.session_state[flag] = True
    middle.download_button(
        profile.DOWNLOAD_CSV,
        profile.profile_csv(facts, near),
        file_name=profile.csv_file_name(facts),
        mime="text/csv",
        help=profile.DOWNLOAD_CSV_HELP,
        width="stretch",
    )
    share(right)
    if st.session_state.get(flag):
        printouts(flag)


def printouts(flag: str) -> None:
    try:
        with st.spinner(profile.PRINT_SPINNER):
            page_html = cache.summary_html(db, code, int(row.year), mean_key)
            png = cache.radar_png(db, code, int(row.year), mean_key)
    except printout.PrintoutError as exc:
        st.error(plain(exc))
        return
    cols = st.columns(2)
    cols[0].download_button(
        profile.DOWNLOAD_SUMMARY,
        page_html.encode("utf-8"),
        file_name=profile.download_name(facts, profile.SUMMARY_FILE),
        mime="text/html",
        key="dl_summary",
    )
    cols[1].download_button(
        profile.DOWNLOAD_PNG,
        png,
        file_name=profile.download_name(facts, profile.PNG_FILE),
        mime="image/png",
        key="dl_png",
    )


def partial_actions(view: profile.PartialView) -> None:
    """The same row for a result known in part: the print page without a radar, the CSV."""
    left, middle, right = st.columns(3)
    left.download_button(
        profile.PARTIAL_PRINT_BUTTON,
        printout.partial_page_html(facts, view.table, view.print_notice).encode("utf-8"),
        file_name=profile.download_name(facts, profile.SUMMARY_FILE),
        mime="text/html",
        help=profile.PARTIAL_PRINT_HELP,
        width="stretch",
        key="dl_partial_summary",
    )
    middle.download_button(
        profile.DOWNLOAD_CSV,
        profile.partial_csv(facts, view.table),
        file_name=profile.csv_file_name(facts),
        mime="text/csv",
        help=profile.DOWNLOAD_CSV_HELP,
        width="stretch",
        key="dl_partial_csv",
    )
    share(right)


def share(column: Any) -> None:
    with column.popover(profile.SHARE, width="stretch"):
        st.caption(profile.SHARE_HELP)
        st.code(urlstate.page_url(), language=None, wrap_lines=True)


if partial.flag(row.published):
    st.caption(plain(partial.published_caption(row.published)))
if not facts.areas:
    # Fewer than eight areas: the given ones as bars, the rest "uppgift saknas" (issue 11).
    wide = cache.scores_wide(db, [int(row.evaluation_id)])
    view = profile.partial_view(
        facts,
        partial.area_values(wide, int(row.evaluation_id)),
        cache.area_names(db, str(row.framework)),
        mean,
        row.total_computed,
    )
    st.info(plain(view.notice))
    partial_actions(view)
    st.metric(profile.TOTAL_LABEL, view.total, help=view.total_help)
    st.markdown(plain(" ".join(printout.summary_sentences(facts))))
    text_table(view.table)
    if view.figure is not None:
        chart(view.figure, view.alt, source_text([row.file_name]), key="area_bars")
    st.stop()

actions()
cols = st.columns(3)
cols[0].metric(
    profile.TOTAL_LABEL,
    num(facts.total),
    help=partial.total_help(row.total_computed),
    delta=profile.total_delta(facts),
    # A mean over too few municipalities is no yardstick: its difference stays grey.
    delta_color="normal" if facts.mean_verdict else "off",
)
if facts.mean_total is not None:
    cols[1].metric(profile.MEAN_LABEL, num(facts.mean_total), help=plain(facts.mean_source))
    cols[1].caption(plain(facts.mean_label))
if facts.previous_year is not None and facts.previous_total is not None:
    cols[2].metric(
        profile.previous_label(facts),
        num(facts.previous_total),
        delta=profile.previous_delta(facts),
    )
st.markdown(plain(" ".join(printout.summary_sentences(facts))))
text_table(profile.profile_table(facts, near).set_index(profile.AREA))
st.caption(source_text([row.file_name], plain(profile.table_note(facts, near))))

st.subheader(profile.CHARTS_HEADING)
show = st.columns(2)
with_mean = show[0].toggle(profile.SHOW_MEAN, value=mean is not None, disabled=mean is None)
before = [a.previous for a in facts.areas]
has_prev = all(v is not None for v in before)
with_prev = show[1].toggle(profile.SHOW_PREVIOUS, value=has_prev, disabled=not has_prev)
names = [a.name for a in facts.areas]
values = [a.score for a in facts.areas]
styles = charts.series_styles(code, [f"{code}-prev"], with_mean=True)
series = [charts.Series.styled(profile.heading(facts), values, styles[code], fill=True)]
if with_mean and mean is not None:
    series.append(charts.Series.styled(mean.legend, list(mean.scores), styles[charts.MEAN_KEY]))
if with_prev and has_prev:
    prev_name = f"{facts.name} {facts.previous_year}"
    series.append(charts.Series.styled(prev_name, before, styles[f"{code}-prev"]))
left, right = st.columns(2)
with left:
    chart(
        charts.radar_figure(series, names, numbered=True),
        profile.radar_alt(facts, with_mean and mean is not None, with_prev and has_prev),
        source_text([row.file_name]),
        key="radar",
    )
# The first screen's chart first: the bars and everything below follow in a second run.
rest_follows()
with right:
    chart(
        charts.area_bars_figure(
            values,
            names,
            color,
            profile.heading(facts),
            None if mean is None else list(mean.scores),
            profile.MEAN_LEGEND if mean is None else mean.legend,
        ),
        profile.bars_alt(facts),
        source_text([row.file_name], profile.BARS_NOTE),
        key="area_bars",
    )


def subareas() -> None:
    subs = cache.subarea_scores(db, int(row.evaluation_id))
    if subs.empty:
        st.info(profile.NO_SUBAREAS_IMPORT if imported else profile.NO_SUBAREAS)
        return
    chart(
        cache.subarea_figure(db, int(row.evaluation_id), color),
        profile.subareas_alt(facts, len(subs)),
        source_text([row.file_name], profile.SUBAREAS_NOTE),
        key="subareas",
    )


# Collapsed parts are drawn when opened (`opened`): the page redraws faster on every change.
with st.expander(profile.SUBAREAS_HEADING, key="profil_subareas", on_change="rerun") as box:
    if opened(box):
        subareas()

st.subheader(profile.FINDINGS_HEADING)
found = cache.findings(db, int(row.evaluation_id))
if found.empty and imported:
    st.info(profile.NO_FINDINGS_IMPORT)
for area in facts.areas:
    label = plain(profile.findings_label(area.area, area.name, area.score))
    with st.expander(label, key=f"profil_findings_{area.area}", on_change="rerun") as box:
        if not opened(box):
            continue
        cols = st.columns(3)
        for col, kind in zip(cols, KIND, strict=True):
            items = found[(found.area == area.area) & (found.kind == kind)].text
            # One element per column: a page of 48 more elements redraws slower.
            listed = "\n".join(f"- {plain(t)}" for t in items) or "–"
            col.markdown(f"**{KIND[kind]}**\n\n{listed}")

disc = cache.discrepancies(db, int(row.evaluation_id))
with st.expander(
    profile.discrepancies_label(len(disc)), key="profil_discrepancies", on_change="rerun"
) as box:
    if opened(box) and disc.empty:
        st.write(profile.CONSISTENT_IMPORT if imported else profile.CONSISTENT)
    elif opened(box):
        st.write(profile.DISCREPANCY_RULE)
        st.dataframe(profile.discrepancy_table(disc), hide_index=True, width="stretch")
