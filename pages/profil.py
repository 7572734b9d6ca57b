"""Kommunprofil: one evaluation against the mean and the previous evaluation."""

import re

import pandas as pd
import streamlit as st

from kompass import queries
from kompass.present import charts, printout, tables
from kompass.present.strings import DISCREPANCY, KIND, num, signed
from kompass.ui import cache, widgets
from kompass.ui.common import (
    current_db,
    empty_state,
    evaluation_sentence,
    evaluators_sentence,
    leave_v1_mode,
    load_evaluations,
    plain,
    plain_table,
    source_text,
)

leave_v1_mode()
db = current_db()
evals = load_evaluations(db)
st.title("Kommunprofil")
if evals is None or evals.empty:
    empty_state("en kommunprofil")
    st.stop()

code = widgets.municipality_picker(evals)
year = widgets.year_picker(evals, code)
row = widgets.evaluation_row(evals, code, year)
colors = charts.color_map(list(evals.code))
color = colors[code]
names = cache.query("area_names", db, row.framework)
mean = widgets.mean_picker(db, row.framework)
prev = queries.previous_evaluation(evals, code, year)
imported = row.origin == "import"

st.header(f"{plain(row['name'])} {row.year}")
st.markdown(
    f"{plain(row.county_name)} · kommungrupp {plain(row.kommungrupp_code)} "
    f"{plain(row.kommungrupp_name)} · {num(row.population)} invånare "
    f"({row.population_year}, källa: SCB via Kolada)"
)
st.caption(evaluation_sentence(row) + " " + evaluators_sentence(row))

scores = cache.query("scores_wide", db, [int(row.evaluation_id)])
if row.n_areas < 8:
    st.info("För den här utvärderingen finns bara totalpoängen, inte poäng per område.")
    st.metric("Total (av 800)", num(row.total))
    st.stop()
values = [float(v) for v in scores.loc[row.evaluation_id]]
cols = st.columns(3)
cols[0].metric(
    "Total (av 800)",
    num(row.total),
    delta=None
    if mean is None or mean.total is None
    else f"{signed(row.total - mean.total, minus='-')} mot medel",
)
if mean is not None:
    cols[1].metric("Medelvärde (av 800)", num(mean.total), help=plain(mean.source))
    cols[1].caption(plain(mean.label))
if prev is not None:
    cols[2].metric(
        f"Förra utvärderingen ({prev.year})",
        num(prev.total),
        delta=f"{signed(row.total - prev.total, minus='-')} sedan dess",
    )

st.subheader("Profil per område")
show = st.columns(2)
with_mean = show[0].toggle("Visa medelvärde", value=mean is not None, disabled=mean is None)
has_prev = prev is not None and prev.n_areas == 8
with_prev = show[1].toggle("Visa förra utvärderingen", value=has_prev, disabled=not has_prev)
series = [charts.Series(f"{row['name']} {row.year}", values, color, fill=True)]
if with_mean and mean is not None:
    series.append(charts.Series(mean.label, list(mean.scores), charts.MEAN_COLOR, dash="dash"))
before = None
if prev is not None and prev.n_areas == 8:
    before = cache.query("scores_wide", db, [int(prev.evaluation_id)]).loc[prev.evaluation_id]
if with_prev and before is not None:
    series.append(charts.Series(f"{row['name']} {prev.year}", list(before), color, dash="dot"))
table = tables.area_table(
    [n if len(n) <= 24 else n[:23] + "…" for n in names],
    values,
    None if mean is None else list(mean.scores),
    list(before) if with_prev and before is not None else None,
)
left, right = st.columns([3, 2])
with left:
    st.plotly_chart(charts.radar_figure(series, names), key="radar")
with right:
    # A static table: the eight rows fit, and it is lighter for the browser than a grid.
    st.table(plain_table(tables.formatted(table).set_index("Område")))
caption_extra = "" if mean is None else f"Medelvärde: {plain(mean.source)}."
st.caption(source_text([row.file_name], caption_extra))
st.plotly_chart(
    charts.area_bars_figure(
        values,
        names,
        color,
        f"{row['name']} {row.year}",
        None if mean is None else list(mean.scores),
        "Medel" if mean is None else mean.label,
    ),
    key="area_bars",
)
st.caption(
    source_text(
        [row.file_name],
        "Staplarna visar poängen, strecket medelvärdet; "
        "talet inom parentes är skillnaden mot medelvärdet.",
    )
)

st.subheader("Delområden, andel av maxpoäng")
subs = cache.query("subarea_scores", db, int(row.evaluation_id))
if subs.empty:
    st.info(
        "Delområdespoäng saknas för den här utvärderingen"
        + (" (ett importerat resultat har bara poäng per område)." if imported else ".")
    )
else:
    st.plotly_chart(charts.subarea_figure(subs, color), key="subareas")
    st.caption(source_text([row.file_name], "Tabellen 'Översikt av poängfördelning'."))

st.subheader("Styrkor och förbättringsmöjligheter")
found = cache.query("findings", db, int(row.evaluation_id))
if found.empty and imported:
    st.info(
        "Ett importerat resultat har inga styrkor eller förbättringsmöjligheter; "
        "de står bara i utvärderingsrapporterna."
    )
for area, name in enumerate(names, start=1):
    with st.expander(f"{area} {plain(name)} – {num(values[area - 1])} poäng"):
        cols = st.columns(3)
        for col, kind in zip(cols, KIND, strict=True):
            items = found[(found.area == area) & (found.kind == kind)].text
            col.markdown(f"**{KIND[kind]}**")
            col.markdown("\n".join(f"- {plain(t)}" for t in items) or "–")

st.subheader("Motsägelser i rapporten")
disc = cache.query("discrepancies", db, int(row.evaluation_id))
if disc.empty:
    st.write(
        "Det importerade resultatets siffror stämmer överens med varandra."
        if imported
        else "Rapportens siffror stämmer överens med varandra."
    )
else:
    st.write(
        "Där rapporten anger olika värden för samma sak används delområdestabellens "
        "delsumma (regeln: delsumma, annars sammanfattningstabell, annars områdets 'Poäng')."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Område": disc.area.map(lambda a: "Totalt" if pd.isna(a) else str(int(a))),
                "Vad": disc.kind.map(DISCREPANCY),
                "Angivet": disc.stated.map(num),
                "Använt": disc.chosen.map(num),
                "Rad i rapporten": disc.line,
            }
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader("Dela resultatet")
with st.container(border=True):
    st.write(
        "En sida att skriva ut eller skicka (HTML, fungerar utan internet, A4) med resultatet i "
        "meningar, och spindeldiagrammet som bild för presentationer."
    )
    mean_key = None if mean is None else str(mean.key)
    flag = f"printout:{row.evaluation_id}:{mean_key}"
    if st.button("Skapa sammanfattning och bild", key="make_printout"):
        st.session_state[flag] = True
    if st.session_state.get(flag):
        try:
            with st.spinner("Ritar diagrammen …"):
                page_html = cache.summary_html(db, code, int(row.year), mean_key)
                png = cache.radar_png(db, code, int(row.year), mean_key)
        except printout.PrintoutError as exc:
            st.error(plain(exc))
        else:
            base = f"kommunkompassen-{code}-{row.year}"
            cols = st.columns(2)
            cols[0].download_button(
                "Ladda ner sammanfattning (HTML)",
                page_html.encode("utf-8"),
                file_name=f"{base}-sammanfattning.html",
                mime="text/html",
                key="dl_summary",
            )
            cols[1].download_button(
                "Ladda ner spindeldiagram (PNG)",
                png,
                file_name=f"{base}-spindel.png",
                mime="image/png",
                key="dl_png",
            )

slug = re.sub(r"[^\w-]+", "-", row["name"].lower())  # a stored name is no file name
st.download_button(
    "Ladda ner områdespoängen (CSV)",
    table.to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig"),
    file_name=f"kommunkompassen-{slug}-{row.year}.csv",
    mime="text/csv",
)
