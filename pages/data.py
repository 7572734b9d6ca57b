"""Data: what is stored and where it came from; downloads; uploads and imports."""

import pandas as pd
import streamlit as st

from kompass import imports, store, uploads
from kompass.strings import DISCREPANCY, num
from kompass.ui import cache
from kompass.ui.common import current_db, leave_v1_mode, load_evaluations

BROWSE_ROWS = 1000

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
    files = cache.query("reports", db)
    if files.empty:
        st.info("Inga rapporter ännu. Ladda upp en rapport under fliken ”Ladda upp rapport”.")
    else:
        st.dataframe(
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
                    "Parser",
                    "Inläst (UTC)",
                ]
            ],
            hide_index=True,
            width="stretch",
        )
        with st.expander("Varningar från inläsningen"):
            # One text block: an element per warning stalls the page at national scale.
            warned = [f"{f.file_name}: {w}" for f in files.itertuples() for w in f.warnings]
            st.text("\n".join(warned[:BROWSE_ROWS]) or "Inga varningar.")
            if len(warned) > BROWSE_ROWS:
                st.caption(f"Visar {BROWSE_ROWS} av {len(warned)} varningar.")
        disc = cache.query("all_discrepancies", db)
        st.subheader("Motsägelser i rapporterna")
        st.dataframe(
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
            ),
            hide_index=True,
            width="stretch",
        )
    st.subheader("Bläddra i tabellerna")
    tables = cache.tidy_table_names(db)
    name = st.selectbox("Tabell", tables, key="w_table")
    table = cache.tidy_table(db, name)
    st.dataframe(table.head(BROWSE_ROWS), hide_index=True, width="stretch")
    if len(table) > BROWSE_ROWS:
        st.caption(
            f"Visar de första {BROWSE_ROWS} av {len(table)} raderna; hela tabellen finns "
            "under fliken Ladda ner."
        )

with tabs[1]:
    st.write(
        "Alla tabeller i städad form med en README som beskriver kolumnerna och källorna. "
        "CSV-filerna öppnas rätt i svenska Excel (semikolon, decimalkomma, UTF-8)."
    )
    formats = {"csv": "CSV (svenska Excel)", "xlsx": "Excel (.xlsx)", "parquet": "Parquet"}
    fmt = st.radio("Format", list(formats), format_func=formats.get, horizontal=True, key="w_fmt")
    # Building every table (and an Excel workbook) takes a while at national scale: on request.
    if st.button("Skapa zip-fil med alla tabeller", key="make_zip"):
        st.session_state[f"zip:{fmt}"] = True
    if st.session_state.get(f"zip:{fmt}"):
        with st.spinner("Packar tabellerna …"):
            data = cache.export_zip(db, fmt)
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
        "Ladda upp en Kommunkompass-rapport (.txt, .md eller .pdf med textlager, högst 50 MB). "
        "Du ser först vad som lästes ut; inget sparas förrän du trycker på knappen."
    )
    upload = st.file_uploader("Rapport", type=["txt", "md", "pdf"], key="w_upload")
    if upload is not None:
        data = upload.getvalue()
        preview = uploads.preview_upload(data, upload.name)
        if preview.error:
            st.error(preview.error)
        else:
            ev = preview.evaluation
            st.success(
                f"{ev.municipality} {ev.year} ({ev.framework}-ramverket): "
                f"{num(ev.total)} av 800 poäng"
            )
            st.dataframe(
                pd.DataFrame(
                    {
                        "Område": [f"{a.number} {a.name}" for a in ev.areas],
                        "Poäng": [a.score for a in ev.areas],
                        "Delområden": [len(a.subareas) for a in ev.areas],
                        "Styrkor": [len(a.strengths) for a in ev.areas],
                        "Förbättringar": [len(a.improvements) for a in ev.areas],
                    }
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
            for w in preview.warnings:
                st.caption(f"Varning: {w}")
            if st.button("Spara i databasen", type="primary", key="save_upload"):
                try:
                    result = uploads.save_upload(preview, data, db)
                except store.StoreLockedError:
                    st.error(
                        "Databasen används just nu av en annan process. Försök igen om en stund."
                    )
                else:
                    cache.clear()
                    verb = {
                        "added": "sparad",
                        "replaced": "sparad och ersatte den tidigare versionen",
                        "unchanged": "fanns redan, inget ändrades",
                    }[result.status]
                    st.success(f"{ev.municipality} {ev.year} {verb}.")
                    st.page_link(
                        "pages/profil.py",
                        label=f"Öppna profilen för {ev.municipality} {ev.year}",
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
    csv_file = st.file_uploader("CSV-fil", type=["csv", "txt"], key="w_import")
    if csv_file is not None and st.button("Importera", key="do_import"):
        handler = imports.import_scores if kind == "Resultat" else imports.import_reference
        try:
            result = handler(csv_file.getvalue(), uploads.clean_name(csv_file.name), db)
        except imports.ImportValidationError as exc:
            st.error("Inget sparades. " + f"{len(exc.errors)} fel:")
            st.text("\n".join(exc.errors[:50]))
        except store.StoreLockedError:
            st.error("Databasen används just nu av en annan process. Försök igen om en stund.")
        else:
            cache.clear()
            st.success(
                f"Importerat: {result.rows} rader"
                + ("" if result.status != "unchanged" else " (filen fanns redan)")
            )
            for line, reason in result.skipped:
                st.caption(f"Rad {line} hoppades över: {reason}")

if evals is not None and not evals.empty:
    st.caption(f"Databas: {db.name} · {len(evals)} utvärderingar.")
