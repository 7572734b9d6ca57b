"""Översikt through AppTest: the map and the "Sök kommun" box that opens a profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers.app import figure, run_page, texts


def _search(at: Any) -> Any:
    return next(s for s in at.selectbox if s.label == "Sök kommun")


def test_search_box_lists_the_evaluated_municipalities(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/oversikt.py")
    box = _search(at)
    assert box.value is None
    assert sorted(box.options) == ["Burlöv", "Höganäs", "Lund", "Sala", "Svenljunga"]


def test_choosing_sala_opens_its_profile(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/oversikt.py")
    _search(at).set_value("1981").run()
    assert not at.exception, [e.value for e in at.exception]
    kommun = at.query_params["kommun"]
    assert kommun in ("1981", ["1981"])
    assert at.title[0].value == "Kommunprofil"
    assert figure(at, "radar")["data"][0]["name"] == "Sala 2023"


def test_map_has_a_target_per_evaluated_municipality(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/oversikt.py")
    fig = figure(at, "map")
    (targets,) = [t for t in fig["data"] if t.get("name") == "Kommuner"]
    assert set(targets["customdata"]) == {"1231", "1284", "1281", "1981", "1465"}
    sala = targets["customdata"].index("1981")
    assert targets["hovertext"][sala].startswith("Sala 2023<br>Total: 482 av 800")
    # Five evaluated: markers too, so the small polygons can be found.
    assert any(t.get("name") == "Utvärderad kommun" for t in fig["data"])


def test_map_caption_says_what_it_shows(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/oversikt.py")
    assert "Karta över Sveriges 290 kommuner: 5 med utvärdering" in texts(at)
