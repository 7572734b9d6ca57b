"""Read-only questions to the store, answered as pandas DataFrames.

Every function opens a short-lived read-only connection (see STYLE.md: the
app never holds a DuckDB connection between reruns) and names the report
fields behind its columns. Joins that several questions share are views
(`kompass/store/views.sql`: evaluation_detail, area_score_detail,
reference_detail, latest_scored_evaluation, canonical_area). No Streamlit
here; `kompass.ui.cache` wraps these.
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from kompass.store import connect

AREAS = list(range(1, 9))
# Kinds of mean (`mean_options`): stated by SKR in reports' summary tables, imported
# from a CSV file of published means, computed here over the stored evaluations.
STATED_KIND = "stated"
IMPORTED_KIND = "imported"
COMPUTED_KIND = "computed"
REFERENCE_KIND = STATED_KIND  # the old name (present.printout's default mean)


def _frame(db: Path, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    with connect(db, read_only=True) as con:
        return con.execute(sql, params or []).df()


def evaluations(db: Path) -> pd.DataFrame:
    """One row per evaluation with its municipality and provenance.

    Columns: evaluation_id, code, name, county_name, kommungrupp_code,
    kommungrupp_name, population, population_year, year, month, framework,
    origin, evaluation_number, interviewees, evaluators, total (sum of the
    area scores from the sub-area tables, or a stated total; NULL for an import
    that gives neither a total nor all eight areas), n_areas (how many of the
    eight areas have a score: an import may give any subset), file_name (the
    report), source_note (an import's `kalla`: for a published result its URL),
    total_computed (an import gave all eight areas and no total: the total is
    their sum), published (a result from data/published, report.format
    'published').
    """
    return _frame(
        db,
        """
        SELECT d.evaluation_id, d.code, d.name, d.county_code, d.county_name,
               d.kommungrupp_code, d.kommungrupp_name, d.population, d.population_year,
               d.year, d.month, d.framework, d.origin, d.evaluation_number, d.interviewees,
               d.evaluators, d.total, d.source_note, d.file_name, d.sha256, d.format,
               (SELECT count(*) FROM area_score a
                 WHERE a.evaluation_id = d.evaluation_id) AS n_areas,
               d.total_computed, d.published
        FROM evaluation_detail d
        ORDER BY d.name, d.year
        """,
    )


def area_scores(db: Path, evaluation_ids: list[int] | None = None) -> pd.DataFrame:
    """Area scores in long form: one row per evaluation and area.

    Columns: evaluation_id, code, name, year, framework, area, area_name
    (canonical name in the evaluation's generation), score (0–100, chosen by
    the rule in DESIGN.md), line (report line), stated_score, file_name, origin,
    published. Only the areas a source gives have a row (an import may give some).
    """
    where = ""
    params: list[Any] = []
    if evaluation_ids is not None:
        if not evaluation_ids:
            return _frame(db, _AREA_SQL.format(where="WHERE false"))
        where = f"WHERE a.evaluation_id IN ({', '.join('?' for _ in evaluation_ids)})"
        params = [int(i) for i in evaluation_ids]
    return _frame(db, _AREA_SQL.format(where=where), params)


_AREA_SQL = """
    SELECT a.evaluation_id, a.code, a.name, a.year, a.framework,
           a.area, a.area_name, a.score, a.line, a.stated_score, a.file_name, a.origin,
           a.published
    FROM area_score_detail a
    {where}
    ORDER BY a.name, a.year, a.area
"""


def subarea_scores(db: Path, evaluation_id: int) -> pd.DataFrame:
    """Sub-areas of one evaluation ("Översikt av poängfördelning").

    Columns: area, code, name, score (Uppnått), max, pct (score / max, 0–100), line.
    """
    return _frame(
        db,
        """
        SELECT area, code, name, score, max, 100.0 * score / max AS pct, line
        FROM subarea_score WHERE evaluation_id = ?
        ORDER BY area, string_split(code, '.')[2]::INTEGER
        """,
        [int(evaluation_id)],
    )


def findings(db: Path, evaluation_id: int) -> pd.DataFrame:
    """Strengths, partial points and improvements of one evaluation, in report order."""
    return _frame(
        db,
        "SELECT area, kind, ordinal, text FROM finding WHERE evaluation_id = ? "
        "ORDER BY area, kind, ordinal",
        [int(evaluation_id)],
    )


def discrepancies(db: Path, evaluation_id: int) -> pd.DataFrame:
    """Where the report contradicts itself: area, kind, stated, chosen, line, note."""
    return _frame(
        db,
        "SELECT area, kind, stated, chosen, line, note FROM discrepancy "
        "WHERE evaluation_id = ? ORDER BY area NULLS LAST, kind",
        [int(evaluation_id)],
    )


def reference_means(db: Path, framework: str | None = None) -> pd.DataFrame:
    """Reference series (e.g. "Medel 2020-" stated in sala-2023) in long form.

    From the view `reference_detail`. Columns: reference_id, label (as the
    source states it), framework, year (of the series, e.g. 2020 in "Medel
    2020-"), n_municipalities (if stated), total, source_note, file_name,
    format (text|pdf: a report's summary table; csv: an import; published:
    data/published), line, report_name and report_year (the evaluation the report is about; None
    for an import), area, score.
    """
    where = "WHERE s.framework = ?" if framework else ""
    return _frame(
        db,
        f"""
        SELECT s.reference_id, s.label, s.framework, s.year, s.n_municipalities, s.total,
               s.source_note, s.file_name, s.format, s.line, s.report_name, s.report_year,
               c.area, c.score
        FROM reference_detail s
        JOIN reference_score c USING (reference_id)
        {where}
        ORDER BY s.label, s.reference_id, c.area
        """,
        [framework] if framework else [],
    )


def computed_mean(db: Path, framework: str) -> pd.DataFrame:
    """Mean area score over each municipality's latest evaluation in one generation.

    The evaluations are the view `latest_scored_evaluation` (all eight area
    scores; a report's, an import's or one stated in a later report). Columns:
    area, score, n (municipalities), first_year and last_year (of those evaluations).
    """
    return _frame(
        db,
        """
        SELECT a.area, avg(a.score) AS score, count(*) AS n,
               min(l.year) AS first_year, max(l.year) AS last_year
        FROM area_score a
        JOIN latest_scored_evaluation l USING (evaluation_id)
        WHERE l.framework = ?
        GROUP BY a.area ORDER BY a.area
        """,
        [framework],
    )


def mean_options(db: Path, framework: str) -> pd.DataFrame:
    """Every mean that can be shown for a generation: stated, imported, computed.

    Stated: the series SKR states in reports' summary tables ("Medel 2020-"),
    one option per distinct series (the same eight scores and total), with
    n_reports stating it, the latest of them (report_name, report_year) and
    first_year/last_year of those reports; the newest series first. Imported:
    each series imported from a CSV file, with its label, year and source_note.
    Computed: `computed_mean`, with n municipalities.

    Keys stay the same as data is added, for links (`?medel=`): "skr-<fw>"
    for the newest stated series ("skr-<fw>-<year>" for older ones, by the
    year of the last report stating them), "import-<label>-<year>",
    "berakn-<fw>". Columns: MEAN_COLUMNS; scores is a list of 8 (None where
    missing), total the stated total or else the sum. `kompass.present.means`
    names them.
    """
    refs = reference_means(db, framework)
    # Published means (data/published) are imports too: a source, not a report's table.
    from_file = refs.format.isin([IMPORT_FORMAT, PUBLISHED_FORMAT])
    stated = refs[~from_file]
    imported = refs[from_file]
    rows = _stated_options(stated, framework) + _imported_options(imported, framework)
    rows += _computed_option(db, framework)
    # Counts and years as whole numbers, with <NA> where unknown.
    options = pd.DataFrame(rows, columns=MEAN_COLUMNS)
    return options.astype(dict.fromkeys(_COUNT_COLUMNS, "Int64"))


MEAN_COLUMNS = [
    "key", "kind", "series_label", "framework", "year", "n", "n_reports", "report_name",
    "report_year", "first_year", "last_year", "source_note", "scores", "total",
]  # fmt: skip
_COUNT_COLUMNS = ("year", "n", "n_reports", "report_year", "first_year", "last_year")
IMPORT_FORMAT = "csv"  # report.format of an imported file (store.imports.FORMAT)
PUBLISHED_FORMAT = "published"  # report.format of a file loaded from data/published


def _series(refs: pd.DataFrame) -> list[dict[str, Any]]:
    """One dict per reference series: its first row's fields, scores and total."""
    out = []
    for _, group in refs.groupby("reference_id", sort=False):
        first = group.iloc[0]
        scores = _eight(group)
        total = _number(first.total)
        if total is None and None not in scores:
            total = float(sum(s for s in scores if s is not None))
        out.append({**first.to_dict(), "scores": scores, "total": total})
    return out


def _stated_options(refs: pd.DataFrame, framework: str) -> list[dict[str, Any]]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for s in _series(refs):
        groups.setdefault((tuple(s["scores"]), s["total"]), []).append(s)
    options = []
    for same in groups.values():
        latest = max(same, key=lambda s: (_number(s["report_year"]) or 0, s["reference_id"]))
        years = [int(s["report_year"]) for s in same if _number(s["report_year"]) is not None]
        counts = [int(s["n_municipalities"]) for s in same if pd.notna(s["n_municipalities"])]
        options.append(
            {
                "kind": STATED_KIND,
                "series_label": str(latest["label"]),
                "framework": framework,
                "year": _integer(latest["year"]),
                "n": max(counts) if counts else None,
                "n_reports": len({s["reference_id"] for s in same}),
                "report_name": None if pd.isna(latest["report_name"]) else latest["report_name"],
                "report_year": _integer(latest["report_year"]),
                "first_year": min(years) if years else None,
                "last_year": max(years) if years else None,
                "source_note": None,
                "scores": latest["scores"],
                "total": latest["total"],
            }
        )
    options.sort(key=lambda o: (-(o["last_year"] or 0), -o["n_reports"], o["total"] or 0))
    keys: set[str] = set()
    for i, option in enumerate(options):
        base = f"skr-{framework}" if i == 0 else f"skr-{framework}-{option['last_year'] or 0}"
        option["key"] = _unique(base, keys)
    return options


def _imported_options(refs: pd.DataFrame, framework: str) -> list[dict[str, Any]]:
    series = sorted(_series(refs), key=lambda s: (-(_integer(s["year"]) or 0), str(s["label"])))
    keys: set[str] = set()
    options = []
    for s in series:
        year = _integer(s["year"])
        slug = _slug(str(s["label"]))
        base = f"import-{slug}" if year is None or str(year) in slug else f"import-{slug}-{year}"
        options.append(
            {
                "key": _unique(base, keys),
                "kind": IMPORTED_KIND,
                "series_label": str(s["label"]),
                "framework": framework,
                "year": year,
                "n": _integer(s["n_municipalities"]),
                "n_reports": 1,
                "source_note": s["source_note"] if isinstance(s["source_note"], str) else None,
                "scores": s["scores"],
                "total": s["total"],
            }
        )
    return options


def _computed_option(db: Path, framework: str) -> list[dict[str, Any]]:
    own = computed_mean(db, framework)
    if len(own) != len(AREAS):
        return []
    return [
        {
            "key": f"berakn-{framework}",
            "kind": COMPUTED_KIND,
            "framework": framework,
            "n": int(own.n.min()),
            "first_year": int(own.first_year.min()),
            "last_year": int(own.last_year.max()),
            "scores": [float(s) for s in own.score],
            "total": float(own.score.sum()),
        }
    ]


def _slug(label: str) -> str:
    """A label as a URL-safe key part: "Sverigesnitt (SKR) 2022" -> "sverigesnitt-skr-2022"."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:40].rstrip("-") or "medel"


def _unique(key: str, taken: set[str]) -> str:
    """`key`, or `key-2`, `key-3` … if another option already has it."""
    candidate, i = key, 1
    while candidate in taken:
        i += 1
        candidate = f"{key}-{i}"
    taken.add(candidate)
    return candidate


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _integer(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _eight(group: pd.DataFrame) -> list[float | None]:
    by_area = dict(zip(group.area, group.score, strict=False))
    return [None if a not in by_area else float(by_area[a]) for a in AREAS]


def scores_wide(db: Path, evaluation_ids: list[int]) -> pd.DataFrame:
    """Area scores with one row per evaluation and columns 1..8 (NaN if missing)."""
    long = area_scores(db, evaluation_ids)
    if long.empty:
        return pd.DataFrame(columns=AREAS)
    return long.pivot(index="evaluation_id", columns="area", values="score").reindex(columns=AREAS)


def latest_evaluations(evals: pd.DataFrame, with_areas: bool = True) -> pd.DataFrame:
    """The latest evaluation per municipality (with area scores, if asked)."""
    pool = evals[evals.n_areas == 8] if with_areas else evals
    return pool.sort_values("year").groupby("code", as_index=False).tail(1)


def neighbours(db: Path, code: str) -> list[str]:
    """Municipalities sharing a land border with `code` (kompass/domain/data/neighbours.csv)."""
    df = _frame(db, "SELECT neighbour_code FROM neighbour WHERE code = ? ORDER BY 1", [code])
    return list(df.neighbour_code)


def municipalities(db: Path) -> pd.DataFrame:
    """All 290 municipalities with county, kommungrupp, population and centroid."""
    return _frame(db, "SELECT * FROM municipality ORDER BY name")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two centroids."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def peers(db: Path, code: str, preset: str, k: int = 5) -> pd.DataFrame:
    """Evaluated municipalities to compare `code` with.

    preset: grannar (bordering, neighbours.csv), narmast (k nearest by
    centroid distance), lan (same county), kommungrupp (same SKR group).
    Columns: code, name, distance_km; only municipalities with an evaluation
    that has area scores, never `code` itself.
    """
    munis = municipalities(db).set_index("code")
    evaluated = set(latest_evaluations(evaluations(db)).code) - {code}
    if code not in munis.index:
        return pd.DataFrame(columns=["code", "name", "distance_km"])
    base = munis.loc[code]
    if preset == "grannar":
        chosen = [c for c in neighbours(db, code) if c in evaluated]
    elif preset == "lan":
        chosen = [c for c in evaluated if munis.loc[c, "county_code"] == base.county_code]
    elif preset == "kommungrupp":
        chosen = [c for c in evaluated if munis.loc[c, "kommungrupp_code"] == base.kommungrupp_code]
    else:
        chosen = list(evaluated)
    rows = [
        {
            "code": c,
            "name": munis.loc[c, "name"],
            "distance_km": distance_km(
                base.lat, base.lon, munis.loc[c, "lat"], munis.loc[c, "lon"]
            ),
        }
        for c in chosen
    ]
    out = pd.DataFrame(rows, columns=["code", "name", "distance_km"]).sort_values("distance_km")
    return out.head(k) if preset == "narmast" else out


def comparable_scores(
    db: Path, evaluation_ids: list[int], target_framework: str, map_generations: bool
) -> pd.DataFrame:
    """Area scores of several evaluations expressed in one generation's areas.

    A 2010-series evaluation shown against 2020 areas goes through the
    content mapping in kompass/domain/data/frameworks.csv (approximate; SKR: "not fully
    comparable"); with `map_generations` off, other generations are dropped.
    Columns: evaluation_id, code, name, year, framework, area (target),
    area_name (target), score, mapped (bool), source_area; rows in the order
    of `evaluation_ids` (the base first).
    """
    long = area_scores(db, evaluation_ids)
    if long.empty:
        return long.assign(mapped=False, source_area=0)
    names = _canonical_names(db, target_framework)
    mapping = _mapping(db)
    parts = []
    for _, row in long.iterrows():
        area, mapped = int(row.area), False
        if row.framework != target_framework:
            if not map_generations:
                continue
            area = mapping[area] if target_framework == "2020" else _invert(mapping)[area]
            mapped = True
        parts.append(
            {
                **row.to_dict(),
                "source_area": int(row.area),
                "area": area,
                "area_name": names[area],
                "mapped": mapped,
            }
        )
    # In the caller's order (the base municipality first), areas in order.
    order = {int(eid): i for i, eid in enumerate(evaluation_ids)}
    out = pd.DataFrame(parts)
    out["_order"] = out.evaluation_id.map(order)
    return out.sort_values(["_order", "area"], kind="stable").drop(columns="_order")


def _canonical_names(db: Path, framework: str) -> dict[int, str]:
    df = _frame(db, "SELECT area, name FROM canonical_area WHERE framework = ?", [framework])
    return dict(zip(df.area.astype(int), df.name, strict=False))


def area_names(db: Path, framework: str) -> list[str]:
    """Canonical area names 1..8 of a generation, in area order."""
    names = _canonical_names(db, framework)
    return [names[a] for a in AREAS]


def _mapping(db: Path) -> dict[int, int]:
    df = _frame(db, "SELECT area, maps_to_2020_area FROM canonical_area WHERE framework = '2010'")
    return dict(zip(df.area.astype(int), df.maps_to_2020_area.astype(int), strict=False))


def _invert(mapping: dict[int, int]) -> dict[int, int]:
    return {v: k for k, v in mapping.items()}


def framework_mapping(db: Path) -> pd.DataFrame:
    """The cross-generation mapping as a table: 2010 area and name -> 2020 area and name."""
    return _frame(
        db,
        """
        SELECT o.area AS area_2010, o.name AS name_2010, n.area AS area_2020, n.name AS name_2020
        FROM canonical_area o
        JOIN canonical_area n ON n.framework = '2020' AND n.area = o.maps_to_2020_area
        WHERE o.framework = '2010'
        ORDER BY o.area
        """,
    )


def previous_evaluation(evals: pd.DataFrame, code: str, year: int) -> pd.Series | None:
    """The latest evaluation of `code` before `year` (any origin), or None."""
    earlier = evals[(evals.code == code) & (evals.year < year)].sort_values("year")
    return earlier.iloc[-1] if not earlier.empty else None


def multi_evaluated(evals: pd.DataFrame) -> list[str]:
    """Codes of municipalities with two or more evaluations that have area scores."""
    pool = evals[evals.n_areas == 8]
    counts = pool.groupby("code").size()
    return sorted(counts[counts >= 2].index)


def ranking(evals: pd.DataFrame) -> pd.DataFrame:
    """Latest evaluation per municipality ranked by total within its framework generation.

    Evaluations known only by their total (imports) count too. Columns: all
    of `evaluations` plus rank, n_ranked (evaluated municipalities of that
    generation) and as_of (latest year in that generation);
    `kompass.present.strings.rank_text` words it.
    """
    latest = latest_evaluations(evals[evals.total.notna()], with_areas=False).copy()
    if latest.empty:
        return latest.assign(rank=[], n_ranked=[], as_of=[])
    group = latest.groupby("framework")
    latest["rank"] = group.total.rank(method="min", ascending=False).astype(int)
    latest["n_ranked"] = group.total.transform("size").astype(int)
    latest["as_of"] = group.year.transform("max").astype(int)
    return latest.sort_values(["framework", "rank"], ascending=[False, True])


def map_frame(db: Path) -> pd.DataFrame:
    """All 290 municipalities with their latest evaluation (NaN where none).

    Columns: code, name, county_name, lat, lon (centroid), year, total, framework,
    origin, file_name, published, source_note, total_computed, n_areas. Evaluations
    known by their total only count; those without a total (an import giving some
    areas only) do not.
    """
    munis = municipalities(db)[["code", "name", "county_name", "lat", "lon"]]
    evals = evaluations(db)
    latest = latest_evaluations(evals[evals.total.notna()], with_areas=False)
    cols = [
        "code", "year", "total", "framework", "origin", "file_name", "published",
        "source_note", "total_computed", "n_areas",
    ]  # fmt: skip
    return munis.merge(latest[cols], on="code", how="left")


def search_findings(
    db: Path,
    text: str = "",
    area: int | None = None,
    kind: str | None = None,
    codes: list[str] | None = None,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Findings whose text contains `text` (case-insensitive), with filters.

    Columns: code, name, year, framework, area, area_name, kind, ordinal, text,
    file_name. `text` is matched literally (LIKE wildcards are escaped).
    """
    where: list[str] = ["1=1"]
    params: list[Any] = []
    if text.strip():
        where.append("f.text ILIKE ? ESCAPE '\\'")
        params.append("%" + re.sub(r"([%_\\])", r"\\\1", text.strip()) + "%")
    if area is not None:
        where.append("f.area = ?")
        params.append(int(area))
    if kind:
        where.append("f.kind = ?")
        params.append(kind)
    if codes:
        where.append(f"e.code IN ({', '.join('?' for _ in codes)})")
        params.extend(codes)
    if years:
        where.append("e.year BETWEEN ? AND ?")
        params.extend([int(years[0]), int(years[1])])
    return _frame(
        db,
        f"""
        SELECT e.code, e.name, e.year, e.framework, f.area,
               c.name AS area_name, f.kind, f.ordinal, f.text, e.file_name
        FROM finding f
        JOIN evaluation_detail e USING (evaluation_id)
        JOIN canonical_area c ON c.framework = e.framework AND c.area = f.area
        WHERE {" AND ".join(where)}
        ORDER BY e.name, e.year, f.area, f.kind, f.ordinal
        """,
        params,
    )


def weakest_areas(
    scores: list[float], names: list[str], n: int = 3
) -> list[tuple[int, str, float]]:
    """The n lowest-scoring areas as (area, name, score), lowest first."""
    ranked = sorted(range(1, 9), key=lambda a: (scores[a - 1], a))
    return [(a, names[a - 1], scores[a - 1]) for a in ranked[:n]]


def role_models(db: Path, evaluation_id: int, area: int, k: int = 3) -> pd.DataFrame:
    """Who scores highest in `area` among the latest evaluations of the same generation.

    Columns: evaluation_id, code, name, year, score, strengths (list of the
    report's strengths for that area; empty for an imported result), file_name,
    origin, published (a result from data/published). The municipality itself is
    left out; only evaluations with all eight areas take part.
    """
    evals = evaluations(db)
    me = evals[evals.evaluation_id == evaluation_id].iloc[0]
    pool = latest_evaluations(evals[(evals.framework == me.framework) & (evals.code != me.code)])
    if pool.empty:
        return pd.DataFrame(columns=_ROLE_MODEL_COLUMNS)
    ids = [int(i) for i in pool.evaluation_id]
    scores = area_scores(db, ids)
    top = scores[scores.area == area].sort_values("score", ascending=False).head(k)
    texts = search_findings(db, area=area, kind="strengths", codes=list(top.code))
    rows = []
    for r in top.itertuples():
        mine = texts[(texts.code == r.code) & (texts.year == r.year)]
        rows.append(
            {
                "evaluation_id": r.evaluation_id,
                "code": r.code,
                "name": r.name,
                "year": r.year,
                "score": r.score,
                "strengths": list(mine.text),
                "file_name": r.file_name,
                "origin": r.origin,
                "published": bool(r.published),
            }
        )
    return pd.DataFrame(rows, columns=_ROLE_MODEL_COLUMNS)


_ROLE_MODEL_COLUMNS = [
    "evaluation_id", "code", "name", "year", "score", "strengths", "file_name", "origin",
    "published",
]  # fmt: skip


def weakest_subareas(db: Path, evaluation_id: int, n: int = 5) -> pd.DataFrame:
    """The n sub-areas with the lowest share of max, with the best share among peers.

    Peers are the latest evaluations of the same generation whose sub-area has
    the same code *and* name (sub-area sets vary between years). Columns: area,
    code, name, score, max, pct, best_pct, best_name, best_year, best_code.
    """
    subs = subarea_scores(db, evaluation_id).sort_values(["pct", "area"]).head(n)
    evals = evaluations(db)
    me = evals[evals.evaluation_id == evaluation_id].iloc[0]
    pool = latest_evaluations(evals[(evals.framework == me.framework) & (evals.code != me.code)])
    best = []
    for s in subs.itertuples():
        top = _best_subarea(db, list(pool.evaluation_id), s.code, s.name)
        best.append(top)
    return subs.assign(
        best_pct=[b[0] for b in best],
        best_name=[b[1] for b in best],
        best_year=[b[2] for b in best],
        best_code=[b[3] for b in best],
    )


def _best_subarea(db: Path, ids: list[int], code: str, name: str) -> tuple[Any, ...]:
    if not ids:
        return (None, None, None, None)
    df = _frame(
        db,
        f"""
        SELECT 100.0 * s.score / s.max AS pct, e.name, e.year, e.code
        FROM subarea_score s JOIN evaluation_detail e USING (evaluation_id)
        WHERE s.evaluation_id IN ({", ".join("?" for _ in ids)})
          AND s.code = ? AND lower(s.name) = lower(?)
        ORDER BY pct DESC LIMIT 1
        """,
        [int(i) for i in ids] + [code, name],
    )
    return tuple(df.iloc[0]) if not df.empty else (None, None, None, None)


def reports(db: Path) -> pd.DataFrame:
    """Ingested files with provenance: file_name, sha256, format, parser_version,
    ingested_at, warnings (English), notices (report.notices: their codes and fields as
    JSON, NULL in rows from before schema 3), framework, what they hold and their
    discrepancies."""
    return _frame(
        db,
        """
        SELECT r.report_id, r.file_name, r.sha256, r.format, r.parser_version, r.ingested_at,
               r.warnings, r.notices,
               string_agg(DISTINCT e.framework, ', ') AS framework,
               string_agg(DISTINCT m.name || ' ' || e.year, ', ') AS evaluations,
               (SELECT count(*) FROM discrepancy d JOIN evaluation e2 USING (evaluation_id)
                 WHERE e2.report_id = r.report_id) AS n_discrepancies,
               (SELECT count(*) FROM reference_series s
                 WHERE s.report_id = r.report_id) AS n_references
        FROM report r
        LEFT JOIN evaluation e ON e.report_id = r.report_id
        LEFT JOIN municipality m ON m.code = e.municipality_code
        GROUP BY ALL
        ORDER BY r.ingested_at DESC, r.file_name
        """,
    )


def all_discrepancies(db: Path) -> pd.DataFrame:
    """Every discrepancy with its municipality, year and report file."""
    return _frame(
        db,
        """
        SELECT e.name, e.year, d.area, d.kind, d.stated, d.chosen, d.line, e.file_name
        FROM discrepancy d JOIN evaluation_detail e USING (evaluation_id)
        ORDER BY e.name, e.year, d.area
        """,
    )
