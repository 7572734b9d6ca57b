"""Översikt: Sweden at a glance – headline figures, map and ranking."""

import streamlit as st

from kompass import queries
from kompass.present import maps, means, overview, partial, tables
from kompass.present.strings import num
from kompass.ui import cache
from kompass.ui.common import (
    chart,
    current_db,
    empty_state,
    first_screen_only,
    leave_v1_mode,
    load_evaluations,
    plain,
    rest_follows,
    source_text,
)

leave_v1_mode()
db = current_db()
evals = load_evaluations(db)
st.title(overview.TITLE)
st.write(overview.INTRO)
if evals is None or evals.empty:
    empty_state(overview.EMPTY_WHAT)
    st.stop()

mean_options = means.named_means(cache.mean_options(db, "2020"))
refs = mean_options[mean_options.key == means.default_key(mean_options)]
cols = st.columns(4)
cols[0].metric(overview.EVALUATIONS, num(len(evals)))
cols[1].metric(overview.MUNICIPALITIES, overview.municipalities_value(evals))
cols[2].metric(overview.YEARS, overview.years_value(evals))
if not refs.empty:
    cols[3].metric(overview.MEAN, num(refs.total.iloc[0]), help=plain(refs.source.iloc[0]))
    cols[3].caption(plain(refs.label.iloc[0]))

frame = cache.map_frame(db)
options = maps.search_options(frame)
chosen = st.selectbox(
    maps.SEARCH_LABEL,
    list(options),
    index=None,
    format_func=options.__getitem__,  # options are shown as text, not Markdown
    placeholder=maps.SEARCH_PLACEHOLDER,
    key="search_kommun",
)
if chosen:
    st.switch_page("pages/profil.py", query_params={"kommun": chosen})

left, right = st.columns([1, 1])
with left:
    event = chart(
        # The colours first; the hover and click targets follow with the rest of the page.
        maps.national_map(frame, hover=not first_screen_only()),
        maps.alt_text(frame),
        source_text(partial.report_files(evals), partial.with_published(frame, overview.MAP_NOTE)),
        key="map",
        on_select="rerun",
        selection_mode="points",
        config={"scrollZoom": False},
    )
    picked = maps.clicked_code(event.selection.points if event and event.selection else [])
    if picked in options:
        st.switch_page("pages/profil.py", query_params={"kommun": picked})
    # The first screen's chart first: the ranking and the tables follow in a second run.
    rest_follows()

ranked = queries.ranking(evals)
wide = cache.scores_wide(db, [int(i) for i in ranked.evaluation_id])
table = tables.ranking_table(ranked, wide)
with right:
    st.header(overview.RANKING_HEADING)
    st.dataframe(
        # The link before the long texts: in a half-width grid it stays in view at 1280 px.
        tables.formatted(table[["Kommun", "År", "Total", "Profil", "Placering", tables.SOURCE]]),
        hide_index=True,
        width="stretch",
        height=38 + 35 * min(len(table), 14),
        column_config={
            "Profil": st.column_config.LinkColumn(overview.PROFILE, display_text=overview.OPEN),
            "Total": st.column_config.TextColumn(overview.TOTAL),
        },
    )
    st.caption(plain(overview.ranking_note(ranked)))

st.header(overview.AREAS_HEADING)
area_cols = {
    f"O{a}": st.column_config.ProgressColumn(
        f"O{a}",
        min_value=0,
        max_value=100,
        format="%.0f",
        help=overview.area_help(a),
        width="small",
    )
    for a in queries.AREAS
}
st.dataframe(
    tables.formatted(
        tables.whole(table.drop(columns=["Placering", tables.SOURCE]), list(area_cols)),
        keep=list(area_cols),
    ),
    hide_index=True,
    width="stretch",
    height=38 + 35 * min(len(table), 15),
    column_config={
        "Profil": st.column_config.LinkColumn(overview.PROFILE, display_text=overview.OPEN),
        **area_cols,
    },
)
st.caption(
    overview.areas_note(table)
    + " "
    + source_text(partial.report_files(ranked), partial.with_published(ranked))
)
with st.expander(overview.MAPPING_EXPANDER):
    st.dataframe(cache.framework_mapping(db), hide_index=True)
