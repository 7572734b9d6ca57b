"""Lär av andra: the municipality's weakest areas and who does best there."""

import streamlit as st

from kompass import queries
from kompass.present.strings import ORIGIN, num
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
st.title("Lär av andra")
st.write(
    "Rapporterna själva föreslår det: hitta kommuner som lyckats där ni är svagast och läs "
    "vad utvärderarna lyfte fram som deras styrkor."
)
if evals is None or evals.empty:
    empty_state("förebilder")
    st.stop()

latest = queries.latest_evaluations(evals)
if latest.empty:
    st.info("Ingen utvärdering har poäng per område ännu.")
    st.stop()
code = widgets.municipality_picker(latest)
row = latest[latest.code == code].iloc[0]
names = cache.area_names(db, row.framework)
scores = list(cache.scores_wide(db, [int(row.evaluation_id)]).loc[row.evaluation_id])
n_peers = int((latest.framework == row.framework).sum()) - 1
st.caption(
    f"Utgår från {plain(row['name'])}s senaste utvärdering med poäng per område ({row.year}, "
    f"{row.framework}-ramverket, {ORIGIN[row.origin]}). Jämförs med den senaste utvärderingen "
    f"av {n_peers} andra kommuner i samma ramverksgeneration."
)
if n_peers == 0:
    st.info("Det finns inga andra utvärderade kommuner i samma ramverksgeneration ännu.")
    st.stop()

st.header("Svagaste områden")
for area, name, score in queries.weakest_areas(scores, names, 3):
    models = cache.role_models(db, int(row.evaluation_id), area, 3)
    with st.container(border=True):
        st.markdown(f"**{area} {plain(name)}** – {plain(row['name'])}: {num(score)} poäng")
        if models.empty:
            st.write("Ingen annan kommun har poäng i det här området.")
        for m in models.itertuples():
            better = m.score - score
            verdict = f"{num(better)} poäng högre" if better > 0 else "inte högre"
            st.markdown(f"{plain(m.name)} {m.year}: {num(m.score)} poäng ({verdict})")
            # Imported results carry scores only: no report, so no strengths to quote.
            none = "(importerat resultat, ingen rapporttext)" if m.origin == "import" else None
            items = "\n".join(f"- {plain(t)}" for t in m.strengths)
            st.markdown(items or f"- {none or '(inga styrkor angivna)'}")
        st.caption(source_text([row.file_name, *list(models.file_name)]))

st.header("Svagaste delområden, andel av maxpoäng")
subs = cache.weakest_subareas(db, int(row.evaluation_id), 5)
if subs.empty:
    # An imported result (area scores only) has no sub-areas to rank.
    st.info(
        f"Delområdespoäng saknas för {plain(row['name'])}s utvärdering {row.year} "
        f"({ORIGIN[row.origin]}), så de svagaste delområdena kan inte visas. "
        "Förebilderna per område ovan bygger på områdespoängen."
    )
    st.caption(source_text([row.file_name]))
    st.stop()
table = subs.assign(
    Delområde=subs.code + " " + subs.name,
    Andel=subs.pct.round(0),
    Poäng=subs.score.map(num) + " av " + subs["max"].map(num),
    Bäst=[
        "–" if b is None or b != b else f"{n} {int(y)}: {num(p, 0)} %"
        for b, n, y, p in zip(
            subs.best_code, subs.best_name, subs.best_year, subs.best_pct, strict=True
        )
    ],
)[["Delområde", "Poäng", "Andel", "Bäst"]]
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "Andel": st.column_config.ProgressColumn(
            "Andel (%)", min_value=0, max_value=100, format="%.0f"
        )
    },
)
st.caption(
    "Delområden jämförs bara när både kod och namn stämmer, eftersom delområdena ändrats "
    "mellan åren. " + source_text([row.file_name])
)
