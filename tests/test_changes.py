"""The changes table and `extract diff`: what a rules edit changed, matched by text and order, not offsets.

End to end through extract.run on two small texts: a first run, then one rules
edit each, run again into a copy of the first run's folder. The expected
change rows are written from reading the texts and the edit.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import extract
from extract.changes import compare_table
from extract.cli import app
from extract.tables import TRACKED

from .conftest import RULES

TEXTS = {
    "aid": (
        "Iraq aid rises\n\n"
        "Washington gave Iraq $5 million in FY2016 under Section 333 and Foreign Military Financing.\n\n"
        "The Peacebuilding Fund helped too.\n\n"
        "Baghdad also set aside 300 million zorkmids for repairs.\n"
    ),
    "navy": (
        "Navy fund grows\n\n"
        "The navy asked Congress for a grant to repair its ships.\n\n"
        "Reported by the desk of the weekly bulletin.\n\n"
        "The fund paid $7 million in 2019 for the work.\n"
    ),
}


def cut_entry(text: str, start: str) -> str:
    """The catalog without the entry whose first line is `start` (up to the next entry)."""
    begin = text.index(start)
    end = text.index("\n  - id:", begin + 1) + 1
    return text[:begin] + text[end:]


# (id, rules file, edit, the change rows: table, change, doc_id, text, fields, before, after)
EDITS = [
    ("add-a-currency-name", "money.yml", lambda t: t.replace("names: [euros, euro]", "names: [euros, euro, zorkmids]"),
     [("money", "added", "aid", "300 million zorkmids", "", "", ""),
      ("facts", "added", "aid", "300 million zorkmids", "", "", "")]),
    ("drop-a-catalog-entry", "programs.yml", lambda t: cut_entry(t, "  - id: Section 333\n"),
     [("programs", "removed", "aid", "Section 333", "", "", ""),  # and $5 million, given under both, keeps one
      ("facts", "changed", "aid", "$5 million", "program_id", "program_id=FMF;Section 333", "program_id=FMF")]),
    ("change-a-fiscal-calendar", "dates.yml",
     lambda t: t.replace("us_federal: {start_month: 10,", "us_federal: {start_month: 9,"),
     [("dates", "changed", "aid", "FY2016", "date_start;date_end",
       "date_start=2015-10-01;date_end=2016-09-30", "date_start=2015-09-01;date_end=2016-08-31"),
      ("facts", "changed", "aid", "$5 million", "date_start;date_end",  # given in FY2016
       "date_start=2015-10-01;date_end=2016-09-30", "date_start=2015-09-01;date_end=2016-08-31")]),
    ("drop-a-line-above-an-amount", "cleaning.yml",
     lambda t: t.replace("\nlines:\n", '\nlines:\n  - pattern: "^Reported by the desk"\n    why: a byline\n', 1),
     []),
]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """RAW with the two texts, and OUT after a run with the project's rules."""
    base = tmp_path_factory.mktemp("changes")
    raw = base / "raw"
    raw.mkdir()
    for name, text in TEXTS.items():
        (raw / f"{name}.txt").write_text(text, encoding="utf-8")
    out = base / "first"
    extract.run(raw, out, RULES, workers=1)
    return raw, out


def run_edited(first_run: tuple[Path, Path], tmp_path: Path, file: str, edit) -> Path:
    """A copy of the first run's folder, run again with one rules file edited."""
    raw, first = first_run
    rules, out = tmp_path / "rules", tmp_path / "out"
    shutil.copytree(RULES, rules)
    original = (rules / file).read_text(encoding="utf-8")
    edited = edit(original)
    assert edited != original, "the edit must change the file"
    (rules / file).write_text(edited, encoding="utf-8")
    shutil.copytree(first, out)
    extract.run(raw, out, rules, workers=1)
    return out


def change_rows(out: Path) -> list[tuple[str, ...]]:
    frame = pd.read_csv(out / "changes.csv", dtype=str, keep_default_na=False)
    return [tuple(r) for r in frame[["table", "change", "doc_id", "text", "fields", "before", "after"]].itertuples(index=False)]


def test_a_first_run_has_an_empty_changes_table(first_run):
    _, out = first_run
    assert (out / "changes.csv").read_text(encoding="utf-8") == "table,change,doc_id,text,char_start,char_end,fields,before,after\n"


@pytest.mark.parametrize("file,edit,expected", [e[1:] for e in EDITS], ids=[e[0] for e in EDITS])
def test_a_rules_edit_gives_exactly_its_changes(first_run, tmp_path, file, edit, expected):
    out = run_edited(first_run, tmp_path, file, edit)
    assert change_rows(out) == expected


def test_a_dropped_line_moves_offsets_but_changes_nothing(first_run, tmp_path):
    """The cleaning edit above really moved the amount: the same row, at another offset, and no change row."""
    _, first = first_run
    out = run_edited(first_run, tmp_path, "cleaning.yml", EDITS[3][2])
    before, after = (pd.read_csv(o / "money.csv", dtype=str, keep_default_na=False) for o in (first, out))
    navy_before, navy_after = before[before.doc_id == "navy"], after[after.doc_id == "navy"]
    assert list(navy_before.text) == list(navy_after.text) == ["$7 million"]
    assert int(navy_after.char_start.iloc[0]) < int(navy_before.char_start.iloc[0])
    assert change_rows(out) == []


def test_entries_below_a_dropped_one_move_up_but_show_no_change(first_run, tmp_path):
    """The catalog entry cut above Peacebuilding Fund's moves its line: the rule column says so, changes do not."""
    _, first = first_run
    out = run_edited(first_run, tmp_path, "programs.yml", EDITS[1][2])
    rule = {o: pd.read_csv(o / "programs.csv", dtype=str).set_index("text").rule["Peacebuilding Fund"] for o in (first, out)}
    assert rule[first] != rule[out] and rule[first].split(":")[0] == rule[out].split(":")[0] == "rules/programs.yml"
    assert ("programs", "removed", "aid", "Section 333", "", "", "") in change_rows(out)
    assert not [row for row in change_rows(out) if row[3] == "Peacebuilding Fund"]


def test_a_changed_row_has_the_new_offsets(first_run, tmp_path):
    _, first = first_run
    out = run_edited(first_run, tmp_path, "dates.yml", EDITS[2][2])
    changes = pd.read_csv(out / "changes.csv", dtype=str, keep_default_na=False)
    text = (out / "clean" / "aid.txt").read_text(encoding="utf-8")
    start, end = int(changes.char_start.iloc[0]), int(changes.char_end.iloc[0])
    assert text[start:end] == "FY2016"


# ---- the comparison itself, on hand-made tables --------------------------------------------


def frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, dtype=str)


def money(text: str, start: int, amount: str, rule: str = "rules/money.yml:20") -> dict[str, str]:
    return {"doc_id": "d", "char_start": str(start), "char_end": str(start + len(text)), "text": text,
            "amount": amount, "currency": "USD", "qualifier": "", "amount_high": "", "rule": rule, "flags": ""}


def test_repeated_texts_are_matched_in_order():
    """Two "$5 million" rows, the second changed: one changed row, at the second one's offsets."""
    old = frame([money("$5 million", 0, "5000000"), money("$5 million", 40, "5000000")])
    new = frame([money("$5 million", 3, "5000000"), money("$5 million", 43, "6000000")])
    rows, counts = compare_table("money", old, new, TRACKED["money"])
    assert (counts.added, counts.removed, counts.changed) == (0, 0, 1)
    assert [(r["char_start"], r["fields"], r["before"], r["after"]) for r in rows] == [
        (43, "amount", "amount=5000000", "amount=6000000")
    ]


def test_rule_lines_moving_is_no_change_but_another_rule_is():
    old = frame([money("$5 million", 0, "5000000", "rules/money.yml:20"), money("$6 million", 20, "6000000", "rules/money.yml:20")])
    new = frame([money("$5 million", 0, "5000000", "rules/money.yml:23"),
                 money("$6 million", 20, "6000000", "currency_of_neighbour;rules/money.yml:23")])
    rows, counts = compare_table("money", old, new, TRACKED["money"])
    assert [(r["text"], r["fields"]) for r in rows] == [("$6 million", "rule")]


def test_a_column_the_earlier_run_lacks_is_not_compared():
    old = frame([{k: v for k, v in money("$5 million", 0, "5000000").items() if k not in ("rule", "flags")}])
    new = frame([money("$5 million", 0, "5000000")])
    assert compare_table("money", old, new, TRACKED["money"])[0] == []


# ---- extract diff ---------------------------------------------------------------------------


def test_extract_diff_prints_the_counts_and_rows(first_run, tmp_path):
    _, first = first_run
    out = run_edited(first_run, tmp_path, "money.yml", EDITS[0][2])
    result = CliRunner().invoke(app, ["diff", str(first), str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:5] == ["documents +0 -0 ~0", "money +1 -0 ~0", "dates +0 -0 ~0", "programs +0 -0 ~0", "facts +1 -0 ~0"]
    assert lines[5:] == ["money\tadded\taid\t300 million zorkmids", "facts\tadded\taid\t300 million zorkmids"]
    as_json = json.loads(CliRunner().invoke(app, ["diff", str(first), str(out), "--json"]).output)
    assert as_json["tables"]["money"] == {"added": 1, "removed": 0, "changed": 0}
    assert [(c["table"], c["change"], c["text"]) for c in as_json["changes"]] == [
        ("money", "added", "300 million zorkmids"), ("facts", "added", "300 million zorkmids")
    ]


def test_extract_diff_refuses_a_folder_without_tables(tmp_path, first_run):
    _, first = first_run
    result = CliRunner().invoke(app, ["diff", str(tmp_path), str(first)])
    assert result.exit_code == 2
    assert "not an output folder" in result.output
