"""The mean on Kommunprofil: a plain name, its source in the help, no verdict from few."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from kompass.present import means
from tests.helpers.app import figure, run_page, texts

SKR_2020 = "Medel för utvärderade kommuner, 2020-ramverket (SKR)"


def _metric(at: AppTest, label: str) -> Any:
    return next(m for m in at.metric if m.label == label)


def _mean_picker(at: AppTest) -> Any:
    return next(s for s in at.sidebar.selectbox if s.label == means.PICKER_LABEL)


def test_sala_2023_shows_the_skr_mean_by_name(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun="1981", ar="2023")
    picker = _mean_picker(at)
    assert picker.value == "skr-2020"
    assert picker.options[0] == SKR_2020 and picker.options[-1] == means.NO_MEAN_LABEL
    assert not any(".txt" in option for option in picker.options)
    mean = _metric(at, "Medelvärde (av 800)")
    assert mean.value == "515"
    assert "enligt rapporten för Sala 2023" in re.sub(r"\\(.)", r"\1", mean.help)
    shown = texts(at)
    assert SKR_2020 in shown
    assert not any(bad in shown for bad in ("sala-2023.txt (", "enligt sala", "rad 76"))
    names = [t["name"] for t in figure(at, "radar")["data"]]
    assert "SKR:s medel, 2020-ramverket" in names  # the legend's short name
    total = _metric(at, "Total (av 800)")
    # 482 against SKR's 515: a verdict may be coloured (a red delta, Streamlit's "normal").
    assert total.delta == "-33 mot medel" and total.proto.color == Metric.RED


def test_lund_2011_has_no_mean_by_default(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun="1281", ar="2011")
    assert _mean_picker(at).value == means.NO_MEAN_KEY
    total = _metric(at, "Total (av 800)")
    assert not total.delta
    assert not any(m.label == "Medelvärde (av 800)" for m in at.metric)


def test_lund_2011_small_mean_on_request_is_grey(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun="1281", ar="2011", medel="berakn-2010")
    total = _metric(at, "Total (av 800)")
    assert total.delta.endswith("mot medel")
    assert total.proto.color == Metric.GRAY  # delta_color="off": no red or green verdict
    captions = " ".join(c.value for c in at.caption)
    assert means.TOO_FEW in captions
    assert "n = 2 kommuner" in captions


def test_a_chosen_mean_goes_into_the_link(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    at = run_page("pages/profil.py", kommun="1981", ar="2023")
    _mean_picker(at).set_value("berakn-2020").run()
    assert not at.exception
    assert at.query_params["medel"] in (["berakn-2020"], "berakn-2020")
    total = _metric(at, "Total (av 800)")
    assert total.proto.color == Metric.GRAY  # 3 municipalities: no verdict
    # The key is the same in a fresh session from the link.
    again = run_page("pages/profil.py", kommun="1981", ar="2023", medel="berakn-2020")
    assert _mean_picker(again).value == "berakn-2020"
