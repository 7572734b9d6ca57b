"""Reports in other text shapes: give a report back its lines before the parser reads it.

Text from PDF-to-text services, document mirrors and copy-paste loses or moves a
report's line breaks (issue #11, point 4):

- page markers ("Page 4", "Sida 4 av 12") and running headers and footers glued to the
  first and last line of each page: removed (`strip_furniture`);
- prose wrapped at a fixed width, words split with a hyphen ("verksam-" / "het"): lines
  joined again where the next word would not have fitted (`unwrap`);
- one page per line, the page's lines joined with spaces: breaks put back before what
  starts a line in a report (headings, table rows, column titles, "Poäng") and after
  what ends one (a table row's last number), `restore_breaks`.

A text in none of these shapes is returned unchanged (the same object), so that the
parse of an ordinary report, and its line numbers, do not change. In a reshaped text
line numbers point into the reshaped text, not the file. Every step is linear in the
length of the text: one pass per pattern, patterns without nested repetition.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from kompass.domain.frameworks import area_names

# A page marker ending a line: "… text Page 4", "… Sida 4 av 12", "… sida 4/12".
_MARKER = re.compile(
    r"(?:^|[ \t])(?:[Pp]age|[Ss]ida)[ \t]++(\d{1,4})(?:[ \t]*+(?:av|of|/)[ \t]*+\d{1,4})?[ \t]*+$"
)
MIN_MARKERS = 3  # page markers that make a text paginated
MIN_SHARE = 0.6  # share of pages a running header or footer is on
MAX_FURNITURE = 120  # characters of a running header or footer
MIN_FURNITURE = 3  # "SKR"
# A report's lines are 170-230 characters long on average (paragraphs are long, the rest
# short); one page per line makes them ten times that.
FLAT_MEAN = 600
MIN_SPLITS = 5  # hyphen-split words that make a text wrapped
_SPLIT_END = re.compile(r"[a-zåäöé]-$")
_LOWER_START = re.compile(r"^[a-zåäöé]")
_CONJUNCTION = re.compile(r"(?:och|eller|samt|respektive|resp\.|som|till)\b")
# "verksam- het" in a joined line; "Chefs- och ledarskap" is Swedish shorthand and stays.
_SPLIT_IN_LINE = re.compile(
    r"(?<=[a-zåäöé])- (?!(?:och|eller|samt|respektive|resp\.|som|till)\b)(?=[a-zåäöé])"
)


def reshape(text: str) -> str:
    """The text with its lines restored; the same object if it needs nothing."""
    return reshaped(text)[0]


def reshaped(text: str) -> tuple[str, bool]:
    """(the text with its lines restored, whether anything was done to it)."""
    lines = text.split("\n")
    changed = strip_furniture(lines)
    if is_flattened(lines):
        lines = join_split_words(restore_breaks("\n".join(lines))).split("\n")
        changed = True
    if is_wrapped(lines):
        lines = unwrap(lines)
        changed = True
    return ("\n".join(lines), True) if changed else (text, False)


# --- page furniture ----------------------------------------------------------------


def strip_furniture(lines: list[str]) -> bool:
    """Remove page markers glued to line ends, and the running header after each marker
    and the running footer before it; True if the text had page markers.

    Markers count only when there are at least MIN_MARKERS and their numbers rise.
    """
    marked = [(i, m) for i, line in enumerate(lines) if (m := _MARKER.search(line))]
    numbers = [int(m.group(1)) for _, m in marked]
    rising = sum(1 for a, b in zip(numbers, numbers[1:], strict=False) if b > a)
    if len(marked) < MIN_MARKERS or rising < (len(marked) - 1) * MIN_SHARE:
        return False
    for i, m in marked:
        lines[i] = lines[i][: m.start()].rstrip(" ")
    ends = [i for i, _ in marked]
    _strip_common(lines, ends, at_start=False)
    starts = [j for i in ends if (j := _next_filled(lines, i + 1)) is not None]
    _strip_common(lines, starts, at_start=True)
    return True


def _next_filled(lines: list[str], start: int) -> int | None:
    return next((j for j in range(start, min(len(lines), start + 20)) if lines[j].strip()), None)


def _strip_common(lines: list[str], indexes: list[int], at_start: bool) -> None:
    """Remove the longest run of words that starts (or ends) most of these lines."""
    # Only the words that may be furniture are split off (a line may be megabytes long).
    words = {
        i: lines[i].split(" ", 16)[:16] if at_start else lines[i].rsplit(" ", 16)[-16:]
        for i in indexes
    }
    best = ""
    for size in range(1, 16):
        runs = Counter(_run(w, size, at_start) for w in words.values() if len(w) > size)
        if not runs:
            break
        run, seen = runs.most_common(1)[0]
        if seen < max(MIN_MARKERS - 1, MIN_SHARE * len(indexes)) or len(run) > MAX_FURNITURE:
            break
        best = run
    if len(best) < MIN_FURNITURE:
        return
    for i in indexes:
        line = lines[i]
        if at_start and line.startswith(best + " "):
            lines[i] = line[len(best) + 1 :]
        elif not at_start and line.endswith(" " + best):
            lines[i] = line[: -len(best) - 1]


def _run(words: list[str], size: int, at_start: bool) -> str:
    return " ".join(words[:size] if at_start else words[-size:])


# --- wrapped prose -----------------------------------------------------------------


def is_wrapped(lines: list[str]) -> bool:
    """Prose wrapped with hyphen-split words: MIN_SPLITS lines end in "letter-" and go on in
    lower case on the next line."""
    splits = 0
    for line, nxt in zip(lines, lines[1:], strict=False):
        if _SPLIT_END.search(line) and _LOWER_START.match(nxt):
            splits += 1
            if splits >= MIN_SPLITS:
                return True
    return False


def unwrap(lines: list[str]) -> list[str]:
    """Join the lines of wrapped paragraphs.

    The wrap width is the longest line that ends in a split word. A prose line is
    joined with the next when the next one's first word would have fitted on it had
    the line not been full (the test of every greedy line wrap), or when it ends in a
    split word ("verksam-" + "het" -> "verksamhet"; "Chefs-" + "och" keeps its hyphen).
    Tables, list markup and blank lines are never joined.
    """
    width = max(
        (len(a) for a, b in zip(lines, lines[1:], strict=False)
         if _SPLIT_END.search(a) and _LOWER_START.match(b)),
        default=0,
    )  # fmt: skip
    paragraphs: list[list[str]] = []  # the pieces of each output line
    before = ""
    for line in lines:
        if paragraphs and _continues(before, line, width):
            pieces = paragraphs[-1]
            if _is_split(before, line):
                pieces[-1] = pieces[-1][:-1]
            else:
                pieces.append(" ")
            pieces.append(line)
        else:
            paragraphs.append([line])
        before = line
    return ["".join(pieces) for pieces in paragraphs]


def _continues(before: str, line: str, width: int) -> bool:
    """Whether `line` goes on from the line `before` it in a wrapped paragraph."""
    if not before.strip() or not line.strip() or _table_like(before) or _table_like(line):
        return False
    if _SPLIT_END.search(before) and _LOWER_START.match(line):
        return True
    first_word = line.split(" ", 1)[0]
    # A line is also cut short before a long word that cannot be split (a URL, "a/b").
    return len(before) >= width // 2 and len(before) + 1 + len(first_word) > width


def _is_split(before: str, after: str) -> bool:
    """ "verksam-" + "het"; not "Chefs-" + "och" (shorthand that keeps its hyphen)."""
    return bool(
        _SPLIT_END.search(before) and _LOWER_START.match(after) and not _CONJUNCTION.match(after)
    )


def _table_like(line: str) -> bool:
    return "\t" in line or "<" in line or "•" in line


# --- one page per line -------------------------------------------------------------


def is_flattened(lines: list[str]) -> bool:
    """The text's filled lines are FLAT_MEAN characters long on average, or longer."""
    filled = [len(line) for line in lines if line.strip()]
    return bool(filled) and sum(filled) >= FLAT_MEAN * len(filled)


def join_split_words(text: str) -> str:
    """Words split at the end of a line that was then joined to the next: "verksam- het"."""
    return _SPLIT_IN_LINE.sub("", text)


def restore_breaks(text: str) -> str:
    """Turn back into line breaks the spaces that joined a report's lines.

    Only single spaces become breaks, at places where a report's line starts or ends;
    the words stay as they are.
    """
    breaks: set[int] = set()
    for pattern in _break_patterns():
        breaks.update(m.start(1) for m in pattern.finditer(text))
    if not breaks:
        return text
    ends = sorted(breaks)
    starts = [0] + [pos + 1 for pos in ends]
    return "\n".join(text[start:end] for start, end in zip(starts, [*ends, len(text)], strict=True))


@lru_cache(maxsize=1)
def _break_patterns() -> tuple[re.Pattern[str], ...]:
    """Patterns whose group 1 is a space that was a line break.

    Area names come from the framework table (both generations, aliases and table titles),
    longest first, so that "Kommunen som arbetsgivare personalpolitik" wins over a shorter
    name it starts with.
    """
    names = sorted({row.name for row in area_names()}, key=len, reverse=True)
    name = "(?:" + "|".join(_name_pattern(n) for n in names) + ")"
    heading = rf"Område[ \t]++[1-8](?:[ \t]*+[:.\-–])?[ \t]++{name}"
    number = r"\d{1,4}(?:[.,]\d++)?+%?+"
    titles = r"(?:Finns delar,? kan bli bättre|Förbättringsmöjligheter|Förbättringsområden)"
    sources = (
        r"\S( )(?=Innehåll\b)",  # the contents list starts a page's text
        r"\A.{0,300}?\b(?:kommun|stad|KOMMUN|STAD)[ \t]++(?:19|20)\d\d( )",  # title's year
        rf"\S( )(?=\t*+{heading})",  # an area heading or contents entry
        rf"(?<!\t){heading}( )",  # ... ends with the area's name
        # a row naming an area: "1 Samspel …\t66", "2. Samhällsutveckling" in a list
        rf"(?<=[^\d\s])(?<!Område)( )(?=[1-8]\.?[ \t]++{name}(?:\t|[ \t]*+$| [A-ZÅÄÖ\d]))",
        # a row's last number (in a cell of its own, perhaps as "<p>66</p>")
        rf"\t(?:<p>)?+{number}(?:</p>)?+( )(?=[^\d\s]|\d{{1,2}}\.?[ \t]|[1-8]\.\d)",
        r"\t( )",  # a line that ended in a tab
        r"\S( )(?=\t++(?:\d|[^\t<•\n]{1,30}?(?:19|20)\d\d))",  # a row of numbers or labels
        rf"\S( )(?=Styrkor(?:\t| {titles}))",  # a findings table's column titles
        rf"Styrkor(?:[ \t]++{titles})*+( )(?=\S)",
        r"\S( )(?=(?:Rubriker\t++)?Poäng(?:\t| <| \d))",  # an area's score
        r"Poäng( )(?=<|\d)",
        r"\S( )(?=[1-8]\.\d{1,2}\.?[ \t]++[A-ZÅÄÖ])",  # a sub-area row
        r"\S( )(?=[1-8]\.\t)",  # a sub-area table's title row
        r"\S( )(?=\d\.?[ \t]++Översikt av poängfördelning)",  # the overview's heading
        r"Översikt av poängfördelning( )(?=[A-ZÅÄÖ])",
        r"\S( )(?=-{2,}\t)",  # a separator row
        r"\t-{2,}( )",
    )
    return tuple(re.compile(source, re.M) for source in sources)


def _name_pattern(name: str) -> str:
    """An area name whose words may be separated by any spaces, dashes or punctuation."""
    words = re.split(r"[\s\-–—:.,;]+", name)
    return r"[\s\-–—:.,;]*+".join(re.escape(w) for w in words if w)
