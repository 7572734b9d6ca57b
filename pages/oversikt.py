"""Översikt: what is in the store, with links to every profile."""

import streamlit as st

from kompass.strings import ORIGIN, num, source_caption
from kompass.ui.common import current_db, empty_state, leave_v1_mode, load_evaluations

leave_v1_mode()
db = current_db()
evals = load_evaluations(db)
st.title("Kommunkompassen – alla utvärderingar")
st.write(
    "Här står kommunernas utvärderingar enligt SKR:s Kommunkompass sida vid sida. "
    "Välj en kommun för dess profil, jämför med grannar eller följ utvecklingen över tid."
)
if evals is None or evals.empty:
    empty_state("översikten")
    st.stop()

cols = st.columns(4)
cols[0].metric("Utvärderingar", len(evals))
cols[1].metric("Kommuner", evals.code.nunique())
cols[2].metric("År", f"{evals.year.min()}–{evals.year.max()}")
cols[3].metric("Rapporter", evals[evals.origin == "report"].file_name.nunique())

table = evals.sort_values(["name", "year"]).assign(
    Profil=lambda d: "/profil?kommun=" + d.code + "&ar=" + d.year.astype(str),
    Total=lambda d: d.total.map(num),
    Ursprung=lambda d: d.origin.map(ORIGIN),
    Ramverk=lambda d: d.framework + "-serien",
)[["name", "code", "year", "Total", "Ramverk", "Ursprung", "file_name", "Profil"]]
st.dataframe(
    table.rename(columns={"name": "Kommun", "code": "Kod", "year": "År", "file_name": "Källa"}),
    hide_index=True,
    width="stretch",
    column_config={"Profil": st.column_config.LinkColumn("Profil", display_text="Öppna profil")},
)
st.caption(source_caption(list(evals.file_name)))
