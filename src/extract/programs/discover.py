"""Program names that no capital letter or bracketed acronym gives away: the forms of wire copy and law.

Pure functions over a text's characters, for extract_programs (components/programs.py):

- appositive and lower-case definitions: "the Rural Bridge Program, RBP, ...",
  "its bridge credit program, BCP-201, for sales", "the bridge credit program
  (bcp)": a name ending in a program word, then an acronym between commas or
  in brackets that spells it (a number after the letters is part of the id);
- law numbers: "Public Law 480", "PL-480", "PL 480", "P.L. 480" are one
  program, id PL-480 (a congress-numbered law, "P.L. 117-103", is an act);
- an id with digits before a program word: "the GSM-102 program";
- lower-case names: "the export enhancement program" when the text names it
  so at least twice (wire copy writes names in lower case and its headlines
  in capitals, so a headline and a sentence make two);
- names described as a program by an appositive: "PM-KISAN, its flagship
  cash transfer scheme for farmers", "NextGenerationEU, the EU's recovery
  instrument" (the words that describe a program are rules, `descriptions`);
- definitions with "or": "the Pradhan Mantri Kisan Samman Nidhi, or PM-KISAN,"
  (the component keeps one only when something else makes it a program);
- other names given with "known as": "the Housing Choice Voucher program, the
  federal rent subsidy better known as Section 8" (an alias of the program
  the component found just before the comma).

What counts as a program word, which words make a description rather than
a name and which small words may stand inside one is read from
rules/programs.yml (`lowercase`, `minor_words`).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from ..words import alternation
from .acronyms import is_long_form, is_short_form, match_long_form, spells

NAME_WORD = r"[A-Za-z][A-Za-z'’-]*"


NAME_BEFORE = re.compile(rf"(?:{NAME_WORD}\s+){{0,6}}\Z")  # up to six words ending right before a program word
LOOKBACK = 300  # characters: more than six words of a name


# "Public Law 480" names a program; "P.L. 117-103" (congress-number) is an act: not read
LAW = re.compile(r"\b(?:Public\s+Law|P\.\s?L\.|PL)[\s-]?(\d{2,3})\b(?![-–]\d)")


ID_WITH_DIGITS = r"[A-Z]{2,6}-\d{2,4}"


LOWER_ID_WITH_DIGITS = r"[a-z]{2,6}-\d{2,4}"  # "the gsm-103 program": wire copy in lower case


NUMBERED = r"Section\s\d{2,4}"  # "Section 512 funds": a numbered authority that names a program


@dataclass(frozen=True)
class Form:
    """One mention found by a form: characters start..end name program `id` (`name`).

    `aliases` are the other ways the text may write it later (matched like
    catalog names); `rule` names the form for the rule column.
    """

    start: int
    end: int
    id: str
    name: str
    aliases: tuple[str, ...]
    rule: str
    cue: str = ""  # the description's program word, for the rule column ("scheme")


@dataclass(frozen=True)
class SmallWords:
    """The small words of names (rules/programs.yml): `inner` may stand inside a lower-case name ("food
    for work program"), never at its ends; other stop words never stand in one ("the ability of the
    exchange fund"); `minor` give an acronym no initial ("Office of Security Cooperation, OSC")."""

    inner: frozenset[str]
    minor: frozenset[str]

    @cached_property
    def outside(self) -> frozenset[str]:
        """The stop words a lower-case name never holds: all but the inner words."""
        return frozenset(STOP_WORDS - self.inner)


@dataclass(frozen=True)
class Descriptions:
    """How an appositive describes a program (rules/programs.yml, lowercase.descriptions)."""

    cues: tuple[str, ...] = ()  # the description's last word: "scheme", "instrument"
    not_program: frozenset[str] = frozenset()  # words that make it something else: "company", "pension"


def find_forms(
    text: str, cues: list[str], generic: set[str], blocked: list[str], small: SmallWords,
    described: Descriptions = Descriptions(),
) -> list[Form]:
    """Every form's mentions in `text`; `cues` are program words in lower case (program, fund, ...),
    `generic` words that make a description ("new", "proposed"), `blocked` lower-case names that are
    never programs ("credit facility"), `small` the small words of names, `described` how an
    appositive names a program."""
    return [
        *definitions(text, cues, generic, small),
        *law_numbers(text),
        *ids_before_cues(text, cues),
        *lowercase_names(text, cues, generic, blocked, small),
        *described_names(text, described, blocked),
        *or_definitions(text, small.minor),
    ]


def definitions(text: str, cues: list[str], generic: set[str], small: SmallWords) -> list[Form]:
    """ "the Rural Bridge Program, RBP," / "bridge credit program, BCP-201," / "the bridge credit program (bcp)".

    The acronym must spell the words before it (extract.programs.acronyms.spells, the
    digits of an id aside), so "the program, 1987," or "the fund, IMF," are none.
    """
    found = []
    after = 0  # where the previous match ended: a name never reaches back into it
    for match in definition_pattern(tuple(cues)).finditer(text):
        before = NAME_BEFORE.search(text, max(after, match.start() - LOOKBACK), match.start())
        after = match.end()
        words_start = before.start() if before else match.start()
        words = text[words_start : match.end(1)]
        short, closer = match.group(2), match.group(3)
        opener = text[match.end(1) : match.start(2)].strip()
        if (opener == "(") != (closer == ")"):
            continue  # "program (A, B)" or "program, A)": no definition
        if opener == "(" and short.isupper() and not re.search(r"\d", short):
            continue  # "Program (RBP)": the bracketed acronym definitions already read these
        if opener != "(" and not short.isupper():
            continue  # between commas only capitals are an acronym: "the insurance fund, if ..." is none
        letters = re.sub(r"-\d+$", "", short)
        tail = spelled_tail(words, letters, generic, small)
        if tail is None and letters != short:
            tail = described_tail(words, generic, small)  # "export credit guarantee program, GSM-102": an id need not spell
        if tail is None:
            continue
        start, name = words_start + tail[0], tail[1]
        end = match.end(3) if closer == ")" else match.end(2)
        ident = short.upper() if short.islower() else short
        found.append(Form(start, end, ident, name, (short, name), "appositive_definition"))
    return found


@lru_cache(maxsize=8)
def definition_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """A program word, then an acronym or id between commas or in brackets. The words of the name
    before it are read backwards from the word (NAME_BEFORE): a pattern that began with them would
    try every position of the text against up to six words and every cue."""
    return re.compile(
        rf"({alternation(cues)})\s*(?:,\s*|\(\s*)({ID_WITH_DIGITS}|[A-Za-z]{{2,8}})\s*([,)])", re.IGNORECASE
    )


def spelled_tail(words: str, letters: str, generic: set[str], small: SmallWords) -> tuple[int, str] | None:
    """(offset in `words`, name): the shortest tail of `words` that `letters` spells, without a
    leading small or generic word; the name with single spaces."""
    parts = list(re.finditer(r"\S+", words))
    spelled = []
    for size in range(1, len(parts) + 1):
        tail = parts[-size:]
        first = tail[0].group().lower()
        if first in small.inner or first in generic or first in {"the", "a", "an", "its", "their"}:
            continue
        name = " ".join(part.group() for part in tail)
        if initials(name, small.minor) == [c.lower() for c in letters]:
            return tail[0].start(), name  # one initial per letter: "Export Enhancement Program, EEP"
        if spells(letters, name, small.minor):
            spelled.append((tail[0].start(), name))
    return spelled[0] if spelled else None


def described_tail(words: str, generic: set[str], small: SmallWords) -> tuple[int, str] | None:
    """(offset in `words`, name): the words after the last small word, when a word stands before the
    program word ("under the export credit guarantee program" -> "export credit guarantee program")."""
    parts = list(re.finditer(r"\S+", words))
    start = len(parts) - 1
    while start > 0 and parts[start - 1].group().lower() not in small.outside and parts[start - 1].group().lower() not in generic:
        start -= 1
    while start < len(parts) - 1 and parts[start].group().lower() in small.inner:
        start += 1  # "food for work program" keeps its "for"; a name never starts on one
    if start == len(parts) - 1:
        return None  # the program word alone: "the program, XX-12," names nothing
    return parts[start].start(), " ".join(part.group() for part in parts[start:])


def initials(name: str, minor: frozenset[str]) -> list[str]:
    """The first letter of each word of `name` but the minor words, in lower case."""
    return [w[0].lower() for w in re.split(r"[\s\-–/]+", name) if w and w.lower() not in minor]


def law_numbers(text: str) -> list[Form]:
    """ "Public Law 480", "PL-480", "PL 480", "P.L. 480": one program, id PL-480, named Public Law 480."""
    return [
        Form(m.start(), m.end(), f"PL-{m.group(1)}", f"Public Law {m.group(1)}", (), "law_number")
        for m in LAW.finditer(text)
    ]


def ids_before_cues(text: str, cues: list[str]) -> list[Form]:
    """ "the GSM-102 program", "its BCP-201 facility", "the gsm-103 program", "Section 512 funds": an id of
    letters and digits (or a numbered section, capitalized) before a program word; its id in capitals."""
    pattern = re.compile(rf"\b({ID_WITH_DIGITS}|{LOWER_ID_WITH_DIGITS}|{NUMBERED}) (?:{alternation(cues)})(?:s|es)?\b")
    found = []
    for match in pattern.finditer(text):
        if match.group(1).upper().startswith(("PL-", "FY-")):
            continue  # a law number (law_numbers) or a fiscal year
        written = match.group(1)
        ident = written if written.startswith("Section") else written.upper()
        name = ident if ident.startswith("Section") else match.group(0)  # "Section 512" is the program's name
        aliases = (written, ident) if written != ident else (ident,)
        found.append(Form(match.start(), match.end(), ident, name, aliases, "id_before_cue"))
    return found


def lowercase_names(text: str, cues: list[str], generic: set[str], blocked: list[str], small: SmallWords) -> list[Form]:
    """ "the export enhancement program", named so at least twice in the text (in any case).

    Two to four words before a program word, after "the", "its" or a
    possessive, none of them a number, a small word at either end or a
    generic word ("the new loan program" describes one); never a blocked name
    ("the revolving credit facility").
    """
    pattern = re.compile(
        rf"\b(?:the|its|their|{NAME_WORD}'s)\s+((?:[a-z][a-z-]*\s+){{2,4}}(?:{alternation(cues)}))\b(?!['’-])",
    )
    counts: dict[str, int] = {}
    candidates = []
    for match in pattern.finditer(text):
        name = match.group(1)
        words = name.split()
        modifiers = words[:-1]
        if modifiers[0] in small.inner or modifiers[-1] in small.inner or any(w in generic or w in small.outside for w in modifiers):
            continue
        if any(b in name for b in blocked):
            continue
        candidates.append(match)
        counts.setdefault(name, 0)
    if not candidates:
        return []
    folded = text.lower()
    for name in counts:
        counts[name] = len(re.findall(rf"\b{re.escape(name)}\b", " ".join(folded.split())))
    return [
        Form(m.start(1), m.end(1), m.group(1), m.group(1), (m.group(1),), "lowercase_name")
        for m in candidates
        if counts[m.group(1)] >= 2
    ]


# A name: capitalized words (or an id such as PM-KISAN, NextGenerationEU), small words inside
CAPITALIZED_NAME = r"[A-Z][\w'’-]*(?:\s(?:of|for|and|the|[A-Z][\w'’-]*)){0,7}"


# "the", "its", "the EU's" start an appositive that says which program; "a" describes (", a retail insurance program")
OPENERS = r"the|its|their|[A-Z][\w.-]*['’]s"


# After the description's last word: the appositive ends, or a phrase about the program follows
DESCRIPTION_END = r"(?=\s*[,.;:)]|\s*$|\s+(?:for|of|to|in|on|that|which|under|with|run|launched|created|set|since|from)\b)"


FOREIGN_CONNECTORS = ["de", "la", "le", "du", "des", "d", "der", "von", "van", "di", "del"]  # inside a longer name


CALENDAR = {name.lower() for name in (*calendar.month_name[1:], *calendar.day_name)}


def described_names(text: str, described: Descriptions, blocked: list[str]) -> list[Form]:
    """ "PM-KISAN, its flagship cash transfer scheme for farmers", "NextGenerationEU, the EU's recovery
    instrument": a capitalized name followed by an appositive whose head is a program word.

    One to five lower-case words must stand between the opener and the program
    word ("Separately, the fund, ..." is none), none of them a `not_program`
    word ("Fidelity, the company's largest fund") and no blocked name in them
    ("the country's biggest pension fund"); the name is no month or weekday and
    no word ending in -ly, and the program word is the appositive's head ("the
    fund's manager" is none).
    """
    if not described.cues:
        return []
    pattern = re.compile(
        rf"({CAPITALIZED_NAME}),\s+(?:{OPENERS})\s+((?:[a-z][\w'’-]*\s+|[A-Z][\w.-]*['’]s\s+){{1,5}})"
        rf"({alternation(described.cues)}){DESCRIPTION_END}"
    )
    found = []
    for match in pattern.finditer(text):
        start, name = name_without_opener(match.group(1), match.start(1))
        words = match.group(2).lower().split()
        if not name or name.lower() in CALENDAR or name.lower().endswith("ly") or name.lower() in STOP_WORDS:
            continue
        if re.search(rf"\b(?:{'|'.join(FOREIGN_CONNECTORS)})\s+$", text[max(0, start - 5) : start]):
            continue  # the end of a longer name: "Caisse d Amortisement de la Dette Publique"
        if any(word in described.not_program for word in words) or any(b in match.group(0).lower() for b in blocked):
            continue
        found.append(Form(start, start + len(name), name, name, (name,), "appositive_description", match.group(3)))
    return found


def name_without_opener(name: str, start: int) -> tuple[int, str]:
    """(start, name) without the small words a capitalized run may start with ("The", "On")."""
    words = list(re.finditer(r"\S+", name))
    while words and words[0].group().lower() in STOP_WORDS:
        words.pop(0)
    if not words:
        return start, ""
    return start + words[0].start(), name[words[0].start():]


def or_definitions(text: str, minor: frozenset[str]) -> list[Form]:
    """ "the Pradhan Mantri Kisan Samman Nidhi, or PM-KISAN,": a capitalized name, then ", or" and an
    acronym it spells (Schwartz-Hearst, extract.programs.acronyms); a definition, one mention.

    Nothing in the form says the name is a program: the component keeps it
    when the rules' cue words or another form say so.
    """
    pattern = re.compile(rf"({CAPITALIZED_NAME}),\s+or\s+([A-Za-z][A-Za-z0-9/-]{{1,11}})(?=\s*[,.;:)])")
    found = []
    for match in pattern.finditer(text):
        start, name = name_without_opener(match.group(1), match.start(1))
        short = match.group(2)
        if not name or not is_short_form(short) or " " not in name:
            continue
        at = match_long_form(short, name, minor)
        if at is None:
            continue
        start, name = start + at, name[at:]
        if not is_long_form(name, short):
            continue
        found.append(Form(start, match.end(2), short, name, (short, name), "or_definition"))
    return found


# ", the federal rent subsidy better known as Section 8": an appositive that gives another name
KNOWN_AS = re.compile(
    rf",\s+(?:(?:{OPENERS})\s+(?:[a-z][\w'’-]*\s+){{0,5}})?(?:(?:also|better|commonly|popularly|widely|often)\s+)?"
    rf"known\s+as\s+(?:the\s+)?(Section\s\d{{1,4}}\b|{CAPITALIZED_NAME})"
)


@dataclass(frozen=True)
class KnownAs:
    """ "..., better known as Section 8": the comma at `after` ends a name; `alias` is another name for it."""

    after: int
    alias: str


def known_as(text: str) -> list[KnownAs]:
    """Every "..., (the ...) (also, better, ...) known as Name" in `text`: the comma's offset and the name."""
    found = []
    for match in KNOWN_AS.finditer(text):
        _, alias = name_without_opener(match.group(1), match.start(1))
        if alias and alias.lower() not in CALENDAR:
            found.append(KnownAs(match.start(), " ".join(alias.split())))
    return found
