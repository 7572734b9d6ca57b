"""Översikt: Sweden at a glance – headline figures, map and ranking."""

import streamlit as st

from kompass import queries
from kompass.present import tables
from kompass.present.strings import num
from kompass.ui import cache
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
st.title("Kommunkompassen – Sverige i överblick")
st.write(
    "SKR:s Kommunkompass utvärderar hur en kommun styrs och leds i åtta områden. Här står "
    "utvärderingarna sida vid sida: klicka på en kommun på kartan eller i tabellen för dess profil."
)
if evals is None or evals.empty:
    empty_state("översikten")
    st.stop()

means = tables.mean_labels(cache.query("mean_options", db, "2020"))
refs = means[means.kind == queries.REFERENCE_KIND]
cols = st.columns(4)
cols[0].metric("Utvärderingar", len(evals))
cols[1].metric("Kommuner", f"{evals.code.nunique()} av 290")
cols[2].metric("År", f"{evals.year.min()}–{evals.year.max()}")
if not refs.empty:
    cols[3].metric(
        "Referensmedel (av 800)", num(refs.total.iloc[-1]), help=plain(refs.source.iloc[-1])
    )
    cols[3].caption(plain(refs.label.iloc[-1]))

left, right = st.columns([1, 1])
with left:
    event = st.plotly_chart(
        cache.map_figure(db),
        key="map",
        on_select="rerun",
        selection_mode="points",
        config={"scrollZoom": False, "displayModeBar": False},
    )
    st.caption(
        source_text(
            list(evals.file_name),
            "Grå: ingen utvärdering i databasen. Kartgränser: okfse/sweden-geojson (förenklade).",
        )
    )
    points = event.selection.points if event and event.selection else []
    picked = [p["customdata"][0] for p in points if p.get("customdata")]
    if picked:
        st.switch_page("pages/profil.py", query_params={"kommun": picked[0]})

ranked = queries.ranking(evals)
wide = cache.query("scores_wide", db, [int(i) for i in ranked.evaluation_id])
table = tables.ranking_table(ranked, wide)
with right:
    st.subheader("Placering, senaste utvärdering per kommun")
    st.dataframe(
        table[["Kommun", "År", "Total", "Placering", "Profil"]],
        hide_index=True,
        width="stretch",
        height=38 + 35 * min(len(table), 14),
        column_config={
            "Profil": st.column_config.LinkColumn("Profil", display_text="Öppna"),
            "Total": st.column_config.NumberColumn("Total (av 800)", format="%.1f"),
        },
    )
    st.caption(
        "Placeringen jämför bara utvärderingar inom samma ramverksgeneration och gäller per "
        "det senaste året i databasen."
    )

st.subheader("Poäng per område")
area_cols = {
    f"O{a}": st.column_config.ProgressColumn(
        f"O{a}",
        min_value=0,
        max_value=100,
        format="%.0f",
        help=f"Område {a} (0–100); namnet beror på ramverket",
        width="small",
    )
    for a in queries.AREAS
}
st.dataframe(
    table.drop(columns=["Placering"]),
    hide_index=True,
    width="stretch",
    height=38 + 35 * min(len(table), 15),
    column_config={
        "Profil": st.column_config.LinkColumn("Profil", display_text="Öppna"),
        "Total": st.column_config.NumberColumn("Total", format="%.1f"),
        **area_cols,
    },
)
st.caption("O1–O8 är områdena 1–8. " + source_text(list(ranked.file_name)))
with st.expander("Områdenas namn i de två ramverksgenerationerna"):
    st.dataframe(cache.query("framework_mapping", db), hide_index=True)
