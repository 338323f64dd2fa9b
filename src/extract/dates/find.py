"""Find calendar references in a text and resolve each to its first and last day.

Pure functions, no spaCy: `find_dates(text, published)` returns the rows of the
dates table for one text, `resolve_date(expression, published)` the days of one
expression. The spaCy component (components/dates.py) is a thin layer on top.

How it works, in three passes over the text:
1. `atoms`: every pattern below finds expressions (`24 September 2012`, `FY16`,
   `last week`); overlapping finds keep the longest. Every pattern is a plain
   regular expression without nested repetition, so time grows linearly.
2. `widen`: modifiers (`early`, `the end of`), range links (`from X to Y`,
   `between X and Y`) and relation cues (`since`, `by`) around an atom join it.
3. `resolve`: in document order, so that a date without a year takes it from
   the closest earlier date that has one (LABELING.md, Dates).
Day forms written with a month name (`24 September 2012`, `Sept. 24`) are read
by dateparser, one matched expression at a time (`read_with_dateparser`);
quarters, fiscal years, decades and relative dates are plain calendar
arithmetic. Spans found elsewhere (the model's DATE entities) can be passed as
`candidates`: one that no pattern found and that names a month with a day or a
year becomes a row too (`candidate_parts`), read by dateparser.
Word lists and per-source settings come from rules/dates.yml (`DateRules`).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..anchors import matches_in
from ..clean.rules import DateOrder
from ..sentences.bounds import Sentences, default_abbreviations
from .calendars import source_matches, week_span
from .context import Context, DateRow, DayOrder, Notes, Partial, Resolved
from .patterns import (
    CANDIDATE_YEAR,
    COMPILED,
    FULL_MONTHS,
    PATTERNS,
    Atom,
    candidate_parts,
    cue_table,
    pattern_windows,
    word_pattern,
)
from .resolve import FINENESS, place_in_year, resolve_atom
from .rules import DateRules, default_rules


def candidate_atoms(text: str, candidates: Iterable[tuple[int, int]], found: list[Atom], rules: DateRules) -> list[Atom]:
    """Candidate spans that no pattern found and that name a calendar day or month (candidate_parts)."""
    taken = bytearray(len(text) + 1)
    for atom in found:
        taken[atom.start : atom.end] = b"\x01" * (atom.end - atom.start)
    chosen = []
    for start, end in sorted(candidates):
        piece = text[start:end]
        if any(taken[start:end]) or not candidate_parts(piece, rules):
            continue
        taken[start:end] = b"\x01" * (end - start)
        year = CANDIDATE_YEAR.search(piece)
        chosen.append(Atom(start, end, "candidate", {"y": year.group() if year else None}))
    return chosen


YEAR_GROUPS = ("y", "yy", "y2", "y3")


def has_written_year(atom: Atom) -> bool:
    """Whether the text writes the year of this atom (decades and centuries do not name one)."""
    return atom.kind not in ("decade", "decade_short") and any(atom.groups.get(g) for g in YEAR_GROUPS)


def atoms(text: str, rules: DateRules) -> list[Atom]:
    """Every expression the patterns find, overlaps resolved in favour of the longest."""
    windows = pattern_windows(text)
    found = [
        Atom(m.start(), m.end(), kind, m.groupdict())
        for kind, pattern in COMPILED for m in matches_in(pattern, text, windows[kind])
    ]
    order = {kind: i for i, (kind, _) in enumerate(PATTERNS)}
    found.sort(key=lambda a: (-(a.end - a.start), order[a.kind], a.start))
    taken = bytearray(len(text) + 1)
    chosen = []
    for atom in found:
        if any(taken[atom.start : atom.end]) or not plausible(atom, text, rules):
            continue
        taken[atom.start : atom.end] = b"\x01" * (atom.end - atom.start)
        chosen.append(atom)
    return sorted(chosen, key=lambda a: a.start)


def word_before(text: str, start: int) -> str:
    match = re.search(r"([\w.#']+)\W*$", text[max(0, start - 30) : start])
    return match.group(1).lower() if match else ""


def word_after(text: str, end: int) -> str:
    match = re.match(r"\W*?([\w.']+)", text[end : end + 30])
    return match.group(1).lower().rstrip(".") if match else ""


def plausible(atom: Atom, text: str, rules: DateRules) -> bool:
    """Reject finds that only look like dates: counts, model numbers, names, verbs."""
    return all(check(atom, text, rules) for check in (number_stands_alone, month_word_is_a_month,
                                                       weekday_is_a_day, not_two_years, short_fiscal_year))


def number_stands_alone(atom: Atom, text: str, rules: DateRules) -> bool:
    """A year or numeric date is not part of an amount, a count, a model number or a code (`$2015`, `F-16`, `Resolution 1546`)."""
    if atom.kind not in ("year", "year_range", "decade", "numeric_day", "numeric_month", "iso_day"):
        return True
    before, after = text[max(0, atom.start - 2) : atom.start], text[atom.end : atom.end + 2]
    glued = re.search(r"[$€£#©\d]$|©\s$|\d[.,]$|[A-Za-z0-9]-$|[.:]$", before)
    if glued and not word_pattern(r"(?<![\w-]){words}-$", tuple(rules.modifiers)).search(text[max(0, atom.start - 20) : atom.start]):
        return False  # `mid-2016`, `end-2015` are modifiers, `C-2016` is not
    if re.match(r"[A-Za-z%]|[.,:]\d|-\d|/\d|\+", after):
        return False
    return word_before(text, atom.start) not in rules.not_year_after and word_after(text, atom.end) not in rules.not_year_before


def short_fiscal_year(atom: Atom, text: str, rules: DateRules) -> bool:
    """A two-digit fiscal year needs `FY` or an apostrophe (`FY16`, `fiscal '92`), not `fiscal 10 percent`."""
    if atom.kind != "fiscal" or not atom.groups.get("yy"):
        return True
    keyword = (atom.groups.get("kw") or "FY").upper().replace(".", "")
    return keyword == "FY" or "'" in text[atom.start : atom.end]


def month_word_is_a_month(atom: Atom, text: str, rules: DateRules) -> bool:
    """`May` and `March` are often a verb; a capitalized month before a capitalized word is often a name (`April Glaspie`)."""
    if atom.kind not in ("bare_month", "month_rel", "day_month", "month_day"):
        return True
    name = atom.groups["m"] or ""
    verb_like = name.lower() in ("may", "march")
    if atom.kind != "bare_month":
        return not (verb_like and not name[0].isupper() and (atom.kind == "month_rel" or not atom.groups.get("y")))
    previous = word_before(text, atom.start)
    if not name[0].isupper() or not (name.lower() in FULL_MONTHS or name.endswith(".")):
        return False
    if verb_like and previous not in rules.date_openers:
        return False
    return not (re.match(r"\s+[A-Z][a-z]", text[atom.end : atom.end + 3]) and previous not in rules.date_openers)


def weekday_is_a_day(atom: Atom, text: str, rules: DateRules) -> bool:
    """A bare weekday is a full, capitalized name that is not a surname (`coach Mike Friday`)."""
    if atom.kind != "weekday_rel" or atom.groups.get("rel") or atom.groups.get("rel2"):
        return True
    name = atom.groups["wd"] or ""
    return name[0].isupper() and len(name) >= 6 and not follows_a_name(text, atom.start, rules)


def not_two_years(atom: Atom, text: str, rules: DateRules) -> bool:
    """`2004/05` is a span of two years, not May 2004."""
    if atom.kind != "numeric_month" or not (atom.groups.get("y") and atom.groups.get("mo")):
        return True
    return int(atom.groups["mo"] or 0) != (int(atom.groups["y"] or 0) + 1) % 100


def follows_a_name(text: str, start: int, rules: DateRules) -> bool:
    """`coach Mike Friday`: a capitalized word (not a sentence start or preposition) right before."""
    match = re.search(r"([A-Za-z]+)\s+$", text[max(0, start - 30) : start])
    if not match or not match.group(1)[0].isupper() or match.group(1).lower() in rules.date_openers:
        return False
    return not re.search(r"(?:^|[.!?\n\"“]\s*)$", text[max(0, start - 30) : start - len(match.group())])


@dataclass(frozen=True)
class Expression:
    """A date expression as the row will show it: one atom, or two joined as a range."""

    start: int
    end: int
    first: Atom
    last: Atom | None = None  # the second end of a range
    relation: str | None = None
    as_week: bool = False
    modifier: int | None = None  # the index in rules/dates.yml `modifiers` of a modifier taken in (`early`)


RANGE_LINK = re.compile(r"\s*(?:-|–|—|to|through|thru|until|till|and)\s*", re.IGNORECASE)


JOINABLE = {"bare_month", "month_year", "day_month", "month_day", "year", "fiscal", "fiscal_after", "quarter", "quarter_short",
            "half", "half_short", "season", "iso_day", "numeric_day", "calendar_year", "month_rel", "day_word",
            "weekday_rel", "decade", "weekday_day", "day_month_compact", "candidate"}


def widen(text: str, found: list[Atom], rules: DateRules, sentences: Sentences) -> list[Expression]:
    """Join ranges and `the week of` to their atoms, then take in modifiers and relation cues."""
    expressions: list[Expression] = []
    found = fiscal_pairs(text, fiscal_lists(text, found), sentences)
    i = 0
    while i < len(found):
        atom = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if atom.kind == "week_of":
            if nxt and nxt.kind in ("day_month", "month_day", "day_month_compact", "iso_day", "numeric_day") and not text[atom.end : nxt.start].strip():
                expressions.append(Expression(atom.start, nxt.end, nxt, as_week=True))
                i += 2
            else:
                i += 1
            continue
        if nxt and atom.kind in JOINABLE and nxt.kind in JOINABLE and joins(text, atom, nxt):
            expressions.append(Expression(atom.start, nxt.end, atom, nxt))
            i += 2
            continue
        expressions.append(Expression(atom.start, atom.end, atom))
        i += 1
    return [with_cues(text, e, rules) for e in expressions]


LIST_LINK = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+", re.IGNORECASE)


def fiscal_lists(text: str, found: list[Atom]) -> list[Atom]:
    """`fiscal years 2016 and 2017`: years listed after a plural fiscal keyword are fiscal years too."""
    result: list[Atom] = []
    for atom in found:
        previous = result[-1] if result else None
        listed = previous is not None and previous.kind == "fiscal" and atom.kind == "year" \
            and (previous.groups.get("kw") or "").lower().endswith("years") and LIST_LINK.fullmatch(text[previous.end : atom.start])
        result.append(Atom(atom.start, atom.end, "fiscal", {**atom.groups, "kw": previous.groups["kw"], "yy": None, "y2": None}) if listed and previous else atom)
    return result


FISCAL_KINDS = {"fiscal", "fiscal_after"}


WRITTEN_PAIR = re.compile(r"\d{4}\s*[-–/]\s*\d{2,4}")


def fiscal_pairs(text: str, found: list[Atom], sentences: Sentences) -> list[Atom]:
    """`an increase on 2022-23` in a sentence naming the `2023-24 financial year`: that year pair is a fiscal year too.

    Only a pair of following years written with a dash or slash, beside a
    fiscal year itself written as a pair: `2021-27` or `from 2022 to 2023`
    stay calendar years.
    """
    named = [atom for atom in found if atom.kind in FISCAL_KINDS and atom.groups.get("y2")]
    if not named:
        return found
    result = []
    for atom in found:
        if is_year_pair(atom, text) and any(in_same_sentence(sentences, atom, other) for other in named):
            second = atom.groups.get("y2") or atom.groups.get("yy")
            atom = Atom(atom.start, atom.end, "fiscal", {"y": atom.groups["y"], "yy": None, "y2": second, "kw": None})
        result.append(atom)
    return result


def is_year_pair(atom: Atom, text: str) -> bool:
    """`2022-23`, `2021/2022`: two following years, the way fiscal years are named."""
    if atom.kind != "year_range" or not WRITTEN_PAIR.fullmatch(text[atom.start : atom.end]):
        return False
    first = int(atom.groups["y"] or 0)
    y2 = atom.groups.get("y2")
    second = int(y2) if y2 else first // 100 * 100 + int(atom.groups["yy"] or 0)
    return second == first + 1


def in_same_sentence(sentences: Sentences, atom: Atom, other: Atom) -> bool:
    first, last = sentences.around(atom.start, atom.end)
    return first <= other.start and other.end <= last


def joins(text: str, first: Atom, last: Atom) -> bool:
    """`from A to B`, `between A and B`, or `A - B` / `A to B` of the same kind."""
    link = RANGE_LINK.fullmatch(text[first.end : last.start])
    if not link:
        return False
    word = link.group().strip().lower()
    opener = word_before(text, first.start)
    if word == "and":
        return opener == "between"
    return opener in ("from", "between") or first.kind == last.kind or (word in ("until", "till", "through") and first.kind in ("day_month", "month_day"))


def with_cues(text: str, expression: Expression, rules: DateRules) -> Expression:
    """Take in `from`/`between` of a range, a modifier and a relation cue standing right before."""
    start = expression.start
    head = text[max(0, start - 120) : start]
    range_kinds = ("year_range", "day_range_month", "month_day_range", "day_range_rel")
    if expression.last or expression.first.kind in range_kinds:
        opener = re.search(r"\b(?:from|between)\s+$", head, re.IGNORECASE)
        if opener:
            return replace(expression, start=start - (len(head) - opener.start()))
    modifier = word_pattern(r"(?<![\w-]){words}(?:\s+|-)$", tuple(rules.modifiers)).search(head) if rules.modifiers else None
    if modifier:
        start -= len(head) - modifier.start()
        head = text[max(0, start - 120) : start]
        expression = replace(expression, modifier=modifier_index(modifier.group(), rules))
    cue_words = cue_table(tuple((relation, tuple(cues)) for relation, cues in rules.relations.items()))
    cue = word_pattern(r"(?<![\w-]){words}\s+$", tuple(cue_words)).search(head)
    if cue:
        relation = cue_words[re.sub(r"\s+", " ", cue.group().strip().lower())]
        return replace(expression, start=start - (len(head) - cue.start()), relation=relation)
    return replace(expression, start=start, relation=distant_cue(head, cue_words, rules))


def modifier_index(found: str, rules: DateRules) -> int | None:
    """Where `found` (`early `, `mid-`, `the end  of `) stands in the rules' modifiers, for the rule column."""
    words = " ".join(found.rstrip("-").split()).lower()
    return next((i for i, modifier in enumerate(rules.modifiers) if modifier.lower() == words), None)


def distant_cue(head: str, cue_words: dict[str, str], rules: DateRules) -> str | None:
    """A cue a few words before the date, which stands after a bridge word (`in`, `on`).

    Two shapes: the cue opens the clause (`Since the operation began in 2015`),
    or it opens a short clause of its own inside the sentence (`has grown since
    the programme was established in 1951`; inner_cue).
    """
    if not rules.distant_cue_bridge or not word_pattern(r"\b{words}\s+$", tuple(rules.distant_cue_bridge)).search(head):
        return None
    clause = re.split(r"[,;:.!?\n\"]", head)[-1]
    openers = tuple(c for c in cue_words if c not in ("by", "by the end of", "through", "following"))
    opening = word_pattern(r"\s*{words}\b", openers).match(clause)
    if opening:
        return cue_words[opening.group().strip().lower()]
    return inner_cue(clause, openers, cue_words, rules)


def inner_cue(clause: str, openers: tuple[str, ...], cue_words: dict[str, str], rules: DateRules) -> str | None:
    """The last cue of the clause, when the words from it to the bridge are a short clause with a verb.

    `since the programme was established in` sets since; `testified before
    the committee in` does not (no verb: `before` tells of a place), nor
    `after the election and served in` (`and` starts another clause), nor
    a cue with a number after it (it has a date of its own).
    A verb is a word of past_words or a word ending in -ed (rules/dates.yml).
    """
    cues = list(word_pattern(r"(?<![\w-]){words}\s+", openers).finditer(clause))
    if not cues:
        return None
    words = clause[cues[-1].end() :].lower().split()[:-1]  # the bridge word left out
    if not 1 <= len(words) <= rules.distant_cue_max_words or set(words) & {w.lower() for w in rules.distant_cue_breaks}:
        return None
    if any(char.isdigit() for word in words for char in word):
        return None  # `since 1947 - the last time was in 1976`: the cue has a date of its own
    if not any(word in rules.past_words or word.endswith("ed") for word in words):
        return None
    return cue_words[re.sub(r"\s+", " ", cues[-1].group().strip().lower())]


def resolve_expression(expression: Expression, ctx: Context) -> Resolved | None:
    """The days of one expression; ranges run from the start of the first to the end of the last."""
    first = resolve_atom(expression.first, ctx)
    if expression.last is None:
        if isinstance(first, Partial):
            first = place_in_year(first, ctx, expression.start, expression.end)
        if first and expression.as_week and first.start:
            return Resolved(*week_span(first.start), "week")
        return first
    last = resolve_atom(expression.last, ctx)
    if isinstance(first, Partial) and isinstance(last, Resolved) and last.start:
        y = last.start.year - (1 if (first.month, first.day or 1) > (last.start.month, last.start.day) else 0)
        first = place_in_year(first, ctx, expression.start, expression.end, y)
    elif isinstance(last, Partial) and isinstance(first, Resolved) and first.end:
        y = first.end.year + (1 if (last.month, last.day or 31) < (first.end.month, first.end.day) else 0)
        last = place_in_year(last, ctx, expression.start, expression.end, y)
    if isinstance(first, Partial):
        first = place_in_year(first, ctx, expression.start, expression.end)
    if isinstance(last, Partial):
        last = place_in_year(last, ctx, expression.start, expression.end)
    if first is None or last is None:
        return None
    granularity = min(first.granularity, last.granularity, key=FINENESS.index)
    if first.start and last.end and last.end < first.start:
        return None
    return Resolved(first.start, last.end, granularity)


TARGETS = {"until", "before", "after"}  # a date with one of these relations is a target, no anchor


def update_anchor(expression: Expression, resolved: Resolved, ctx: Context) -> None:
    """A date whose year is written becomes the anchor of later dates without one (LABELING.md):
    a target (`by 2011`, `before 2020`) anchors nothing; a range anchors with its first year."""
    written = has_written_year(expression.first) or (expression.last is not None and has_written_year(expression.last))
    if not (resolved.start and resolved.end and written) or expression.relation in TARGETS:
        return
    if expression.last is not None or expression.first.kind == "year_range":
        first_year = resolved.start.year
        ctx.anchor = (first_year, min(resolved.end, dt.date(first_year, 12, 31)))
    else:
        ctx.anchor = (resolved.end.year, resolved.end)


def means_nowadays(text: str, expression: Expression) -> bool:
    """`Today, forces continue to ...` opening a sentence is `at present` (vague), not a day."""
    opens = re.search(r"(?:^|[.!?\n\"“]\s*)$", text[max(0, expression.start - 3) : expression.start])
    return bool(opens) and text[expression.start : expression.end + 1] in ("Today,", "Nowadays,")


def in_stamp(atom: Atom, stamps: Iterable[tuple[int, int]]) -> bool:
    """Whether a date lies inside a span of the page's own date (cleaning's Cleaned.stamps): no reference."""
    return any(first <= atom.start and atom.end <= last for first, last in stamps)


# What a site's date_order (rules/cleaning.yml) says of a date written day and month first or
# month and day first ("06-01-2020"). YMD says nothing of it: a site that writes 2020-01-06 leaves
# the order of a date whose year comes last to the rules below it (day_first_for).
DAY_FIRST_OF_ORDER: dict[DateOrder, bool] = {"DMY": True, "MDY": False}


def day_first_for(text: str, found: list[Atom], source: str | None, rules: DateRules,
                  date_order: DateOrder | None = None, date_order_rule: str | None = None) -> DayOrder:
    """The day-month order of numeric dates: the site's own order, else the source's rule, else the
    document's evidence, else unknown.

    The site's order comes first because cleaning recognizes a site by its page, which says more
    than a name or domain in `source`; day_first_by_source is left for domains and for sources
    no cleaning site covers.
    """
    if date_order in DAY_FIRST_OF_ORDER:
        return DayOrder(DAY_FIRST_OF_ORDER[date_order], date_order_rule or "site_date_order")
    for key, value in sorted(rules.day_first_by_source.items(), key=lambda kv: -len(kv[0])):
        if source_matches(source, key):
            return DayOrder(value, rules.where("day_first_by_source", key))
    votes = set()
    for atom in found:
        if atom.kind == "numeric_day":
            a, b = int(atom.groups["a"] or 0), int(atom.groups["b"] or 0)
            if a > 12 >= b:
                votes.add(True)
            elif b > 12 >= a:
                votes.add(False)
    return DayOrder(votes.pop(), "order_of_other_dates", inferred=True) if len(votes) == 1 else DayOrder(None)


def find_dates(text: str, published: dt.date | None = None, rules: DateRules | None = None,
               source: str | None = None, candidates: Iterable[tuple[int, int]] = (), *,
               date_order: DateOrder | None = None, date_order_rule: str | None = None,
               stamps: Iterable[tuple[int, int]] = (), sentences: Sentences | None = None) -> list[DateRow]:
    """Every calendar reference in `text`, resolved (LABELING.md, Dates), in text order.

    `candidates` are (start, end) character spans found by something else (the
    model's DATE entities); those no pattern found are judged by candidate_parts.
    `date_order` is how the document's site writes numeric dates (cleaning's
    `sites`, Cleaned.date_order), when a site sets it; see day_first_for;
    `date_order_rule` where the rules set it (`rules/cleaning.yml:<line>`), for the rows' `rule`.
    `stamps` are character spans of the page's own dates (a dateline, `Updated: Aug 14, 2017`),
    which cleaning finds (Cleaned.stamps, extract.clean.stamps.stamp_spans): a date whose
    words lie inside one is no row and anchors nothing. Without them every date is a reference.
    `sentences` are the text's sentences (extract.sentences.bounds: the Doc's, from the component);
    without them, the text's own, with the packaged rules' abbreviations.
    """
    stamps = list(stamps)
    rules = rules or default_rules()
    found = atoms(text, rules)
    found = sorted(found + candidate_atoms(text, candidates, found, rules), key=lambda a: a.start)
    sentences = sentences or Sentences.of_text(text, default_abbreviations())
    ctx = Context(text, published, rules, source, sentences,
                  day_first_for(text, found, source, rules, date_order, date_order_rule))
    rows = []
    for expression in widen(text, found, rules, sentences):
        if in_stamp(expression.first, stamps) or means_nowadays(text, expression):
            continue
        ctx.notes = Notes([found_by(atom) for atom in (expression.first, expression.last) if atom is not None])
        if expression.first.kind == "candidate":
            ctx.note(flag="from_ner")
        if expression.relation:  # with_cues took it from a cue word of that relation's list
            ctx.note(rules.where("relations", expression.relation))
        if expression.modifier is not None:
            ctx.note(rules.where("modifiers", expression.modifier))
        resolved = resolve_expression(expression, ctx)
        if resolved is None:
            continue
        update_anchor(expression, resolved, ctx)
        rows.append(DateRow(expression.start, expression.end, text[expression.start : expression.end],
                            resolved.start, resolved.end, resolved.granularity, expression.relation,
                            tuple(dict.fromkeys(ctx.notes.rule)), frozenset(ctx.notes.flags)))
    return rows


def found_by(atom: Atom) -> str:
    """The rule column's name for what found an atom: its pattern, or the model (`ner`) for a candidate."""
    return "ner" if atom.kind == "candidate" else f"pattern:{atom.kind}"


def resolve_date(text: str, published: dt.date | None = None, rules: DateRules | None = None,
                 source: str | None = None) -> Resolved | None:
    """The days of one expression (`FY16`, `the third quarter of 2016`, `last week`); None if not a date."""
    rows = find_dates(text, published, rules, source)
    return Resolved(rows[0].date_start, rows[0].date_end, rows[0].granularity) if len(rows) == 1 else None
