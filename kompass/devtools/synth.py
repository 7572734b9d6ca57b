"""Synthetic Kommunkompassen reports with known true values (issue #5).

`make_truth` draws an evaluation (scores, sub-areas, findings, metadata,
optional summary columns and deliberate discrepancies); `render_text` writes
it as a report in the layout of one of the five samples in `data/reports/`;
`render_pdf` turns that text into a PDF (fpdf2, like `tests/helpers/pdfmaker.py`);
`write_corpus` writes many reports over Sweden's 290 municipalities for the
demo database and the benchmark. `compare` lists where a parse differs from
its truth: the round-trip tests and the benchmark use it.

Layouts (what each one copies from its sample):

- `sala`: "Poäng" near the end of an area, `<ul>` "•" items, a summary table
  with this evaluation, the previous one and "Medel 2020-".
- `burlov`: "Rubriker / Poäng" at the top, `<ul>` items, findings tables
  continued under a repeated header, sub-area code and name in one cell.
- `hoganas`: 2010 names incl. the 2016 aliases ("Ständiga förbättringar"),
  `<p>69</p>` scores, continuation rows without header, glued items.
- `lund`: three columns with "Finns delar, kan bli bättre", decimal commas,
  no evaluators named, "Kortfakta".
- `svenljunga`: `<p>` items, continued under a repeated header.

Speed matters (the benchmark ingests 2,000 reports): prose comes from a
small word list and every report is built as one list of lines.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kompass.domain.frameworks import canonical_name
from kompass.domain.municipalities import Municipality, municipalities
from kompass.parse.model import Area, Evaluation
from kompass.present.strings import join_words

if TYPE_CHECKING:
    from fpdf import FPDF

LAYOUTS = ("sala", "burlov", "hoganas", "lund", "svenljunga")
DISCREPANCY_KINDS = ("area_header", "subarea_sum", "summary_table")
PDF_DISCREPANCY_KINDS = ("area_header", "subarea_sum")
FIRST_2020_YEAR = 2020
MONTH_NAMES = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
ORDINAL_WORDS = ("första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde")
# A published national mean per generation, the same in every synthetic report.
REFERENCE_SCORES = {
    "2020": (64.0, 65.0, 71.0, 64.0, 61.0, 57.0, 68.0, 65.0),
    "2010": (58.0, 56.0, 60.0, 55.0, 54.0, 52.0, 50.0, 57.0),
}
UL = '<ul style="list-style-type: none">'


# --- the truth ---------------------------------------------------------------------


@dataclass
class SubAreaTruth:
    code: str
    name: str
    score: float
    max: float


@dataclass
class AreaTruth:
    number: int
    name: str  # canonical name of the framework generation
    score: float  # the subtotal row: the number that wins
    subareas: list[SubAreaTruth]
    strengths: list[str]
    partial: list[str]
    improvements: list[str]
    stated_score: float  # the area's own "Poäng"
    summary_score: float  # this area in the summary table (where the layout has one)


@dataclass
class SeriesTruth:
    """A column of the summary table: a previous evaluation or a reference mean."""

    label: str
    year: int
    scores: list[float]
    total: float


@dataclass
class DiscrepancyTruth:
    area: int
    kind: str  # area_header | subarea_sum | summary_table
    stated: float
    chosen: float


@dataclass
class Truth:
    municipality_code: str
    municipality: str
    year: int
    month: int | None
    framework: str
    evaluation_number: int | None
    interviewees: int | None
    evaluators: list[str]
    areas: list[AreaTruth]
    total: float
    decimals: bool  # decimal sub-area scores (2010 series, like lund-2011)
    previous: SeriesTruth | None = None
    reference: SeriesTruth | None = None
    discrepancies: list[DiscrepancyTruth] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    layout: str = ""  # set by write_corpus
    file_name: str = ""  # set by write_corpus


@dataclass(frozen=True)
class Layout:
    """What a layout shows of the truth."""

    partial: bool  # a "Finns delar, kan bli bättre" column
    evaluators: bool  # evaluators named in the title block
    summary: bool  # a summary table (this evaluation, previous, mean)
    facts: bool  # a "Kortfakta" section


LAYOUT_FEATURES = {
    "sala": Layout(partial=False, evaluators=True, summary=True, facts=False),
    "burlov": Layout(partial=False, evaluators=True, summary=False, facts=False),
    "hoganas": Layout(partial=False, evaluators=True, summary=False, facts=False),
    "lund": Layout(partial=True, evaluators=False, summary=False, facts=True),
    "svenljunga": Layout(partial=False, evaluators=True, summary=False, facts=False),
}


# --- word lists ----------------------------------------------------------------------

# Sub-area names per generation and area, modelled on the samples (2020: sala,
# burlov, svenljunga; 2010: hoganas, lund). None ends in a number: the score
# overview peels trailing numbers off a name.
SUBAREA_NAMES: dict[str, dict[int, tuple[str, ...]]] = {
    "2020": {
        1: ("Strategi för demokratiutveckling och information",
            "Kommunens information till medborgarna",
            "Medborgarnas möjlighet till dialog med politiken", "Transparens kring resultat",
            "Förutsättningar för politiken", "Förtroendevaldas roll och uppdrag",
            "Hot och hat mot förtroendevalda"),
        2: ("Strategiskt arbete", "Social hållbarhet", "Ekologisk hållbarhet",
            "Civilsamhälle, näringsliv och kultur", "Trygghet och folkhälsa",
            "Samverkan i regionen", "Fysisk planering"),
        3: ("Strategi för styrning", "Politisk styrning", "Uppföljning och analys",
            "Samspel mellan förtroendevald respektive tjänsteperson", "Koncernstyrning",
            "Intern kontroll", "Ärendeberedning"),
        4: ("Strategi för ökad effektivitet", "Långsiktig planering för ökad effektivitet",
            "Jämförelser för ökad effektivitet", "Ny teknik som ökar effektivitet",
            "Samverkan för ökad effektivitet", "Nya arbetssätt", "Resursfördelning"),
        5: ("Strategi för brukarens fokus", "Fokus på service och bemötande",
            "Förenklade kontakter med kommunen", "Information kring kommunens serviceutbud",
            "Brukarinflytande", "Synpunkts- och klagomålshantering",
            "Möjlighet att påverka utformningen av de egna tjänsterna"),
        6: ("Strategi för kvalitetsutveckling", "Centrala utvecklingsinsatser för bättre kvalitet",
            "Innovation och ständiga förbättringar", "Lära av goda exempel",
            "Samverkan för kvalitetsutveckling", "Systematiskt förbättringsarbete",
            "Digital utveckling"),
        7: ("Strategier för ett hållbart arbetsliv", "Strategisk kompetensförsörjning",
            "Arbetsmiljö", "Lika rättigheter och möjligheter på arbetsplatsen",
            "Hälsa och sjukfrånvaro", "Attraktiv arbetsgivare", "Lönebildning"),
        8: ("Strategi för chefs- och ledarskap samt medarbetarskap",
            "Högsta cheferna som förebilder", "Chefernas uppdrag och förutsättningar",
            "Intern kommunikation", "Utveckling av ledarskap och medarbetarskap",
            "Chefsrekrytering", "Medarbetarnas delaktighet"),
    },
    "2010": {
        1: ("Finns en plan/strategi för demokratiutveckling och information?",
            "Hur informeras medborgarna?", "Hur informeras medborgarna om resultat?",
            "Hur främjas medborgardialog och deltagande?",
            "Etik - hur hanteras korruption?", "Hur stöds de förtroendevalda i sitt uppdrag?",
            "Finns tillgängliga protokoll och handlingar?"),
        2: ("Finns det en kommunövergripande strategi för brukarorientering?",
            "Hur arbetar kommunen med tillgänglighet och bemötande?",
            "Hur informerar kommunen om service och tjänster?",
            "Hur arbetar kommunen med valfrihet och brukarens påverkan på serviceutbudet?",
            "Hur arbetar kommunen med brukarundersökningar?",
            "Hur arbetar kommunen med synpunkts- och klagomålshantering?",
            "Finns service- och kvalitetsdeklarationer?"),
        3: ("Genomsyras hela organisationen av ett helhetstänkande avseende styrning?",
            "Styrs kommunen av tydliga politiska mål?",
            "Hur rapporterar förvaltningen till den politiska nivån?",
            "Hur är delegation och ansvarsfördelning mellan politisk och tjänstemannanivå?",
            "Hur främjas den ömsesidiga förståelsen av roller och spelregler?",
            "Hur styrs de kommunala bolagen?", "Hur används internkontrollen?"),
        4: ("Finns kommunövergripande strategi för ledarskap, ansvar och delegation?",
            "Vilket ansvar har resultatenheterna för budget, personal och organisation?",
            "Hur beskrivs inriktning och ansvar för tvärsektoriellt samarbete?",
            "Hur tydliggörs det personliga uppdraget för alla chefer?",
            "Hur utövas den centrala ledningen över underställda enheter?",
            "Hur bedrivs kommunens ledarutveckling?", "Hur följs chefernas uppdrag upp?"),
        5: ("Strategi för resultatstyrning och effektivitetsutveckling",
            "Hur tydliggör kommunen sambandet mellan kostnader och resultat?",
            "Hur arbetar kommunen med arbetsprocesser, uppföljning och kontroll?",
            "Hur förs strategiska diskussioner kring resurser och resultat?",
            "Hur aktivt används jämförelser i serviceutvecklingen?",
            "Hur sker extern samverkan för att öka effektiviteten?",
            "Hur används nyckeltal i budgetarbetet?"),
        6: ("Finns en kommunövergripande personalstrategi?",
            "Hur rekryteras nya medarbetare?",
            "Hur stor vikt läggs vid kompetens- och medarbetarutveckling?",
            "Hur sker individuell lönesättning och belöning av goda prestationer?",
            "Hur bedrivs kommunens arbetsmiljöarbete?",
            "Hur arbetar kommunen med mångfald?", "Hur används medarbetarundersökningar?"),
        7: ("Hur beskrivs övergripande strategiskt kvalitetsarbete?",
            "Vilka metoder och verktyg finns för verksamhetsutveckling?",
            "Hur sker lärande genom omvärldsspaning och samverkan?",
            "Hur arbetar kommunen med kreativitet och innovationer?",
            "Hur arbetar kommunen med IT-stöd för att effektivisera arbetet?",
            "Hur tas förbättringsförslag om hand?", "Hur analyseras avvikelser?"),
        8: ("Har kommunen övergripande planer för samhällsbyggande?",
            "Hur samverkar kommunen med aktörer inom civilsamhället?",
            "Hur samverkar kommunen med kulturlivet?",
            "Vilken är kommunens roll i utveckling av näringslivet?",
            "Hur arbetar kommunen med internationella kontakter?",
            "Hur arbetar kommunen med hållbar utveckling? (miljö – ekonomiskt – socialt)",
            "Hur främjas social hållbarhet?"),
    },
}  # fmt: skip

# Title of a sub-area table where it differs from the heading (sala-2023, burlov-2020).
TABLE_TITLES = {
    ("2020", 1): ("Offentlighet och demokrati",),
    ("2020", 8): ("Chefs- och ledar- samt medarbetarskap",),
    ("2010", 6): ("Kommunen som arbetsgivare - personalpolitik",),
}


def _word_list(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Lower-case words for prose and findings; no digits, no ordinals, no "Poäng".
WORDS = _word_list(
    """kommunen arbetet strategi uppföljning medborgarna dialog utveckling kvalitet styrning
    politiska mål resultat verksamheterna tydlig systematisk samverkan näringslivet ledarskap
    medarbetarna hållbarhet information webben analys beslut nämnderna förvaltningen ansvar
    kommunikation tillit planering jämförelser brukarna service bemötande delaktighet
    ekonomi budget fullmäktige styrelsen cheferna organisationen helhetssyn förbättringar
    innovation digitalisering arbetsmiljö kompetens rekrytering värdegrund vision uppdrag
    och med för att av i på som till inom mellan genom kring samt det en ett de är har kan
    ska bör behöver finns sker görs god goda stark starkt tydligare bättre fler nya gemensam
    långsiktig strukturerad aktivt tidigt regelbundet öppet brett"""
)
STARTS = _word_list(
    """Arbetet Tydlig Utveckla Stärk Fortsätt Öka Systematisk Kommunens Medborgarnas God
    Strategin Uppföljningen Samverkan Dialogen Ledningen Politikens Förvaltningens Nya
    Gemensam Digital Bred Etablerad Införa Förtydliga Säkerställ Väl Aktiv"""
)
FIRST_NAMES = (
    "Anna", "Leif", "Johan", "Christine", "Hanna", "Maria", "Karin", "Erik", "Lars",
    "Eva", "Per", "Ulrika", "Mikael", "Sofia", "Åsa", "Örjan", "Björn", "Ingrid",
)  # fmt: skip
LAST_NAMES = (
    "Eldås", "Feuk", "Lundborg", "Marnell", "Bergström", "Andersson", "Lindqvist",
    "Nyström", "Öberg", "Åkesson", "Hägg", "Sjöberg", "Wallin", "Ekström",
)  # fmt: skip
EVALUATOR_ORGS = ("Katrineholms kommun", "Jönköpings kommun", "Kristianstads kommun")
INTRO = (
    "Kommunkompassen är ett verktyg för utvärdering och analys av en kommuns sätt att styra "
    "och leda utifrån kommunfullmäktiges perspektiv.",
    "Kommunkompassen utvärderar inte verksamhetens resultat utan hur kommunen leder "
    "organisationen utifrån ett helhetsperspektiv.",
    "Vid en utvärdering inhämtar utvärderarna information från tre källor: intervjuer, "
    "kommunens styrdokument samt kommunens hemsida och sociala medier.",
    "De åtta huvudområdena är:",
)


# --- making a truth ------------------------------------------------------------------


def framework_of_year(year: int) -> str:
    """2010 series before 2020, 2020 series from 2020 on."""
    return "2020" if year >= FIRST_2020_YEAR else "2010"


def make_truth(
    rng: random.Random,
    code: str,
    year: int,
    framework: str | None = None,
    *,
    discrepancies: Sequence[str] = (),
    previous: Truth | None = None,
) -> Truth:
    """A random evaluation of municipality `code` in `year` with known true values.

    `discrepancies` names kinds (DISCREPANCY_KINDS) to build in, each in its
    own area. `previous` (an earlier truth) becomes the summary table's
    previous column; without it one is drawn at random now and then.
    """
    municipality = _municipalities_by_code().get(code)
    if municipality is None:
        raise ValueError(f"no municipality with code {code!r}")
    framework = framework or framework_of_year(year)
    if framework not in SUBAREA_NAMES:
        raise ValueError(f"framework must be '2010' or '2020', not {framework!r}")
    if len(discrepancies) > 8 or not set(discrepancies) <= set(DISCREPANCY_KINDS):
        raise ValueError(f"discrepancies: at most 8 of {DISCREPANCY_KINDS}")
    decimals = framework == "2010" and rng.random() < 0.4
    level = rng.uniform(0.35, 0.85)
    areas = [_make_area(rng, framework, n, level, decimals) for n in range(1, 9)]
    truth = Truth(
        municipality_code=municipality.code,
        municipality=municipality.name,
        year=year,
        month=rng.randint(1, 12) if rng.random() < 0.9 else None,
        framework=framework,
        evaluation_number=_evaluation_number(rng, previous),
        interviewees=rng.randint(15, 60) if rng.random() < 0.9 else None,
        evaluators=_evaluators(rng),
        areas=areas,
        total=0.0,
        decimals=decimals,
        facts=_facts(municipality),
    )
    truth.previous = _previous_series(rng, truth, previous)
    if truth.previous is not None and truth.evaluation_number == 1:
        truth.evaluation_number = 2
    if rng.random() < 0.8 or "summary_table" in discrepancies:
        truth.reference = _reference_series(framework)
    _add_discrepancies(rng, truth, discrepancies)
    truth.total = round(sum(a.score for a in truth.areas), 2)
    return truth


def _make_area(
    rng: random.Random, framework: str, number: int, level: float, decimals: bool
) -> AreaTruth:
    pool = SUBAREA_NAMES[framework][number]
    count = rng.randint(4, 6) if framework == "2020" else rng.randint(5, 7)
    names = [pool[i] for i in sorted(rng.sample(range(len(pool)), count))]
    maxima = _maxima(rng, count)
    share = min(1.0, max(0.05, level + rng.uniform(-0.2, 0.2)))
    subareas = [
        SubAreaTruth(f"{number}.{i}", name, _sub_score(rng, top, share, decimals), float(top))
        for i, (name, top) in enumerate(zip(names, maxima, strict=True), start=1)
    ]
    score = _subtotal(sum(s.score for s in subareas), decimals)
    return AreaTruth(
        number=number,
        name=_canonical_names(framework)[number - 1],
        score=score,
        subareas=subareas,
        strengths=_items(rng, 2 + int(rng.random() * 7)),
        partial=_items(rng, 1 + int(rng.random() * 5)),
        improvements=_items(rng, 1 + int(rng.random() * 7)),
        stated_score=float(_round_half_up(score)),
        summary_score=score,
    )


@cache
def _canonical_names(framework: str) -> tuple[str, ...]:
    return tuple(canonical_name(framework, n) for n in range(1, 9))


@cache
def _municipalities_by_code() -> dict[str, Municipality]:
    return {m.code: m for m in municipalities()}


def _maxima(rng: random.Random, count: int) -> list[int]:
    """`count` maxima, multiples of 5 between 10 and 40, adding up to 100."""
    maxima = [10] * count
    left = 100 - 10 * count
    while left:
        slot = int(rng.random() * count)
        if maxima[slot] < 40:
            maxima[slot] += 5
            left -= 5
    return maxima


def _sub_score(rng: random.Random, top: int, share: float, decimals: bool) -> float:
    raw = min(float(top), max(0.0, top * (share + rng.uniform(-0.15, 0.15))))
    if not decimals:
        return float(round(raw))
    if rng.random() < 0.1:
        return round(round(raw * 4) / 4, 2)  # "1,75"
    return round(raw, 1)


def _subtotal(value: float, decimals: bool) -> float:
    return round(value, 1) if decimals else round(value, 2)


def _round_half_up(value: float) -> int:
    return int(value + 0.5 + 1e-9)


def _items(rng: random.Random, count: int) -> list[str]:
    """Findings: a capitalised word and 3–14 lower-case words, no closing punctuation."""
    starts = rng.choices(STARTS, k=count)
    return [f"{start} {_words(rng, 3 + int(rng.random() * 12))}" for start in starts]


@cache
def _word_stream() -> tuple[str, ...]:
    """A fixed run of random words; text is cut from it at random offsets."""
    return tuple(random.Random(0).choices(WORDS, k=8192))


def _words(rng: random.Random, count: int) -> str:
    """`count` words from a random place in the word stream (one draw, not `count`)."""
    stream = _word_stream()
    at = int(rng.random() * (len(stream) - count))
    return " ".join(stream[at : at + count])


def _evaluation_number(rng: random.Random, previous: Truth | None) -> int | None:
    if previous is not None:
        number = previous.evaluation_number
        return number + 1 if number and number < len(ORDINAL_WORDS) else None
    return rng.choice((1, 1, 1, 2, 2, 3, None))


def _evaluators(rng: random.Random) -> list[str]:
    count = rng.choice((1, 2, 2, 3))
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in names:
            names.append(name)
    return names


def _facts(municipality: Municipality) -> dict[str, str]:
    facts = {"Kommungrupp enligt SKR:s definitioner": municipality.kommungrupp_name}
    if municipality.population:
        facts["Folkmängd"] = f"{municipality.population:,}".replace(",", " ")
    return facts


def _previous_series(
    rng: random.Random, truth: Truth, previous: Truth | None
) -> SeriesTruth | None:
    if previous is not None:
        scores = [a.score for a in previous.areas]
        label = f"{truth.municipality} {previous.year}"
        return SeriesTruth(label, previous.year, scores, previous.total)
    if truth.evaluation_number in (1, None) or rng.random() < 0.4:
        return None
    year = truth.year - rng.randint(3, 5)
    scores = [float(rng.randint(25, 80)) for _ in range(8)]
    return SeriesTruth(f"{truth.municipality} {year}", year, scores, sum(scores))


def _reference_series(framework: str) -> SeriesTruth:
    scores = list(REFERENCE_SCORES[framework])
    year = int(framework)
    return SeriesTruth(f"Medel {year}-", year, scores, sum(scores))


def _add_discrepancies(rng: random.Random, truth: Truth, kinds: Sequence[str]) -> None:
    """Make the report contradict itself in one area per kind (DESIGN.md, "Which number wins")."""
    for kind, number in zip(kinds, rng.sample(range(1, 9), len(kinds)), strict=True):
        area = truth.areas[number - 1]
        if kind == "area_header":
            area.stated_score = _off_by(rng, _round_half_up(area.score))
            stated = area.stated_score
        elif kind == "summary_table":
            area.summary_score = _off_by(rng, area.score)
            stated = area.summary_score
        else:  # subarea_sum: the subtotal row does not add up
            stated = round(sum(s.score for s in area.subareas), 2)
            area.score = _off_by(rng, stated)
            area.stated_score = float(_round_half_up(area.score))
            area.summary_score = area.score
        truth.discrepancies.append(DiscrepancyTruth(number, kind, stated, area.score))


def _off_by(rng: random.Random, value: float) -> float:
    """A value 2–6 away from `value`, still within 0–100."""
    steps = [d for d in (-6, -5, -4, -3, -2, 2, 3, 4, 5, 6) if 0 <= value + d <= 100]
    return round(value + rng.choice(steps), 2)


# --- rendering text ------------------------------------------------------------------


def render_text(truth: Truth, layout: str, rng: random.Random) -> str:
    """The report as text in the layout of one of the samples (see LAYOUTS)."""
    if layout not in LAYOUT_FEATURES:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    lines = [
        *_title(truth, layout, rng),
        *_contents(truth, layout),
        *_intro(truth),
        *_evaluation(truth, layout, rng),
    ]
    for area in truth.areas:
        lines += _area(truth, area, layout, rng)
    lines += _overview(truth, layout, rng)
    if LAYOUT_FEATURES[layout].facts:
        lines += _kortfakta(truth)
    return "\n".join(lines) + "\n"


def _genitive(name: str) -> str:
    return name if name[-1] in "sxz" else f"{name}s"


def _org(year: int) -> str:
    return "SKR" if year >= 2019 else "SKL"


def _title(truth: Truth, layout: str, rng: random.Random) -> list[str]:
    name, year, org = truth.municipality, truth.year, _org(truth.year)
    names = truth.evaluators
    month = MONTH_NAMES[truth.month - 1] if truth.month else ""
    if layout == "sala":
        return ["", f"Kommunkompassen - Utvärdering av {name} kommun {year}", "",
                f"{join_words(list(names))}, {org}", "", ""]  # fmt: skip
    if layout == "burlov":
        date = f"{year}-{truth.month:02d}-{rng.randint(1, 28):02d} " if truth.month else ""
        return ["", f"Kommunkompassen Analys av {_genitive(name)} kommun", "",
                f"{date}Utvärderare {join_words(list(names))}, {org}", "",
                "Sveriges", "Kommuner", "och Regioner", ""]  # fmt: skip
    if layout == "hoganas":
        return ["", "KommunKompassen", "", f"ANALYS AV {name.upper()} KOMMUN {year}", "",
                *_hoganas_evaluators(names, org, rng), ""]  # fmt: skip
    if layout == "lund":
        return ["", "KommunKompassen", "", "ANALYS AV", "",
                f"{_genitive(name).upper()} KOMMUN", "", str(year), ""]  # fmt: skip
    title_month = f" {month.capitalize()}" if month else ""
    return ["", f"Kommunkompassen - Analys av {name} kommun{title_month} {year}", "",
            f"Utvärderare: {_svenljunga_evaluators(names, org, rng)}", ""]  # fmt: skip


def _hoganas_evaluators(names: Sequence[str], org: str, rng: random.Random) -> list[str]:
    """ "Utvärderare: A och B, SKL samt C" with C's municipality on the next line."""
    if len(names) < 3:
        return [f"Utvärderare: {join_words(list(names))}, {org}"]
    return [f"Utvärderare: {names[0]} och {names[1]}, {org} samt {names[2]}",
            rng.choice(EVALUATOR_ORGS)]  # fmt: skip


def _svenljunga_evaluators(names: Sequence[str], org: str, rng: random.Random) -> str:
    """ "A SKR och B Katrineholms kommun"."""
    parts = [f"{names[0]} {org}", *(f"{n} {rng.choice(EVALUATOR_ORGS)}" for n in names[1:])]
    return " och ".join(parts)


def _heading_name(truth: Truth, number: int, layout: str) -> str:
    """The name in "Område N …": canonical, or the alias the sample uses."""
    if truth.framework == "2010" and layout in ("hoganas", "lund") and number in (6, 7):
        if number == 6:
            return "Kommunen som arbetsgivare personalpolitik"
        if layout == "hoganas":
            return "Ständiga förbättringar"
    return truth.areas[number - 1].name


def _contents(truth: Truth, layout: str) -> list[str]:
    """The table of contents: entries end in a page number (and dots)."""
    dots = "....." if layout in ("sala", "svenljunga") else ""
    name = truth.municipality
    lines = [
        "Innehållsförteckning" if layout == "svenljunga" else "Innehåll",
        "",
        f"1 Vad är Kommunkompassen?{dots}\t3",
        f"2. {name} kommun - En sammanfattande genomgång{dots}\t5",
        f"3. Detaljerad genomgång per område{dots}\t7",
    ]
    for number in range(1, 9):
        heading = _heading_name(truth, number, layout)
        if layout == "hoganas":
            lines.append(f"Område {number}\t{heading}\t{6 + 3 * number}")
        elif layout == "lund":
            lines.append(f"\tOmråde {number} {heading}\t{6 + 3 * number}")
        else:
            lines.append(f"Område {number} {heading}{dots}\t{6 + 3 * number}")
    lines += [f"4. Översikt av poängfördelning{dots}\t32", ""]
    if layout == "lund":
        lines.insert(-1, f"5\tKortfakta om {_genitive(name)} kommun\t36")
    return lines


def _intro(truth: Truth) -> list[str]:
    names = [f"{a.number}. {a.name}" for a in truth.areas]
    return ["1 Vad är Kommunkompassen?", "", *_spaced(INTRO), *names, ""]


def _spaced(paragraphs: Sequence[str]) -> list[str]:
    return [line for p in paragraphs for line in (p, "")]


def _evaluation(truth: Truth, layout: str, rng: random.Random) -> list[str]:
    """ "Utvärderingen": when, which evaluation, how many interviews; the summary table."""
    name = truth.municipality
    lines = [f"2. {name} kommun - En sammanfattande genomgång", "", "Utvärderingen", ""]
    lines += [_performed(truth, layout), "", _interviews(truth, rng), ""]
    lines += ["Sammanfattning av resultat", "", f"Nedan visas {_genitive(name)} totalpoäng.", ""]
    if LAYOUT_FEATURES[layout].summary:
        lines += _summary_table(truth, layout)
    lines += [_paragraph(rng), "", "3. Detaljerad genomgång per område", ""]
    return lines


def _performed(truth: Truth, layout: str) -> str:
    name = truth.municipality if layout == "sala" else _genitive(truth.municipality)
    when = (
        f"i {MONTH_NAMES[truth.month - 1]} år {truth.year}" if truth.month else f"år {truth.year}"
    )
    if layout == "svenljunga" and truth.month:
        when = f"i {MONTH_NAMES[truth.month - 1]} {truth.year}"
    which = ""
    if truth.evaluation_number:
        whose = _genitive(truth.municipality) if layout == "sala" else "kommunens"
        which = f" och var {whose} {ORDINAL_WORDS[truth.evaluation_number - 1]} utvärdering"
    return (
        f"Utvärderingen av {name} kommun genomfördes {when}{which} "
        "enligt Kommunkompassens kriterier."
    )


def _interviews(truth: Truth, rng: random.Random) -> str:
    n = truth.interviewees
    if n is None:
        how = "genomfört ett antal intervjuer i organisationen"
    elif n % 10 == 0 and rng.random() < 0.6:
        how = f"genomfört intervjuer med ett {n}-tal personer i organisationen"
    else:
        how = f"genomfört intervjuer med {rng.choice(('ca ', 'ett ca ', 'cirka ', ''))}{n} personer"
    return (
        "Utvärderingsgruppen har studerat dokument, granskat kommunens hemsida, sociala medier "
        f"och {how}. Bland de intervjuade fanns förtroendevalda och ledande tjänstepersoner."
    )


def _series(truth: Truth) -> list[SeriesTruth]:
    return [s for s in (truth.previous, truth.reference) if s is not None]


def _summary_table(truth: Truth, layout: str) -> list[str]:
    """This evaluation, the previous one and the mean, per area and in total (sala-2023)."""
    others = _series(truth)
    if not others:
        return []
    comma = truth.decimals
    labels = [f"{truth.municipality} {truth.year}", *(s.label for s in others)]
    lines = ["\t" + "\t".join(labels)]
    for area in truth.areas:
        values = [area.summary_score, *(s.scores[area.number - 1] for s in others)]
        sep = ". " if area.number == 2 else " "
        lines.append(f"{area.number}{sep}{area.name}\t" + _numbers(values, comma))
    totals = [truth.total, *(s.total for s in others)]
    return [*lines, "Totalt\t" + _numbers(totals, comma), ""]


def _numbers(values: Sequence[float], comma: bool) -> str:
    return "\t".join(format_number(v, comma) for v in values)


def format_number(value: float, comma: bool = False) -> str:
    """A score as a report writes it: "66", "4,5", "1,75" (decimal comma if `comma`)."""
    text = str(int(value)) if value == int(value) else f"{value:.2f}".rstrip("0")
    return text.replace(".", ",") if comma else text


def _decimal(value: float, comma: bool) -> str:
    """A decimal score with at least one decimal ("17,0"), as lund-2011 writes them."""
    text = f"{value:.1f}" if round(value, 1) == value else f"{value:.2f}"
    return text.replace(".", ",") if comma else text


def _paragraph(rng: random.Random, words: int = 40) -> str:
    return f"{rng.choice(STARTS)} {_words(rng, words)}."


def _area(truth: Truth, area: AreaTruth, layout: str, rng: random.Random) -> list[str]:
    heading = f"Område {area.number} {_heading_name(truth, area.number, layout)}"
    if layout == "sala":
        return [heading, "", *_sala_body(area, rng), *_findings(area, layout, rng), ""]
    return [
        heading,
        "",
        "Rubriker\tPoäng",
        _rubriker(area, layout, rng),
        "",
        "Allmänt",
        "",
        _paragraph(rng),
        "",
        *_subarea_texts(area, layout, rng),
        *_findings(area, layout, rng),
        "",
    ]


def _sala_body(area: AreaTruth, rng: random.Random) -> list[str]:
    """Text first, "Poäng" with the score near the end of the area (sala-2023)."""
    listed = [f"- {s.name}" for s in area.subareas]
    score = format_number(area.stated_score)
    pad = rng.choice(("\t\t", "\t", ""))
    return [
        "Allmänt", "", _paragraph(rng), "", "Utvärderade delområden", "", *listed, "",
        f"Sammanfattande analys av område {area.number} – {area.name}", "",
        _paragraph(rng, 60), "", _paragraph(rng, 50), "",
        f"Poäng{pad}", f"{score}{pad}", *([""] if not pad else []),
    ]  # fmt: skip


def _rubriker(area: AreaTruth, layout: str, rng: random.Random) -> str:
    """The "Rubriker / Poäng" row: sub-area topics as items, then the score."""
    score = format_number(area.stated_score)
    if layout in ("hoganas", "lund") and rng.random() < 0.5:
        score = f"<p>{score}</p>"
    names = [s.name for s in area.subareas]
    if rng.random() < 0.5:
        return UL + "".join(f"• {n}" for n in names) + f"\t{score}"
    return UL + "".join(f" • {n}" for n in names) + f" \t{score}"


def _subarea_texts(area: AreaTruth, layout: str, rng: random.Random) -> list[str]:
    """burlov-2020 writes a paragraph under each sub-area's name; the others one more."""
    if layout != "burlov":
        return [_paragraph(rng, 50), ""]
    return [line for s in area.subareas for line in (s.name, "", _paragraph(rng, 30), "")]


# --- findings tables -------------------------------------------------------------------


@dataclass
class _Column:
    """One column's items, possibly cut over a page break into two rows."""

    first: list[str]
    second: list[str]
    tail: str | None = None  # the cut item's end, starting the second row


def _split_column(rng: random.Random, items: list[str], cut: bool) -> _Column:
    if not cut or len(items) < 2:
        return _Column(list(items), [])
    at = rng.randint(1, len(items) - 1)
    words = items[at - 1].split(" ")
    if len(words) >= 4 and rng.random() < 0.6:
        # Cut the last item before the break in the middle: the rest starts in lower case.
        split = rng.randint(2, len(words) - 1)
        head, tail = " ".join(words[:split]), " ".join(words[split:])
        return _Column([*items[: at - 1], head], list(items[at:]), tail)
    return _Column(list(items[:at]), list(items[at:]))


def _findings(area: AreaTruth, layout: str, rng: random.Random) -> list[str]:
    if layout == "lund":
        header = "Styrkor\tFinns delar, kan bli bättre\tFörbättringsmöjligheter"
        cells = [_ul(items) for items in (area.strengths, area.partial, area.improvements)]
        return [header, "\t".join(cells)]
    header = "Styrkor\tFörbättringsmöjligheter"
    cut = layout in ("burlov", "hoganas", "svenljunga") and rng.random() < 0.5
    columns = [_split_column(rng, items, cut) for items in (area.strengths, area.improvements)]
    cell = _p_cell if layout == "svenljunga" else _ul_cell
    first = "\t".join(cell(c.first, None, rng, layout) for c in columns)
    lines = [header, first]
    if any(c.second or c.tail for c in columns):
        second = "\t".join(cell(c.second, c.tail, rng, layout) for c in columns)
        lines += ["", second] if layout == "hoganas" else ["", header, second]
    if layout == "hoganas":
        lines.append(rng.choice(("---\t--", "--\t---", "---\t---")))
    return lines


def _ul(items: Sequence[str]) -> str:
    return f"{UL} " + "".join(f"• {item} " for item in items) if items else ""


def _ul_cell(items: list[str], tail: str | None, rng: random.Random, layout: str) -> str:
    lead = f"<p>{tail}</p> " if tail else ""
    if not items:
        return lead.strip()
    if layout == "hoganas" and not tail and rng.random() < 0.25:
        return UL + "".join(items)  # items run together without bullets (hoganas-2018)
    if layout == "burlov" and rng.random() < 0.2:
        return (
            lead
            + '<ul style="list-style-type: none"><li data-bbox="344 483 794 591">'
            + ("".join(f"• {item}" for item in items))
        )
    if rng.random() < 0.5:
        return lead + UL + "".join(f"• {item}" for item in items)
    return lead + _ul(items)


def _p_cell(items: list[str], tail: str | None, rng: random.Random, layout: str) -> str:
    parts = ([tail] if tail else []) + items
    return " ".join(f"<p>{part}</p>" for part in parts)


# --- the score overview ----------------------------------------------------------------


def _overview(truth: Truth, layout: str, rng: random.Random) -> list[str]:
    """ "Översikt av poängfördelning": one table per area with a subtotal row."""
    heading = (
        "4 Översikt av poängfördelning" if layout == "hoganas" else "4. Översikt av poängfördelning"
    )
    intro = f"Nedan visas {_genitive(truth.municipality)} resultat fördelat på delfrågor."
    lines = [heading, "", intro, ""]
    comma = layout == "lund" or rng.random() < 0.5
    for area in truth.areas:
        lines += _area_table(truth, area, layout, rng, comma)
    return lines


def _area_table(
    truth: Truth, area: AreaTruth, layout: str, rng: random.Random, comma: bool
) -> list[str]:
    titles = TABLE_TITLES.get((truth.framework, area.number), ())
    title = rng.choice(titles) if titles and rng.random() < 0.7 else area.name
    if layout == "hoganas" and truth.framework == "2010" and area.number == 7:
        title = "Ständiga förbättringar"
    percent = layout in ("burlov", "hoganas", "lund")
    head = "Uppnått\tMax\tProcent" if percent else "Uppnått\tMax"

    def number(value: float) -> str:
        return _decimal(value, comma) if truth.decimals else format_number(value)

    def row(code: str, name: str, score: float, top: float) -> str:
        pct = f"\t{round(100 * score / top)}%" if percent and top else ""
        lead = f"{code} {name}" if layout == "burlov" else f"{code}\t{name}"
        return f"{lead}\t{number(score)}\t{format_number(top)}{pct}"

    first = (
        f"{area.number}. {title}\t{head}"
        if layout == "burlov"
        else f"{area.number}.\t{title}\t{head}"
    )
    lines = [first]
    lines += [row(s.code, s.name, s.score, s.max) for s in area.subareas]
    total_row = row("", "", area.score, 100.0).lstrip("\t ")
    lines += [("\t" if layout == "burlov" else "\t\t") + total_row, ""]
    return lines


def _kortfakta(truth: Truth) -> list[str]:
    rows = [f"{key}\t{value}\t" for key, value in truth.facts.items()]
    return [f"5 Kortfakta om {_genitive(truth.municipality)} kommun", "", *rows, ""]


# --- what a parse should give ----------------------------------------------------------


def expected_view(truth: Truth, layout: str) -> Truth:
    """The truth as far as a text report in `layout` shows it.

    Layouts without a "Finns delar" column have no partial points, lund names
    no evaluators, only sala has a summary table (so only there the previous
    evaluation, the mean and summary-table discrepancies), only lund has
    "Kortfakta".
    """
    features = LAYOUT_FEATURES[layout]
    shows_summary = features.summary and bool(_series(truth))
    areas = [replace(a, partial=list(a.partial) if features.partial else []) for a in truth.areas]
    return replace(
        truth,
        areas=areas,
        evaluators=list(truth.evaluators) if features.evaluators else [],
        previous=truth.previous if shows_summary else None,
        reference=truth.reference if shows_summary else None,
        discrepancies=[
            d for d in truth.discrepancies if d.kind != "summary_table" or shows_summary
        ],
        facts=dict(truth.facts) if features.facts else {},
    )


def compare(evaluation: Evaluation, truth: Truth, layout: str, *, pdf: bool = False) -> list[str]:
    """Where a parse of a rendered report differs from its truth; empty when equal.

    With `pdf`, only what survives PDF text is compared: metadata, scores,
    sub-areas, total, and the area-header and sub-area-sum discrepancies. The
    findings tables lose their columns there (the parser stores no items),
    and summary tables and "Kortfakta" lose the tabs they are read by.
    """
    want = expected_view(truth, layout)
    differences = _metadata_differences(evaluation, want)
    if len(evaluation.areas) != 8:
        return [*differences, f"areas: got {len(evaluation.areas)}"]
    for area, expected in zip(evaluation.areas, want.areas, strict=True):
        differences += _area_differences(area, expected, findings=not pdf)
    if not _close(evaluation.total, want.total):
        differences.append(f"total: got {evaluation.total}, expected {want.total}")
    differences += _discrepancy_differences(evaluation, want, pdf)
    if not pdf:
        differences += _series_differences(evaluation, want)
        if want.facts and any(evaluation.facts.get(k) != v for k, v in want.facts.items()):
            differences.append(f"facts: got {evaluation.facts}, expected {want.facts}")
    return differences


def _metadata_differences(got: Evaluation, want: Truth) -> list[str]:
    meta = (
        "municipality", "municipality_code", "year", "month", "framework",
        "evaluation_number", "interviewees", "evaluators",
    )  # fmt: skip
    return [
        f"{key}: got {getattr(got, key)!r}, expected {value!r}"
        for key, value in zip(meta, _meta_values(want), strict=True)
        if getattr(got, key) != value
    ]


def _discrepancy_differences(got: Evaluation, want: Truth, pdf: bool) -> list[str]:
    found = sorted((d.area or 0, d.kind, d.stated, d.chosen) for d in got.discrepancies)
    wanted = sorted((d.area, d.kind, d.stated, d.chosen) for d in want.discrepancies)
    if pdf:  # PDF text loses the summary table's columns: compare the others only
        found = [row for row in found if row[1] in PDF_DISCREPANCY_KINDS]
        wanted = [row for row in wanted if row[1] in PDF_DISCREPANCY_KINDS]
    if _same_rows(found, wanted):
        return []
    return [f"discrepancies: got {found}, expected {wanted}"]


def _meta_values(want: Truth) -> tuple[object, ...]:
    return (
        want.municipality, want.municipality_code, want.year, want.month, want.framework,
        want.evaluation_number, want.interviewees, want.evaluators,
    )  # fmt: skip


def _area_differences(area: Area, want: AreaTruth, findings: bool) -> list[str]:
    n, out = want.number, []
    if (area.number, area.name) != (n, want.name):
        out.append(f"area {n}: got {area.number} {area.name!r}, expected {want.name!r}")
    if not _close(area.score, want.score):
        out.append(f"area {n} score: got {area.score}, expected {want.score}")
    got_subs = [(s.code, s.name, s.score, s.max) for s in area.subareas]
    want_subs = [(s.code, s.name, s.score, s.max) for s in want.subareas]
    if not _same_rows(got_subs, want_subs):
        out.append(f"area {n} sub-areas: got {got_subs}, expected {want_subs}")
    for kind in ("strengths", "partial", "improvements") if findings else ():
        if getattr(area, kind) != getattr(want, kind):
            out.append(
                f"area {n} {kind}: got {getattr(area, kind)}, expected {getattr(want, kind)}"
            )
    return out


def _series_differences(got: Evaluation, want: Truth) -> list[str]:
    out = []
    for label, found, expected in (
        ("previous evaluation", got.previous_evaluations, want.previous),
        ("reference", got.references, want.reference),
    ):
        rows = [(s.label, s.year, *s.scores, s.total) for s in found]
        wanted = (
            [(expected.label, expected.year, *expected.scores, expected.total)] if expected else []
        )
        if not _same_rows(rows, wanted):
            out.append(f"{label}: got {rows}, expected {wanted}")
    return out


def _close(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 1e-6
    return a == b


def _same_rows(got: Sequence[Sequence[object]], want: Sequence[Sequence[object]]) -> bool:
    return len(got) == len(want) and all(
        len(g) == len(w) and all(_close(x, y) for x, y in zip(g, w, strict=True))
        for g, w in zip(got, want, strict=True)
    )


# --- PDF -------------------------------------------------------------------------------

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
# Liberation Sans first: fpdf2 loads and subsets it four times faster than DejaVu Sans.
FONT_NAMES = (
    "LiberationSans-Regular.ttf", "Arimo-Regular.ttf", "DejaVuSans.ttf",
    "FreeSans.ttf", "NotoSans-Regular.ttf",
)  # fmt: skip
FONT_CHARS = "åäöÅÄÖé•–”"
PDF_TABLE_LAYOUTS = ("rows", "cells")


class FontNotFoundError(RuntimeError):
    """No Unicode TrueType font to write PDFs with."""


@cache
def find_font() -> Path | None:
    """A TrueType font with Swedish letters, "•" and "–" (Debian: fonts-dejavu-core)."""
    for name in FONT_NAMES:
        for base in FONT_DIRS:
            for path in sorted(base.rglob(name)) if base.is_dir() else []:
                if _covers(path):
                    return path
    return None


def _covers(path: Path) -> bool:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # a broken font file is simply not usable
        return False
    return all(ord(c) in cmap for c in FONT_CHARS)


def render_pdf(truth: Truth, layout: str, rng: random.Random) -> bytes:
    """The report of `render_text` as an A4 PDF (fpdf2), tables as PDF text shows them.

    Table rows become one line each ("rows") or one line per cell ("cells"),
    chosen by `rng`; each page has a running header and a page number.
    """
    font = find_font()
    if font is None:
        raise FontNotFoundError(
            "no Unicode TrueType font (DejaVu Sans, Liberation Sans, …) under /usr/share/fonts; "
            "install fonts-dejavu-core to write PDF reports"
        )
    text = render_text(truth, layout, rng)
    lines = _pdf_lines(text, rng.choice(PDF_TABLE_LAYOUTS))
    return _write_pdf(lines, font, f"Kommunkompassen – {truth.municipality} {truth.year}")


def _pdf_lines(text: str, table_layout: str) -> list[str]:
    import html
    import re
    import textwrap

    out: list[str] = []
    for line in text.split("\n"):
        cells = [c for c in line.split("\t") if c.strip()]
        if len(cells) <= 1 and "<" not in line:
            out.append(line.strip())
            continue
        parts = [
            re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]{0,400}>", " ", p))).strip()
            for c in cells
            for p in re.split(r"<\s*p\b[^>]*>", c)
        ]
        parts = [p for p in parts if p]
        out.extend([" ".join(parts)] if table_layout == "rows" else parts)
    return [w for line in out for w in textwrap.wrap(line, 110, break_on_hyphens=False) or [""]]


def _write_pdf(lines: list[str], font: Path, header: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("Report", "", str(font))
    pdf.set_font("Report", size=8)
    step, top, bottom = 3.6, 20.0, pdf.h - 15.0
    y = bottom
    for line in lines:
        if y + step > bottom:
            _new_page(pdf, header)
            y = top
        if line:
            pdf.text(pdf.l_margin, y, line)
        y += step
    return bytes(pdf.output())


def _new_page(pdf: FPDF, header: str) -> None:
    pdf.add_page()
    pdf.text(pdf.l_margin, 10, header)
    pdf.text(pdf.w / 2, pdf.h - 8, str(pdf.page_no()))


# --- a corpus ----------------------------------------------------------------------------


def plan_corpus(
    rng: random.Random, n: int, years: tuple[int, int], n_municipalities: int | None = None
) -> list[tuple[str, list[int]]]:
    """Distinct (municipality, year) pairs: n reports, several years per municipality."""
    span = list(range(years[0], years[1] + 1))
    codes = [m.code for m in municipalities()]
    count = n_municipalities or min(len(codes), max(1, -(-n // 3)))
    if n < 1 or not span:
        raise ValueError(f"nothing to make: {n} reports over the years {years[0]}–{years[1]}")
    if not 1 <= count <= len(codes):
        raise ValueError(f"{count} municipalities: choose between 1 and {len(codes)}")
    if n > count * len(span):
        raise ValueError(
            f"{n} reports do not fit {count} municipalities x {len(span)} years "
            f"({count * len(span)} pairs)"
        )
    chosen = sorted(rng.sample(codes, count))
    per = [n // count + (1 if i < n % count else 0) for i in range(count)]
    rng.shuffle(per)
    return [(code, sorted(rng.sample(span, k))) for code, k in zip(chosen, per, strict=True) if k]


def write_corpus(
    out_dir: Path,
    n: int,
    seed: int,
    years: tuple[int, int] = (2010, 2024),
    pdf_share: float = 0.0,
    n_municipalities: int | None = None,
) -> list[Truth]:
    """Write n reports `<code>-<year>.txt` (or `.pdf`) to out_dir; return their truths.

    Each municipality's later reports state its earlier one in their summary
    table (layout permitting); about one report in four contradicts itself.
    """
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    truths: list[Truth] = []
    for code, code_years in plan_corpus(rng, n, years, n_municipalities):
        previous: Truth | None = None
        for year in code_years:
            truth = make_truth(rng, code, year, discrepancies=_random_kinds(rng), previous=previous)
            truth.layout = rng.choice(LAYOUTS)
            as_pdf = pdf_share > 0 and rng.random() < pdf_share
            truth.file_name = f"{code}-{year}.{'pdf' if as_pdf else 'txt'}"
            path = out_dir / truth.file_name
            if as_pdf:
                path.write_bytes(render_pdf(truth, truth.layout, rng))
            else:
                path.write_text(render_text(truth, truth.layout, rng), encoding="utf-8")
            truths.append(truth)
            previous = truth
    return truths


def _random_kinds(rng: random.Random) -> list[str]:
    roll = rng.random()
    count = 0 if roll < 0.75 else 1 if roll < 0.93 else 2
    return [rng.choice(DISCREPANCY_KINDS) for _ in range(count)]
