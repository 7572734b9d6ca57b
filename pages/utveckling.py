"""Utveckling: change between two evaluations of the same municipality."""

import streamlit as st

from kompass import queries
from kompass.present import charts, tables
from kompass.present.strings import ORIGIN, change_alt, join_words, num, signed
from kompass.ui import cache, widgets
from kompass.ui.common import (
    chart,
    current_db,
    empty_state,
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
st.title("Utveckling över tid")
if evals is None or evals.empty:
    empty_state("utvecklingen över tid")
    st.stop()

code = widgets.municipality_picker(evals)
mine = evals[(evals.code == code) & (evals.n_areas == 8)].sort_values("year")
name = evals[evals.code == code].name.iloc[0]
totals_only = evals[(evals.code == code) & (evals.n_areas < 8)].sort_values("year")
if not totals_only.empty:
    # Evaluations known by their total only (imports) have no per-area change to draw.
    listed = [
        f"{y} ({num(t)} av 800, {ORIGIN[o]})"
        for y, t, o in totals_only[["year", "total", "origin"]].itertuples(index=False)
    ]
    st.caption(f"Med bara totalpoäng (visas inte i diagrammet): {join_words(listed)}.")
if len(mine) < 2:
    count = "ingen utvärdering" if mine.empty else "bara en utvärdering"
    st.info(
        f"{plain(name)} har {count} med poäng per område i databasen. Här visas "
        "förändringen per område mellan två utvärderingar av samma kommun, jämfört med medelvärdet."
    )
    multi = queries.multi_evaluated(evals)
    if multi:
        # The nearest ten, not a list of hundreds: the picker above holds them all.
        near = cache.nearest(db, code, multi, 10)
        st.write(f"De närmaste av {num(len(multi))} kommuner med två eller fler utvärderingar:")
        for other in near:
            other_name = evals[evals.code == other].name.iloc[0]
            st.page_link(
                "pages/utveckling.py", label=plain(other_name), query_params={"kommun": other}
            )
    st.stop()

years = [int(y) for y in mine.year]
cols = st.columns(2)
first = cols[0].selectbox("Från", years[:-1], index=len(years) - 2, key="w_from")
second = cols[1].selectbox("Till", [y for y in years if y > first], index=0, key="w_to")
before_row = mine[mine.year == first].iloc[0]
after_row = mine[mine.year == second].iloc[0]
wide = cache.scores_wide(db, [int(before_row.evaluation_id), int(after_row.evaluation_id)])
before = list(wide.loc[before_row.evaluation_id])
after = list(wide.loc[after_row.evaluation_id])
area_names = cache.area_names(db, after_row.framework)
mean = widgets.mean_picker(db, after_row.framework)
color = charts.BASE_STYLE.color  # the base municipality, the same on every chart

total_cols = st.columns(3)
total_cols[0].metric(f"Total {first}", num(before_row.total))
total_cols[1].metric(
    f"Total {second}",
    num(after_row.total),
    delta=signed(after_row.total - before_row.total, minus="-"),
)
if mean is not None and mean.total is not None:
    total_cols[2].metric("Medelvärde (av 800)", num(mean.total), help=plain(mean.source))
    total_cols[2].caption(plain(mean.label))

if first < 2020 <= second or before_row.framework != after_row.framework:
    st.warning(
        "Kommunkompassen reviderades 2019/2020 mellan de två utvärderingarna; rapporten säger "
        "själv att resultaten inte är fullt jämförbara. Se förändringen som en riktning, "
        "inte en exakt mätning."
    )
chart(
    charts.dumbbell_figure(
        before,
        after,
        area_names,
        (f"{name} {first}", f"{name} {second}"),
        color,
        None if mean is None else list(mean.scores),
        "Medel" if mean is None else mean.legend,
    ),
    change_alt(
        name, first, second, [a - b for a, b in zip(after, before, strict=True)], area_names
    ),
    source_text(
        sorted({before_row.file_name, after_row.file_name}),
        evaluators_sentence(before_row).replace("Källa", f"{first}, källa"),
    ),
    key="dumbbell",
)
table = tables.change_table(before, after, area_names, None if mean is None else list(mean.scores))
st.table(plain_table(tables.formatted(table).set_index("Område")))
