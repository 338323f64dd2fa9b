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
    found = sorted(as_row(s.text, s._.amount, s._.currency, s._.qualifier, s._.amount_high) for s in doc.spans["money"])
    assert found == expected_rows(label_path)
