"""Exports: the tidy tables, and CSV / Excel / Parquet read back and compared with the store."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from kompass.present.exports import (
    README_NAME,
    README_TEXT,
    TABLE_DOCS,
    WORKBOOK_NAME,
    export_all,
    export_files,
    tidy_tables,
    to_csv_bytes,
    to_xlsx_bytes,
    zip_bytes,
)
from kompass.store import connect
from kompass.store.imports import import_scores

CASES = Path(__file__).resolve().parents[1] / "cases" / "imports"
KOMPASS = Path(sys.executable).with_name("kompass")
TABLE_NAMES = [
    "utvarderingar",
    "omradespoang",
    "delomradespoang",
    "fynd",
    "referenser",
    "avvikelser",
    "kommuner",
]


def read_csv(path: Path | io.BytesIO) -> pd.DataFrame:
    """As a Swedish spreadsheet would: `;`, decimal comma, BOM; codes kept as text."""
    return pd.read_csv(
        path,
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"kommunkod": str, "kod": str, "ramverk": str},
    )


def store_area_scores(db: Path) -> dict[tuple[str, int, int], float]:
    with connect(db, read_only=True) as con:
        found = con.execute(
            "SELECT e.municipality_code, e.year, a.area, a.score "
            "FROM area_score a JOIN evaluation e USING (evaluation_id)"
        ).fetchall()
    return {(code, year, area): score for code, year, area, score in found}


def exported_area_scores(df: pd.DataFrame) -> dict[tuple[str, int, int], float]:
    return {
        (str(r.kommunkod), int(r.ar), int(r.omrade)): float(r.poang)
        for r in df.itertuples(index=False)
    }


@pytest.fixture(scope="module")
def tables(sample_db: Path) -> dict[str, pd.DataFrame]:
    return tidy_tables(sample_db)


# --- the tables ------------------------------------------------------------------


def test_tables_and_columns_are_documented(tables: dict[str, pd.DataFrame]) -> None:
    assert list(tables) == TABLE_NAMES
    for name, df in tables.items():
        assert list(df.columns) == list(TABLE_DOCS[name][1]), name
        assert f"\n{name}: " in README_TEXT
        for column in df.columns:
            assert column.isascii() and column == column.lower(), column
            assert f"  {column}: " in README_TEXT
    for source in ("SKR", "SCB via Kolada", "kommungrupp"):
        assert source in README_TEXT


def test_table_contents(tables: dict[str, pd.DataFrame]) -> None:
    evals = tables["utvarderingar"].set_index(["kommun", "ar"])
    assert len(evals) == 6
    assert evals.loc[("Sala", 2023), "ursprung"] == "rapport"
    assert evals.loc[("Sala", 2023), "kalla"] == "sala-2023.txt"
    assert evals.loc[("Sala", 2019), "ursprung"] == "angiven_i_senare_rapport"
    assert evals.loc[("Sala", 2019), "total"] == 363
    assert evals.loc[("Lund", 2011), "total"] == 458.9  # float noise rounded away
    assert len(evals.loc[("Burlöv", 2020), "sha256"]) == 64
    assert len(tables["omradespoang"]) == 48
    assert len(tables["delomradespoang"]) == 197
    assert set(tables["fynd"].typ) <= {"styrka", "finns_delar", "forbattring"}
    assert len(tables["referenser"]) == 8
    gaps = tables["avvikelser"]
    sala = gaps[gaps.kommun == "Sala"].iloc[0]
    assert (sala.omrade, sala.typ, sala.angivet, sala.valt) == (1, "omradets_poang", 65, 66)
    assert len(tables["kommuner"]) == 290
    assert tables["kommuner"].kommunkod.iloc[0] == "0114"


def test_imports_show_in_the_tables(sample_db_copy: Path) -> None:
    import_scores((CASES / "scores-valid.csv").read_bytes(), "scores-valid.csv", sample_db_copy)
    tables = tidy_tables(sample_db_copy)
    evals = tables["utvarderingar"].set_index("kommunkod")
    assert evals.loc["0114", "ursprung"] == "import"
    assert evals.loc["0114", "kalla"] == "Testdata: endast total"
    assert evals.loc["0114", "fil"] == "scores-valid.csv"
    total = tables["avvikelser"].set_index("kommunkod").loc["0880"]
    # The import keeps its stated total (500); the areas' sum (480) is the other value.
    assert (total.typ, total.angivet, total.valt, total.rad) == ("importens_total", 480, 500, 4)
    assert pd.isna(total.omrade)


# --- formats ---------------------------------------------------------------------


def test_csv_round_trip(sample_db: Path, tmp_path: Path) -> None:
    written = export_all(sample_db, tmp_path, "csv")
    assert sorted(p.name for p in written) == sorted(
        [README_NAME, *(f"{n}.csv" for n in TABLE_NAMES)]
    )
    raw = (tmp_path / "omradespoang.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfkommunkod;kommun;ar;")
    assert b"\r\n" in raw

    areas = read_csv(tmp_path / "omradespoang.csv")
    lund = areas[(areas.kommun == "Lund") & (areas.ar == 2011) & (areas.omrade == 1)]
    assert lund.poang.dtype == float and lund.poang.iloc[0] == 42.2
    assert exported_area_scores(areas) == store_area_scores(sample_db)

    munis = read_csv(tmp_path / "kommuner.csv")
    assert munis.kommunkod.iloc[0] == "0114" and len(munis) == 290
    subareas = read_csv(tmp_path / "delomradespoang.csv")
    assert "4.5" in set(subareas.kod)  # sub-area codes stay text, not 4,5
    assert (tmp_path / README_NAME).read_text(encoding="utf-8") == README_TEXT


def test_csv_values_equal_the_tables(sample_db: Path, tables: dict[str, pd.DataFrame]) -> None:
    for name in ("utvarderingar", "avvikelser", "referenser"):
        back = read_csv(io.BytesIO(to_csv_bytes(tables[name])))
        expected = tables[name]
        assert list(back.columns) == list(expected.columns)
        for column in expected.columns:
            left, right = back[column].tolist(), expected[column].tolist()
            assert [None if pd.isna(v) else v for v in left] == [
                None if pd.isna(v) else v for v in right
            ], (name, column)


def test_xlsx_round_trip(sample_db: Path, tmp_path: Path) -> None:
    written = export_all(sample_db, tmp_path, "xlsx")
    assert sorted(p.name for p in written) == sorted([README_NAME, WORKBOOK_NAME])
    sheets = pd.read_excel(tmp_path / WORKBOOK_NAME, sheet_name=None, dtype={"kommunkod": str})
    assert list(sheets) == ["README", *TABLE_NAMES]
    areas = sheets["omradespoang"]
    assert exported_area_scores(areas) == store_area_scores(sample_db)
    assert sheets["kommuner"].kommunkod.iloc[0] == "0114"
    assert len(sheets["fynd"]) == len(tidy_tables(sample_db)["fynd"])
    workbook = openpyxl.load_workbook(tmp_path / WORKBOOK_NAME)
    assert workbook["README"].column_dimensions["A"].width == 100
    assert [workbook[name].freeze_panes for name in TABLE_NAMES] == ["A2"] * len(TABLE_NAMES)


def test_parquet_round_trip(sample_db: Path, tmp_path: Path) -> None:
    export_all(sample_db, tmp_path, "parquet")
    expected = tidy_tables(sample_db)
    for name in TABLE_NAMES:
        back = pd.read_parquet(tmp_path / f"{name}.parquet")
        pd.testing.assert_frame_equal(back, expected[name], check_dtype=False)
    areas = pd.read_parquet(tmp_path / "omradespoang.parquet")
    assert exported_area_scores(areas) == store_area_scores(sample_db)
    assert str(areas.ar.dtype) == "Int64"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_zip_holds_every_table_and_the_readme(sample_db: Path, fmt: str) -> None:
    with zipfile.ZipFile(io.BytesIO(zip_bytes(sample_db, fmt))) as archive:
        names = set(archive.namelist())
        assert archive.read(README_NAME).decode("utf-8") == README_TEXT
    expected = {WORKBOOK_NAME} if fmt == "xlsx" else {f"{n}.{fmt}" for n in TABLE_NAMES}
    assert names == expected | {README_NAME}


def test_export_rejects_an_unknown_format(sample_db: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        export_all(sample_db, tmp_path, "json")


def test_text_that_looks_like_a_formula_stays_text() -> None:
    """Report text ends up in spreadsheets: "=…" must never run as a formula."""
    df = pd.DataFrame(
        {"kommunkod": ["0114", "0115"], "text": ['=HYPERLINK("x")', "#N/A"], "poang": [-1.5, 2]}
    )
    df["text"] = df["text"].astype(object)
    csv_text = to_csv_bytes(df).decode("utf-8-sig")
    assert csv_text.splitlines()[1] == '0114;"\'=HYPERLINK(""x"")";-1,5'
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"t": df})))["t"]
    for row, text in ((2, '=HYPERLINK("x")'), (3, "#N/A")):
        cells: list[Any] = list(sheet[row])
        assert [c.data_type for c in cells] == ["s", "s", "n"]
        assert cells[1].value == text


def test_control_characters_in_the_store_do_not_break_exports(sample_db_copy: Path) -> None:
    """Older stores (or other tools) may hold a control character; .xlsx cannot."""
    with connect(sample_db_copy) as con:
        con.execute(
            "UPDATE report SET file_name = 'sala\x00-2023\x1b.txt' WHERE file_name = ?",
            ["sala-2023.txt"],
        )
        con.execute("UPDATE finding SET text = 'Styrka' || chr(7) || chr(27) || '[31m'")
        con.execute(
            "UPDATE evaluation SET source_note = 'webb' || chr(11) WHERE origin <> 'report'"
        )
    workbook = openpyxl.load_workbook(
        io.BytesIO(export_files(sample_db_copy, "xlsx")[WORKBOOK_NAME])
    )
    evaluations = list(workbook["utvarderingar"].values)
    files = {row[evaluations[0].index("fil")] for row in evaluations[1:]}
    assert "sala\ufffd-2023\ufffd.txt" in files
    texts = {row[-1] for row in list(workbook["fynd"].values)[1:]}
    assert texts == {"Styrka\ufffd\ufffd[31m"}
    sources = {row[evaluations[0].index("kalla")] for row in evaluations[1:]}
    assert "webb\ufffd" in sources
    for name, data in export_files(sample_db_copy, "csv").items():
        text = data.decode("utf-8-sig")
        assert not any(ord(c) < 32 and c not in "\r\n" for c in text), name


# --- the command line ------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("KOMPASS_DB", "KOMPASS_DATA")}
    return subprocess.run(
        [str(KOMPASS), *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_cli_export(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = run("export", "--format", "csv", "--out", str(out), "--db", str(sample_db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"8 files written to {out} (csv, from {sample_db})"
    areas = read_csv(out / "omradespoang.csv")
    assert exported_area_scores(areas) == store_area_scores(sample_db)


def test_cli_export_errors(sample_db: Path, tmp_path: Path) -> None:
    missing = run("export", "--out", str(tmp_path), "--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 1 and "no database" in missing.stderr
    assert not (tmp_path / "none.duckdb").exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    unwritable = run("export", "--out", str(blocker), "--db", str(sample_db))
    assert unwritable.returncode == 1 and "cannot write" in unwritable.stderr
    bad_format = run("export", "--format", "json", "--out", str(tmp_path), "--db", str(sample_db))
    assert bad_format.returncode == 2 and "invalid choice" in bad_format.stderr
    for result in (missing, unwritable, bad_format):
        assert "Traceback" not in result.stderr
