"""The `kompass` command: ingest, parse --json, check, import-scores, import-reference,
import-text, export, reparse, serve, backup, snapshot, demo, bench.

Exit codes: 0 success; 1 `ingest` stored what it could but some file failed,
an import file is invalid (nothing stored; one line per error), an export
could not be written, the database could not be opened, or `reparse` found a
kept report that no longer parses (its stored values stay; the other changes
are stored); 2 a file could
not be parsed (`parse`, `check`) or a pasted text holds no result that can be
stored (`import-text`), or the database was written by a newer kompass
(any command that opens it; nothing is read or written). Errors a user can
cause are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from kompass import store
from kompass.config import REPO_ROOT, data_dir, db_path, published_dir, reports_dir
from kompass.errors import BudgetExceeded
from kompass.parse import Discrepancy, Evaluation, ParseError
from kompass.parse.budget import parse_file_within
from kompass.parse.pasted import MAX_TEXT_CHARS, PasteError, completed, json_rows, recognise
from kompass.present.exports import FORMATS, export_all
from kompass.present.pasted import save_pasted
from kompass.store import (
    WRITER_WAIT_SECONDS,
    IngestResult,
    Progress,
    StoreError,
    audit,
    expand_paths,
    ingest_many,
    internal_error_message,
    table_counts,
)
from kompass.store.backup import backup, snapshot
from kompass.store.db import SCHEMA_TOO_NEW, SCHEMA_VERSION
from kompass.store.imports import (
    MAX_IMPORT_BYTES,
    ImportResult,
    ImportValidationError,
    import_reference,
    import_scores,
    load_published,
)
from kompass.store.reparse import Reparse, reparse

BAR_WIDTH = 20
# Control characters (C0 but tab and newline, DEL, C1), bidi overrides and lone
# surrogates (undecodable file name bytes): shown as escapes, never sent raw.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def terminal_safe(text: str) -> str:
    """Text with every character a terminal would act on written as an escape (\\x1b)."""
    return _UNSAFE.sub(
        lambda m: m.group().encode("unicode_escape", "backslashreplace").decode(), text
    )


class TerminalText(io.TextIOBase):
    """A text stream that passes everything through `terminal_safe`.

    File names and report text reach the terminal in messages; a name holding
    an escape sequence must not move the cursor or retitle the window.
    """

    def __init__(self, stream: TextIO) -> None:
        self.raw_stream = stream

    def write(self, text: str) -> int:
        self.raw_stream.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self.raw_stream.flush()

    def isatty(self) -> bool:
        return self.raw_stream.isatty()


def read_input(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit`; OSError (with a reason) for anything else.

    A FIFO, a device (/dev/zero) or a folder is refused before it is opened:
    reading one would hang or fill the memory.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise OSError(0, "not a regular file")
    if info.st_size > limit:
        raise OSError(0, f"file is over {limit // 1_000_000} MB")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(0, f"file is over {limit // 1_000_000} MB")
    return data


def _parse_file(path: Path) -> Evaluation:
    """Parse within the parse budget, with every failure as a one-line ParseError.

    Unreadable paths (a folder, a FIFO, no permission), a parse over budget and
    unexpected parser exceptions (bugs) included: one line, never a traceback.
    """
    try:
        return parse_file_within(path)[1]
    except ParseError:
        raise
    except BudgetExceeded as exc:
        message = f"over budget: {exc.message}"
        raise ParseError.coded(
            "over_budget", message, source=path.name, detail=exc.message
        ) from exc
    except OSError as exc:
        detail = str(exc.strerror or exc)
        raise ParseError.coded(
            "cannot_read_file", f"cannot read file: {detail}", source=path.name, detail=detail
        ) from exc
    except Exception as exc:
        message = internal_error_message(exc)
        raise ParseError.coded("parser_failed", message, source=path.name, detail=message) from exc


# --- parse -----------------------------------------------------------------------


def cmd_parse(args: argparse.Namespace) -> int:
    try:
        evaluation = _parse_file(Path(args.file))
    except ParseError as exc:
        print(f"kompass parse: {exc}", file=sys.stderr)
        return 2
    json.dump(evaluation.to_json(), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


# --- ingest ----------------------------------------------------------------------


def _progress_bar(stream: TextIO) -> Progress:
    """A callback drawing `[#####-----] 3/5 sala-2023.txt` on one terminal line."""

    # The bar's own escape sequence goes to the terminal as it is; the name does not.
    raw = getattr(stream, "raw_stream", stream)

    def draw(done: int, total: int, path: Path) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        raw.write(f"\r\033[K[{bar}] {done}/{total} {terminal_safe(path.name)}")
        if done == total:
            raw.write("\n")
        raw.flush()

    return draw


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain text table: left-aligned text, right-aligned numbers."""
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for cell, width in zip(cells, widths, strict=True):
            numeric = cell.replace(".", "", 1).isdigit()
            parts.append(cell.rjust(width) if numeric else cell.ljust(width))
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _number(value: float) -> str:
    return f"{value:g}"


def _status(result: IngestResult) -> str:
    """The status column: which file this one replaced, or which newer file replaced it."""
    if result.status == "replaced" and result.other_file == result.file_name:
        return "replaced (earlier version)"
    if result.status == "replaced" and result.other_file:
        return f"replaced {result.other_file}"
    if result.status == "superseded":
        return f"superseded by {result.other_file} (not stored)"
    return result.status


def _summary_rows(results: Sequence[IngestResult]) -> list[list[str]]:
    return [
        [
            r.file_name,
            r.municipality,
            str(r.year),
            _number(r.total),
            str(r.n_discrepancies),
            str(r.n_warnings),
            _status(r),
        ]
        for r in results
    ]


def _one_line_summary(
    results: Sequence[IngestResult], failures: Sequence[tuple[str, str]], db: Path
) -> str:
    statuses = ("added", "replaced", "unchanged", "superseded")
    counts = {s: sum(r.status == s for r in results) for s in statuses}
    n_files = len(results) + len(failures)
    superseded = f"{counts['superseded']} superseded, " if counts["superseded"] else ""
    return (
        f"{n_files} file{'s' if n_files != 1 else ''}: {counts['added']} added, "
        f"{counts['replaced']} replaced, {counts['unchanged']} unchanged, {superseded}"
        f"{len(failures)} failed ({db})"
    )


def cmd_ingest(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths] or [reports_dir()]
    db = Path(args.db) if args.db else db_path()
    show_bar = not args.quiet and sys.stderr.isatty()
    progress = _progress_bar(sys.stderr) if show_bar else None
    try:
        with audit.recording(_cli_audit("ingest")):
            results, failures = ingest_many(paths, db, progress, wait=args.wait)
    except StoreError as exc:
        if show_bar:
            sys.stderr.write("\n")
        if exc.code == SCHEMA_TOO_NEW:  # nothing was or will be stored: no "run again"
            print(f"kompass ingest: {exc}", file=sys.stderr)
            return 2
        # Say what is stored before the stop: files up to it were committed and stay.
        done = exc.fields.get("results", [])
        failed = exc.fields.get("failures", [])
        if done or failed:
            _print_ingest(done, failed, db, args)
        total = len(expand_paths(paths))
        print(
            f"kompass ingest: stopped: {exc} ({len(done) + len(failed)} of {total} files "
            "done before the stop; run the same command again for the rest)",
            file=sys.stderr,
        )
        return 1
    if not results and not failures:
        failures = [(str(p), "no .txt, .md or .pdf reports found") for p in paths]
    _print_ingest(results, failures, db, args)
    if not args.paths:  # the bundled data: the sample reports and the published results
        with audit.recording(_cli_audit("ingest")):
            _load_published(db, args)
    return 1 if failures else 0


def _cli_audit(action: str) -> audit.Audit:
    """The audit rows of a CLI write: via cli, by the operating system's user."""
    return audit.Audit("cli", audit.os_user(), action)


def _load_published(db: Path, args: argparse.Namespace) -> None:
    for result in load_published(published_dir(), db):
        if not args.quiet:
            print(
                f"{result.file_name}: {result.status}, "
                f"{result.rows_stored} of {result.data_rows} rows stored"
            )


def _print_ingest(
    results: Sequence[IngestResult],
    failures: Sequence[tuple[str, str]],
    db: Path,
    args: argparse.Namespace,
) -> None:
    if results and not args.quiet:
        headers = ["file", "municipality", "year", "total", "discrepancies", "warnings"]
        print(format_table([*headers, "status"], _summary_rows(results)))
    print(_one_line_summary(results, failures, db))
    for file, message in failures:
        print(f"{file}: {message}", file=sys.stderr)


# --- check -----------------------------------------------------------------------


def explain_discrepancy(d: Discrepancy) -> str:
    """One sentence saying which statements disagree, where, and which value is used."""
    where = f"area {d.area}" if d.area is not None else "total"
    stated, chosen = _number(d.stated), _number(d.chosen)
    if d.kind == "area_header":
        text = (
            f"the area's 'Poäng' says {stated} (line {d.line}), the sub-area table gives {chosen}"
        )
    elif d.kind == "subarea_sum":
        text = f"the sub-areas add up to {stated}, the subtotal row says {chosen} (line {d.line})"
    elif d.kind == "summary_table":
        text = f"the summary table says {stated} (line {d.line}), the sub-area table gives {chosen}"
    elif d.kind == "total":
        text = (
            f"the summary table's total says {stated} (line {d.line}), the areas add up to {chosen}"
        )
    else:
        text = f"{d.kind}: {stated} stated (line {d.line}) vs {chosen}"
    return f"{where}: {text}; {chosen} is used"


def describe(evaluation: Evaluation, name: str) -> str:
    """The human-readable `kompass check` report of one parsed file."""
    e = evaluation
    month = f"-{e.month:02d}" if e.month else ""
    total = _number(e.total)
    if e.stated_total is not None:
        total += f" (summary table says {_number(e.stated_total)})"
    lines = [
        name,
        f"  municipality  {e.municipality} ({e.municipality_code})",
        f"  year          {e.year}{month}",
        f"  framework     {e.framework}",
        f"  total         {total}",
        "  areas",
    ]
    width = max(len(a.name) for a in e.areas) if e.areas else 0
    for a in e.areas:
        lines.append(
            f"    {a.number}  {a.name.ljust(width)}  {_number(a.score):>5}  "
            f"{len(a.subareas)} sub-areas  (line {a.line})"
        )
    lines.append(f"  discrepancies ({len(e.discrepancies)})")
    lines += [f"    {explain_discrepancy(d)}" for d in e.discrepancies]
    lines.append(f"  warnings ({len(e.warnings)})")
    lines += [f"    {w}" for w in e.warnings]
    return "\n".join(lines)


def cmd_check(args: argparse.Namespace) -> int:
    failed = False
    for index, file in enumerate(args.files):
        path = Path(file)
        try:
            evaluation = _parse_file(path)
        except ParseError as exc:
            print(f"kompass check: {exc}", file=sys.stderr)
            failed = True
            continue
        if index:
            print()
        print(describe(evaluation, str(path)))
    return 2 if failed else 0


# --- import and export -------------------------------------------------------------


def _import(args: argparse.Namespace, importer: Callable[..., ImportResult]) -> int:
    """Run an importer on one file; errors and notes to stderr, one summary line to stdout."""
    command = f"kompass {args.command}"
    path = Path(args.file)
    db = Path(args.db) if args.db else db_path()
    try:
        data = read_input(path, MAX_IMPORT_BYTES)
        with audit.recording(_cli_audit(args.command)):
            result = importer(data, path.name, db)
    except OSError as exc:
        print(f"{command}: {path}: cannot read file: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except ImportValidationError as exc:
        return _refused_rows(command, path, exc)
    except StoreError as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return store_exit_code(exc)
    except Exception as exc:  # a bug: one line, never a traceback
        print(f"{command}: {path}: {internal_error_message(exc)}", file=sys.stderr)
        return 1
    # Notices print as their English messages (kompass.domain.notices).
    for line, reason in result.skipped:
        print(f"{path}: line {line}: skipped: {reason}", file=sys.stderr)
    for line, reason in result.replaced:
        print(f"{path}: line {line}: {reason}", file=sys.stderr)
    for warning in result.warnings:
        print(f"{path}: warning: {warning}", file=sys.stderr)
    print(_import_summary(result, db))
    return 0


def _import_summary(result: ImportResult, db: Path) -> str:
    if result.status == "unchanged":
        return f"{result.file_name}: unchanged (already imported) ({db})"
    return (
        f"{result.file_name}: {result.rows_stored} row(s) stored, "
        f"{len(result.replaced)} replaced an earlier value, "
        f"{len(result.skipped)} skipped ({db})"
    )


def _refused_rows(command: str, where: object, exc: ImportValidationError) -> int:
    """Every validation error with where it is, then the count; nothing was stored."""
    for error in exc.errors:
        print(f"{where}: {error}", file=sys.stderr)
    print(f"{command}: {len(exc.errors)} error(s); nothing stored", file=sys.stderr)
    return 1


def cmd_import_scores(args: argparse.Namespace) -> int:
    return _import(args, import_scores)


def cmd_import_reference(args: argparse.Namespace) -> int:
    return _import(args, import_reference)


def read_text(file: str) -> tuple[str, str]:
    """(text, name) of a text file or of stdin ("-"): UTF-8, else Windows-1252.

    At most a little over MAX_TEXT_CHARS is read (a longer text is refused anyway).
    """
    limit = MAX_TEXT_CHARS * 4 + 4  # UTF-8: up to four bytes a character
    if file == "-":
        data, name = sys.stdin.buffer.read(limit + 1), "stdin"
    else:
        path = Path(file)
        data, name = read_input(path, max(limit, MAX_IMPORT_BYTES)), path.name
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), name


def cmd_import_text(args: argparse.Namespace) -> int:
    """A result pasted from a web page: recognise it, print it (--dry-run) or store it."""
    command = "kompass import-text"
    db = Path(args.db) if args.db else db_path()
    try:
        text, name = read_text(args.file)
    except OSError as exc:
        print(f"{command}: {args.file}: cannot read file: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        pasted = completed(recognise(text), args.kalla, args.kommun, args.ar, args.ramverk)
    except PasteError as exc:
        print(f"{command}: {name}: {exc}; nothing stored", file=sys.stderr)
        return 2
    for notice in pasted.notices:
        print(f"{name}: warning: {notice}", file=sys.stderr)
    rows = json_rows(pasted)
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    if args.dry_run:
        if not args.json:
            print(_rows_table(rows))
        print(f"{command}: dry run, nothing stored", file=sys.stderr)
        return 0
    try:
        with audit.recording(_cli_audit("import-text")):
            saved = save_pasted(pasted, name, db)
    except ImportValidationError as exc:
        return _refused_rows(command, name, exc)
    except StoreError as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return 1
    out = sys.stderr if args.json else sys.stdout
    for part, result in saved.results:  # part: results | references
        for line, reason in result.skipped:
            print(f"{name}: {part} row {line - 1}: skipped: {reason}", file=sys.stderr)
        for warning in result.warnings:
            print(f"{name}: {part}: warning: {warning}", file=sys.stderr)
        print(f"{part}: {_import_summary(result, db)}", file=out)
    return 0


def _rows_table(rows: list[dict[str, object]]) -> str:
    """The recognised rows as a plain table (kompass import-text --dry-run without --json)."""
    columns = [c for c in rows[0] if c != "kalla"] if rows else []
    columns = list(dict.fromkeys([*columns, *(c for r in rows for c in r if c != "kalla")]))
    body = [["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in rows]
    return format_table(columns, body)


def _upgrade_note(command: str, db: Path) -> None:
    """Upgrade a store from an older kompass before reading it, and say so."""
    before = store.upgrade_if_older(db)
    if before is not None:
        print(
            f"{command}: upgraded {db} from schema version {before} to {SCHEMA_VERSION} "
            "(written by an older kompass)",
            file=sys.stderr,
        )


def cmd_export(args: argparse.Namespace) -> int:
    db = Path(args.db) if args.db else db_path()
    out = Path(args.out)
    if not db.exists():
        print(f"kompass export: no database at {db}; run `kompass ingest` first", file=sys.stderr)
        return 1
    try:
        _upgrade_note("kompass export", db)
        written = export_all(db, out, args.format)
    except StoreError as exc:
        print(f"kompass export: {exc}", file=sys.stderr)
        return store_exit_code(exc)
    except OSError as exc:
        where = exc.filename or out
        print(f"kompass export: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: one line, never a traceback
        print(f"kompass export: {internal_error_message(exc)}", file=sys.stderr)
        return 1
    print(f"{len(written)} files written to {out} ({args.format}, from {db})")
    return 0


# --- demo ------------------------------------------------------------------------

DEMO_REPORTS = 2000  # default size: about as many evaluations as SKR has made, and then some
SYNTHETIC = "synthetic"  # meta content of a database made by `kompass demo`


def demo_db_path() -> Path:
    """The demo database: never the main one unless --db says so."""
    return data_dir() / "demo.duckdb"


def parse_year_range(text: str) -> tuple[int, int]:
    """ "2010-2024" (or "2015") -> (first, last); ValueError with a message otherwise."""
    parts = text.replace("–", "-").split("-")
    if len(parts) > 2 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(f"--ar {text!r}: write years as 2010-2024 or 2015")
    first, last = int(parts[0]), int(parts[-1])
    if not 1990 <= first <= last <= 2100:
        raise ValueError(f"--ar {text!r}: years must run forward between 1990 and 2100")
    return first, last


def _shown(path: Path) -> str:
    """The path as `make run` (in the repository) needs it: relative there, else absolute."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT.resolve()))
    except ValueError:
        return str(path.resolve())


def cmd_demo(args: argparse.Namespace) -> int:
    try:
        years = parse_year_range(args.ar)
    except ValueError as exc:
        print(f"kompass demo: {exc}", file=sys.stderr)
        return 2
    n_years = years[1] - years[0] + 1
    count = args.antal if args.antal is not None else min(DEMO_REPORTS, args.kommuner * n_years)
    if count < 1 or args.kommuner < 1:
        print("kompass demo: --antal and --kommuner must be at least 1", file=sys.stderr)
        return 2
    db = Path(args.db) if args.db else demo_db_path()
    try:
        real = real_data_in(db) if db.resolve() != demo_db_path().resolve() else 0
    except StoreError as exc:
        print(f"kompass demo: {exc}", file=sys.stderr)
        return 1
    if real:
        print(
            f"kompass demo: {db} holds {real} evaluation(s) that are not synthetic; "
            "the demo fills only a new database or one it made. Choose another --db.",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="kompass-demo-") as tmp:
        started = time.perf_counter()
        try:
            from kompass.devtools.synth import write_corpus  # dev tooling: only when asked for

            write_corpus(Path(tmp), count, args.seed, years, n_municipalities=args.kommuner)
        except ValueError as exc:
            print(f"kompass demo: {exc}", file=sys.stderr)
            return 2
        made = time.perf_counter() - started
        print(
            f"Made {count} synthetic reports: {args.kommuner} municipalities, "
            f"{years[0]}–{years[1]}, seed {args.seed} ({made:.1f} s)."
        )
        if db.resolve() == demo_db_path().resolve():
            for stale in (db, db.with_name(db.name + ".wal")):
                stale.unlink(missing_ok=True)  # the demo database is rebuilt from scratch
        store.set_meta(db, "content", SYNTHETIC)
        return _ingest_demo(Path(tmp), db, args.quiet)


def real_data_in(db: Path) -> int:
    """How many evaluations in `db` are not synthetic (0 for a new or a demo database)."""
    if not db.exists() or store.get_meta(db, "content") == SYNTHETIC:
        return 0
    return store.table_counts(db)["evaluation"]


def _ingest_demo(folder: Path, db: Path, quiet: bool) -> int:
    progress = _progress_bar(sys.stderr) if not quiet and sys.stderr.isatty() else None
    started = time.perf_counter()
    try:
        results, failures = ingest_many([folder], db, progress)
    except StoreError as exc:
        print(f"kompass demo: {exc}", file=sys.stderr)
        return 1
    took = time.perf_counter() - started
    print(f"Ingested in {took:.1f} s: {_one_line_summary(results, failures, db)}")
    counts = table_counts(db)
    print(
        f"{_shown(db)} holds {counts['evaluation']} evaluations, "
        f"{counts['finding']} findings, {counts['discrepancy']} discrepancies."
    )
    print(f"Start the app on it:  KOMPASS_DB={_shown(db)} make run")
    for file, message in failures:
        print(f"{Path(file).name}: {message}", file=sys.stderr)
    return 1 if failures else 0


# --- entry point -----------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kompass", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse one report; print the parse contract")
    p.add_argument("--json", action="store_true", help="JSON on stdout (the default)")
    p.add_argument("file")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("ingest", help="parse reports and store them in the database")
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="report files or folders (default: data/reports)"
    )
    p.add_argument("--db", metavar="FILE", help="DuckDB file (default: $KOMPASS_DB)")
    p.add_argument("--quiet", action="store_true", help="print a one-line summary only")
    _add_wait_argument(p, "a database in use")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("check", help="parse reports without storing; explain what was found")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_check)

    for name, func, what in (
        ("import-scores", cmd_import_scores, "published area scores and totals"),
        ("import-reference", cmd_import_reference, "reference means"),
    ):
        p = sub.add_parser(name, help=f"import {what} from a CSV file (all rows or none)")
        p.add_argument("file", metavar="FILE")
        p.add_argument("--db", metavar="FILE", help="DuckDB file (default: $KOMPASS_DB)")
        p.set_defaults(func=func)

    p = sub.add_parser(
        "import-text",
        help="import a result pasted from a web page or press release (text file or -)",
        description="Recognise the area scores, total and means in a pasted summary and store "
        "them through the import-scores/import-reference validation.",
    )
    p.add_argument("file", metavar="FILE", help='text file ("-" for stdin)')
    p.add_argument("--kalla", required=True, metavar="SOURCE", help="the source: URL or text")
    p.add_argument("--kommun", metavar="K", help="municipality (name or SCB code) if not in text")
    p.add_argument("--ar", type=int, metavar="Y", help="year of the evaluation if not in text")
    p.add_argument("--ramverk", choices=("2010", "2020"), help="framework if not from the names")
    p.add_argument("--dry-run", action="store_true", help="print what was recognised only")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    p.add_argument("--db", metavar="FILE", help="DuckDB file (default: $KOMPASS_DB)")
    p.set_defaults(func=cmd_import_text)

    p = sub.add_parser("export", help="write the tidy tables with a README")
    p.add_argument("--format", choices=FORMATS, default="csv", help="file format (default: csv)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write to")
    p.add_argument("--db", metavar="FILE", help="DuckDB file (default: $KOMPASS_DB)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "demo",
        help="fill a separate database with synthetic reports (default data/demo.duckdb)",
        description="Generate synthetic Kommunkompassen reports with known values and ingest "
        "them into a demo database (rebuilt each time; the main database is left alone).",
    )
    p.add_argument(
        "--kommuner", type=int, default=290, metavar="N", help="municipalities (default 290)"
    )
    p.add_argument("--ar", default="2010-2024", metavar="ÅR-ÅR", help="years (default 2010-2024)")
    p.add_argument(
        "--antal",
        type=int,
        metavar="N",
        help=f"reports (default {DEMO_REPORTS}, at most municipalities x years)",
    )
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--db", metavar="FILE", help="DuckDB file (default: data/demo.duckdb)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "bench",
        help="measure ingest speed, page times and memory (writes nothing to the database)",
        description="Ingest throughput (text, PDF), server time per page rerun, browser time to "
        "the first chart against a minimal Streamlit page, and the app's peak memory, at the "
        "five sample reports and at a synthetic national corpus.",
    )
    p.add_argument(
        "--antal",
        type=int,
        default=2000,
        metavar="N",
        help="synthetic evaluations for the national scale (default 2000)",
    )
    p.add_argument(
        "--pdf",
        type=int,
        default=100,
        metavar="N",
        help="synthetic PDF reports for the PDF ingest figure (default 100)",
    )
    p.add_argument("--no-browser", action="store_true", help="skip the headless Chromium part")
    p.add_argument("--out", metavar="FILE", help="also write the results as Markdown to FILE")
    p.set_defaults(func=cmd_bench)
    _add_serving_commands(sub)
    _add_reparse_command(sub)
    return parser


def _add_wait_argument(p: argparse.ArgumentParser, what: str) -> None:
    """--wait S: how long a command waits for the database (`what` it waits for)."""
    p.add_argument(
        "--wait",
        type=float,
        default=WRITER_WAIT_SECONDS,
        metavar="S",
        help=f"seconds to wait for {what} (default {WRITER_WAIT_SECONDS:g})",
    )


def _add_reparse_command(sub: Any) -> None:
    """reparse (issue 13)."""
    p = sub.add_parser(
        "reparse",
        help="parse the kept reports again with this kompass; store what changes",
        description="Parse every kept report again with the current parser, list per "
        "evaluation what changes (area scores, total, sub-areas, discrepancies, warnings, "
        "findings) and store all changes in one transaction. --dry-run only lists them.",
    )
    p.add_argument("--db", metavar="FILE", help="DuckDB file (default: $KOMPASS_DB)")
    p.add_argument("--dry-run", action="store_true", help="list the changes; store nothing")
    _add_wait_argument(p, "a database in use")
    p.set_defaults(func=cmd_reparse)


def cmd_reparse(args: argparse.Namespace) -> int:
    """Exit 0 when every kept report parsed (changed or not), 1 when one failed or the
    database could not be used (nothing stored then), 2 for a newer database."""
    db = Path(args.db) if args.db else db_path()
    if not db.exists():
        print(f"kompass reparse: no database at {db}", file=sys.stderr)
        return 1
    try:
        _upgrade_note("kompass reparse", db)
        with audit.recording(_cli_audit("reparse")):
            found = reparse(db, dry_run=args.dry_run, wait=args.wait)
    except StoreError as exc:
        print(f"kompass reparse: {exc}; nothing stored", file=sys.stderr)
        return store_exit_code(exc)
    except Exception as exc:  # a bug: one line, never a traceback; the transaction rolled back
        print(f"kompass reparse: {internal_error_message(exc)}; nothing stored", file=sys.stderr)
        return 1
    for line in reparse_lines(found, db, args.dry_run):
        print(line)
    for file, message in found.failed:
        print(f"{file}: cannot parse it again: {message}; its stored values stay", file=sys.stderr)
    return 1 if found.failed else 0


def reparse_lines(found: Reparse, db: Path, dry_run: bool) -> list[str]:
    """What `kompass reparse` prints: one line per changed evaluation, then the tally."""
    lines = [f"{c.label}: {'; '.join(c.differences)} ({c.file_name})" for c in found.changes]
    lines += [f"{file}: skipped: {why}" for file, why in found.skipped]
    n_kept = len(found.changes) + found.unchanged + len(found.failed)
    n = len(found.changes)
    verb = "would change" if dry_run else "changed"
    stored = "dry run, nothing stored" if dry_run else "stored" if n else "nothing to store"
    lines.append(
        f"{n_kept} kept report{'s' if n_kept != 1 else ''}: {n} {verb}, "
        f"{found.unchanged} unchanged, {len(found.skipped)} skipped, "
        f"{len(found.failed)} failed ({stored}; {db})"
    )
    if found.without_original:
        n, one = found.without_original, found.without_original == 1
        lines.append(
            f"{n} report{'' if one else 's'} {'has' if one else 'have'} no kept original "
            "(ingested before kompass kept them, schema version 5); "
            f"ingest {'it' if one else 'them'} again to keep {'it' if one else 'them'}"
        )
    return lines


def _add_serving_commands(sub: Any) -> None:
    """serve, backup and snapshot (issue 13)."""
    p = sub.add_parser(
        "serve",
        help="start the app (from a checkout or an installed package)",
        description="Start the Streamlit app with the project's settings. Uploads and imports "
        "are allowed on this machine's address only, unless sign-in names the writers "
        "(KOMPASS_SIGN_IN=oidc or header:NAME, KOMPASS_WRITERS=addresses) or "
        "KOMPASS_READ_ONLY=0; --read-only (or KOMPASS_READ_ONLY=1) turns them off for "
        "everyone. See docs/deploy.md.",
    )
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.add_argument(
        "--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    p.add_argument(
        "--base-url-path",
        default=os.environ.get("KOMPASS_BASE_URL_PATH", ""),
        metavar="PATH",
        help="serve under /PATH behind a proxy (default: $KOMPASS_BASE_URL_PATH)",
    )
    p.add_argument("--db", metavar="FILE", help="DuckDB file (default: $KOMPASS_DB)")
    p.add_argument(
        "--read-only", action="store_true", help="no uploads or imports; the database is only read"
    )
    p.set_defaults(func=cmd_serve)

    for name, func, target, what in (
        ("backup", cmd_backup, "file", "write a consistent copy of the database to FILE"),
        ("snapshot", cmd_snapshot, "dir", "publish a copy in DIR atomically, for read-only apps"),
    ):
        p = sub.add_parser(name, help=what, description=what[0].upper() + what[1:] + ".")
        p.add_argument(target, metavar=target.upper())
        p.add_argument("--db", metavar="FILE", help="DuckDB file (default: $KOMPASS_DB)")
        _add_wait_argument(p, "a writer to let go")
        p.set_defaults(func=func)


def cmd_serve(args: argparse.Namespace) -> int:
    from kompass.ui import server  # Streamlit only when a server starts

    options = server.ServeOptions(
        db=Path(args.db) if args.db else db_path(),
        port=args.port,
        address=args.address,
        base_url_path=args.base_url_path,
        read_only=True if args.read_only else None,
    )
    return server.serve(options)


def cmd_backup(args: argparse.Namespace) -> int:
    return _copy_database(args, "backup", backup, Path(args.file), "written to")


def cmd_snapshot(args: argparse.Namespace) -> int:
    return _copy_database(args, "snapshot", snapshot, Path(args.dir), "published as")


def _copy_database(
    args: argparse.Namespace,
    name: str,
    copy: Callable[..., Path],
    target: Path,
    done: str,
) -> int:
    """`kompass backup` and `kompass snapshot`: a consistent copy of --db at `target`."""
    db = Path(args.db) if args.db else db_path()
    try:
        written = copy(db, target, wait=args.wait)
    except StoreError as exc:
        print(f"kompass {name}: {exc}", file=sys.stderr)
        return store_exit_code(exc)
    print(f"{name} of {db} {done} {written}")
    return 0


def store_exit_code(exc: StoreError) -> int:
    """2 for a database this kompass must not touch (a newer schema), else 1."""
    return 2 if exc.code == SCHEMA_TOO_NEW else 1


def cmd_bench(args: argparse.Namespace) -> int:
    from kompass.devtools import bench

    try:
        scales = bench.run(n=args.antal, pdfs=args.pdf, browser=not args.no_browser)
    except (RuntimeError, StoreError, OSError) as exc:
        print(f"kompass bench: {exc}", file=sys.stderr)
        return 1
    body = bench.markdown(scales)
    lines = [f"Machine: {bench.machine()}", "", body, "", "Targets:"]
    lines += [f"- {v}" for v in bench.verdicts(scales)]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalText(stdout), TerminalText(stderr)  # type: ignore[assignment]
    try:
        return int(args.func(args))
    except BrokenPipeError:
        # `kompass parse … | head -1`: the reader has gone; stop quietly, as cat does.
        _silence(stdout)
        return 141
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _silence(stream: TextIO) -> None:
    """Point a closed pipe at /dev/null so the interpreter's last flush does not fail."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


if __name__ == "__main__":
    sys.exit(main())
