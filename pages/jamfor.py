"""Jämför: a base municipality against neighbours, nearest, county, group or a hand-picked set."""

import streamlit as st

from kompass import queries
from kompass.present import charts, tables
from kompass.present.strings import CAVEAT_GENERATIONS, PRESETS, signed
from kompass.ui import cache, urlstate, widgets
from kompass.ui.common import (
    current_db,
    empty_state,
    leave_v1_mode,
    load_evaluations,
    plain,
    plain_table,
    source_text,
)

leave_v1_mode()

RADAR_MAX = 5

db = current_db()
evals = load_evaluations(db)
st.title("Jämför kommuner")
if evals is None or evals.empty:
    empty_state("en jämförelse")
    st.stop()

latest = queries.latest_evaluations(evals)
if latest.empty:
    st.info("Ingen utvärdering har poäng per område ännu; jämförelsen behöver sådana.")
    st.stop()
code = widgets.municipality_picker(latest, label="Baskommun")
names_by_code = dict(zip(latest.code, latest.name, strict=False))
others = [c for c in sorted(names_by_code, key=names_by_code.get) if c != code]

url_med = urlstate.split_codes(st.query_params.get("med"), others)
preset_default = "egna" if url_med else "grannar"
preset = urlstate.select(
    "Jämför med", list(PRESETS), "urval", preset_default, format_func=PRESETS.get
)
k = 5
chosen: list[str]
if preset == "egna":
    chosen = st.sidebar.multiselect(
        "Kommuner",
        others,
        default=url_med or others[:3],
        format_func=names_by_code.get,
        key="w_med",
    )
    urlstate.write_param("med", ",".join(chosen) or None, None)
else:
    urlstate.write_param("med", None, None)
    chosen = list(cache.query("peers", db, code, preset, k).code)
    if not chosen:
        base_name = plain(names_by_code[code])
        st.info(
            f"Ingen av {base_name}s {PRESETS[preset].lower()} har någon utvärdering i databasen. "
            "Här visas i stället de närmaste utvärderade kommunerna."
        )
        county = list(cache.query("peers", db, code, "lan", k).code)
        if county and preset != "lan":
            st.page_link(
                "pages/jamfor.py",
                label="Jämför i stället med samma län: "
                + ", ".join(plain(names_by_code[c]) for c in county),
                query_params={"kommun": code, "urval": "lan"},
                icon=":material/arrow_forward:",
            )
        chosen = list(cache.query("peers", db, code, "narmast", 4).code)

map_generations = st.sidebar.toggle(
    "Jämför över ramverksgenerationer",
    value=True,
    help="Utvärderingar från 2010-serien översätts till 2020-seriens områden efter innehåll.",
)

ids = [int(latest[latest.code == c].evaluation_id.iloc[0]) for c in [code, *chosen]]
base = latest[latest.code == code].iloc[0]
scores = cache.query("comparable_scores", db, ids, base.framework, map_generations)
if scores.empty:
    st.info("Inget att jämföra.")
    st.stop()
scores["label"] = scores.name + " " + scores.year.astype(str)
area_names = cache.query("area_names", db, base.framework)
colors = charts.color_map(list(evals.code))
dropped = sorted(set(names_by_code[c] for c in chosen) - set(scores.name))
if dropped:
    st.caption("Utelämnade (annan ramverksgeneration): " + plain(", ".join(dropped)) + ".")
if scores.mapped.any():
    st.warning(CAVEAT_GENERATIONS)
with st.expander("Så översätts områden mellan generationerna"):
    st.dataframe(cache.query("framework_mapping", db), hide_index=True)

labels = list(dict.fromkeys(scores.label))
st.markdown("**Jämförs:** " + plain(", ".join(labels)))
wide = scores.pivot_table(index="label", columns="area", values="score").reindex(labels)
radar = [
    charts.Series(label, list(wide.loc[label]), colors[c], fill=i == 0)
    for i, (label, c) in enumerate(dict(zip(scores.label, scores.code, strict=False)).items())
][:RADAR_MAX]
files = list(evals[evals.evaluation_id.isin(ids)].file_name)
source = source_text(files, "Varje värde gäller året som står efter kommunnamnet.")
left, right = st.columns([3, 2])
with left:
    st.plotly_chart(charts.radar_figure(radar, area_names), key="cmp_radar")
    if len(labels) > RADAR_MAX:
        st.caption(
            f"Spindeldiagrammet visar de {RADAR_MAX} första; alla finns i staplarna och "
            "värmekartan."
        )
with right:
    st.markdown(f"**Skillnad: {plain(labels[0])} minus övriga**")
    diff = tables.difference_table(wide, area_names)
    st.table(plain_table(diff.map(signed)))
    st.caption("Positivt tal: baskommunen har fler poäng.")
st.caption(source)
st.plotly_chart(charts.grouped_bars_figure(scores, area_names, colors), key="cmp_bars")
st.caption(source)
st.plotly_chart(charts.heatmap_figure(wide, area_names), key="cmp_heatmap")
st.caption(source)
