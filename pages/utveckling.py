"""Utveckling: change between two evaluations of the same municipality."""

import streamlit as st

from kompass import queries
from kompass.present import charts, development, partial, tables
from kompass.present.strings import PUBLISHED, change_alt, num, signed
from kompass.ui import cache, widgets
from kompass.ui.common import (
    chart,
    current_db,
    empty_state,
    evaluators_sentence,
    leave_v1_mode,
    load_evaluations,
    plain,
    rest_follows,
    source_text,
    text_table,
)

leave_v1_mode()
db = current_db()
evals = load_evaluations(db)
st.title(development.TITLE)
if evals is None or evals.empty:
    empty_state(development.EMPTY_WHAT)
    st.stop()

code = widgets.municipality_picker(evals)
mine = evals[(evals.code == code) & (evals.n_areas == 8)].sort_values("year")
name = evals[evals.code == code].name.iloc[0]
totals_only = evals[(evals.code == code) & (evals.n_areas < 8)].sort_values("year")
if not totals_only.empty:
    # Evaluations without all eight areas (imports) have no per-area change to draw.
    st.caption(development.totals_only_caption(totals_only))
points = development.totals_points(evals, code)
if len(points) >= 2:
    # Totals over time: every evaluation with a total, published results marked (issue 11).
    st.subheader(development.TOTALS_HEADING)
    chart(
        charts.totals_over_time_figure(points, name, charts.BASE_STYLE.color, PUBLISHED),
        development.totals_alt(name, points),
        source_text(
            partial.report_files(points), partial.with_published(points, development.TOTALS_NOTE)
        ),
        key="totals_time",
    )
    # The first screen's chart first: the change between two evaluations follows in a second run.
    rest_follows()
if len(mine) < 2:
    st.info(development.too_few_text(plain(name), len(mine)))
    multi = queries.multi_evaluated(evals)
    if multi:
        # The nearest ten, not a list of hundreds: the picker above holds them all.
        near = cache.nearest(db, code, multi, 10)
        st.write(development.nearest_intro(len(multi)))
        for other in near:
            other_name = evals[evals.code == other].name.iloc[0]
            st.page_link(
                "pages/utveckling.py", label=plain(other_name), query_params={"kommun": other}
            )
    st.stop()

years = [int(y) for y in mine.year]
cols = st.columns(2)
first = cols[0].selectbox(development.FROM_LABEL, years[:-1], index=len(years) - 2, key="w_from")
second = cols[1].selectbox(
    development.TO_LABEL, [y for y in years if y > first], index=0, key="w_to"
)
before_row = mine[mine.year == first].iloc[0]
after_row = mine[mine.year == second].iloc[0]
wide = cache.scores_wide(db, [int(before_row.evaluation_id), int(after_row.evaluation_id)])
before = list(wide.loc[before_row.evaluation_id])
after = list(wide.loc[after_row.evaluation_id])
area_names = cache.area_names(db, after_row.framework)
mean = widgets.mean_picker(db, after_row.framework)
color = charts.BASE_STYLE.color  # the base municipality, the same on every chart

total_cols = st.columns(3)
total_cols[0].metric(development.total_label(first), num(before_row.total))
total_cols[1].metric(
    development.total_label(second),
    num(after_row.total),
    delta=signed(after_row.total - before_row.total, minus="-"),
)
if mean is not None and mean.total is not None:
    total_cols[2].metric(development.MEAN_LABEL, num(mean.total), help=plain(mean.source))
    total_cols[2].caption(plain(mean.label))

if first < 2020 <= second or before_row.framework != after_row.framework:
    st.warning(development.REVISION_WARNING)
chart(
    charts.dumbbell_figure(
        before,
        after,
        area_names,
        development.series_names(name, first, second),
        color,
        None if mean is None else list(mean.scores),
        development.MEAN_LEGEND if mean is None else mean.legend,
    ),
    change_alt(
        name, first, second, [a - b for a, b in zip(after, before, strict=True)], area_names
    ),
    source_text(
        sorted({before_row.file_name, after_row.file_name}),
        development.first_year_source(evaluators_sentence(before_row), first),
    ),
    key="dumbbell",
)
table = tables.change_table(before, after, area_names, None if mean is None else list(mean.scores))
text_table(tables.formatted(table).set_index(development.AREA))
