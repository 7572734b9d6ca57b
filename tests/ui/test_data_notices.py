"""The Data page words the parser's and the imports' notices in Swedish (issue 9).

AppTest with real uploads (`file_uploader.set_value`), real parse workers and
real DuckDB files: the English messages (what the CLI prints) never reach the page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
from streamlit.testing.v1 import AppTest

from kompass.parse import parse_report
from kompass.present.notices import ENGLISH_LEAD_IN
from tests.helpers.app import run_page

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "data" / "reports"
PAGE = ROOT / "pages" / "data.py"
SVENLJUNGA = REPORTS / "svenljunga-2022.txt"
FINDINGS_AS_TEXT = (
    "rad 223: fynden är skrivna som löptext utan punkter; varje tabellcell sparas som en punkt"
)


def unescaped(text: str) -> str:
    """Markdown as shown: `ui.common.plain` escapes user text with backslashes."""
    return re.sub(r"\\(.)", r"\1", text)


def shown_text(at: AppTest) -> str:
    """Everything the page wrote as text, markdown, alerts and captions."""
    parts = [t.value for t in at.text] + [m.value for m in at.markdown]
    parts += [e.value for e in [*at.error, *at.warning, *at.success, *at.info, *at.caption]]
    return unescaped("\n".join(str(p) for p in parts))


def upload(at: AppTest, key: str, name: str, data: bytes) -> AppTest:
    at.file_uploader(key=key).set_value((name, data, "text/plain"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_upload_preview_shows_the_warnings_in_swedish(empty_db: Path, use_db: Any) -> None:
    use_db(empty_db, autoload=False)
    english = [str(w) for w in parse_report(SVENLJUNGA).warnings]
    assert english  # the report does have warnings
    at = upload(run_page("pages/data.py"), "w_upload", SVENLJUNGA.name, SVENLJUNGA.read_bytes())
    previews = [t.value for t in at.text if str(t.value).startswith("Varning:")]
    assert previews == [f"Varning: {FINDINGS_AS_TEXT}\nVarning: {FINDINGS_AS_TEXT}"]
    page = shown_text(at)
    assert not [w for w in english if w in page]
    assert "findings" not in page and ENGLISH_LEAD_IN not in page


def test_a_refused_upload_says_why_in_swedish(empty_db: Path, use_db: Any) -> None:
    use_db(empty_db, autoload=False)
    at = upload(run_page("pages/data.py"), "w_upload", "anteckningar.txt", b"bara lite text\n")
    [error] = [unescaped(e.value) for e in at.error]
    assert error == (
        "Filen kunde inte läsas som en Kommunkompass-rapport (anteckningar.txt): "
        "ordet ”Kommunkompassen” finns inte i texten"
    )


def expander_text(at: AppTest) -> str:
    [expander] = [e for e in at.expander if e.label == "Varningar från inläsningen"]
    return "\n".join(str(t.value) for t in expander.text)


def test_stored_warnings_in_swedish(sample_db: Path, use_db: Any) -> None:
    use_db(sample_db)
    text = expander_text(run_page("pages/data.py"))
    assert "lund-2011.txt: utvärderarna namnges inte på titelsidan" in text
    assert f"svenljunga-2022.txt: {FINDINGS_AS_TEXT}" in text
    assert "evaluators" not in text and "findings" not in text


def test_warnings_stored_before_codes_show_in_english_with_a_swedish_lead_in(
    sample_db_copy: Path, use_db: Any
) -> None:
    con = duckdb.connect(str(sample_db_copy))
    try:  # as a store from before schema version 3 left them after its upgrade
        con.execute("UPDATE report SET notices = NULL")
    finally:
        con.close()
    use_db(sample_db_copy)
    text = expander_text(run_page("pages/data.py"))
    assert f"lund-2011.txt: {ENGLISH_LEAD_IN}evaluators not named in the title block" in text


def run_import(csv: str) -> AppTest:
    # The page on its own: through app.py, AppTest starts every run in Streamlit's
    # pages/-folder mode, whose switch to st.navigation reruns and drops button clicks.
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    at = upload(at, "w_import", "resultat.csv", csv.encode("utf-8"))
    at.button(key="do_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


HEADER = "kommun;ar;ramverk;" + ";".join(f"omrade{n}" for n in range(1, 9)) + ";total;kalla"
EIGHT = ";".join(["50"] * 8)


def test_import_errors_in_swedish(sample_db_copy: Path, use_db: Any) -> None:
    use_db(sample_db_copy)
    at = run_import(f"{HEADER}\nSalla;2021;2020;{EIGHT};;x\nSala;2021;2020;{EIGHT};;\n")
    assert [e.value for e in at.error] == ["Inget sparades. 2 fel:"]
    assert [t.value for t in at.text if str(t.value).startswith("rad 2,")] == [
        'rad 2, kolumn kommun: "Salla" är ingen känd kommun (ange namn eller SCB-kod)\n'
        "rad 3, kolumn kalla: källa saknas"
    ]
    assert "is not a known municipality" not in shown_text(at)


def test_import_skipped_replaced_and_warned_rows_in_swedish(
    sample_db_copy: Path, use_db: Any
) -> None:
    use_db(sample_db_copy)
    csv = (
        f"{HEADER}\n"
        f"Sala;2023;2020;{EIGHT};;Testdata\n"  # a report's evaluation: skipped
        f"Sala;2019;2020;{EIGHT};;Testdata\n"  # stated in sala-2023: replaced
        f"Håbo;2015;2020;{EIGHT};;Testdata\n"  # framework 2020 in 2015: a warning
    )
    page = shown_text(run_import(csv))
    assert (
        "Rad 2: Sala 2023 finns redan från rapporten sala-2023.txt; en rapport går före en import"
        in page
    )
    assert "Rad 3: ersätter Sala 2019 från uppgiften i rapporten sala-2023.txt" in page
    assert "Varningar:\nrad 4: ramverk 2020 men år 2015; 2020-ramverket används" in page
    assert "already stored" not in page and "replaces" not in page and "framework" not in page
