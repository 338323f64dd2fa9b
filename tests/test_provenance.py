"""Provenance: the `rule` column names the rules entry (file:line) or code step that made a row,
and each review flag of TABLES.md is set on the row whose decision it names.

Expected lines are found by reading the rules files as text here, never taken
from the loader; one case per flag, each written from the flag's meaning.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import extract.components  # noqa: F401  (registers the factories)
from extract.dates.find import find_dates
from extract.extensions import FLAGS

from .conftest import RULES, SHARED


def line_of(path: Path, starts: str) -> int:
    """The 1-based line of `path` whose text, without its indent, starts with `starts`."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.strip().startswith(starts))


def pipeline(component: str, rules_path: Path | None = None) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe(component, config={"rules_path": str(rules_path)} if rules_path else {})
    return nlp


def spans(nlp: Language, text: str, table: str, money_ents: tuple[str, ...] = ()) -> dict[str, tuple[str, set[str]]]:
    """text -> (rule, flags) of each span the component made; `money_ents` stand for the model's MONEY entities."""
    doc: Doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(e), text.index(e) + len(e), label="MONEY") for e in money_ents]
    for _, component in nlp.pipeline:
        doc = component(doc)
    return {span.text: (";".join(span._.rule), set(span._.flags)) for span in doc.spans[table]}


# ---- rule: the catalog entry or rules line that made the row -------------------------------


def test_a_catalog_row_names_its_entry_line():
    expected = f"rules/programs.yml:{line_of(RULES / 'programs.yml', '- id: FMF')}"
    found = spans(pipeline("extract_programs"), "Foreign Military Financing rose, and FMF grew.", "programs")
    assert found == {"Foreign Military Financing": (expected, set()), "FMF": (expected, set())}


def test_the_line_follows_the_file(tmp_path):
    """Three lines added above the catalog: the row names the entry's new line, under the file's usual name."""
    moved = tmp_path / "programs.yml"
    moved.write_text("# one\n# two\n# three\n" + (RULES / "programs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    line = line_of(moved, "- id: FMF")
    assert line == line_of(RULES / "programs.yml", "- id: FMF") + 3
    found = spans(pipeline("extract_programs", moved), "FMF grew.", "programs")
    assert found == {"FMF": (f"rules/programs.yml:{line}", set())}


def test_a_currency_name_names_its_line():
    money = RULES / "money.yml"
    expected = f"rules/money.yml:{line_of(money, 'billion:')};rules/money.yml:{line_of(money, 'names: [euros')}"
    assert spans(pipeline("extract_money"), "It costs 4 billion euros.", "money") == {"4 billion euros": (expected, set())}


MONEY_LINES = [  # (text, the row, the rules lines that decided it, in reading order: each line's text starts so)
    ("It costs $4bn.", "$4bn", ('symbols: ["$"', "bn:")),
    ("It costs $48m.", "$48m", ('symbols: ["$"', "m:")),
    ("It paid 15 mln dlrs.", "15 mln dlrs", ("mln:", "names: [dollars")),
    ("It paid 15 dlrs.", "15 dlrs", ("names: [dollars",)),
    ("Each costs $5 to $7 million.", "$5 to $7 million", ('symbols: ["$"', "million:")),
    # a bare amount: its own scale, how it got a currency, and the lender's words
    ("It costs 4 billion euros, and 3.9 billion more.", "3.9 billion",
     ("billion:", "currency_of_neighbour", "billion:", "names: [euros")),
    # number words, each by its own line, before the scale and the currency
    ("It paid two and a half billion dollars.", "two and a half billion dollars",
     ("two:", "a: 1", "half:", "billion:", "names: [dollars")),
    ("It paid twenty-five million dlrs.", "twenty-five million dlrs", ("twenty:", "five:", "million:", "names: [dollars")),
]


@pytest.mark.parametrize("text,row,lines", MONEY_LINES, ids=[c[1] for c in MONEY_LINES])
def test_a_scale_word_names_its_line(text, row, lines):
    money = RULES / "money.yml"
    expected = [part if "_" in part and ":" not in part else f"rules/money.yml:{line_of(money, part)}" for part in lines]
    assert spans(pipeline("extract_money"), text, "money")[row][0] == ";".join(dict.fromkeys(expected))


PROGRAM_LINES = [  # (text, the row, its rule: code steps as named, rules lines by what their text starts with)
    ("The Harbour Resilience Fund paid.", "Harbour Resilience Fund", ("cue_name", "Fund: fund")),
    ("The Coastal Guard Partnership Initiative (CGPI) began.", "Coastal Guard Partnership Initiative (CGPI)",
     ("acronym_definition", "Initiative: initiative")),
    ("The Harbour Resilience Fund paid. HRF support grew.", "HRF", ("undefined_acronym", "Fund: fund")),
    ("Aid came through the Harbour Deal.", "Harbour Deal", ("cue_name", "Deal: deal")),
    ("Wheat went under the GSM-102 program.", "GSM-102 program", ("id_before_cue", "cues: [program")),
    ("The Rural Bridge Program, RBP, paid.", "Rural Bridge Program, RBP", ("appositive_definition", "cues: [program")),
    ("Food went under Public Law 480.", "Public Law 480", ("law_number",)),  # no rules entry decides a law number
]


@pytest.mark.parametrize("text,row,parts", PROGRAM_LINES, ids=[c[1] for c in PROGRAM_LINES])
def test_a_discovered_program_names_its_cue_line(text, row, parts):
    programs = RULES / "programs.yml"
    expected = [f"rules/programs.yml:{line_of(programs, p)}" if ":" in p else p for p in parts]
    assert spans(pipeline("extract_programs"), text, "programs")[row] == (";".join(expected), {"discovered"} | (
        {"undefined_acronym"} if parts[0] == "undefined_acronym" else set()))


SYMBOLS_OF_USD = 'symbols: ["$"'


def test_a_qualifier_cue_adds_its_line():
    money = RULES / "money.yml"
    dollar_million = [f"rules/money.yml:{line_of(money, SYMBOLS_OF_USD)}", f"rules/money.yml:{line_of(money, 'million:')}"]
    found = spans(pipeline("extract_money"), "It cost about $5 million.", "money")
    rule, flags = found["about $5 million"]
    assert rule.split(";")[:2] == dollar_million and len(rule.split(";")) == 3 and flags == set()
    cue_line = int(rule.split(";")[2].rsplit(":", 1)[1])
    assert "about" in money.read_text(encoding="utf-8").splitlines()[cue_line - 1]


def test_a_fiscal_year_names_the_default_and_its_calendar():
    dates = RULES / "dates.yml"
    rows = find_dates("Aid rose in FY2016.", None)
    assert [(r.text, r.rule) for r in rows] == [(
        "FY2016",
        ("pattern:fiscal", f"rules/dates.yml:{line_of(dates, 'default_fiscal_calendar:')}",
         f"rules/dates.yml:{line_of(dates, 'us_federal:')}"),
    )]


@pytest.mark.parametrize("text,row,rule", [
    ("Aid came in summer 2019.", "summer 2019", ("pattern:season", "summer:")),
    ("Aid came last autumn.", "last autumn", ("pattern:season_rel", "autumn:")),
])
def test_a_season_names_its_line(text, row, rule):
    dates = RULES / "dates.yml"
    rows = {r.text: r.rule for r in find_dates(text, P)}
    assert rows[row] == tuple(p if p.startswith("pattern:") else f"rules/dates.yml:{line_of(dates, p)}" for p in rule)


@pytest.mark.parametrize("text,row,rule", [
    ("Aid came in early 2015.", "early 2015", ("pattern:year", "modifiers: [early")),
    ("Aid came by mid-2016.", "by mid-2016", ("pattern:year", "until: [until", "modifiers: [early")),
    ("Aid came late in 2015.", "late in 2015", ("pattern:year", "the close of, the turn of, late in")),  # its own line
])
def test_a_date_modifier_names_its_line(text, row, rule):
    dates = RULES / "dates.yml"
    rows = {r.text: r.rule for r in find_dates(text, P)}
    assert rows[row] == tuple(p if p.startswith("pattern:") else f"rules/dates.yml:{line_of(dates, p)}" for p in rule)


def test_a_relation_names_its_cue_list():
    rows = find_dates("Aid has flowed since 2015.", None)
    assert [(r.text, r.relation, r.rule) for r in rows] == [
        ("since 2015", "since", ("pattern:year", f"rules/dates.yml:{line_of(RULES / 'dates.yml', 'since: [since')}"))
    ]


def test_a_sites_date_order_names_the_rule_it_is_given():
    rows = find_dates("Signed 06/01/2020 in Erbil.", None, date_order="DMY", date_order_rule="rules/cleaning.yml:7")
    assert [(r.text, r.date_start, r.rule, r.flags) for r in rows] == [
        ("06/01/2020", dt.date(2020, 1, 6), ("pattern:numeric_day", "rules/cleaning.yml:7"), frozenset())
    ]


# ---- flags: one case per flag ---------------------------------------------------------------

P = dt.date(2021, 5, 1)
# (flag, table, text, extra: published for dates / the model's MONEY entities, the row's text, its flags)
FLAG_CASES = [
    ("currency_inferred", "money", "It costs 4 billion euros, and 3.9 billion more.", (), "3.9 billion", {"currency_inferred"}),
    ("currency_inferred-paragraph", "money", "It paid $5 billion. Nothing else happened. Then more came. It added 3 billion.",
     (), "3 billion", {"currency_inferred"}),
    ("scale_inferred", "money", "Each costs $5 to $7 million.", (), "$5 to $7 million", {"scale_inferred"}),
    ("scale_doubled", "money", "The deal was worth $3.1bn million.", (), "$3.1bn million", {"scale_doubled"}),
    ("from_ner-money", "money", "It paid $5 billion. Nothing else happened.\n\nThen more came. It added 3 billion.",
     ("3 billion",), "3 billion", {"currency_inferred", "from_ner"}),
    ("from_ner-dates", "dates", "Deliveries slipped to Sept-2012 at the port.", ("Sept-2012",), "Sept-2012", {"from_ner"}),
    ("year_inferred", "dates", "In 2019 talks began. On 6 March they ended.", (), "6 March", {"year_inferred"}),
    ("relative", "dates", "Aid rose last year.", P, "last year", {"relative"}),
    ("unresolved", "dates", "Aid rose last year.", None, "last year", {"unresolved"}),
    ("day_month_order_inferred", "dates", "Signed 06/01/2020, paid 25/01/2020.", (), "06/01/2020", {"day_month_order_inferred"}),
    ("fiscal_calendar_inferred-currency", "dates", "The A$42.5 million came in the 2019-20 financial year.", (),
     "2019-20 financial year", {"fiscal_calendar_inferred"}),
    ("fiscal_calendar_inferred-wording", "dates", "Spending in the 2019-20 financial year rose.", (),
     "2019-20 financial year", {"fiscal_calendar_inferred"}),
    ("discovered", "programs", "The Coastal Guard Partnership Initiative (CGPI) began.", (),
     "Coastal Guard Partnership Initiative (CGPI)", {"discovered"}),
    ("ambiguous_acronym", "programs", "The Istanbul Cooperation Initiative grew. ICI members met.", (), "ICI", {"ambiguous_acronym"}),
    ("undefined_acronym", "programs", "The Harbour Resilience Fund paid. HRF support grew.", (), "HRF", {"discovered", "undefined_acronym"}),
]
COMPONENTS = {"money": "extract_money", "programs": "extract_programs"}


@pytest.fixture(scope="module")
def components() -> dict[str, Language]:
    return {table: pipeline(name) for table, name in COMPONENTS.items()}


def flags_of(components: dict[str, Language], table: str, text: str, extra, row: str) -> set[str]:
    if table == "dates":
        published = extra if isinstance(extra, dt.date) or extra is None else None
        candidates = [(text.index(e), text.index(e) + len(e)) for e in extra] if isinstance(extra, tuple) else []
        return {r.text: set(r.flags) for r in find_dates(text, published, candidates=candidates)}[row]
    return spans(components[table], text, table, extra)[row][1]


@pytest.mark.parametrize("flag,table,text,extra,row,expected", FLAG_CASES, ids=[c[0] for c in FLAG_CASES])
def test_flag(components, flag, table, text, extra, row, expected):
    assert flags_of(components, table, text, extra, row) == expected


UNFLAGGED = [  # the same decisions stated by the text or a rule: no flag
    ("money", "It costs 4 billion euros, and 3.9 billion euros more.", (), "3.9 billion euros"),
    ("money", "Each costs $5 million to $7 million.", (), "$5 million to $7 million"),
    ("money", "It paid $5 billion. Nothing else happened.\n\nThen more came. It added 3 billion.", (), None),
    ("money", "The budget is Rs 1.5 lakh crore.", (), "Rs 1.5 lakh crore"),
    ("dates", "In 2019 talks began. On 6 March 2019 they ended.", (), "6 March 2019"),
    ("dates", "Aid rose in 2020.", P, "2020"),
    ("dates", "Spending in the 2019-20 financial year rose, HM Treasury said.", (), "2019-20 financial year"),
    ("programs", "The Istanbul Cooperation Initiative grew.", (), "Istanbul Cooperation Initiative"),
]


@pytest.mark.parametrize("table,text,extra,row", UNFLAGGED, ids=[f"{c[0]}-{i}" for i, c in enumerate(UNFLAGGED)])
def test_no_flag_when_the_text_says_it(components, table, text, extra, row):
    if row is None:  # without the model's MONEY entity, the far bare amount is no row at all
        assert list(spans(components[table], text, table)) == ["$5 billion"]
        return
    assert flags_of(components, table, text, extra, row) == set()


def test_every_flag_has_a_case():
    assert {case[0].split("-")[0] for case in FLAG_CASES} == set(FLAGS)


def contract_flags() -> set[str]:
    """The flags the contract lists (../shared/TABLES.md, the table under "Provenance and review flags")."""
    text = (SHARED / "TABLES.md").read_text(encoding="utf-8")
    section = text[text.index("## Provenance and review flags"):]
    section = section[: section.index("\n## ", 1)]
    return {m.group(1) for m in re.finditer(r"^\| ([a-z_]+) \| [a-z, ]+ \|", section, re.M)} - {"column", "flag"}


def test_every_flag_of_the_contract_is_set_somewhere():
    """The link_* flags of facts have their cases in test_facts; each other one has one here."""
    listed = contract_flags()
    assert {"currency_inferred", "unresolved", "undefined_acronym"} <= listed
    assert listed <= set(FLAGS)
