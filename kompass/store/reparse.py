"""`kompass reparse`: parse the kept originals again and store what a new parser reads differently.

Every report whose bytes are kept (`original`, schema version 5) and whose
evaluation is still its own is parsed again through the budgeted worker
processes ingest uses (`parse.budget.parse_files_within`), and compared with
what is stored, evaluation by evaluation: area scores, total, sub-area scores,
discrepancies, warnings (their codes), findings, the means and previous results
it states. `plan` only reads; `apply` stores every change in one transaction
through the ingest path (`rows.store_parsed_one`), so a failure keeps the store
as it was. A report that a later file superseded is skipped and named; reports
stored before originals were kept are counted (ingesting them again keeps them).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kompass.domain.notices import Notice, from_records
from kompass.parse import Evaluation
from kompass.parse.budget import parse_files_within
from kompass.parse.model import FINDING_KINDS
from kompass.parse.text import safe_name
from kompass.store import audit, originals
from kompass.store import rows as store_rows
from kompass.store.bulk import WORKERS, failure
from kompass.store.db import WRITER_WAIT_SECONDS, Connection, connect, transaction

SUBAREAS_SHOWN = 5  # sub-areas named one by one in a change; more are counted
PARSED_FORMATS = originals.REPORT_FORMATS


@dataclass(frozen=True)
class Snapshot:
    """What a comparison looks at in one report's evaluation (stored or parsed again)."""

    label: str  # "Sala 2023"
    key: tuple[str, int]  # (municipality code, year)
    framework: str
    areas: dict[int, float]
    total: float | None
    subareas: dict[str, float]
    discrepancies: tuple[tuple[str, int | None, float, float], ...]  # the report's own
    warnings: tuple[str, ...]  # codes (the English text of one without a code), sorted
    findings: tuple[tuple[int, str, int, str], ...]
    stated: dict[str, tuple[float | None, ...]]  # "stated 2019" / "mean Medel 2020-" -> values


@dataclass(frozen=True)
class Change:
    """A kept report that the current parser reads differently."""

    file_name: str
    sha256: str
    fmt: str
    label: str
    differences: tuple[str, ...]  # "omrade3 60 → 62", "total 482 → 484", …
    evaluation: Evaluation


@dataclass
class Reparse:
    """What a reparse found (and, after `apply`, stored)."""

    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, parse failure)
    without_original: int = 0  # text/pdf reports stored before originals were kept
    stored: bool = False


@dataclass(frozen=True)
class _Kept:
    sha256: str
    file_name: str
    fmt: str


# --- plan: read, parse again, compare -----------------------------------------------


def plan(db: Path | None, wait: float = WRITER_WAIT_SECONDS) -> Reparse:
    """Parse every kept report again and compare it with the store; writes nothing."""
    result = Reparse()
    with tempfile.TemporaryDirectory(prefix="kompass-reparse-") as tmp:
        files = _write_kept(db, Path(tmp), result, wait)
        outcomes = list(parse_files_within(list(files), workers=min(WORKERS, max(1, len(files)))))
        with connect(db, read_only=True, wait=wait) as con:
            for path, outcome in outcomes:
                kept = files[path]
                if not isinstance(outcome, tuple):
                    message = failure(path, outcome)[1]
                    result.failed.append((kept.file_name, message))
                    continue
                change = _compare(con, kept, outcome[1])
                if change is None:
                    result.unchanged += 1
                else:
                    result.changes.append(change)
    return result


def _write_kept(db: Path | None, folder: Path, result: Reparse, wait: float) -> dict[Path, _Kept]:
    """Each kept report still stored as its own, written to `folder` for the parse workers."""
    files: dict[Path, _Kept] = {}
    with connect(db, read_only=True, wait=wait) as con:
        kept = con.execute(
            "SELECT o.sha256, o.file_name, o.format, r.report_id, s.replaced_by "
            "FROM original o LEFT JOIN report r USING (sha256) "
            "LEFT JOIN superseded s USING (sha256) "
            "WHERE o.format IN (SELECT unnest(?)) ORDER BY o.file_name, o.sha256",
            [list(PARSED_FORMATS)],
        ).fetchall()
        result.without_original = _count_without_original(con)
        for index, (sha256, name, fmt, report_id, replaced_by) in enumerate(kept):
            if replaced_by is not None:
                result.skipped.append((name, f"superseded by {replaced_by}"))
                continue
            if report_id is None or _own_evaluation(con, sha256) is None:
                result.skipped.append((name, "its evaluation is no longer stored"))
                continue
            data = originals.kept_bytes(con, sha256)
            assert data is not None
            path = folder / str(index) / (Path(safe_name(name)).name or f"report.{fmt}")
            path.parent.mkdir()
            path.write_bytes(data)
            files[path] = _Kept(sha256, name, fmt)
    return files


def _count_without_original(con: Connection) -> int:
    row = con.execute(
        "SELECT count(*) FROM report WHERE format IN (SELECT unnest(?)) "
        "AND sha256 NOT IN (SELECT sha256 FROM original)",
        [list(PARSED_FORMATS)],
    ).fetchone()
    return int(row[0]) if row else 0


def _own_evaluation(con: Connection, sha256: str) -> tuple[int, int] | None:
    """(report_id, evaluation_id) of the report's own evaluation, if it is stored."""
    row = con.execute(
        "SELECT r.report_id, e.evaluation_id FROM report r JOIN evaluation e "
        "ON e.report_id = r.report_id AND e.origin = 'report' WHERE r.sha256 = ?",
        [sha256],
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


def _compare(con: Connection, kept: _Kept, evaluation: Evaluation) -> Change | None:
    own = _own_evaluation(con, kept.sha256)
    if own is None:
        return None
    before = stored_snapshot(con, *own)
    differences = describe_changes(before, parsed_snapshot(evaluation))
    if not differences:
        return None
    return Change(
        kept.file_name, kept.sha256, kept.fmt, before.label, tuple(differences), evaluation
    )


# --- the two snapshots and their differences ------------------------------------------


def stored_snapshot(con: Connection, report_id: int, evaluation_id: int) -> Snapshot:
    """The stored evaluation of a report, as a comparison sees it."""
    row = con.execute(
        "SELECT coalesce(m.name, e.municipality_code), e.municipality_code, e.year, "
        "e.framework, e.total, r.warnings, r.notices FROM evaluation e "
        "JOIN report r USING (report_id) LEFT JOIN municipality m ON m.code = e.municipality_code "
        "WHERE e.evaluation_id = ?",
        [evaluation_id],
    ).fetchone()
    assert row is not None
    name, code, year, framework, total, warnings, notices = row
    areas = _pairs(con, "SELECT area, score FROM area_score WHERE evaluation_id = ?", evaluation_id)
    subareas = _pairs(
        con, "SELECT code, score FROM subarea_score WHERE evaluation_id = ?", evaluation_id
    )
    discrepancies = con.execute(
        "SELECT kind, area, stated, chosen FROM discrepancy "
        "WHERE evaluation_id = ? AND kind <> 'published'",
        [evaluation_id],
    ).fetchall()
    findings = con.execute(
        "SELECT area, kind, ordinal, text FROM finding WHERE evaluation_id = ?", [evaluation_id]
    ).fetchall()
    return Snapshot(
        label=f"{name} {year}",
        key=(str(code), int(year)),
        framework=str(framework),
        areas={int(k): v for k, v in areas.items()},
        total=None if total is None else float(total),
        subareas={str(k): v for k, v in subareas.items()},
        discrepancies=tuple(
            sorted([(str(k), a, float(s), float(c)) for k, a, s, c in discrepancies], key=_order)
        ),
        warnings=_warning_codes(from_records(list(warnings or []), notices)),
        findings=tuple(sorted((int(a), str(k), int(o), str(t)) for a, k, o, t in findings)),
        stated=_stored_series(con, report_id),
    )


def parsed_snapshot(ev: Evaluation) -> Snapshot:
    """A parsed evaluation as a comparison sees it (the rows `rows.evaluation_rows` builds)."""
    findings = [
        (a.number, kind, ordinal, text)
        for a in ev.areas
        for kind in FINDING_KINDS
        for ordinal, text in enumerate(getattr(a, kind), start=1)
    ]
    stated: dict[str, tuple[float | None, ...]] = {}
    for series in ev.previous_evaluations:
        if series.year is not None:
            stated[f"stated {series.year}"] = (*series.scores, series.total)
    for series in ev.references:
        stated[f"mean {series.label}"] = (*series.scores, series.total)
    return Snapshot(
        label=f"{ev.municipality} {ev.year}",
        key=(ev.municipality_code, ev.year),
        framework=ev.framework,
        areas={a.number: float(a.score) for a in ev.areas},
        total=float(ev.total),
        subareas={s.code: float(s.score) for a in ev.areas for s in a.subareas},
        discrepancies=tuple(
            sorted(
                ((d.kind, d.area, float(d.stated), float(d.chosen)) for d in ev.discrepancies),
                key=_order,
            )
        ),
        warnings=_warning_codes(ev.warnings),
        findings=tuple(sorted(findings)),
        stated=stated,
    )


def _order(item: tuple[str, int | None, float, float]) -> tuple[str, int, float, float]:
    kind, area, stated, chosen = item
    return kind, -1 if area is None else area, stated, chosen


def _pairs(con: Connection, sql: str, evaluation_id: int) -> dict[Any, float]:
    return {k: float(v) for k, v in con.execute(sql, [evaluation_id]).fetchall()}


def _warning_codes(warnings: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(w.code if isinstance(w, Notice) else str(w) for w in warnings))


def _stored_series(con: Connection, report_id: int) -> dict[str, tuple[float | None, ...]]:
    """The previous results and means this report states, as stored with it.

    A stated result that precedence dropped (a report covers that year) is not stored,
    so only the ones stored are compared (`describe_changes`).
    """
    series: dict[str, tuple[float | None, ...]] = {}
    stated = con.execute(
        "SELECT e.evaluation_id, e.year, e.total FROM evaluation e "
        "WHERE e.report_id = ? AND e.origin = 'stated_in_report'",
        [report_id],
    ).fetchall()
    for evaluation_id, year, total in stated:
        scores = _pairs(
            con, "SELECT area, score FROM area_score WHERE evaluation_id = ?", evaluation_id
        )
        series[f"stated {year}"] = (*(scores.get(n) for n in range(1, 9)), total)
    means = con.execute(
        "SELECT reference_id, label, total FROM reference_series WHERE report_id = ?", [report_id]
    ).fetchall()
    for reference_id, label, total in means:
        scores = _pairs(
            con, "SELECT area, score FROM reference_score WHERE reference_id = ?", reference_id
        )
        series[f"mean {label}"] = (*(scores.get(n) for n in range(1, 9)), total)
    return series


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def describe_changes(before: Snapshot, after: Snapshot) -> list[str]:
    """What differs, in English, one phrase each: "omrade3 60 → 62", "discrepancies 1 → 0"."""
    out: list[str] = []
    if before.key != after.key:
        out.append(f"evaluation {before.label} → {after.label}")
    if before.framework != after.framework:
        out.append(f"framework {before.framework} → {after.framework}")
    for n in sorted(before.areas.keys() | after.areas.keys()):
        old, new = before.areas.get(n), after.areas.get(n)
        if old != new:
            out.append(f"omrade{n} {_number(old)} → {_number(new)}")
    if before.total != after.total:
        out.append(f"total {_number(before.total)} → {_number(after.total)}")
    out += _subarea_changes(before.subareas, after.subareas)
    out += _discrepancy_changes(before.discrepancies, after.discrepancies)
    out += _warning_changes(before.warnings, after.warnings)
    out += _counted("findings", before.findings, after.findings)
    for name in sorted(before.stated):
        if name not in after.stated:
            out.append(f"{name} no longer found")
        elif before.stated[name] != after.stated[name]:
            out.append(f"{name} changed")
    return out


def _subarea_changes(before: dict[str, float], after: dict[str, float]) -> list[str]:
    codes = [c for c in sorted(before.keys() | after.keys(), key=_code_order)
             if before.get(c) != after.get(c)]  # fmt: skip
    shown = [f"sub-area {c} {_number(before.get(c))} → {_number(after.get(c))}"
             for c in codes[:SUBAREAS_SHOWN]]  # fmt: skip
    if len(codes) > SUBAREAS_SHOWN:
        shown.append(f"{len(codes) - SUBAREAS_SHOWN} more sub-areas")
    return shown


def _code_order(code: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in code.split("."))


def _counted(what: str, before: Sequence[object], after: Sequence[object]) -> list[str]:
    if len(before) != len(after):
        return [f"{what} {len(before)} → {len(after)}"]
    return [f"{what} changed ({len(after)})"] if before != after else []


def _discrepancy_changes(
    before: Sequence[tuple[str, int | None, float, float]],
    after: Sequence[tuple[str, int | None, float, float]],
) -> list[str]:
    """ "discrepancies 1 → 0 (-area_header omrade2)": the count, and which kinds came or went."""
    if before == after:
        return []

    def names(found: Sequence[tuple[str, int | None, float, float]]) -> Counter[str]:
        return Counter(kind if area is None else f"{kind} omrade{area}" for kind, area, *_ in found)

    gone, new = names(before) - names(after), names(after) - names(before)
    detail = ", ".join([*(f"+{n}" for n in sorted(new)), *(f"-{n}" for n in sorted(gone))])
    if not detail:
        return [f"discrepancies changed ({len(after)})"]  # the same ones, other numbers
    return [f"discrepancies {len(before)} → {len(after)} ({detail})"]


def _warning_changes(before: Sequence[str], after: Sequence[str]) -> list[str]:
    if before == after:
        return []
    gone = sorted((Counter(before) - Counter(after)).elements())
    new = sorted((Counter(after) - Counter(before)).elements())
    codes = ", ".join([*(f"+{c}" for c in new), *(f"-{c}" for c in gone)])
    return [f"warnings {len(before)} → {len(after)} ({codes})"]


# --- apply: one transaction -----------------------------------------------------------


def apply(db: Path | None, found: Reparse, wait: float = WRITER_WAIT_SECONDS) -> Reparse:
    """Store the changes `plan` found, all in one transaction (any failure: none of them).

    Each is compared again inside the transaction: a report that another writer
    superseded or changed since `plan` is skipped and named.
    """
    applied: list[Change] = []
    skipped = list(found.skipped)
    recording = audit.current()
    with connect(db, wait=wait) as con, transaction(con):
        for change in found.changes:
            now = _compare(con, _Kept(change.sha256, change.file_name, change.fmt),
                           change.evaluation)  # fmt: skip
            if now is None:
                skipped.append((change.file_name, "changed by another writer meanwhile"))
                continue
            replace_report(con, now)
            applied.append(now)
        if recording is not None:
            entries = [(c.file_name, c.sha256, "reparsed: " + "; ".join(c.differences))
                       for c in applied]  # fmt: skip
            audit.record(con, entries, recording)
    return Reparse(applied, found.unchanged, skipped, found.failed, found.without_original, True)


def replace_report(con: Connection, change: Change) -> None:
    """Replace a report's stored evaluation by its new parse, inside the caller's transaction.

    The report goes out as a replacement would take it (`rows._remove_evaluation`, but
    not superseded: it is the same file) and comes back in through the ingest path.
    It keeps its ingested_at, and the imported values recorded against it (discrepancies
    of kind 'published') are compared with its new numbers.
    """
    own = _own_evaluation(con, change.sha256)
    assert own is not None
    report_id, evaluation_id = own
    row = con.execute(
        "SELECT e.municipality_code, e.year, r.ingested_at FROM evaluation e "
        "JOIN report r USING (report_id) WHERE e.evaluation_id = ?",
        [evaluation_id],
    ).fetchone()
    assert row is not None
    code, year, ingested_at = row
    ev = change.evaluation
    same_key = (ev.municipality_code, ev.year) == (code, year)
    published = store_rows.published_values(con, evaluation_id) if same_key else []
    store_rows.remove_evaluation(con, code, year)
    result = store_rows.store_parsed_one(con, ev, change.sha256, change.file_name, change.fmt)
    if result.evaluation_id is not None and published:
        store_rows.store_published_discrepancies(con, result.evaluation_id, published)
    con.execute("UPDATE report SET ingested_at = ? WHERE sha256 = ?", [ingested_at, change.sha256])


def reparse(db: Path | None, dry_run: bool, wait: float = WRITER_WAIT_SECONDS) -> Reparse:
    """`plan`, and unless `dry_run` (or nothing changed) `apply`."""
    found = plan(db, wait)
    if dry_run or not found.changes:
        return found
    return apply(db, found, wait)
