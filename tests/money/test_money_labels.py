"""Money on real texts: every hand-labeled amount is found with its values, and nothing else.

The labels are tests/expected/<doc>.yml (raw/) and tests/fixtures/expected/<doc>.yml
(tests/fixtures/texts/). The component runs on the text that cleaning keeps, so a
label is matched by its text and values, not by offsets that cleaning may move.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from extract.clean.document import clean_text
from extract.clean.rules import load_cleaning_rules

from ..conftest import FIXTURES, RAW, RULES

EXPECTED = Path(__file__).parents[1] / "expected"
CASES = [(RAW / f"{p.stem}.txt", p) for p in sorted(EXPECTED.glob("*.yml"))] + [
    (FIXTURES / "texts" / f"{p.stem}.txt", p) for p in sorted((FIXTURES / "expected").glob("*.yml"))
]


# Lines that the labels call page chrome (see each label file's header comment)
# but that rules/cleaning.yml does not drop yet. A row found on one of them is
# not counted as extra; every other extra row fails the test.
CHROME = {
    "dod-page-usai-funding": ["$150 Million Drawdown Package Announced for Ukraine (April 2022)"],
    "news-india-us-defence-deals": ["Rafale deal: what the Rs 59,000 crore contract covers"],
    "thinktank-european-peace-facility": ["- Sahel: the cost of staying, EUR 1 billion later (3 March 2021)"],
}


def line_at(text: str, offset: int) -> str:
    """The whole line of `text` that holds `offset`."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end != -1 else len(text)]


def as_row(text: str, amount, currency, qualifier, amount_high) -> tuple:
    """One money row as a comparable tuple; numbers as exact Decimals."""
    decimal = lambda v: None if v is None else Decimal(str(v))  # noqa: E731
    return (text, decimal(amount), currency, qualifier, decimal(amount_high))


def expected_rows(path: Path) -> list[tuple]:
    labels = yaml.safe_load(path.read_text(encoding="utf-8"))
    return sorted(
        as_row(r["text"], r["amount"], r["currency"], r["qualifier"], r["amount_high"]) for r in labels.get("money") or []
    )


@pytest.mark.parametrize(("text_path", "label_path"), CASES, ids=[p.stem for _, p in CASES])
def test_money_rows_match_the_hand_labels(nlp, text_path, label_path):
    cleaned = clean_text(text_path.read_text(encoding="utf-8"), load_cleaning_rules(RULES))
    doc = nlp(cleaned.text)
    chrome = CHROME.get(label_path.stem, [])
    found = sorted(
        as_row(s.text, s._.amount, s._.currency, s._.qualifier, s._.amount_high)
        for s in doc.spans["money"]
        if line_at(cleaned.text, s.start_char) not in chrome
    )
    assert found == expected_rows(label_path)
