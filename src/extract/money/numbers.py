"""Numbers in digits and in words, as exact Decimals (price-parser for digit strings).

Never floats: `$1.1 billion` must be 1100000000 exactly in every table.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from price_parser import Price

if TYPE_CHECKING:
    from .rules import MoneyRules


ARTICLES = ("a", "an")


FILLERS = {"and", "of"}  # words inside a number in words without a value of their own


DIGITS = r"(?<![\w.,])(?>\d{1,3}(?:,\d{3})++(?:\.\d++)?|\d++(?:\.\d++)?)"


def exact(value: Decimal) -> Decimal:
    """The value without trailing zeros or exponent: 1250000000.00 -> 1250000000, 0.0120 -> 0.012."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def parse_number(text: str, rules: MoneyRules) -> Decimal | None:
    """A number in digits ("1,500,000", via price-parser) or words ("half a", "one and a half")."""
    if text[:1].isdigit():
        integer_digits = len(text.split(".")[0].replace(",", ""))
        if integer_digits > rules.max_integer_digits:
            return None
        return read_digits(text)
    return parse_number_words(text, rules)


@lru_cache(maxsize=4096)
def read_digits(text: str) -> Decimal | None:
    """ "1,500,000" -> 1500000, exactly: price-parser reads the digits, grouping and decimal point."""
    amount = Price.fromstring(text, decimal_separator=".").amount
    return Decimal(amount) if amount is not None else None


def parse_number_words(text: str, rules: MoneyRules) -> Decimal | None:
    """ "one"=1, "twenty-five"=25, "two hundred"=200, "half a"=0.5, "a quarter of a"=0.25, "one and a half"=1.5."""
    numbers = {k.lower(): v for k, v in rules.number_words.items()}
    fractions = {k.lower(): v for k, v in rules.fraction_words.items()}
    fillers = FILLERS
    words = re.split(r"[\s-]+", text.lower().strip())
    position = next((i for i, w in enumerate(words) if w in fractions), None)
    if position is None:
        return integer_words(words, numbers, fillers)
    before = words[:position]
    after = [w for w in words[position + 1 :] if w not in fillers and w not in ARTICLES]
    if after:
        return None  # "half a two": not a number
    if len(words) == 1:
        return None  # "quarter" alone is a noun ("in the quarter to $254 million")
    fraction = fractions[words[position]]
    if before and before[-1] == "and" or (len(before) >= 2 and before[-2] == "and" and before[-1] in ARTICLES):
        whole = integer_words(before[: len(before) - before[::-1].index("and") - 1], numbers, fillers)
        return None if whole is None else whole + fraction
    count = integer_words(before, numbers, fillers) if before else 1
    return None if count is None else count * fraction


def integer_words(words: list[str], numbers: dict[str, int], fillers: set[str]) -> Decimal | None:
    """Whole numbers in words below a thousand (scale words follow separately): "one hundred twenty five"."""
    total = 0
    seen = False
    if len(words) > 1 and words[0] in ARTICLES and numbers.get(words[1]) != 100:
        words = words[1:]  # "a two-penny": the article, not one; but "a hundred"
    for previous, word in zip([None, *words], words):
        if word in fillers:
            if word == "and" and numbers.get(previous or "") != 100:
                return None  # "six and seven billion" is two numbers; "one hundred and five" is one
            continue
        value = numbers.get(word)
        if value is None:
            return None
        if value == 100:
            total = (total or 1) * 100
        else:
            total += value
        seen = True
    return Decimal(total) if seen else None
