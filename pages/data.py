"""Data: what is stored and where it came from; downloads; uploads and imports."""

import hashlib
from pathlib import Path
from typing import Any

import streamlit as st

from kompass.domain.municipalities import municipalities
from kompass.errors import KompassError
from kompass.parse.pasted import PasteError, completed, recognise
from kompass.present import data_page
from kompass.present import pasted as paste_words
from kompass.present import tables as present_tables
from kompass.present.notices import text_of, warning_lines
from kompass.present.strings import error_text
from kompass.store import imports
from kompass.ui import access, cache, uploads
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


def paste_tab(db: Path) -> None:
    """Klistra in resultat: text and source, the preview with corrections, then save."""
    st.write(paste_words.INTRO)
    text = st.text_area(
        paste_words.TEXT_LABEL,
        key="w_paste",
        height=220,
        placeholder=paste_words.TEXT_PLACEHOLDER,
        help=paste_words.text_help(),
    )
    source = st.text_input(
        paste_words.SOURCE_LABEL, key="w_paste_source", help=paste_words.SOURCE_HELP
    )
    if not text.strip():
        return
    tag, pasted = recognised(text)
    if isinstance(pasted, PasteError):
        st.error(plain(paste_words.refused(text_of(pasted.notice))))
        return
    st.subheader(paste_words.RECOGNISED_HEADING)
    st.text(paste_words.recognised_line(pasted))
    kommun, year, framework = paste_corrections(pasted, tag)
    try:
        done = completed(pasted, source or "–", kommun, year, framework)
    except PasteError as exc:
        st.warning(plain(paste_words.refused(text_of(exc.notice))))
        return
    # Every cell is text: a value from the paste is never rendered as Markdown.
    st.dataframe(
        paste_words.preview_table(done),
        hide_index=True,
        width="stretch",
        # The area names are long: on a phone the numbers beside them must stay in view.
        column_config={paste_words.AREA_HEADER: st.column_config.TextColumn(width="medium")},
    )
    st.dataframe(paste_words.series_table(done), hide_index=True, width="stretch")
    if done.notices:
        st.text(data_page.preview_warnings([text_of(n) for n in done.notices]))
    if not source.strip():
        st.info(paste_words.NEED_SOURCE)
    if st.button(
        paste_words.SAVE_BUTTON, type="primary", key="save_paste", disabled=not source.strip()
    ):
        save_paste(completed(pasted, source, kommun, year, framework), source, db)


def recognised(text: str) -> tuple[str, Any]:
    """(a tag of the text, what `recognise` made of it: a Pasted or the PasteError), read
    once per text, not on every rerun (a long paste takes a second or two)."""
    tag = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:12]
    held = st.session_state.get("paste_recognised")
    if held is None or held[0] != tag:
        try:
            held = (tag, recognise(text))
        except PasteError as exc:
            held = (tag, exc)
        st.session_state["paste_recognised"] = held
    return held


def paste_corrections(pasted: Any, tag: str) -> tuple[str | None, int | None, str | None]:
    """Municipality, year and framework, prefilled from the text; the user may correct them.

    The widgets' keys carry the text's tag, so a new paste starts from its own recognition.
    """
    codes = [m.code for m in municipalities()]
    names = {m.code: m.name for m in municipalities()}
    left, middle, right = st.columns(3)
    kommun = left.selectbox(
        paste_words.MUNICIPALITY_LABEL,
        codes,
        index=codes.index(pasted.municipality) if pasted.municipality in names else None,
        format_func=names.get,
        key=f"w_paste_kommun_{tag}",
    )
    year = middle.number_input(
        paste_words.YEAR_LABEL,
        min_value=2002,
        max_value=2100,
        value=pasted.year,
        step=1,
        key=f"w_paste_year_{tag}",
    )
    frameworks = list(paste_words.FRAMEWORKS)
    framework = right.selectbox(
        paste_words.FRAMEWORK_LABEL,
        frameworks,
        index=frameworks.index(pasted.framework) if pasted.framework in frameworks else None,
        key=f"w_paste_framework_{tag}",
    )
    return kommun, None if year is None else int(year), framework


def save_paste(done: Any, source: str, db: Path) -> None:
    """Store the paste through the imports; say what was stored and skipped, or why not."""
    try:
        name = paste_words.saved_file_name(source)
        saved = access.audited("paste", name, None, paste_words.save_pasted, done, name, db)
    except imports.ImportValidationError as exc:
        st.error(data_page.nothing_saved(len(exc.errors)))
        st.text("\n".join(text_of(e) for e in exc.errors[:IMPORT_LINES]))
        return
    except KompassError as exc:
        st.error(error_text(exc))
        return
    cache.clear()
    st.success(paste_words.SAVED)
    st.text("\n".join(paste_words.saved_lines(saved)))
    reasons = [text_of(reason) for _, result in saved.results for _, reason in result.skipped]
    if reasons:
        st.warning(data_page.rows_heading(len(reasons), data_page.SKIPPED))
        st.text("\n".join(reasons))


leave_v1_mode()
db = current_db()
evals = load_evaluations(db)
st.title(data_page.TITLE)
st.write(data_page.INTRO)
access.read_only_note()  # a read-only app: how new data arrives instead of uploads
# The first two tabs read; the others (upload, import) write and are not offered read-only.
tabs = st.tabs(data_page.TABS if access.can_write() else data_page.TABS[:2])

with tabs[0]:
    files = cache.reports(db)
    if files.empty:
        st.info(data_page.NO_REPORTS)
    else:
        st.dataframe(
            present_tables.formatted(data_page.reports_table(files), missing="–"),
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
    # Only the rows shown, built in a child process: all tables would double the server's memory.
    table, n_rows = cache.tidy_table_head(db, name, BROWSE_ROWS)
    st.dataframe(
        present_tables.formatted(table, missing=present_tables.MISSING_VALUE),
        hide_index=True,
        width="stretch",
    )
    if n_rows > BROWSE_ROWS:
        st.caption(data_page.browse_caption(BROWSE_ROWS, n_rows))

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

if not access.can_write():  # no upload, import or paste below this line
    if evals is not None and not evals.empty:
        st.caption(plain(data_page.footer(db.name, len(evals))))
    st.stop()

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
                    data = upload.getvalue()
                    result = access.audited(
                        "upload", upload.name, data, uploads.save_upload, preview, data, db
                    )
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
            data, name = csv_file.getvalue(), uploads.clean_name(csv_file.name)
            result = access.audited("import", name, data, handler, data, name, db)
        except imports.ImportValidationError as exc:
            st.error(data_page.nothing_saved(len(exc.errors)))
            st.text("\n".join(text_of(e) for e in exc.errors[:IMPORT_LINES]))
        except KompassError as exc:
            st.error(error_text(exc))
        else:
            cache.clear()
            show_import_result(result)

with tabs[4]:
    paste_tab(db)

if evals is not None and not evals.empty:
    st.caption(plain(data_page.footer(db.name, len(evals))))
