"""Styrkor och förbättringar: search every finding across reports."""

import streamlit as st

from kompass import queries
from kompass.present import tables
from kompass.present.strings import KIND, num
from kompass.ui import cache, urlstate
from kompass.ui.common import (
    current_db,
    empty_state,
    highlight,
    leave_v1_mode,
    load_evaluations,
    plain,
)

leave_v1_mode()
db = current_db()
evals = load_evaluations(db)
st.title("Styrkor och förbättringar")
st.write("Sök bland utvärderarnas styrkor och förbättringsmöjligheter i alla rapporter.")
if evals is None or evals.empty:
    empty_state("sökningen")
    st.stop()

q = st.text_input(
    "Sök efter ord",
    value=st.query_params.get("q", ""),
    key="w_q",
    placeholder="t.ex. medborgardialog, digitalisering, internkontroll",
)
urlstate.write_param("q", q.strip() or None, None)
names_2020 = cache.area_names(db, "2020")
names_2010 = cache.area_names(db, "2010")
area_options = ["alla", *[str(a) for a in queries.AREAS]]


def area_label(value: str) -> str:
    if value == "alla":
        return "Alla områden"
    a = int(value)
    return f"Område {a}: {names_2020[a - 1]} (2020) / {names_2010[a - 1]} (2010)"


cols = st.columns([3, 2])
area = urlstate.select(
    "Område", area_options, "omrade", "alla", format_func=area_label, container=cols[0]
)
kind = urlstate.select(
    "Typ",
    ["alla", *KIND],
    "typ",
    "alla",
    format_func=lambda k: "Alla typer" if k == "alla" else KIND[k],
    container=cols[1],
)
munis = dict(zip(evals.code, evals.name, strict=False))
chosen = st.sidebar.multiselect(
    "Kommuner",
    sorted(munis, key=munis.get),
    format_func=munis.get,
    key="w_fynd_kommuner",
    placeholder="Alla kommuner",
)
low, high = int(evals.year.min()), int(evals.year.max())
years = st.sidebar.slider("År", low, high, (low, high)) if low < high else (low, high)

found = cache.findings_page(
    db,
    q,
    None if area == "alla" else int(area),
    None if kind == "alla" else kind,
    chosen or None,
    years,
)
st.markdown(f"**{num(found.n_hits)} träffar** i {num(found.n_evaluations)} utvärderingar")
if found.hits.empty:
    st.info("Inga träffar. Pröva ett kortare ord eller ta bort ett filter.")
    st.stop()

counts = found.counts.rename(columns=KIND)
counts.index = [f"Område {a}" for a in counts.index]
with st.expander("Antal träffar per område och typ"):
    st.dataframe(tables.grid(counts), width="stretch")

hits = found.hits
if len(hits) < found.n_hits:
    st.caption(
        f"Visar {num(len(hits))} av {num(found.n_hits)} träffar, i de första "
        f"{num(found.n_shown_evaluations)} av {num(found.n_evaluations)} utvärderingarna "
        "(i bokstavsordning). Förfina sökningen med ett ord, ett område, en typ eller "
        "kommuner för att se resten; alla fynd finns också att ladda ner på sidan Data."
    )
for (name, year, file_name), group in hits.groupby(["name", "year", "file_name"], sort=False):
    n_hits = f"{num(len(group))} träff" + ("ar" if len(group) != 1 else "")
    with st.expander(f"{plain(name)} {year} – {n_hits}", expanded=found.n_hits <= 40):
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
        st.caption(f"Källa: Kommunkompassen, SKR; rapport {plain(file_name)}")
