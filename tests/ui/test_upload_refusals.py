"""The Data page's upload says in Swedish which case a refused text is (issue #11, point 3),
and reads reports in other text shapes (point 4). Through the upload handler behind the
page (AppTest cannot upload files), with the real parser worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompass import queries
from kompass.ui import uploads
from tests.helpers.shapes import SHAPES

SALA = Path(__file__).resolve().parents[2] / "data" / "reports" / "sala-2023.txt"
LEAD = "Filen kunde inte läsas som en Kommunkompass-rapport"
SUMMARY = """Resultat i Kommunkompassen 2021 (inom parentes Sverigesnitt)
• Samspel mellan förtroendevalda och medborgare: 63 (60)
• Samhällsutveckling: 55 (58)
• Styrning och kontroll: 61 (64)
"""
OLD = "KommunKompassen\n\nANALYS AV VÄXJÖ KOMMUN 2007\n\nUtvärderingen av Växjö kommun genomfördes i maj 2007.\n"  # noqa: E501


def sala_cut(lines: int) -> str:
    return "\n".join(SALA.read_text(encoding="utf-8").split("\n")[:lines])


CASES = {
    "summary": (SUMMARY, "texten är en sammanfattning av resultat (poäng för områdena 1, 2 "
                "och 3), inte en hel rapport. Importera den under fliken ”Klistra in "
                "resultat” på sidan Data"),
    "contents": (sala_cut(27), "texten slutar efter innehållsförteckningen"),
    "cut": (sala_cut(200), "rapporten slutar mitt i: det sista området som hittades är "
            "område 3 (”Styrning och kontroll”), resten saknas (är filen avkortad?)"),
    "old": (OLD, "utvärderingen är från 2007, före 2010 års ramverk; sådana rapporter kan "
            "inte läsas"),
    "other": ("Veckans matsedel\n", "ordet ”Kommunkompassen” finns inte i texten"),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_upload_says_which_case_a_refused_text_is(case: str) -> None:
    text, message = CASES[case]
    preview = uploads.preview_upload(text.encode("utf-8"), f"{case}.txt")
    assert not preview.ok and preview.evaluation is None
    assert preview.error is not None
    assert preview.error.startswith(f"{LEAD} ({case}.txt")
    assert message in preview.error
    assert "(på engelska)" not in preview.error


def test_upload_of_a_report_with_one_page_per_line_previews_and_saves(empty_db: Path) -> None:
    data = (SHAPES / "sala-2023.pages-headers.txt").read_bytes()
    preview = uploads.preview_upload(data, "sala-2023.txt")
    assert preview.ok and preview.evaluation is not None
    assert preview.evaluation.total == 482
    assert [a.score for a in preview.evaluation.areas] == [66, 60, 66, 57, 55, 58, 62, 58]
    assert uploads.save_upload(preview, data, empty_db).status == "added"
    evals = queries.evaluations(empty_db)
    assert set(zip(evals.name, evals.year, strict=True)) == {("Sala", 2023), ("Sala", 2019)}
