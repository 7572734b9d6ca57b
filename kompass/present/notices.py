"""Coded notices (kompass.domain.notices) in Swedish: parse warnings and errors, import
errors, warnings and skipped or replaced rows.

Every code in `kompass.domain.notices.CODES` has a template here, worded from the
code's fields alone; `{x:n}` writes a field as a Swedish number (`strings.num`),
other fields are written as they are (lines, years, area numbers, labels). Text
without a code (warnings stored before schema version 3) is shown in English
with a Swedish lead-in.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kompass.domain.notices import Notice, from_records
from kompass.parse import ParseError
from kompass.present.strings import join_words, num

ENGLISH_LEAD_IN = "(på engelska) "
PARSE_ERROR_LEAD = "Filen kunde inte läsas som en Kommunkompass-rapport"

PARSE_WARNINGS = {
    "month_not_stated": "månaden för utvärderingen står inte i rapporten",
    "evaluation_number_not_stated": "rapporten säger inte vilken utvärdering i ordningen det är",
    "interviewees_not_stated": "antalet intervjuade står inte i rapporten",
    "evaluators_not_named": "utvärderarna namnges inte på titelsidan",
    "unknown_area_heading": (
        "rad {line}: rubriken för område {area}, ”{heading}”, är inget känt områdesnamn"
    ),
    "area_score_not_stated": "område {area}: områdets text anger ingen ”Poäng”",
    "area_no_findings": "område {area}: inga {kind_text} hittades",
    "findings_without_item_marks": (
        "rad {line}: fynden är skrivna som löptext utan punkter; varje tabellcell sparas "
        "som en punkt"
    ),
    "findings_without_columns": (
        "rad {line}: tabellen med fynd saknar kolumnavgränsare (text ur en PDF?); styrkor och "
        "förbättringsmöjligheter går inte att skilja åt, så tabellens punkter sparas inte"
    ),
    "no_subtotal_row": (
        "område {area}: poängöversikten har ingen rad med delsumma; summan av delområdena används"
    ),
    "subtotal_max_mismatch": (
        "område {area}: delområdenas maxpoäng summerar till {maxima:n}, men raden med "
        "delsumman anger {subtotal_max:n}"
    ),
    "summary_table_ignored": (
        "rad {line}: sammanfattningstabellen används inte: ”{label}” ger område {area} "
        "{score:n} poäng (tillåtet är 0–{limit:n})"
    ),
    "summary_total_ignored": (
        "rad {line}: sammanfattningstabellen: ”{label}” anger totalen {total:n} "
        "(tillåtet är 0–{limit:n}); den totalen används inte"
    ),
    "text_reshaped": (
        "textens radbrytningar återställdes innan den lästes (en sida per rad, sidhuvuden och "
        "sidnummer eller avstavade rader); radnumren avser den återställda texten, inte filen"
    ),
}
PARSE_ERRORS = {
    "not_a_regular_file": "ingen vanlig fil ({kind_text})",
    "file_too_large": "filen är {size_mb:n} MB; rapporter över {limit_mb:n} MB tas inte emot",
    "cannot_read_file": "filen går inte att läsa ({detail})",
    "file_empty": "filen är tom",
    "too_many_lines": (
        "texten har {lines:n} rader; en rapport har några tusen, och texter med över "
        "{limit:n} rader tas inte emot"
    ),
    "broken_utf16": "trasig UTF-16-text",
    "binary_file": "binärfil: varken text eller PDF",
    "unreadable_pdf": "PDF-filen går inte att läsa ({detail})",
    "pdf_without_text": "PDF-filen har inget textlager (inskannad?); det finns ingen text att läsa",
    "pdf_encryption_unsupported": (
        "PDF-filen är krypterad på ett sätt som inte går att öppna här ({detail}); "
        "spara en oskyddad kopia"
    ),
    "pdf_password": "PDF-filen är skyddad med lösenord; spara en oskyddad kopia",
    "not_a_report": "ordet ”Kommunkompassen” finns inte i texten",
    "no_area_headings": "rapporten är inte fullständig: rubrikerna ”Område 1” … ”Område 8” saknas",
    "areas_missing": "{areas_text} saknas: ingen rubrik ”Område {first_area} …” hittades",
    "headings_out_of_order": (
        "områdesrubrikerna står i fel ordning: ”Område {area}” före ”Område {before}”"
    ),
    "overview_not_found": (
        "poängöversikten ”Översikt av poängfördelning” hittades inte efter område 8 "
        "(är filen avkortad?)"
    ),
    "overview_area_missing": (
        "poängöversikten har ingen tabell med delområden för område {area} (är filen avkortad?)"
    ),
    "framework_unclear": (
        "oklart vilken generation av ramverket rapporten följer: rubrikerna ”Område …” "
        "stämmer varken med 2010- eller 2020-ramverkets områdesnamn"
    ),
    "summary_not_report": (
        "texten är en sammanfattning av resultat (poäng för {areas_text}), inte en hel "
        "rapport. Importera den under fliken ”Klistra in resultat” på sidan Data, eller "
        "med kommandot ”kompass import-text FIL --kalla KÄLLA”"
    ),
    "report_ends_after_contents": (
        "texten slutar efter innehållsförteckningen: inga områden ”Område 1” … ”Område 8” "
        "följer (är filen avkortad?)"
    ),
    "report_cut_off": (
        "rapporten slutar mitt i: det sista området som hittades är område {area} (”{name}”), "
        "resten saknas (är filen avkortad?)"
    ),
    "framework_before_2010": (
        "utvärderingen är från {year}, före 2010 års ramverk; sådana rapporter kan inte läsas"
    ),
    "unknown_municipality": "”{name}” är inte en av Sveriges 290 kommuner",
    "municipality_not_found": (
        "kommunen hittades inte: varken ”Utvärderingen av … kommun” eller en titel som namnger den"
    ),
    "year_not_found": (
        "året för utvärderingen hittades inte (i titeln eller i ”Utvärderingen av …”)"
    ),
    "year_out_of_range": (
        "{year} är inget Kommunkompass-år (från {first}, den första utvärderingen, till {last})"
    ),
    "negative_subarea_score": "poängöversikten: delområde {subarea} har ett negativt tal, {value}",
    "negative_subtotal": (
        "poängöversikten: raden med delsumma för område {area} har ett negativt tal, {value}"
    ),
    "overview_too_long": (
        "poängöversikten: de åtta tabellerna är inte kompletta inom {cells:n} celler "
        "(resten läses inte)"
    ),
    "subarea_without_numbers": (
        "poängöversikten: delområde {subarea} saknar talen för uppnått och max (är filen avkortad?)"
    ),
    "area_maxima_over_limit": (
        "poängöversikten: maxpoängen för delområdena i område {area} summerar till "
        "{maxima:n}, mer än {limit:n}"
    ),
    "area_table_incomplete": (
        "poängöversikten: tabellen för område {area} är ofullständig (maxpoängen summerar "
        "till {maxima:n} av 100 och raden med delsumma saknas; är filen avkortad?)"
    ),
    "subtotal_out_of_range": (
        "poängöversikten: delsumman för område {area}, {subtotal:n}, ligger utanför 0–{top:n}"
    ),
    "subarea_in_wrong_area": "poängöversikten: delområde {subarea} står under område {area}",
    "subarea_listed_twice": "poängöversikten: delområde {subarea} står två gånger",
    "subarea_max_out_of_range": (
        "poängöversikten: delområde {subarea} har maxpoängen {max:n} (ett område har "
        "{limit:n} poäng)"
    ),
    "subarea_score_out_of_range": (
        "poängöversikten: delområde {subarea} får {score:n} poäng av max {max:n}"
    ),
    "over_budget": "läsningen gick över sin gräns och stoppades ({detail})",
    "parser_failed": "ett fel i programmet stoppade läsningen ({detail})",
}
IMPORT_ERRORS = {
    "import_too_large": "filen är större än {limit_mb:n} MB",
    "import_utf16_unreadable": "filen börjar som UTF-16 men går inte att läsa",
    "import_utf16_without_bom": (
        "filen verkar vara UTF-16 utan BOM; spara den som CSV UTF-8 eller Unicode-text"
    ),
    "import_unknown_encoding": "filen är varken UTF-8, UTF-16 eller Windows-1252 (cp1252)",
    "import_empty": "filen är tom",
    "import_no_data_rows": "filen har inga datarader under rubrikraden",
    "import_unknown_column": 'rad {line}: okänd kolumn "{column}" (möjliga: {known})',
    "import_duplicate_column": "rad {line}: kolumnen {column} finns två gånger",
    "import_missing_column": "rad {line}: kolumnen {column} saknas",
    "import_unclosed_quote": (
        "rad {line}: citattecknet avslutas inte på samma rad (ett fält kan inte ha radbrytningar)"
    ),
    "import_text_after_quote": "rad {line}: text efter ett avslutande citattecken",
    "import_quote_in_field": (
        'rad {line}: citattecken inne i ett fält; sätt hela fältet inom citattecken och skriv ""'
        " för ett citattecken i texten"
    ),
    "import_too_many_fields": (
        "rad {line}: fler fält ({n_fields}) än kolumner ({n_columns}); står ett decimalkomma "
        "utan citattecken i en kommaseparerad fil?"
    ),
    "import_control_character": (
        "rad {line}, kolumn {column}: otillåtet styrtecken {char}; ta bort det ur filen"
    ),
    "import_value_missing": "rad {line}, kolumn {column}: {what} saknas",
    "import_not_a_number": 'rad {line}, kolumn {column}: "{value}" är inte ett tal',
    "import_number_out_of_range": (
        "rad {line}, kolumn {column}: {value:n} ligger utanför 0–{high:n}"
    ),
    "import_integer_out_of_range": (
        "rad {line}, kolumn {column}: {value} ligger utanför {low}–{high}"
    ),
    "import_not_a_year": 'rad {line}, kolumn {column}: "{value}" är inte ett årtal',
    "import_not_a_month": (
        'rad {line}, kolumn {column}: "{value}" är inte en månad (1–12 eller namnet)'
    ),
    "import_not_an_integer": 'rad {line}, kolumn {column}: "{value}" är inte ett heltal',
    "import_not_a_framework": (
        'rad {line}, kolumn {column}: "{value}" är inte ett ramverk (2010 eller 2020)'
    ),
    "import_unknown_municipality": (
        'rad {line}, kolumn {column}: "{value}" är ingen känd kommun (ange namn eller SCB-kod)'
    ),
    "import_no_scores": (
        "rad {line}: varken områdespoäng eller total; ange minst ett områdes poäng eller totalen"
    ),
    "import_duplicate_evaluation": (
        "rad {line}, kolumn kommun: {name} {year} finns redan på rad {first}"
    ),
    "import_duplicate_label": (
        'rad {line}, kolumn etikett: "{label}" med ramverk {framework} finns redan på rad '
        '{first}; ge serierna olika etiketter (t.ex. "{label} {year}")'
    ),
}
IMPORT_WARNINGS = {
    "import_framework_year": (
        "rad {line}: ramverk {framework} men år {year}; 2020-ramverket används i "
        "utvärderingar från 2020 – kontrollera ramverket"
    ),
    "import_reference_total": (
        "rad {line}: total {total:n} men områdena summerar till {sum:n}; den angivna totalen sparas"
    ),
    "import_total_mismatch": (
        "rad {line}: total {total:n} men områdena summerar till {sum:n}; den angivna totalen "
        "sparas och skillnaden sparas som en motsägelse"
    ),
    "import_reference_total_computed": (
        "rad {line}: ingen total angiven; totalen är summan av de åtta områdena, {sum:n}"
    ),
}
IMPORT_OUTCOMES = {
    "import_skipped_report_wins": (
        "{name} {year} finns redan från {origin_text} {file}; en rapport går före en import"
    ),
    "import_skipped_report_differs": (
        "{name} {year} finns redan från {origin_text} {file}; en rapport går före en import. "
        "Raden skiljer sig från rapporten i {columns}; skillnaderna sparas som motsägelser"
    ),
    "import_replaces_evaluation": "ersätter {name} {year} från {origin_text} {file}",
    "import_replaces_reference": 'ersätter "{label}" {year} från {file}',
}
PASTE_ERRORS = {
    "paste_too_long": (
        "texten har {value:n} tecken; högst {limit:n} tecken läses (klistra in bara "
        "sammanfattningen)"
    ),
    "paste_nothing_recognised": (
        "inget Kommunkompass-resultat hittades i texten: inga områdesnamn med poäng "
        "(t.ex. ”1. Offentlighet och demokrati 61”) och ingen total (t.ex. ”Totalt 506” "
        "eller ”506 av 800”)"
    ),
    "paste_source_missing": "ange källan (en webbadress eller en text)",
    "paste_unknown_municipality": "”{name}” är ingen känd kommun (ange namn eller SCB-kod)",
    "paste_municipality_missing": "texten säger inte vilken kommun det gäller; ange kommunen",
    "paste_year_missing": "texten säger inte vilket år utvärderingen gjordes; ange året",
}
PASTE_WARNINGS = {
    "paste_columns_mismatch": (
        "rad {line}: {n_fields:n} tal men {n_columns:n} kolumner; det första talet läses som "
        "poängen"
    ),
    "paste_area_twice": "rad {line}: område {area} står en gång till; det första värdet används",
    "paste_value_out_of_range": "rad {line}: {value:n} ligger utanför 0–{limit:n} och läses inte",
}
TEMPLATES: dict[str, str] = {
    **PARSE_WARNINGS,
    **PARSE_ERRORS,
    **IMPORT_ERRORS,
    **IMPORT_WARNINGS,
    **IMPORT_OUTCOMES,
    **PASTE_ERRORS,
    **PASTE_WARNINGS,
}

FINDING_KINDS = {
    "strengths": "styrkor",
    "partial": "delvis uppfyllda punkter",
    "improvements": "förbättringsmöjligheter",
}
FILE_KINDS = {
    "folder": "en mapp",
    "pipe": "en pipe",
    "device": "en enhet",
    "socket": "en socket",
}
ORIGINS = {
    "report": "rapporten",
    "import": "importen",
    "stated_in_report": "uppgiften i rapporten",
}
# A missing value, named by its column ("kommun saknas"); other columns say "värde".
MISSING = {"kommun": "kommun", "ar": "år", "kalla": "källa", "etikett": "etikett"}


class _Formatter(string.Formatter):
    """str.format with one more spec: `{x:n}` is a Swedish number."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "n":
            return number(value)
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def number(value: float) -> str:
    """A Swedish number with up to two decimals: "1\u00a0024", "12,25", "12,5"."""
    if float(value).is_integer():
        return num(value)
    return num(round(float(value), 2), 2).rstrip("0")


def notice_text(code: str, fields: Mapping[str, Any]) -> str:
    """The Swedish text of a notice with this code and these fields.

    KeyError for a code without a template or a field the template needs.
    """
    return _FORMATTER.format(TEMPLATES[code], **{**fields, **_derived(code, fields)})


def _derived(code: str, fields: Mapping[str, Any]) -> dict[str, str]:
    """Swedish words the templates need beside the fields themselves."""
    words: dict[str, str] = {}
    if "kind" in fields:
        kind = str(fields["kind"])
        words["kind_text"] = FINDING_KINDS.get(kind) or FILE_KINDS.get(kind, "inte en fil")
    if "origin" in fields:
        words["origin_text"] = ORIGINS.get(str(fields["origin"]), str(fields["origin"]))
    if "column" in fields:
        column = str(fields["column"])
        # An unnamed column is "#15" (its position): "kolumn nr 15".
        words["column"] = f"nr {column[1:]}" if column.startswith("#") else column
        words["what"] = MISSING.get(column, "värde")
    if "columns" in fields:
        words["columns_word"] = "kolumner" if "," in str(fields["columns"]) else "kolumn"
    if code in ("areas_missing", "summary_not_report"):
        areas = [str(a) for a in fields.get("areas") or []]
        words["areas_text"] = ("område " if len(areas) == 1 else "områdena ") + join_words(areas)
        words["first_area"] = areas[0] if areas else ""
    return words


def text_of(message: str) -> str:
    """A notice in Swedish; text without a (known) code in English with a Swedish lead-in."""
    if isinstance(message, Notice):
        try:
            return notice_text(message.code, message.fields)
        except (KeyError, IndexError, ValueError):
            pass
    return ENGLISH_LEAD_IN + str(message)


def texts_of(messages: Iterable[str]) -> list[str]:
    return [text_of(m) for m in messages]


def stored_texts(warnings: Sequence[str] | None, notices: object) -> list[str]:
    """`report.warnings` with `report.notices` (queries.reports' columns) in Swedish."""
    return texts_of(from_records(list(warnings if warnings is not None else []), notices))


def warning_lines(
    files: Iterable[tuple[str, Sequence[str] | None, object]], most: int
) -> tuple[list[str], int]:
    """ "file: warning" in Swedish for (file_name, warnings, notices) rows of
    `queries.reports`, the first `most` of them, and how many there are in all."""
    lines: list[str] = []
    count = 0
    for file_name, warnings, notices in files:
        n = 0 if warnings is None else len(warnings)
        if n and len(lines) < most:
            texts = stored_texts(warnings, notices)[: most - len(lines)]
            lines += [f"{file_name}: {text}" for text in texts]
        count += n
    return lines, count


def parse_error_text(exc: ParseError) -> str:
    """A ParseError in Swedish, naming its file and line: "Filen kunde inte läsas som en
    Kommunkompass-rapport (notes.txt, rad 12): …"."""
    where = ", ".join(
        part for part in (exc.source or "", f"rad {exc.line}" if exc.line else "") if part
    )
    lead = f"{PARSE_ERROR_LEAD} ({where})" if where else PARSE_ERROR_LEAD
    return f"{lead}: {text_of(exc.notice)}"
