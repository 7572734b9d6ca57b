"""Lär av andra: the municipality's weakest areas and who does best there."""

import streamlit as st

from kompass import queries
from kompass.present import role_models
from kompass.ui import cache, widgets
from kompass.ui.common import (
    current_db,
    empty_state,
    leave_v1_mode,
    load_evaluations,
    plain,
    source_text,
)

leave_v1_mode()
db = current_db()
evals = load_evaluations(db)
st.title(role_models.TITLE)
st.write(role_models.INTRO)
if evals is None or evals.empty:
    empty_state(role_models.EMPTY_WHAT)
    st.stop()

latest = queries.latest_evaluations(evals)
if latest.empty:
    st.info(role_models.NO_AREA_SCORES)
    st.stop()
code = widgets.municipality_picker(latest)
row = latest[latest.code == code].iloc[0]
names = cache.area_names(db, row.framework)
scores = list(cache.scores_wide(db, [int(row.evaluation_id)]).loc[row.evaluation_id])
n_peers = int((latest.framework == row.framework).sum()) - 1
st.caption(
    role_models.base_caption(plain(row["name"]), row.year, row.framework, row.origin, n_peers)
)
if n_peers == 0:
    st.info(role_models.NO_PEERS)
    st.stop()

st.header(role_models.WEAKEST_HEADING)
for area, name, score in queries.weakest_areas(scores, names, 3):
    models = cache.role_models(db, int(row.evaluation_id), area, 3)
    with st.container(border=True):
        st.markdown(
            f"**{area} {plain(name)}** – " + role_models.score_text(plain(row["name"]), score)
        )
        if models.empty:
            st.write(role_models.NO_OTHER_SCORES)
        for m in models.itertuples():
            st.markdown(role_models.model_line(plain(m.name), m.year, m.score, m.score - score))
            items = "\n".join(f"- {plain(t)}" for t in m.strengths)
            st.markdown(items or f"- {role_models.no_strengths(m.origin, m.published)}")
        st.caption(source_text([row.file_name, *list(models.file_name)]))

st.header(role_models.SUBAREAS_HEADING)
subs = cache.weakest_subareas(db, int(row.evaluation_id), 5)
if subs.empty:
    # An imported result (area scores only) has no sub-areas to rank.
    st.info(role_models.no_subareas_text(plain(row["name"]), row.year, row.origin))
    st.caption(source_text([row.file_name]))
    st.stop()
st.dataframe(
    role_models.subarea_table(subs),
    hide_index=True,
    width="stretch",
    column_config={
        role_models.SHARE: st.column_config.ProgressColumn(
            role_models.SHARE_LABEL, min_value=0, max_value=100, format="%.0f"
        )
    },
)
st.caption(role_models.SUBAREAS_NOTE + source_text([row.file_name]))
