"""`extract suggest`: candidates from Docs, and --write keeping the catalog's comments and validity."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from extract.cli import app
from extract.errors import RuleError
from extract.programs.rules import ProgramRules
from extract.rules import load_rule_file
from extract.suggest import Candidate, candidates_in, write_suggestions

from .conftest import RULES

USAI = Candidate("USAI", "Ukraine Security Assistance Initiative", "initiative", 6, 1, "... Initiative (USAI) funding ...")
GSCF = Candidate("GSCF", "Global Security Contingency Fund", "fund", 2, 1, 'The "GSCF": a fund.')
ATHENA = Candidate("Gulf Maritime Initiative", "Gulf Maritime Initiative", "initiative", 1, 1, "x")

SMALL_CATALOG = """\
# a catalog where programs is not the last key
cues:
  program: {Fund: fund, Initiative: initiative}
  not_program: [Agency]
prepositions: [of, for]
minor_words: [of, the]
programs:
  - id: FMF   # keep this comment
    name: Foreign Military Financing

# Names that are never programs
not_programs:
  - DSCA
"""


def uncomment(text: str) -> str:
    """What a user does to accept every suggestion: remove the "# " before the entries."""
    return re.sub(r"^  # (- id: |  name: |  kind: )", r"  \1", text, flags=re.M)


@pytest.mark.parametrize("catalog", ["shipped", "programs-not-last"])
def test_write_keeps_every_line_and_the_file_valid(tmp_path: Path, catalog: str):
    path = tmp_path / "programs.yml"
    if catalog == "shipped":
        shutil.copy(RULES / "programs.yml", path)
    else:
        path.write_text(SMALL_CATALOG, encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    count = len(load_rule_file(path, ProgramRules).programs)

    written = write_suggestions(path, [USAI, GSCF, ATHENA])

    after = path.read_text(encoding="utf-8")
    assert [c.id for c in written] == [c.id for c in [USAI, GSCF, ATHENA] if f"- id: {c.id}\n" not in before]
    kept = [line for line in after.splitlines() if line in before.splitlines()]
    assert kept == before.splitlines(), "every original line, comments included, is still there in order"
    assert len(load_rule_file(path, ProgramRules).programs) == count, "suggestions are commented out"
    accepted = tmp_path / "accepted.yml"
    accepted.write_text(uncomment(after), encoding="utf-8")
    ids = [p.id for p in load_rule_file(accepted, ProgramRules).programs]
    assert ids[count:] == [c.id for c in written], "uncommented, they are entries of the programs list"
    assert write_suggestions(path, [USAI, GSCF, ATHENA]) == [], "a second write adds nothing"
    assert path.read_text(encoding="utf-8") == after


def test_write_refuses_a_catalog_without_programs(tmp_path: Path):
    path = tmp_path / "programs.yml"
    path.write_text("# no list\ncues:\n  program: {}\n  not_program: []\n", encoding="utf-8")
    with pytest.raises(RuleError, match="no 'programs:' list"):
        write_suggestions(path, [USAI])
    assert "USAI" not in path.read_text(encoding="utf-8")


def test_candidates_count_mentions_per_text_and_prefer_the_defining_sentence():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("extract_programs", config={"rules_path": str(RULES / "programs.yml")})
    docs = [
        nlp("New GSCF money. The Global Security Contingency Fund (GSCF) pays. FMF too."),
        nlp("GSCF again. The Gulf Maritime Initiative ended."),
    ]
    found = candidates_in(docs, load_rule_file(RULES / "programs.yml", ProgramRules))
    assert [(c.id, c.name, c.kind, c.mentions, c.documents) for c in found] == [
        ("GSCF", "Global Security Contingency Fund", "fund", 2, 1),  # a definition holds in its own text only
        ("Gulf Maritime Initiative", "Gulf Maritime Initiative", "initiative", 1, 1),
    ]
    assert found[0].sentence == "The Global Security Contingency Fund (GSCF) pays."


def test_cli_suggest_lists_and_writes(tmp_path: Path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(
        "The Global Security Contingency Fund (GSCF) paid $5 million. GSCF grants went to Iraq under FMF.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["suggest", str(raw), "--rules", str(rules), "--write", "--id", "GSCF"])
    assert result.exit_code == 0, result.output
    assert "GSCF\tGlobal Security Contingency Fund\tfund\t2 mentions in 1 text" in result.output
    assert "FMF\t" not in result.output
    assert "  # - id: GSCF\n  #   name: Global Security Contingency Fund\n" in (rules / "programs.yml").read_text(encoding="utf-8")
