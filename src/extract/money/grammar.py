"""The money grammar: one regular expression built from rules/money.yml, and how a match becomes an Amount.

Pure text work, no spaCy: `parse_amount("about $1.2bn")` reads one amount.
The expression cannot backtrack catastrophically: every repeat that could meet
itself again is possessive or atomic, and numbers may only start where a
number starts, so the work grows linearly with the text.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal, Inexact, localcontext
from functools import lru_cache
from pathlib import Path

from ..anchors import anchor_windows
from ..rules import load_rule_file, packaged_rules_dir
from ..words import alternation, fold
from .currencies import codes_pattern, is_code, symbol_key, symbol_pattern
from .numbers import ARTICLES, DIGITS, exact, parse_number
from .rules import MoneyRules


@dataclass(frozen=True)
class Amount:
    """One amount found in a text; `currency` is None until the text makes it plain."""

    start: int
    end: int
    amount: Decimal
    currency: str | None
    qualifier: str | None = None
    amount_high: Decimal | None = None
    scaled: bool = False  # carried a scale ("3.9 billion", "$4m"): a bare number needs one to be money
    rule: tuple[str, ...] = ()  # the rules entries (currency word, qualifier cue) and code steps that decided it
    flags: frozenset[str] = frozenset()  # review flags (extract.extensions.FLAGS)


@dataclass(frozen=True)
class Unit:
    """What a currency word means: its ISO code, and 100 for a minor unit (cents)."""

    code: str
    divisor: int = 1
    ambiguous: bool = False
    rule: str | None = None  # where rules/money.yml lists the word


SPACES = r"\s++"  # a space inside a phrase of the rules matches any run of spaces


class MoneyGrammar:
    """The candidate-finding regular expression and the number arithmetic, built from MoneyRules."""

    def __init__(self, rules: MoneyRules) -> None:
        self.rules = rules
        self.units: dict[str, Unit] = {}
        self.symbol_rules: dict[str, str | None] = {}  # symbol_key -> where the symbol is listed
        self.code_rules: dict[str, str | None] = {}  # ISO code -> where its currency entry starts
        ambiguous = {n.lower() for n in rules.ambiguous_names}
        for c, currency in enumerate(rules.currencies):
            for i, name in enumerate(currency.names):
                where = rules.where("currencies", c, "names", i)
                self.units[fold(name)] = Unit(currency.code, ambiguous=fold(name) in ambiguous, rule=where)
            for i, name in enumerate(currency.minor_names):
                self.units[fold(name)] = Unit(currency.code, divisor=100, rule=rules.where("currencies", c, "minor_names", i))
            for i, symbol in enumerate(currency.symbols):
                self.symbol_rules[symbol_key(symbol)] = rules.where("currencies", c, "symbols", i)
            self.code_rules[currency.code] = rules.where("currencies", c, "code")
        self.symbols = {s: c.code for c in rules.currencies for s in c.symbols}
        self.symbol_keys = {symbol_key(s): code for s, code in self.symbols.items()}
        self.codes = {c.code for c in rules.currencies}
        self.scales = {k.lower(): v for k, v in rules.scales.items()}
        self.attached = {k.lower(): v for k, v in rules.attached_scales.items()}
        # scale word -> where it is listed: a scale decides an amount's value, and makes a bare number one
        self.scale_rules = {k.lower(): rules.where("attached_scales", k) for k in rules.attached_scales}
        self.scale_rules.update({k.lower(): rules.where("scales", k) for k in rules.scales})
        self.word_rules = {k.lower(): rules.where("number_words", k) for k in rules.number_words}
        self.word_rules.update({k.lower(): rules.where("fraction_words", k) for k in rules.fraction_words})
        # a scale word right after an amount that has one, on its line or the next: "$3.1bn million" (see second_scale)
        self.second_scale = re.compile(rf"[^\S\n]*+\n?[^\S\n]*+(?<=\s)(?P<scale>{alternation(self.scales)})(?![\w])", re.IGNORECASE)
        # the scale words inside an amount ("$3.1bn", "$48m"): not after a letter, so "bank" holds no "k"
        self.scale_words = re.compile(rf"(?<![^\W\d_])(?:{alternation([*self.scales, *self.attached])})(?![\w])", re.IGNORECASE)
        self.qualifier_of = {fold(cue): q for q, cues in rules.qualifiers.items() for cue in cues}
        self.qualifier_rules = {
            fold(cue): rules.where("qualifiers", q, i) for q, cues in rules.qualifiers.items() for i, cue in enumerate(cues)
        }
        self.particle_of = {fold(cue): verb_pattern(verbs) for cue, verbs in rules.particle_verbs.items()}
        self.passive = verb_pattern(rules.passive_participles, before=rules.passive_words)
        self.pattern = re.compile(self.build(), re.IGNORECASE)
        cues = alternation(rules.change_cues, SPACES) or "(?!)"
        self.change = re.compile(rf"(?<![\w])(?:{cues})\s++(?:from\s++)?$", re.IGNORECASE)
        articles = set(ARTICLES)
        self.anchor_words = (
            {w.lower() for w in [*rules.number_words, *rules.fraction_words] if w.lower() not in articles}
            | set(self.scales) | set(self.attached)
            | {name.split()[-1] for name in self.units}
        )
        # How far before its first anchor word an amount may start (cue, "between", symbol), and after its
        # last one it may end (a sign or code: "5 million USD"; a unit's last word is an anchor itself).
        longest = lambda items: max((len(i) for i in items), default=0)  # noqa: E731
        self.reach_before = longest(self.qualifier_of) + longest(rules.between_words) + longest(self.symbols) + 8
        self.reach_after = longest(self.symbols) + 8
        self.reach = self.reach_before + longest(self.units)  # where a cue before an amount is looked for

    def is_anchor(self, word: str) -> bool:
        """Every amount holds a number, a number word, a scale word or a currency name (extract.anchors)."""
        return word[0].isdigit() or word.lower() in self.anchor_words

    # -- the regular expression -------------------------------------------------
    def build(self) -> str:
        rules = self.rules
        qualifier = rf"(?P<qual>(?<![\w])(?:{alternation(self.qualifier_of, SPACES)})\s++)?"
        dash_joiners = [j for j in rules.range_joiners if not j.isalpha()]
        word_joiners = [j for j in rules.range_joiners if j.isalpha()]
        joiner = "|".join(
            [rf"\s*+(?:{alternation(dash_joiners, SPACES)})\s*+"] * bool(dash_joiners)
            + [rf"\s++(?:{alternation(word_joiners, SPACES)})\s++"] * bool(word_joiners)
        ) or r"(?!)"
        between = rf"(?P<between>(?<![\w])(?:{alternation(rules.between_words, SPACES) or '(?!)'})\s++)"
        between_joiner = rf"\s++(?:{alternation(rules.between_joiners, SPACES) or '(?!)'})\s++"
        starts_here = r"(?:(?<![\w])|(?=[^\w\s]))"  # a word's start or a sign: fails fast inside words
        return (
            rf"{starts_here}{qualifier}(?:"
            rf"{between}{self.part(1)}{between_joiner}{self.part(2)}"
            rf"|{self.part(3)}(?:{joiner}){self.part(4)}"
            rf"|{self.part(5)})"
        )

    def part(self, i: int) -> str:
        """One end of an amount: [symbol] number [scale] [currency word], with groups named by i."""
        code_symbols = sorted(s for s in self.symbols if is_code(s))
        signs = sorted((s for s in self.symbols if not is_code(s)), key=len, reverse=True)
        symbols = "|".join([codes_pattern(code_symbols)] * bool(code_symbols) + [symbol_pattern(s) for s in signs])
        after_symbols = [s for s in self.symbols if not re.match(r"[A-Za-z]", s)]
        fractions = {w.lower() for w in self.rules.fraction_words}
        words = {w.lower() for w in self.rules.number_words} | fractions
        first_word = rf"(?:{alternation(words, SPACES)})(?![\w])"
        # "of" joins freely ("a quarter of a million"); "and" only after "hundred" ("one hundred and
        # five") or before a fraction ("one and a half"), so "between six and seven" keeps its "and".
        fraction_ahead = rf"(?=[\s-]++(?:(?:a|an)[\s-]++)?(?:{alternation(fractions, SPACES) or '(?!)'})(?![\w]))"
        next_word = (
            rf"(?:[\s-]++(?:{alternation(words | {'of'}, SPACES)})(?![\w])"
            rf"|(?<=hundred)[\s-]++and(?![\w])|[\s-]++and{fraction_ahead})"
        )
        number = rf"(?:{DIGITS}|(?<![\w])(?>{first_word}{next_word}*+))"
        scale = (
            rf"(?:(?:\s++|-)?+(?P<scale{i}>{alternation(self.scales, SPACES)})(?![\w])"
            rf"|(?P<att{i}>{alternation(self.attached, SPACES) or '(?!)'})(?![\w]))"
        )
        codes = "|".join(rf"(?-i:{c})" for c in sorted(self.codes))
        suffix = (
            rf"(?:(?:\s++|-)?+(?P<name{i}>(?:{alternation(self.units, SPACES)})(?![\w])|(?<![^\W\d_])(?:{codes})(?![\w]))"
            rf"|\s?(?P<after{i}>{alternation(after_symbols, SPACES)})(?!\s?\d))"
        )
        cents = ""
        if i == 5:  # "3 dollars 50 cents", "thirteen dollars and forty-five cents", "10 $ 30 cent"
            minors = alternation({n for n, u in self.units.items() if u.divisor != 1}, SPACES)
            cents = rf"(?:(?:\s++and)?\s++(?P<cents>{number})(?:\s++|-)?+(?P<minor>{minors})(?![\w]))?"
        return rf"(?:(?P<pre{i}>{symbols})\s?)?(?P<num{i}>{number}){scale}?(?:{suffix}{cents})?"

    # -- reading a match -------------------------------------------------------------
    def find(self, text: str) -> list[Amount]:
        """Every candidate amount in `text`, in order; bare amounts have currency None."""
        found: list[Amount] = []
        for start, end in anchor_windows(text, self.is_anchor, self.reach_before, self.reach_after):
            pos = start
            while (match := self.pattern.search(text, pos, end)) is not None:
                amounts, pos = self.read(text, match)
                found.extend(amounts)
        return found

    def read(self, text: str, match: re.Match[str]) -> tuple[list[Amount], int]:
        """The amounts of one match, and where to search next; an amount that would need rounding is dropped."""
        with localcontext() as context:
            context.traps[Inexact] = True
            try:
                amounts, pos = self.read_exactly(text, match)
            except Inexact:
                return [], match.end()  # more digits than a Decimal holds: never report a rounded amount
        if self.cue_is_particle(text, match):
            cue = self.qualifier_of[fold(match.group("qual"))]
            amounts = [
                replace(a, start=match.end("qual"), qualifier=None if a.qualifier == cue else a.qualifier) for a in amounts
            ]
        elif match.group("qual"):
            phrase = fold(match.group("qual"))
            decided = self.qualifier_rules.get(phrase)
            amounts = [
                with_rule(a, decided) if a.start == match.start() and a.qualifier == self.qualifier_of[phrase] else a
                for a in amounts
            ]
        return amounts, pos

    def cue_is_particle(self, text: str, match: re.Match[str]) -> bool:
        """True for "handed over $5m": the cue belongs to the verb before it (rules: particle_verbs),
        and the amount starts after it; not when the verb is passive ("were handed over $5m")."""
        pattern = self.particle_of.get(fold(match.group("qual"))) if match.group("qual") else None
        if pattern is None:
            return False
        window = max(0, match.start() - self.reach), match.start()
        return pattern.search(text, *window) is not None and self.passive.search(text, *window) is None

    def read_exactly(self, text: str, match: re.Match[str]) -> tuple[list[Amount], int]:
        """The amounts of one match, and where to search next (a range that is none gives back its high end)."""
        qualifier = self.qualifier_of.get(fold(match.group("qual"))) if match.group("qual") else None
        if match.group("num5") is not None:
            if not any(match.group(g) for g in ("pre5", "scale5", "att5", "name5", "after5")):
                return [], match.end()  # a bare number without scale is no amount: no need to read it
            single = self.amount(match, 5, match.start(), match.end(), qualifier)
            return ([single] if single and (single.currency or not match.group("att5")) else []), match.end()
        low_i, high_i = (1, 2) if match.group("num1") is not None else (3, 4)
        low_end = match.end(last_group(match, low_i))
        low = self.amount(match, low_i, match.start(), low_end, qualifier)
        high = self.amount(match, high_i, match.start(), match.end(), None)
        ranged = self.join_range(low, high, match, low_i) if low and high else None
        if ranged is not None and not self.is_change(text, match.start()):
            return [replace(ranged, start=match.start(), end=match.end())], match.end()
        if low_i == 1:
            return [], match.end("between")  # "between 1990 and ...": no range; read on after "between"
        if low is not None and (low.currency is not None or not match.group("att3")):
            return [low], low_end
        return [], low_end

    def amount(self, match: re.Match[str], i: int, start: int, end: int, qualifier: str | None) -> Amount | None:
        """Amount `i` of the match: the number times its scale, in its currency (None if bare)."""
        value = parse_number(match.group(f"num{i}"), self.rules)
        if value is None or (fold(match.group(f"num{i}")) in ARTICLES and not match.group(f"scale{i}") and not match.group(f"name{i}")):
            return None  # "a" is a number only in "a billion", "a dollar"
        scale_word = match.group(f"scale{i}") or match.group(f"att{i}")
        currency: str | None = None
        rule: list[str | None] = self.number_word_rules(match.group(f"num{i}"))
        if match.group(f"pre{i}"):
            currency = self.symbol_code(match.group(f"pre{i}"))
            rule.append(self.symbol_rule(match.group(f"pre{i}")))
        if scale_word:
            value *= self.scales.get(scale_word.lower()) or self.attached[scale_word.lower()]
            rule.append(self.scale_rules.get(scale_word.lower()))
        name = match.group(f"name{i}")
        if name:
            unit = self.units.get(fold(name)) or Unit(name, rule=self.code_rules.get(name))
            if unit.ambiguous and not match.group(f"scale{i}"):
                return None  # "2,000 pounds of explosives"
            if currency and unit.code != currency and unit.divisor == 1:
                return None  # "$ 5 euros": contradiction, not money
            currency = unit.code
            rule.append(unit.rule)
            value /= unit.divisor
        elif match.group(f"after{i}") and not currency:
            currency = self.symbol_code(match.group(f"after{i}"))
            rule.append(self.symbol_rule(match.group(f"after{i}")))
        if i == 5 and match.group("cents") and not scale_word:
            cents = parse_number(match.group("cents"), self.rules)
            minor = self.units[fold(match.group("minor"))]
            if cents is None or minor.code != currency:
                return None
            value += cents / minor.divisor
            rule.append(minor.rule)
        return Amount(start, end, exact(value), currency, qualifier, scaled=bool(scale_word), rule=rules_of(rule))

    def number_word_rules(self, number: str) -> list[str | None]:
        """Where rules/money.yml lists each number word of `number` (`two and a half`), for the rule column."""
        return [self.word_rules.get(word) for word in re.findall(r"[^\W\d_]+", fold(number)) if word in self.word_rules]

    def join_range(self, low: Amount, high: Amount, match: re.Match[str], low_i: int) -> Amount | None:
        """One range row from two ends, or None when they are not one range ("$5 million to 2015")."""
        if low.currency and high.currency and low.currency != high.currency:
            return None
        currency = low.currency or high.currency
        if currency is None:
            return None
        low_value = low.amount
        high_scale = match.group(f"scale{low_i + 1}") or match.group(f"att{low_i + 1}")
        low_scaled = match.group(f"scale{low_i}") or match.group(f"att{low_i}")
        flags = low.flags | high.flags
        if high_scale and not low_scaled:
            high_number = parse_number(match.group(f"num{low_i + 1}"), self.rules)
            assert high_number is not None  # `high` was read from this number
            if low_value < high_number:
                low_value *= self.scales.get(high_scale.lower()) or self.attached[high_scale.lower()]
                flags |= {"scale_inferred"}  # "$5 to $7 million": the low end borrows the high end's scale
            elif not match.group(f"pre{low_i}"):
                return None  # "fell from 3.450 to 1.350 billion dlrs": a fall, not a range
        if not low_value < high.amount:
            return None
        rule = rules_of([*low.rule, *high.rule])
        return Amount(low.start, high.end, exact(low_value), currency, "range", high.amount, high.scaled, rule, flags)

    def is_change(self, text: str, start: int) -> bool:
        """True for "rose (from) $1 billion to $2 billion": two amounts, not a range."""
        return self.change.search(text, max(0, start - self.reach), start) is not None

    def symbol_code(self, written: str) -> str | None:
        """The ISO code of a symbol as written ("us $" -> USD)."""
        return self.symbol_keys.get(symbol_key(written))

    def symbol_rule(self, written: str) -> str | None:
        """Where rules/money.yml lists a symbol as written; a code written as a symbol ("USD 5m") names its entry."""
        return self.symbol_rules.get(symbol_key(written)) or self.code_rules.get(written)


def rules_of(found: list[str | None]) -> tuple[str, ...]:
    """The rule column's parts: each once, in order, without the unknown (a model not read from a file)."""
    return tuple(dict.fromkeys(part for part in found if part))


def with_rule(amount: Amount, part: str | None) -> Amount:
    """The amount with one more deciding rule (a qualifier cue)."""
    return replace(amount, rule=rules_of([*amount.rule, part]))


def verb_pattern(verbs: list[str], before: list[str] | None = None) -> re.Pattern[str]:
    """One of `verbs` (after one of `before`, when given) ending the searched text: "handed ", "were handed "."""
    lead = rf"(?:{alternation(before, SPACES) or '(?!)'})\s++" if before is not None else ""
    return re.compile(rf"(?<![\w]){lead}(?:{alternation(verbs, SPACES) or '(?!)'})\s++$", re.IGNORECASE)


def last_group(match: re.Match[str], i: int) -> int:
    """The group that ends part i: its currency word, else its scale, else its number."""
    for group in (f"name{i}", f"after{i}", f"scale{i}", f"att{i}", f"num{i}"):
        if match.group(group) is not None:
            return match.re.groupindex[group]
    return match.re.groupindex[f"num{i}"]


@lru_cache(maxsize=4)
def grammar_for(path: Path) -> MoneyGrammar:
    """The grammar of one rules file, built once."""
    return MoneyGrammar(load_rule_file(path, MoneyRules))


def parse_amount(text: str, rules_path: Path | None = None) -> Amount | None:
    """The one amount that makes up `text` ("about $1.2bn" -> 1200000000 USD approx), or None.

    Bare numbers ("3.9 billion") come back with currency None: only a whole text can tell their currency.
    Without `rules_path`, the packaged rules/money.yml: the cached grammar must not depend on the working directory.
    """
    grammar = grammar_for(rules_path or packaged_rules_dir() / "money.yml")
    found = grammar.find(text.strip())
    return found[0] if len(found) == 1 and found[0].end - found[0].start == len(text.strip()) else None


def nearby_amount(
    bare: Amount, before: Amount | None, after: Amount | None, sentence_of: Callable[[int], int], back: int
) -> Amount | None:
    """The closest scaled amount in the same sentence, or one `back` sentences before: it lends its currency."""
    here = sentence_of(bare.start)
    # Only a figure of the same kind lends its currency: "$100 ... one million laptops" does not.
    near = [a for a in (before, after) if a is not None and a.scaled]
    near = [a for a in near if sentence_of(a.start) == here or (a is before and here - back <= sentence_of(a.start))]
    if not near:
        return None
    return min(near, key=lambda a: (abs(a.start - bare.start), a is after))


def second_scale(amount: Amount, text: str, grammar: MoneyGrammar) -> Amount:
    """An amount followed by one more scale word, which joins its span so it is never read on its own.

    A larger scale multiplies, as writers compound them ("Rs 1.5 lakh crore",
    "$3 thousand million"). One no larger is a scale an editor left behind
    ("$3.1bn million"): the amount keeps the scale written next to its number
    and is flagged `scale_doubled`, for a reader to check.
    """
    if not amount.scaled:
        return amount
    second = grammar.second_scale.match(text, amount.end)
    if second is None:
        return amount
    word = second.group("scale").lower()
    firsts = grammar.scale_words.findall(text, amount.start, amount.end)
    first = firsts[-1].lower() if firsts else None
    factor = grammar.scales[word]
    if first is not None and factor > (grammar.scales.get(first) or grammar.attached[first]):
        high = exact(amount.amount_high * factor) if amount.amount_high is not None else None
        return replace(amount, end=second.end(), amount=exact(amount.amount * factor), amount_high=high,
                       rule=rules_of([*amount.rule, grammar.scale_rules.get(word)]))
    return replace(amount, end=second.end(), flags=amount.flags | {"scale_doubled"}, rule=rules_of([*amount.rule, "scale_doubled"]))


def overlaps(amount: Amount, spans: list[tuple[int, int]]) -> bool:
    """Whether the amount overlaps one of the sorted, disjoint spans."""
    i = bisect_left(spans, (amount.end,)) - 1
    return i >= 0 and spans[i][1] > amount.start


def is_percent(text: str, end: int) -> bool:
    """ "15 %", "15 percent": a rate, not money."""
    return re.match(r"\s*+(?:%|per\s?cent\b|pct\b)", text[end : end + 12], re.IGNORECASE) is not None


def is_conversion(text: str, end: int, grammar: MoneyGrammar) -> bool:
    """ "1.6 billion ( $ 2.54 billion )": the bracket converts from another currency."""
    bracket = re.match(r"\s*+\(\s*+", text[end : end + 8])
    if bracket is None:
        return False
    inside = grammar.find(text[end + bracket.end() : end + bracket.end() + 60])
    return bool(inside) and inside[0].start == 0 and inside[0].currency is not None
