"""The scorer on tiny hand-made pairs, with the exact numbers worked out by hand.

Each case gives a cleaned text, the expected rows and the found rows; the
precision, recall and F1 in the comments are counted on paper, not read off
the scorer.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extract.cli import app
from extract.errors import RuleError
from extract.evaluate.expectations import Expectation, load_expectations
from extract.evaluate.pairing import Tables
from extract.evaluate.report import evaluate, format_report, report_json
from extract.tables import COLUMNS

runner = CliRunner()


def expectation(doc: str = "a", published: str | None = None, **tables: list[dict[str, Any]]) -> Expectation:
    return Expectation.model_validate(
        {"doc": doc, "published": published, "money": [], "dates": [], "programs": [], **tables}
    )


def money(text: str, amount: int, currency: str = "USD", qualifier: str | None = None, high: int | None = None):
    return {"text": text, "amount": amount, "currency": currency, "qualifier": qualifier, "amount_high": high}


def date(text: str, start: str | None, end: str | None, granularity: str = "year", relation: str | None = None):
    return {"text": text, "start": start, "end": end, "granularity": granularity, "relation": relation}


def found(clean: str, text: str, occurrence: int = 0, doc: str = "a", **values: Any) -> dict[str, str]:
    """A found row as the CSV has it: offsets of the n-th occurrence of TEXT, every cell a string."""
    start = -1
    for _ in range(occurrence + 1):
        start = clean.index(text, start + 1)
    cells = {key: "" if value is None else str(value) for key, value in values.items()}
    return {"doc_id": doc, "char_start": str(start), "char_end": str(start + len(text)), "text": text, **cells}


def found_money(clean: str, text: str, amount: int, currency: str = "USD", qualifier: str = "", high: Any = "",
                occurrence: int = 0) -> dict[str, str]:
    return found(clean, text, occurrence, amount=amount, currency=currency, qualifier=qualifier, amount_high=high)


def found_date(clean: str, text: str, start: str, end: str, granularity: str = "year", relation: str = "",
               occurrence: int = 0) -> dict[str, str]:
    return found(clean, text, occurrence, date_start=start, date_end=end, granularity=granularity, relation=relation)


def tables(clean: str, published: dict[str, str] | None = None, **rows: list[dict[str, str]]) -> Tables:
    documents = [{"doc_id": d, "published": p, "status": "ok"} for d, p in (published or {"a": ""}).items()]
    return Tables.from_rows({"documents": documents, **rows}, {"a": clean})


def programs(*ids: str, doc: str = "a") -> list[dict[str, str]]:
    return [{"doc_id": doc, "program_id": program_id} for program_id in ids]


def named(program_id: str, name: str, mentions: int = 1) -> list[dict[str, str]]:
    """MENTIONS found rows of one program, with the name the run gave it."""
    return [{"doc_id": "a", "program_id": program_id, "program_name": name}] * mentions


def scores(report, key: str) -> tuple[int, int, int, float, float, float]:
    s = report.scores[key]
    return s.tp, s.fp, s.fn, round(s.precision, 4), round(s.recall, 4), round(s.f1, 4)


MONEY_TEXT = "Iraq got $5 million, then about $7 million, and $9 million in 2011. Also $3 million."


def test_money_counts_hits_extras_and_misses():
    # 3 expected; found: 2 right, "$9 million" with a wrong amount (a miss and an extra), "$3 million" extra.
    # tp 2, fp 2, fn 1 -> P 2/4, R 2/3, F1 = 2*2 / (2*2 + 2 + 1) = 4/7.
    expected = expectation(money=[money("$5 million", 5_000_000), money("about $7 million", 7_000_000, qualifier="approx"),
                                  money("$9 million", 9_000_000)])
    predicted = tables(MONEY_TEXT, money=[
        found_money(MONEY_TEXT, "$5 million", 5_000_000),
        found_money(MONEY_TEXT, "about $7 million", 7_000_000, qualifier="approx"),
        found_money(MONEY_TEXT, "$9 million", 9_500_000),
        found_money(MONEY_TEXT, "$3 million", 3_000_000),
    ])
    report = evaluate({"a": expected}, predicted)
    assert scores(report, "money") == (2, 2, 1, 0.5, 0.6667, round(4 / 7, 4))
    kinds = [(p.kind, p.text) for p in report.problems if p.table == "money"]
    assert kinds == [("miss", "$9 million"), ("extra", "$9 million"), ("extra", "$3 million")]
    assert 'found "$9 million" 9500000 USD' in report.problems[0].detail


@pytest.mark.parametrize(
    ("expected", "got", "hit"),
    [
        (money("$1 million", 1_000_000), dict(amount="1000999"), True),
        (money("$1 million", 1_000_000), dict(amount="999000"), True),
        (money("$1 million", 1_000_000), dict(amount="1001001"), False),
        (money("$1 million", 1_000_000), dict(amount="1000000", currency="EUR"), False),
        (money("$1 million", 1_000_000, qualifier="approx"), dict(amount="1000000"), True),
        (money("$1 million", 1_000_000, "USD", "range", 2_000_000), dict(amount="1000000"), False),
        (money("$1 million", 1_000_000, "USD", "range", 2_000_000), dict(amount="1000000", high="2001000"), True),
        (money("$1 million", 1_000_000, "USD", "range", 2_000_000), dict(amount="1000000", high="2003000"), False),
    ],
    ids=["0.0999%-over", "0.1%-under", "0.1001%-over", "other-currency", "qualifier-not-a-value",
         "missing-high", "high-within", "high-off"],
)
def test_money_values_agree_within_a_tenth_of_a_percent(expected, got, hit):
    clean = "It cost $1 million."
    report = evaluate({"a": expectation(money=[expected])}, tables(clean, money=[found_money(clean, "$1 million", **got)]))
    assert report.scores["money"].tp == int(hit)


def test_qualifier_accuracy_is_over_the_hits():
    # Two hits, one with the wrong qualifier: accuracy 1/2; the F1 of money stays 1.
    clean = "Over $4 million and up to $6 million."
    expected = expectation(money=[money("Over $4 million", 4_000_000, qualifier="more_than"),
                                  money("up to $6 million", 6_000_000, qualifier="up_to")])
    predicted = tables(clean, money=[found_money(clean, "Over $4 million", 4_000_000, qualifier="more_than"),
                                     found_money(clean, "$6 million", 6_000_000)])
    report = evaluate({"a": expected}, predicted)
    assert scores(report, "money") == (2, 0, 0, 1.0, 1.0, 1.0)
    qualifier = report.accuracy["money_qualifier"]
    assert (qualifier.right, qualifier.total, qualifier.value) == (1, 2, 0.5)
    assert [p.detail for p in report.problems] == ["qualifier: expected up_to, found none"]


DATES_TEXT = "Trade grew from 2004 to 2011. Training began in early 2016. Talks resumed in 2019."


def test_dates_detection_counts_overlap_and_value_counts_agreement():
    # Expected: the range, "early 2016", "2019". Found: "2004" and "2011" (inside the range), "early 2016".
    # Detection: range~"2004" and "early 2016" pair -> tp 2, fp 1 ("2011"), fn 1 ("2019"): P = R = F1 = 2/3.
    # Value: only "early 2016" agrees -> tp 1, fp 2, fn 2: P = R = F1 = 1/3.
    expected = expectation(dates=[date("from 2004 to 2011", "2004-01-01", "2011-12-31"),
                                  date("early 2016", "2016-01-01", "2016-12-31"),
                                  date("2019", "2019-01-01", "2019-12-31")])
    predicted = tables(DATES_TEXT, dates=[found_date(DATES_TEXT, "2004", "2004-01-01", "2004-12-31"),
                                          found_date(DATES_TEXT, "2011", "2011-01-01", "2011-12-31"),
                                          found_date(DATES_TEXT, "early 2016", "2016-01-01", "2016-12-31")])
    report = evaluate({"a": expected}, predicted)
    assert scores(report, "dates_detection") == (2, 1, 1, 0.6667, 0.6667, 0.6667)
    assert scores(report, "dates_value") == (1, 2, 2, 0.3333, 0.3333, 0.3333)
    miss = next(p for p in report.problems if p.kind == "miss" and p.text == "from 2004 to 2011")
    assert miss.detail.endswith('found "2004" 2004-01-01..2004-12-31 year')  # the nearer start wins the tie


def test_a_repeated_text_pairs_with_its_own_occurrence():
    # Two "December"s, 2018 then 2019. One row found, at the second, saying 2018: right value, wrong place.
    # The labels are located in order, so the found row pairs with the 2019 label: tp 0, fp 1, fn 2.
    clean = "On 3 February 2019 he recalled a visit in December. In 2019 he came back in December."
    expected = expectation(dates=[date("3 February 2019", "2019-02-03", "2019-02-03", "day"),
                                  date("December", "2018-12-01", "2018-12-31", "month"),
                                  date("2019", "2019-01-01", "2019-12-31"),
                                  date("December", "2019-12-01", "2019-12-31", "month")])
    predicted = tables(clean, dates=[
        found_date(clean, "3 February 2019", "2019-02-03", "2019-02-03", "day"),
        found_date(clean, "2019", "2019-01-01", "2019-12-31", occurrence=1),
        found_date(clean, "December", "2018-12-01", "2018-12-31", "month", occurrence=1),
    ])
    report = evaluate({"a": expected}, predicted)
    assert scores(report, "dates_value") == (2, 1, 2, 0.6667, 0.5, round(4 / 7, 4))


def test_without_the_clean_text_rows_pair_by_contained_text():
    # No clean text saved: "since early 2016" contains "early 2016", so they pair; values agree.
    expected = expectation(dates=[date("since early 2016", "2016-01-01", "2016-12-31", relation="since")])
    row = {"doc_id": "a", "char_start": "10", "char_end": "20", "text": "early 2016", "date_start": "2016-01-01",
           "date_end": "2016-12-31", "granularity": "year", "relation": ""}
    predicted = Tables.from_rows({"documents": [{"doc_id": "a", "published": ""}], "dates": [row]}, {})
    report = evaluate({"a": expected}, predicted)
    assert scores(report, "dates_value") == (1, 0, 0, 1.0, 1.0, 1.0)
    assert report.accuracy["dates_relation"].value == 0.0


def test_programs_compare_ids_and_mentions():
    # Expected FMF 3, IMET 1; found FMF 2, EDA 1.
    # Ids: tp 1 (FMF), fp 1 (EDA), fn 1 (IMET): P = R = F1 = 1/2.
    # Mentions: tp min(3, 2) = 2, fp 3 - 2 = 1, fn 4 - 2 = 2: P 2/3, R 1/2, F1 4/7.
    expected = expectation(programs=[{"id": "FMF", "name": "Foreign Military Financing", "mentions": 3},
                                     {"id": "IMET", "name": "International Military Education and Training",
                                      "mentions": 1}])
    report = evaluate({"a": expected}, tables("", programs=programs("FMF", "FMF", "EDA")))
    assert scores(report, "programs") == (1, 1, 1, 0.5, 0.5, 0.5)
    assert scores(report, "program_mentions") == (2, 1, 2, 0.6667, 0.5, round(4 / 7, 4))
    assert {(p.kind, p.text) for p in report.problems} == {("miss", "IMET"), ("extra", "EDA"), ("wrong", "FMF")}


def test_program_ids_ignore_case_and_spacing():
    expected = expectation(programs=[{"id": "EUTM Mali", "name": "EU Training Mission in Mali", "mentions": 1}])
    report = evaluate({"a": expected}, tables("", programs=programs("EUTM  MALI")))
    assert scores(report, "programs") == (1, 0, 0, 1.0, 1.0, 1.0)


def label(program_id: str, name: str, mentions: int = 1) -> dict[str, Any]:
    return {"id": program_id, "name": name, "mentions": mentions}


@pytest.mark.parametrize(
    "labels, found, ids, mentions",
    [
        # A discovered id is a proposal: the text never wrote "CBP", so the full name pairs.
        # Ids tp 1; mentions min(2, 2) = 2.
        ([label("CBP", "Coastal Boat Program", 2)], named("Coastal Boat Program", "Coastal Boat Program", 2),
         (1, 0, 0), (2, 0, 0)),
        # Case, spacing, hyphens and "Programme" aside; mentions min(3, 1) = 1, fn 2.
        ([label("RTP", "Regional Training Programme", 3)], named("Regional  training program", "Regional  training program"),
         (1, 0, 0), (1, 0, 2)),
        ([label("NTM-X", "NATO Training Mission-Xland")], named("Training Mission", "NATO Training Mission - Xland"),
         (1, 0, 0), (1, 0, 0)),
        # Another name is another program: tp 0, fp 1, fn 1; mentions fp 1, fn 1.
        ([label("CBP", "Coastal Boat Program")], named("Coastal Boat Fund", "Coastal Boat Fund"),
         (0, 1, 1), (0, 1, 1)),
        # The same id pairs first, whatever the name; the second label then pairs by name.
        # Found: FMF (named "Coastal Boat Program" by mistake) 1 row, "Coastal Boat Program" 2 rows.
        # Ids: tp 2; mentions: FMF min(1, 1) + CBP min(1, 2) = 2, fp 1.
        ([label("FMF", "Foreign Military Financing"), label("CBP", "Coastal Boat Program")],
         named("FMF", "Coastal Boat Program") + named("Coastal Boat Program", "Coastal Boat Program", 2),
         (2, 0, 0), (2, 1, 0)),
        # Two labels with one name: one found program pairs once, with the first label in file order.
        # Ids tp 1, fn 1; mentions: min(2, 1) = 1 hit, fn (2 + 1) - 1 = 2.
        ([label("CBP", "Coastal Boat Program", 2), label("CBP-2", "Coastal Boat Program")],
         named("Coastal Boat Program", "Coastal Boat Program"), (1, 0, 1), (1, 0, 2)),
    ],
    ids=["name-when-no-acronym", "programme-and-case", "hyphen-spacing", "other-name", "id-before-name",
         "one-found-pairs-once"],
)
def test_programs_pair_by_id_or_full_name(labels, found, ids, mentions):
    report = evaluate({"a": expectation(programs=labels)}, tables("", programs=found))
    assert scores(report, "programs")[:3] == ids
    assert scores(report, "program_mentions")[:3] == mentions


def test_a_name_pair_reports_the_found_id():
    expected = expectation(programs=[label("CBP", "Coastal Boat Program", 2)])
    report = evaluate({"a": expected}, tables("", programs=named("Coastal Boat Program", "Coastal Boat Program")))
    assert [(p.kind, p.text, p.detail) for p in report.problems] == [
        ("wrong", "CBP", 'mentions: expected 2, found 1 (found as "Coastal Boat Program")')
    ]


def test_published_is_right_wrong_or_missing():
    # a right, b found where none is said, c absent from the output: 1 of 3.
    labels = {"a": expectation("a", "2020-01-06"), "b": expectation("b", None), "c": expectation("c", "2021-05-18")}
    report = evaluate(labels, tables("", published={"a": "2020-01-06", "b": "2021-01-01"}))
    published = report.accuracy["published"]
    assert (published.right, published.total) == (1, 3)
    assert [(p.doc_id, p.detail) for p in report.problems] == [
        ("b", "expected none, found 2021-01-01"),
        ("c", "the output has no row for this document"),
    ]


@pytest.mark.parametrize(
    ("labels", "rows", "expected"),
    [
        ([], [], (0, 0, 0, 1.0, 1.0, 1.0)),
        ([money("$1 million", 1_000_000)], [], (0, 0, 1, 1.0, 0.0, 0.0)),
        ([], [("$1 million", 1_000_000)], (0, 1, 0, 0.0, 1.0, 0.0)),
    ],
    ids=["nothing-either-side", "nothing-found", "nothing-expected"],
)
def test_empty_sides(labels, rows, expected):
    clean = "It cost $1 million."
    predicted = tables(clean, money=[found_money(clean, text, amount) for text, amount in rows])
    assert scores(evaluate({"a": expectation(money=labels)}, predicted), "money") == expected


def test_documents_without_expectations_are_listed_not_scored():
    clean = "It cost $1 million."
    row = found(clean, "$1 million", doc="z", amount="1000000", currency="USD", qualifier="", amount_high="")
    predicted = tables(clean, published={"a": "", "z": ""}, money=[row])
    report = evaluate({"a": expectation()}, predicted)
    assert report.unlabeled == ["z"]
    assert scores(report, "money") == (0, 0, 0, 1.0, 1.0, 1.0)


def test_the_report_prints_scores_and_every_problem():
    expected = expectation(money=[money("$5 million", 5_000_000)], dates=[date("2011", "2011-01-01", "2011-12-31")])
    predicted = tables(MONEY_TEXT, money=[found_money(MONEY_TEXT, "$3 million", 3_000_000)])
    report = evaluate({"a": expected}, predicted)
    text = format_report(report)
    assert "money                  0.000   0.000  0.000     0    1    1" in text
    assert 'money     a "$5 million": 5000000 USD' in text
    assert 'money     a "$3 million": 3000000 USD' in text
    assert "dates     a" in text and "dates     a" not in format_report(report, tables=("money",))
    data = json.loads(report_json(report))
    assert data["scores"]["money"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 1, "fn": 1}
    assert {p["kind"] for p in data["problems"]} == {"miss", "extra"}


FACTS_TEXT = "Iraq got $5 million in FMF in 2011. Jordan got $7 million. Egypt got $9 million."


def fact(text: str, program: Any = None, start: str | None = None, end: str | None = None,
         recipient: str | None = None, provider: str | None = None) -> dict[str, Any]:
    return {"money": text, "program": program, "start": start, "end": end, "recipient": recipient, "provider": provider}


def found_fact(clean: str, text: str, amount: int, program: str = "", start: str = "", end: str = "",
               recipient: str = "", provider: str = "") -> dict[str, str]:
    return found(clean, text, amount=amount, currency="USD", qualifier="", amount_high="", program_id=program,
                 date_start=start, date_end=end, recipient=recipient, provider=provider)


def test_facts_score_each_field_and_all_four():
    # $5 million: all four right. $7 million: the provider is missing (1 wrong field).
    # $9 million: not found at all, so each of its fields is wrong.
    # program 2/3, period 2/3, recipient 2/3, provider 1/3, all four 1/3.
    labels = expectation(
        money=[money("$5 million", 5_000_000), money("$7 million", 7_000_000), money("$9 million", 9_000_000)],
        programs=[{"id": "FMF", "name": "Foreign Military Financing", "mentions": 1}],
        facts=[
            fact("$5 million", "FMF", "2011-01-01", "2011-12-31", "IRQ", "USA"),
            fact("$7 million", None, None, None, "JOR", "USA"),
            fact("$9 million", None, None, None, "EGY", None),
        ],
    )
    predicted = tables(
        FACTS_TEXT, programs=programs("FMF"),
        facts=[
            found_fact(FACTS_TEXT, "$5 million", 5_000_000, "FMF", "2011-01-01", "2011-12-31", "IRQ", "USA"),
            found_fact(FACTS_TEXT, "$7 million", 7_000_000, recipient="JOR"),
        ],
    )
    report = evaluate({"a": labels}, predicted)
    accuracy = {key[6:]: (a.right, a.total) for key, a in report.accuracy.items() if key.startswith("facts_")}
    assert accuracy == {"program": (2, 3), "period": (2, 3), "recipient": (2, 3), "provider": (1, 3), "all": (1, 3)}
    facts_problems = [(p.kind, p.text, p.detail) for p in report.problems if p.table == "facts"]
    assert facts_problems == [
        ("wrong", "$7 million", "provider: expected USA, found none"),
        ("miss", "$9 million", "no facts row for this amount"),
    ]
    assert "facts all four         0.333       1      3" in format_report(report)


@pytest.mark.parametrize(
    ("label", "found_id", "name", "right"),
    [
        (["FMF", "IMET"], "FMF;IMET", "Foreign Military Financing", True),
        ("FMF", "FMF;IMET", "Foreign Military Financing", False),
        ("PPBP", "Pacific Patrol Boat Program", "Pacific Patrol Boat Program", True),
        (None, "", "", True),
    ],
    ids=["several-programs", "one-too-many", "discovered-id-pairs-by-name", "none"],
)
def test_facts_program_is_the_set_of_ids(label, found_id, name, right):
    clean = "It got $5 million."
    labeled_programs = [{"id": i, "name": name if i == "PPBP" else i, "mentions": 1} for i in
                        ([label] if isinstance(label, str) else label or [])]
    labels = expectation(money=[money("$5 million", 5_000_000)], programs=labeled_programs, facts=[fact("$5 million", label)])
    found_programs = [{"doc_id": "a", "program_id": i, "program_name": name} for i in filter(None, found_id.split(";"))]
    predicted = tables(clean, programs=found_programs, facts=[found_fact(clean, "$5 million", 5_000_000, found_id)])
    program = evaluate({"a": labels}, predicted).accuracy["facts_program"]
    assert (program.right, program.total) == (int(right), 1)


def test_documents_without_facts_labels_score_no_facts():
    clean = "It got $5 million."
    labels = expectation(money=[money("$5 million", 5_000_000)])
    report = evaluate({"a": labels}, tables(clean, facts=[found_fact(clean, "$5 million", 5_000_000)]))
    assert report.accuracy["facts_all"].total == 0


# ---------------------------------------------------------------- expectation files


GOOD = """doc: a
published: 2020-01-06
money:
  - text: "$5 million"
    amount: 5000000
    currency: USD
dates:
  - text: "2011"
    start: 2011-01-01
    end: 2011-12-31
    granularity: year
programs:
  - id: FMF
    name: Foreign Military Financing
    mentions: 2
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("    amount: 5000000", "    amout: 5000000", 5, "unknown key 'amout' (expected one of: text, amount,"),
        ("    currency: USD", "    currency: usd", 6, "'money.0.currency'"),
        ("    currency: USD", "    currency: USD\n    qualifier: about", 7, "'money.0.qualifier'"),
        ("    end: 2011-12-31", "    end: 2010-12-31", 8, "start 2011-01-01 is after end 2010-12-31"),
        ("    end: 2011-12-31", "    end: null", 8, "start and end must both be dates or both be null"),
        ("    granularity: year", "    granularity: years", 11, "'dates.0.granularity'"),
        ("published: 2020-01-06\n", "", 1, "missing required key 'published'"),
        ("doc: a", "doc: b", 1, "doc 'b' does not match the file name (expected 'a')"),
        ("    mentions: 2", "    mentions: 0", 15, "'programs.0.mentions'"),
        ("    mentions: 2", "    mentions: 2\n  - id: fmf\n    name: again\n    mentions: 1", 13, "listed twice"),
        ("money:\n", "money:\n  - [\n", 5, "YAML syntax error"),
    ],
    ids=["unknown-key", "lower-case-currency", "unknown-qualifier", "start-after-end", "half-open",
         "unknown-granularity", "missing-published", "doc-not-file-name", "zero-mentions", "duplicate-program",
         "yaml-syntax"],
)
def test_expectation_errors_name_file_and_line(tmp_path, old, new, line, message):
    assert old in GOOD
    folder = tmp_path / "expected"
    folder.mkdir()
    (folder / "a.yml").write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_expectations(folder)
    assert str(caught.value).startswith(f"{folder / 'a.yml'}:{line}: "), str(caught.value)
    assert message in str(caught.value)


def test_a_good_expectation_file_loads_with_exact_amounts(tmp_path):
    (tmp_path / "a.yml").write_text(GOOD.replace("5000000", "951.7e6"), encoding="utf-8")
    loaded = load_expectations(tmp_path)["a"]
    assert loaded.money[0].amount == Decimal("951700000")
    assert loaded.programs[0].mentions == 2


# ---------------------------------------------------------------- the command


def write_tables(out: Path, rows: dict[str, Iterable[dict[str, str]]], clean: dict[str, str]) -> None:
    out.mkdir(parents=True)
    for name in ("documents", "money", "dates", "programs"):
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(COLUMNS[name]), restval="")
            writer.writeheader()
            writer.writerows(rows.get(name, []))
    for doc_id, text in clean.items():
        (out / "clean").mkdir(exist_ok=True)
        (out / "clean" / f"{doc_id}.txt").write_text(text, encoding="utf-8")


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    expected, out = tmp_path / "expected", tmp_path / "out"
    expected.mkdir()
    (expected / "a.yml").write_text(GOOD, encoding="utf-8")
    clean = "Iraq got $5 million in 2011 through FMF."
    rows = {
        "documents": [{"doc_id": "a", "published": "2020-01-06", "status": "ok"}],
        "money": [found_money(clean, "$5 million", 5_000_000)],
        "programs": programs("FMF"),
    }
    write_tables(out, rows, {"a": clean})
    return expected, out


def test_eval_prints_the_report(folders):
    expected, out = folders
    result = runner.invoke(app, ["eval", str(expected), str(out)])
    assert result.exit_code == 0, result.output
    assert "money                  1.000   1.000  1.000     1    0    0" in result.output
    assert 'dates     a "2011": 2011-01-01..2011-12-31 year' in result.output
    assert "programs  a \"FMF\": mentions: expected 2, found 1" in result.output


def test_eval_json_is_for_machines(folders):
    expected, out = folders
    result = runner.invoke(app, ["eval", str(expected), str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scores"]["dates_value"] == {"precision": 1.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 1}
    assert data["accuracy"]["published"] == {"accuracy": 1.0, "right": 1, "total": 1}


def test_eval_exits_2_on_a_bad_expectation_file(folders):
    expected, out = folders
    (expected / "a.yml").write_text(GOOD.replace("amount:", "amout:"), encoding="utf-8")
    result = runner.invoke(app, ["eval", str(expected), str(out)])
    assert result.exit_code == 2
    assert f"{expected / 'a.yml'}:5: unknown key 'amout'" in result.output


def test_eval_exits_2_when_the_tables_are_missing(folders, tmp_path):
    expected, _ = folders
    result = runner.invoke(app, ["eval", str(expected), str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "documents.csv: no such table" in result.output


def test_eval_help_names_its_arguments_and_an_example():
    result = runner.invoke(app, ["eval", "--help"])
    assert result.exit_code == 0
    for word in ("EXPECTED", "OUT", "--json", "Example"):
        assert word in result.output


def test_eval_exits_2_on_tables_it_cannot_read(folders):
    expected, out = folders
    (out / "money.csv").write_text("doc_id,text\na,$5 million\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(expected), str(out)])
    assert result.exit_code == 2
    assert f"{out}: not tables written by `extract run` (KeyError" in result.output
