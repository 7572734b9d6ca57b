"""Data: what is stored and where it came from; downloads; uploads and imports."""

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from kompass.errors import KompassError
from kompass.present import tables as present_tables
from kompass.present.notices import text_of, warning_lines
from kompass.present.strings import DISCREPANCY, error_text, num
from kompass.store import imports
from kompass.ui import cache, uploads
from kompass.ui.common import current_db, leave_v1_mode, load_evaluations, plain

BROWSE_ROWS = 1000
IMPORT_MB = imports.MAX_IMPORT_BYTES // 1_000_000
IMPORT_LINES = 50  # lines of skipped rows or errors shown after an import
ORIGIN_TEXT = {
    "report": "från rapporten {file}",
    "import": "importerat resultat, källa {source}",
    "stated_in_report": "uppgift ur den senare rapporten {file}",
}
SAVED = {
    "added": "sparad",
    "replaced": "sparad och ersatte den tidigare versionen",
    "unchanged": "fanns redan, inget ändrades",
    "superseded": "sparades inte: en nyare version av rapporten har redan ersatt den",
}


def file_size(n_bytes: int) -> str:
    """ "51 kB", "12,3 MB" (10^3 and 10^6 bytes, as the upload limit counts)."""
    if n_bytes < 1_000_000:
        return f"{num(max(1, round(n_bytes / 1000)))} kB"
    return f"{num(n_bytes / 1_000_000)} MB"


def upload_preview(upload: Any) -> uploads.UploadPreview:
    """The preview of this upload, parsed once per file (not on every rerun)."""
    held = st.session_state.get("upload_preview")
    if held is None or held[0] != upload.file_id:
        with st.spinner("Läser rapporten …"):
            held = (upload.file_id, uploads.preview_upload(upload.getvalue(), upload.name))
        st.session_state["upload_preview"] = held
    return held[1]


def show_replacement(preview: uploads.UploadPreview, db: Path) -> None:
    """Warn before saving replaces a stored evaluation of the same municipality and year."""
    old = uploads.replacement(preview, cache.evaluations(db))
    ev = preview.evaluation
    if old is None or ev is None:
        return
    if old.same_file:
        st.info("Den här rapporten finns redan i databasen; inget ändras om du sparar den.")
        return
    template = ORIGIN_TEXT.get(old.origin, "{file}")
    origin = template.format(file=old.file_name, source=old.source_note or "–")
    st.warning(
        plain(
            f"Databasen har redan {ev.municipality} {ev.year}: {num(old.total)} poäng "
            f"({origin}). Sparar du ersätts den av den nya rapportens {num(ev.total)} poäng."
        )
    )


def n_rows(n: int) -> str:
    return f"{num(n)} rad" if n == 1 else f"{num(n)} rader"


def show_import_result(result: imports.ImportResult) -> None:
    """What an import stored, skipped and replaced; the file's values shown as plain text."""
    again = " (filen fanns redan, inget ändrades)" if result.status == "unchanged" else ""
    stored = "sparad" if result.rows_stored == 1 else "sparade"
    st.success(f"Importerat: {n_rows(result.rows_stored)} {stored}{again}.")
    for rows, what in [
        (result.skipped, "hoppades över"),
        (result.replaced, "ersatte tidigare värden"),
    ]:
        if rows:
            st.warning(f"{n_rows(len(rows))} {what}:")
            # st.text: a reason quotes the file (names, sources), never rendered as Markdown.
            st.text(
                "\n".join(f"Rad {line}: {text_of(notice)}" for line, notice in rows[:IMPORT_LINES])
            )
            if len(rows) > IMPORT_LINES:
                st.caption(f"Visar {num(IMPORT_LINES)} av {num(len(rows))}.")
    if result.warnings:
        shown = [text_of(w) for w in result.warnings[:IMPORT_LINES]]
        st.text("Varningar:\n" + "\n".join(shown))


leave_v1_mode()
db = current_db()
evals = load_evaluations(db)
st.title("Data")
st.write(
    "Rapporterna som finns i databasen, var varje siffra kommer ifrån, nedladdningar av alla "
    "tabeller och uppladdning av nya rapporter och publicerade resultat."
)
tabs = st.tabs(["Rapporter", "Ladda ner", "Ladda upp rapport", "Importera resultat"])

with tabs[0]:
    files = cache.reports(db)
    if files.empty:
        st.info("Inga rapporter ännu. Ladda upp en rapport under fliken ”Ladda upp rapport”.")
    else:
        st.dataframe(
            present_tables.formatted(
                files.assign(
                    sha256=files.sha256.str[:12] + "…",
                    Varningar=files.warnings.map(len),
                ).rename(
                    columns={
                        "file_name": "Fil",
                        "format": "Format",
                        "framework": "Ramverk",
                        "evaluations": "Utvärderingar",
                        "n_discrepancies": "Motsägelser",
                        "n_references": "Medelvärden",
                        "ingested_at": "Inläst (UTC)",
                        "parser_version": "Parser",
                    }
                )[
                    [
                        "Fil",
                        "Utvärderingar",
                        "Ramverk",
                        "Format",
                        "sha256",
                        "Motsägelser",
                        "Varningar",
                        "Medelvärden",
                        "Inläst (UTC)",
                    ]
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        with st.expander("Varningar från inläsningen"):
            # One text block: an element per warning stalls the page at national scale.
            warned, n_warned = warning_lines(
                zip(files.file_name, files.warnings, files.notices, strict=True), BROWSE_ROWS
            )
            st.text("\n".join(warned) or "Inga varningar.")
            if n_warned > BROWSE_ROWS:
                st.caption(f"Visar {num(BROWSE_ROWS)} av {num(n_warned)} varningar.")
        disc = cache.all_discrepancies(db)
        st.header("Motsägelser i rapporterna")
        st.dataframe(
            present_tables.formatted(
                pd.DataFrame(
                    {
                        "Kommun": disc.name,
                        "År": disc.year,
                        "Område": disc.area.map(lambda a: "Totalt" if pd.isna(a) else str(int(a))),
                        "Vad": disc.kind.map(DISCREPANCY),
                        "Angivet": disc.stated.map(num),
                        "Använt": disc.chosen.map(num),
                        "Rad": disc.line,
                        "Fil": disc.file_name,
                    }
                )
            ),
            hide_index=True,
            width="stretch",
        )
    st.header("Bläddra i tabellerna")
    tables = cache.tidy_table_names(db)
    name = st.selectbox("Tabell", tables, key="w_table")
    table = cache.tidy_table(db, name)
    st.dataframe(
        present_tables.formatted(table.head(BROWSE_ROWS)), hide_index=True, width="stretch"
    )
    if len(table) > BROWSE_ROWS:
        st.caption(
            f"Visar de första {num(BROWSE_ROWS)} av {num(len(table))} raderna; hela tabellen finns "
            "under fliken Ladda ner."
        )

with tabs[1]:
    st.write(
        "Alla tabeller i städad form med en README som beskriver kolumnerna och källorna. "
        "CSV-filerna öppnas rätt i svenska Excel (semikolon, decimalkomma, UTF-8)."
    )
    formats = {"csv": "CSV (svenska Excel)", "xlsx": "Excel (.xlsx)", "parquet": "Parquet"}
    fmt = st.radio("Format", list(formats), format_func=formats.get, horizontal=True, key="w_fmt")
    # Building every table (and an Excel workbook) takes a while at national scale: on
    # request, in a worker process (cache.export_zip), so other sessions never wait.
    if st.button("Skapa zip-fil med alla tabeller", key="make_zip"):
        st.session_state[f"zip:{fmt}"] = True
    if st.session_state.get(f"zip:{fmt}"):
        try:
            with st.spinner("Packar tabellerna …"):
                data = cache.export_zip(db, fmt)
        except KompassError as exc:
            st.session_state[f"zip:{fmt}"] = False
            st.error(error_text(exc, what="Zip-filen", verb="skapa"))
        else:
            st.download_button(
                f"Ladda ner alla tabeller: {formats[fmt]}",
                data,
                file_name=f"kommunkompassen-{fmt}.zip",
                mime="application/zip",
                key=f"dl_{fmt}",
            )
    one = st.selectbox("En tabell som CSV", cache.tidy_table_names(db), key="w_one")
    st.download_button(
        f"Ladda ner {one}.csv",
        cache.table_csv(db, one),
        file_name=f"{one}.csv",
        mime="text/csv",
        key="dl_one",
    )

with tabs[2]:
    st.write(
        "Ladda upp en Kommunkompass-rapport (.txt, .md eller .pdf med textlager, högst "
        f"{uploads.MAX_UPLOAD_MB} MB). Du ser först vad som lästes ut; inget sparas förrän du "
        "trycker på knappen."
    )
    # No type filter: Streamlit would refuse other files in English; preview_upload
    # refuses them in Swedish. The size limit is Streamlit's (its refusal stays English).
    upload = st.file_uploader(
        "Rapport (.txt, .md eller .pdf)",
        key="w_upload",
        max_upload_size=uploads.MAX_UPLOAD_MB,
        help=f"Dra filen hit eller välj den. Högst {uploads.MAX_UPLOAD_MB} MB.",
    )
    if upload is not None:
        preview = upload_preview(upload)
        st.text(f"Fil: {preview.name} ({file_size(preview.size)})")
        if preview.error:
            st.error(plain(preview.error))
        elif preview.evaluation is not None:
            ev = preview.evaluation
            st.success(
                plain(
                    f"{ev.municipality} {ev.year} ({ev.framework}-ramverket): "
                    f"{num(ev.total)} av 800 poäng"
                )
            )
            st.dataframe(
                present_tables.formatted(
                    pd.DataFrame(
                        {
                            "Område": [f"{a.number} {a.name}" for a in ev.areas],
                            "Poäng": [a.score for a in ev.areas],
                            "Delområden": [len(a.subareas) for a in ev.areas],
                            "Styrkor": [len(a.strengths) for a in ev.areas],
                            "Förbättringar": [len(a.improvements) for a in ev.areas],
                        }
                    )
                ),
                hide_index=True,
                width="stretch",
            )
            for d in ev.discrepancies:
                where = f"område {d.area}" if d.area else "totalen"
                st.warning(
                    f"Motsägelse i {where}: rapporten anger {num(d.stated)} (rad {d.line}), "
                    f"{num(d.chosen)} används."
                )
            if preview.warnings:
                st.text("\n".join(f"Varning: {text_of(w)}" for w in preview.warnings))
            show_replacement(preview, db)
            if st.button("Spara i databasen", type="primary", key="save_upload"):
                try:
                    result = uploads.save_upload(preview, upload.getvalue(), db)
                except KompassError as exc:
                    st.error(error_text(exc))
                else:
                    cache.clear()
                    verb = SAVED.get(result.status, result.status)
                    st.success(plain(f"{ev.municipality} {ev.year} {verb}."))
                    st.page_link(
                        "pages/profil.py",
                        label=plain(f"Öppna profilen för {ev.municipality} {ev.year}"),
                        query_params={"kommun": ev.municipality_code, "ar": str(ev.year)},
                    )

with tabs[3]:
    st.write(
        "Importera resultat som bara finns sammanfattade (kommunens webbplats, pressmeddelande), "
        "eller medelvärden att jämföra med. En fil med något fel sparas inte alls; felen visas "
        "med rad och kolumn."
    )
    with st.expander("Kolumner för resultat"):
        st.code(
            "kommun;ar;manad;ramverk;omrade1;…;omrade8;total;kalla\n"
            "Sala;2015;;2010;;;;;;;;;512;https://…",
            language=None,
        )
    with st.expander("Kolumner för medelvärden"):
        st.code("etikett;ramverk;ar;antal_kommuner;omrade1;…;omrade8;total;kalla", language=None)
    kind = st.radio("Vad importeras?", ["Resultat", "Medelvärden"], horizontal=True, key="w_kind")
    csv_file = st.file_uploader(
        "CSV-fil (.csv eller .txt)",
        key="w_import",
        max_upload_size=IMPORT_MB,
        help=f"Semikolon- eller kommaseparerad, högst {IMPORT_MB} MB.",
    )
    if csv_file is not None and st.button("Importera", key="do_import"):
        handler = imports.import_scores if kind == "Resultat" else imports.import_reference
        try:
            result = handler(csv_file.getvalue(), uploads.clean_name(csv_file.name), db)
        except imports.ImportValidationError as exc:
            st.error(f"Inget sparades. {num(len(exc.errors))} fel:")
            st.text("\n".join(text_of(e) for e in exc.errors[:IMPORT_LINES]))
        except KompassError as exc:
            st.error(error_text(exc))
        else:
            cache.clear()
            show_import_result(result)

if evals is not None and not evals.empty:
    st.caption(plain(f"Databas: {db.name} · {num(len(evals))} utvärderingar."))
