"""Data: what is stored and where it came from; downloads; uploads and imports."""

from pathlib import Path
from typing import Any

import streamlit as st

from kompass.errors import KompassError
from kompass.present import data_page
from kompass.present import tables as present_tables
from kompass.present.notices import text_of, warning_lines
from kompass.present.strings import error_text
from kompass.store import imports
from kompass.ui import cache, uploads
from kompass.ui.common import current_db, leave_v1_mode, load_evaluations, plain

BROWSE_ROWS = 1000
IMPORT_MB = imports.MAX_IMPORT_BYTES // 1_000_000
IMPORT_LINES = 50  # lines of skipped rows or errors shown after an import


def upload_preview(upload: Any) -> uploads.UploadPreview:
    """The preview of this upload, parsed once per file (not on every rerun)."""
    held = st.session_state.get("upload_preview")
    if held is None or held[0] != upload.file_id:
        with st.spinner(data_page.UPLOAD_SPINNER):
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
        st.info(data_page.ALREADY_STORED)
        return
    st.warning(
        plain(
            data_page.replacement_warning(ev, old.total, old.origin, old.file_name, old.source_note)
        )
    )


def show_import_result(result: imports.ImportResult) -> None:
    """What an import stored, skipped and replaced; the file's values shown as plain text."""
    st.success(data_page.imported_text(result.rows_stored, result.status == "unchanged"))
    for rows, what in [(result.skipped, data_page.SKIPPED), (result.replaced, data_page.REPLACED)]:
        if rows:
            st.warning(data_page.rows_heading(len(rows), what))
            # st.text: a reason quotes the file (names, sources), never rendered as Markdown.
            st.text(
                data_page.row_lines(
                    [(line, text_of(notice)) for line, notice in rows[:IMPORT_LINES]]
                )
            )
            if len(rows) > IMPORT_LINES:
                st.caption(data_page.shown_of(IMPORT_LINES, len(rows)))
    if result.warnings:
        st.text(data_page.import_warnings([text_of(w) for w in result.warnings[:IMPORT_LINES]]))


leave_v1_mode()
db = current_db()
evals = load_evaluations(db)
st.title(data_page.TITLE)
st.write(data_page.INTRO)
tabs = st.tabs(data_page.TABS)

with tabs[0]:
    files = cache.reports(db)
    if files.empty:
        st.info(data_page.NO_REPORTS)
    else:
        st.dataframe(
            present_tables.formatted(data_page.reports_table(files)),
            hide_index=True,
            width="stretch",
        )
        with st.expander(data_page.WARNINGS_EXPANDER):
            # One text block: an element per warning stalls the page at national scale.
            warned, n_warned = warning_lines(
                zip(files.file_name, files.warnings, files.notices, strict=True), BROWSE_ROWS
            )
            st.text("\n".join(warned) or data_page.NO_WARNINGS)
            if n_warned > BROWSE_ROWS:
                st.caption(data_page.shown_warnings(BROWSE_ROWS, n_warned))
        disc = cache.all_discrepancies(db)
        st.header(data_page.DISCREPANCIES_HEADING)
        st.dataframe(
            present_tables.formatted(data_page.discrepancies_table(disc)),
            hide_index=True,
            width="stretch",
        )
    st.header(data_page.BROWSE_HEADING)
    tables = cache.tidy_table_names(db)
    name = st.selectbox(data_page.TABLE_LABEL, tables, key="w_table")
    table = cache.tidy_table(db, name)
    st.dataframe(
        present_tables.formatted(table.head(BROWSE_ROWS)), hide_index=True, width="stretch"
    )
    if len(table) > BROWSE_ROWS:
        st.caption(data_page.browse_caption(BROWSE_ROWS, len(table)))

with tabs[1]:
    st.write(data_page.DOWNLOAD_INTRO)
    formats = data_page.FORMATS
    fmt = st.radio(
        data_page.FORMAT_LABEL, list(formats), format_func=formats.get, horizontal=True, key="w_fmt"
    )
    # Building every table (and an Excel workbook) takes a while at national scale: on
    # request, in a worker process (cache.export_zip), so other sessions never wait.
    if st.button(data_page.ZIP_BUTTON, key="make_zip"):
        st.session_state[f"zip:{fmt}"] = True
    if st.session_state.get(f"zip:{fmt}"):
        try:
            with st.spinner(data_page.ZIP_SPINNER):
                data = cache.export_zip(db, fmt)
        except KompassError as exc:
            st.session_state[f"zip:{fmt}"] = False
            st.error(error_text(exc, what=data_page.ZIP_WHAT, verb=data_page.ZIP_VERB))
        else:
            st.download_button(
                data_page.zip_button(fmt),
                data,
                file_name=f"kommunkompassen-{fmt}.zip",
                mime="application/zip",
                key=f"dl_{fmt}",
            )
    one = st.selectbox(data_page.ONE_TABLE_LABEL, cache.tidy_table_names(db), key="w_one")
    st.download_button(
        data_page.one_table_button(one),
        cache.table_csv(db, one),
        file_name=f"{one}.csv",
        mime="text/csv",
        key="dl_one",
    )

with tabs[2]:
    st.write(data_page.upload_intro(uploads.MAX_UPLOAD_MB))
    # No type filter: Streamlit would refuse other files in English; preview_upload
    # refuses them in Swedish. The size limit is Streamlit's (its refusal stays English).
    upload = st.file_uploader(
        data_page.UPLOAD_LABEL,
        key="w_upload",
        max_upload_size=uploads.MAX_UPLOAD_MB,
        help=data_page.upload_help(uploads.MAX_UPLOAD_MB),
    )
    if upload is not None:
        preview = upload_preview(upload)
        st.text(data_page.file_line(preview.name, preview.size))
        if preview.error:
            st.error(plain(preview.error))
        elif preview.evaluation is not None:
            ev = preview.evaluation
            st.success(plain(data_page.parsed_line(ev)))
            st.dataframe(
                present_tables.formatted(data_page.areas_table(ev)),
                hide_index=True,
                width="stretch",
            )
            for d in ev.discrepancies:
                st.warning(data_page.discrepancy_warning(d.area, d.stated, d.line, d.chosen))
            if preview.warnings:
                st.text(data_page.preview_warnings([text_of(w) for w in preview.warnings]))
            show_replacement(preview, db)
            if st.button(data_page.SAVE_BUTTON, type="primary", key="save_upload"):
                try:
                    result = uploads.save_upload(preview, upload.getvalue(), db)
                except KompassError as exc:
                    st.error(error_text(exc))
                else:
                    cache.clear()
                    st.success(plain(data_page.saved_text(ev, result.status)))
                    st.page_link(
                        "pages/profil.py",
                        label=plain(data_page.open_profile(ev)),
                        query_params={"kommun": ev.municipality_code, "ar": str(ev.year)},
                    )

with tabs[3]:
    st.write(data_page.IMPORT_INTRO)
    with st.expander(data_page.SCORES_COLUMNS_EXPANDER):
        st.code(data_page.SCORES_COLUMNS, language=None)
    with st.expander(data_page.MEANS_COLUMNS_EXPANDER):
        st.code(data_page.MEANS_COLUMNS, language=None)
    kind = st.radio(
        data_page.KIND_LABEL, [data_page.SCORES, data_page.MEANS], horizontal=True, key="w_kind"
    )
    csv_file = st.file_uploader(
        data_page.CSV_LABEL,
        key="w_import",
        max_upload_size=IMPORT_MB,
        help=data_page.csv_help(IMPORT_MB),
    )
    if csv_file is not None and st.button(data_page.IMPORT_BUTTON, key="do_import"):
        handler = imports.import_scores if kind == data_page.SCORES else imports.import_reference
        try:
            result = handler(csv_file.getvalue(), uploads.clean_name(csv_file.name), db)
        except imports.ImportValidationError as exc:
            st.error(data_page.nothing_saved(len(exc.errors)))
            st.text("\n".join(text_of(e) for e in exc.errors[:IMPORT_LINES]))
        except KompassError as exc:
            st.error(error_text(exc))
        else:
            cache.clear()
            show_import_result(result)

if evals is not None and not evals.empty:
    st.caption(plain(data_page.footer(db.name, len(evals))))
