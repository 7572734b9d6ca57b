"""Jämför: a base municipality against neighbours, nearest, county, group or a hand-picked set.

The chosen mean is a series on every chart and a column of the difference
table; colours are per chart (`charts.series_styles`), the same on every chart
of the page; words from `kompass.present.compare`.
"""

import streamlit as st

from kompass import queries
from kompass.present import charts, compare, tables
from kompass.present.strings import CAVEAT_GENERATIONS, PRESETS, signed
from kompass.ui import cache, urlstate, widgets
from kompass.ui.common import (
    chart,
    current_db,
    empty_state,
    leave_v1_mode,
    load_evaluations,
    plain,
    rest_follows,
    source_text,
    text_table,
)

leave_v1_mode()

# The base and five peers in colour on the radar and the bars; the heatmap and the
# totals show everyone (peers beyond five would only be light grey there).
SHOWN_MAX = 1 + len(charts.PEER_COLORS)

db = current_db()
evals = load_evaluations(db)
st.title(compare.TITLE)
if evals is None or evals.empty:
    empty_state(compare.EMPTY_WHAT)
    st.stop()

latest = queries.latest_evaluations(evals)
if latest.empty:
    st.info(compare.NO_AREA_SCORES)
    st.stop()
code = widgets.municipality_picker(latest, label=compare.BASE_LABEL)
names_by_code = dict(zip(latest.code, latest.name, strict=False))
others = [c for c in sorted(names_by_code, key=names_by_code.get) if c != code]

url_med = urlstate.split_codes(st.query_params.get("med"), others)
preset_default = "egna" if url_med else "grannar"
preset = urlstate.select(
    compare.PRESET_LABEL, list(PRESETS), "urval", preset_default, format_func=PRESETS.get
)
k = 5
chosen: list[str]
if preset == "egna":
    chosen = st.sidebar.multiselect(
        compare.CHOSEN_LABEL,
        others,
        default=url_med or others[:3],
        format_func=names_by_code.get,
        key="w_med",
    )
    urlstate.write_param("med", ",".join(chosen) or None, None)
else:
    urlstate.write_param("med", None, None)
    chosen = list(cache.peers(db, code, preset, k).code)
    if not chosen:
        st.info(compare.no_peers_text(plain(names_by_code[code]), preset))
        county = list(cache.peers(db, code, "lan", k).code)
        if county and preset != "lan":
            st.page_link(
                "pages/jamfor.py",
                label=compare.county_link_label([plain(names_by_code[c]) for c in county]),
                query_params={"kommun": code, "urval": "lan"},
                icon=":material/arrow_forward:",
            )
        chosen = list(cache.peers(db, code, "narmast", 4).code)

map_generations = st.sidebar.toggle(
    compare.GENERATIONS_LABEL, value=True, help=compare.GENERATIONS_HELP
)

ids = [int(latest[latest.code == c].evaluation_id.iloc[0]) for c in [code, *chosen]]
base = latest[latest.code == code].iloc[0]
asked_year = urlstate.url_value("ar")
if asked_year and asked_year != str(base.year):
    # The comparison is of latest evaluations: a link naming another year says so.
    st.info(plain(compare.latest_only_text(str(base["name"]), asked_year, int(base.year))))
mean = widgets.mean_picker(db, base.framework)
scores = cache.comparable_scores(db, ids, base.framework, map_generations)
if scores.empty:
    st.info(compare.NOTHING_TO_COMPARE)
    st.stop()
scores["label"] = scores.name + " " + scores.year.astype(str)
area_names = cache.area_names(db, base.framework)
codes = list(dict.fromkeys(scores.code))
# One style per series for the whole page: the same municipality, the same colour.
styles = charts.series_styles(code, codes[1:], with_mean=mean is not None)
mean_scores = None if mean is None else list(mean.scores)
mean_name = None if mean is None else str(mean.label)
mean_legend = None if mean is None else str(mean.legend)  # the short name in legends
mean_source = None if mean is None else str(mean.source)
dropped = sorted(set(names_by_code[c] for c in chosen) - set(scores.name))
if dropped:
    st.caption(plain(compare.dropped_text(dropped)))
if scores.mapped.any():
    st.warning(CAVEAT_GENERATIONS)
labels = list(dict.fromkeys(scores.label))
st.markdown(f"**{compare.COMPARED}** " + plain(", ".join(labels)))
if mean is not None:
    st.markdown(plain(compare.mean_note(mean_name, mean_source)))
wide = scores.pivot_table(index="label", columns="area", values="score").reindex(labels)
code_of = dict(zip(scores.label, scores.code, strict=False))
radar = [
    charts.Series.styled(label, list(wide.loc[label]), styles[code_of[label]], fill=i == 0)
    for i, label in enumerate(labels[:SHOWN_MAX])
]
if mean is not None:
    radar.append(charts.Series.styled(mean_legend, mean_scores, styles[charts.MEAN_KEY]))
files = list(evals[evals.evaluation_id.isin(ids)].file_name)
source = source_text(files, compare.YEAR_NOTE)

with_mean = mean is not None
left, right = st.columns([3, 2])
with left:
    chart(
        charts.radar_figure(radar, area_names, numbered=True),
        compare.radar_alt(labels[:SHOWN_MAX], with_mean),
        source,
        key="cmp_radar",
    )
    # The first screen's chart first: the rest of the page follows in a second run.
    rest_follows()
    if len(labels) > SHOWN_MAX:
        st.caption(compare.radar_limit_text(SHOWN_MAX))
with right:
    st.markdown(f"**{compare.AREAS_HEADING}**")
    text_table(compare.area_legend(area_names))

st.markdown(f"**{compare.difference_heading(plain(labels[0]))}**")
diff = tables.difference_table(wide, area_names, mean_scores)
# On a phone the wide table would scroll sideways: there its long twin shows (CSS).
with st.container(key="diff_wide"):
    text_table(diff.map(signed))
with st.container(key="diff_long"):
    text_table(compare.difference_long(diff))
st.caption(compare.DIFFERENCE_NOTE)

chart(
    charts.grouped_bars_figure(
        scores[scores.label.isin(labels[:SHOWN_MAX])],
        area_names,
        styles=styles,
        mean=mean_scores,
        mean_name=mean_legend or "",
    ),
    compare.bars_alt(labels[:SHOWN_MAX], with_mean),
    source,
    key="cmp_bars",
)
chart(
    charts.heatmap_figure(wide, area_names, mean=mean_scores, mean_name=compare.MEAN_ROW),
    compare.heatmap_alt(with_mean),
    source,
    key="cmp_heatmap",
)

st.header(compare.TOTALS_HEADING)
totals = latest[latest.code.isin(codes)].assign(label=lambda t: t.name + " " + t.year.astype(str))
mean_total = None if mean is None else mean.total
chart(
    charts.totals_figure(totals[["code", "label", "total"]], code, mean_total, mean_legend or ""),
    compare.totals_alt(labels[0], mean_total),
    source,
    key="cmp_totals",
)
with st.expander(compare.MAPPING_EXPANDER):
    st.dataframe(cache.framework_mapping(db), hide_index=True)
