"""extract_money: find amounts of money and normalize them to a number and an ISO code.

The currency table, scale words and qualifier cues live in rules/money.yml.
Pure functions (`parse_amount`) do the arithmetic and are tested without a
pipeline; the component only finds spans and sets their attributes.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from price_parser import Price
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..rules import Strict
from .base import RuleComponent


class Currency(Strict):
    """One currency: its ISO code and the ways texts write it."""

    code: str
    symbols: list[str] = []  # written before the number: $, US$, €
    names: list[str] = []  # written after the number: dollars, dlrs, euros


class MoneyRules(Strict):
    """rules/money.yml."""

    currencies: list[Currency]
    scales: dict[str, int]  # scale word -> multiplier: million -> 1000000
    qualifiers: dict[str, list[str]]  # qualifier -> cue phrases before the amount


NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def parse_number(text: str) -> Decimal | None:
    """The number in `text` ("1,500,000" -> 1500000), read by price-parser."""
    amount = Price.fromstring(text, decimal_separator=".").amount
    return Decimal(amount) if amount is not None else None


def parse_amount(number: str, scale: str | None, scales: dict[str, int]) -> Decimal | None:
    """Number times scale word: ("1.25", "billion") -> 1250000000."""
    value = parse_number(number)
    if value is None:
        return None
    if scale:
        value *= scales[scale.lower()]
    try:
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    except InvalidOperation:
        return value


class MoneyFinder(RuleComponent[MoneyRules]):
    """Finds money spans with patterns built from rules/money.yml."""

    rules_file = "money.yml"
    rules_model = MoneyRules

    def setup(self) -> None:
        rules = self.rules
        self.symbol_code = {s: c.code for c in rules.currencies for s in c.symbols}
        self.name_code = {n.lower(): c.code for c in rules.currencies for n in c.names + [c.code]}
        self.qualifier_of = {cue.lower(): q for q, cues in rules.qualifiers.items() for cue in cues}
        alternatives = lambda items: "|".join(re.escape(i) for i in sorted(items, key=len, reverse=True))  # noqa: E731
        scale = rf"(?:\s?(?P<scale>{alternatives(rules.scales)})\b)?"
        qualifier = rf"(?:\b(?P<qualifier>{alternatives(self.qualifier_of)})\s+)?"
        self.pattern = re.compile(
            rf"{qualifier}(?:"
            rf"(?P<symbol>{alternatives(self.symbol_code)})\s?(?P<number>{NUMBER}){scale}"
            rf"|(?<![\w$])(?P<number2>{NUMBER}){scale.replace('scale', 'scale2')}\s?(?P<name>{alternatives(self.name_code)})\b"
            rf")",
            re.IGNORECASE,
        )

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match in self.pattern.finditer(doc.text):
            span = self.make_span(doc, match)
            if span is not None:
                spans.append(span)
        doc.spans["money"] = spans
        return doc

    def make_span(self, doc: Doc, match: re.Match[str]) -> Span | None:
        """A span with its amount, currency and qualifier, or None when the match is not money."""
        start = match.start("qualifier") if match.group("qualifier") else match.start("symbol") if match.group("symbol") else match.start("number2")
        span = doc.char_span(start, match.end(), label="MONEY", alignment_mode="expand")
        if span is None:
            return None
        number = match.group("number") or match.group("number2")
        scale = match.group("scale") or match.group("scale2")
        code = self.symbol_code.get(match.group("symbol") or "") or self.name_code.get((match.group("name") or "").lower())
        span = Span(doc, span.start, span.end, label="MONEY")
        span._.amount = parse_amount(number, scale, self.rules.scales)
        span._.currency = code
        if match.group("qualifier"):
            span._.qualifier = self.qualifier_of[match.group("qualifier").lower()]
        return span


@Language.factory("extract_money", assigns=["doc.spans"], default_config={"rules_path": None})
def make_money_finder(nlp: Language, name: str, rules_path: str | None) -> MoneyFinder:
    """Build the money component from rules/money.yml (or the file `rules_path` names)."""
    return MoneyFinder(name, rules_path)
