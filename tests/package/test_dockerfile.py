"""Issue 13: the container, checked without Docker (`docker build` is not everywhere).

The Dockerfile's instructions are parsed and checked: the slim Python base,
a non-root user, the database on a volume, the health check on
`/_stcore/health` (its command is run against a real `kompass serve`), and
the serve command (parsed by kompass's own command line). compose.yaml's
commands parse the same way; the docs say how to build and run it.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from kompass.cli import build_parser, cmd_ingest, cmd_serve, cmd_snapshot
from tests.cli.test_serve import clean_env, serving

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "Dockerfile"
COMPOSE = REPO / "compose.yaml"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order; continuation lines joined, comments dropped."""
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    found = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


DOCKER = instructions(DOCKERFILE.read_text())


def args_of(name: str) -> list[str]:
    return [rest for word, rest in DOCKER if word == name]


def index_of(name: str) -> int:
    return max(i for i, (word, _) in enumerate(DOCKER) if word == name)


def test_slim_python_base() -> None:
    assert DOCKER[0] == ("FROM", "python:3.11-slim")
    assert len(args_of("FROM")) == 1


def test_runs_as_a_user_that_is_not_root() -> None:
    users = args_of("USER")
    assert users and users[-1] not in ("root", "0") and not users[-1].startswith("0:")
    assert index_of("USER") < index_of("CMD")
    created = " ".join(r for r in args_of("RUN") if "useradd" in r)
    assert re.search(rf"useradd .*\b{re.escape(users[-1])}\b", created)


def test_the_database_is_on_a_volume_the_user_owns() -> None:
    [volume] = args_of("VOLUME")
    assert json.loads(volume) == ["/data"]
    env = " ".join(args_of("ENV"))
    assert "KOMPASS_DB=/data/kompass.duckdb" in env
    assert any("chown kompass:kompass /data" in r for r in args_of("RUN"))
    assert index_of("VOLUME") > max(i for i, (w, r) in enumerate(DOCKER) if "chown" in r)


def test_the_command_is_kompass_serve_on_every_interface() -> None:
    [cmd] = args_of("CMD")
    argv = json.loads(cmd)  # exec form: signals reach kompass, not a shell
    assert argv[:2] == ["kompass", "serve"]
    args = build_parser().parse_args(argv[1:])
    assert args.func is cmd_serve
    assert args.address == "0.0.0.0" and not args.read_only
    assert args_of("EXPOSE") == [str(args.port)]


def test_the_image_gets_what_the_wheel_needs() -> None:
    copied = [part for r in args_of("COPY") for part in r.split()[:-1]]
    for source in copied:
        assert (REPO / source).exists(), source
    needed = {"pyproject.toml", "README.md", "app.py", ".streamlit/", "pages/", "kompass/"}
    assert needed <= set(copied)
    ignored = [
        ln.strip()
        for ln in (REPO / ".dockerignore").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    for source in copied:
        assert not any(fnmatch.fnmatch(source.rstrip("/"), p) for p in ignored), source
    assert any(r.startswith("pip install .") for r in args_of("RUN"))


def test_the_health_check_asks_streamlits_health_endpoint(sample_db: Path, tmp_path: Path) -> None:
    [check] = args_of("HEALTHCHECK")
    assert "--interval=" in check and "/_stcore/health" in check
    argv = json.loads(check.split("CMD", 1)[1])
    assert argv[:2] == ["python", "-c"]
    code = argv[2]
    assert "127.0.0.1:8501" in code
    args = ["--db", str(sample_db), "--read-only", "--base-url-path", "kompass"]
    with serving(args, tmp_path, clean_env(), base="kompass") as (url, _):
        port = url.split(":")[2].split("/")[0]
        env = {**clean_env(), "KOMPASS_BASE_URL_PATH": "kompass"}
        run = [sys.executable, "-c", code.replace("8501", port)]
        healthy = subprocess.run(run, env=env, capture_output=True, timeout=30)
        assert healthy.returncode == 0, healthy.stderr
        wrong = subprocess.run(run, env={**env, "KOMPASS_BASE_URL_PATH": ""}, capture_output=True)
        assert wrong.returncode != 0  # the check fails when the app is not there


def compose_commands() -> dict[str, list[str]]:
    """service -> its command (the JSON-style lists compose.yaml uses)."""
    text = COMPOSE.read_text()
    found: dict[str, list[str]] = {}
    for block in re.split(r"\n  (?=[a-z]+:\n)", text.split("\nservices:\n", 1)[1]):
        name = block.split(":", 1)[0].strip()
        match = re.search(r"command: (\[.*?\])", block, re.DOTALL)
        if match:
            found[name] = json.loads(match.group(1))
    return found


def test_compose_has_an_app_an_ingest_a_snapshot_and_a_replica() -> None:
    text = COMPOSE.read_text()
    assert re.search(r"\n  app:\n    build: \.\n", text)
    assert "kompass-data:/data" in text
    commands = compose_commands()
    parser = build_parser()
    assert parser.parse_args(commands["ingest"][1:]).func is cmd_ingest
    assert parser.parse_args(commands["snapshot"][1:]).func is cmd_snapshot
    replica = parser.parse_args(commands["replica"][1:])
    assert replica.func is cmd_serve and replica.read_only
    # The replica serves what the snapshot publishes.
    snapshot = parser.parse_args(commands["snapshot"][1:])
    assert replica.db == os.path.join(snapshot.dir, Path(snapshot.db).name)


def test_the_docs_say_how_to_build_and_run_it() -> None:
    deploy = (REPO / "docs" / "deploy.md").read_text()
    for needed in ("docker build -t kompass .", "docker run", "docker compose", "websocket"):
        assert needed in deploy
    assert "docs/deploy.md" in (REPO / "README.md").read_text()
