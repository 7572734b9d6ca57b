"""The `kompass` command: ingest, parse --json, check (and more to come)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kompass.parse import ParseError, parse_report


def cmd_parse(args: argparse.Namespace) -> int:
    try:
        evaluation = parse_report(Path(args.file))
    except ParseError as exc:
        print(f"kompass parse: {exc}", file=sys.stderr)
        return 2
    json.dump(evaluation.to_json(), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kompass", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse one report; print the parse contract")
    p.add_argument("--json", action="store_true", help="JSON on stdout (the default)")
    p.add_argument("file")
    p.set_defaults(func=cmd_parse)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
