"""The command line: exit codes, messages and help."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from extract.cli import app

from .conftest import RAW, RULES

runner = CliRunner()


def test_run_exits_0_and_summarizes(tmp_path):
    result = runner.invoke(app, ["run", str(RAW), "--out", str(tmp_path), "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    assert "5 documents ok, 0 failed" in result.output
    assert (tmp_path / "money.csv").exists()


def test_run_exits_1_when_a_document_fails(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "nato-relations-with-iraq.txt", raw)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "picture.png").write_bytes(b"\x89PNG")
    result = runner.invoke(app, ["run", str(raw), "--out", str(tmp_path / "out"), "--rules", str(RULES)])
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.output
    assert "skipped (not a text file)" in result.output and "picture.png" in result.output
    assert (tmp_path / "out" / "documents.csv").exists()


def test_missing_folder_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "nowhere: no such file or folder" in result.output
    assert not (tmp_path / "out").exists()


def test_bad_rules_exit_2_with_file_and_line_before_any_work(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "money.yml").write_text("currencies:\n  - code: USD\n    symbls: ['$']\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(RAW), "--out", str(tmp_path / "out"), "--rules", str(rules)])
    assert result.exit_code == 2
    assert f"{rules / 'money.yml'}:3: unknown key 'symbls'" in result.output
    assert not (tmp_path / "out").exists()


def test_help_explains_the_options():
    result = runner.invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--rules", "Example"):
        assert option in result.output


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "extract", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "run" in result.stdout


def test_clean_diff_names_the_rule(tmp_path: Path):
    result = runner.invoke(app, ["clean", str(RAW / "globalsecurity-iraq-us-relations.txt"), "--diff", "--rules", str(RULES)])
    assert result.exit_code == 0
    assert "Page last modified" in result.output and "page footer stamp" in result.output
    assert "# date order: DMY" in result.output  # GlobalSecurity.org's site entry in rules/cleaning.yml


def test_clean_prints_the_article_and_diff_shows_kept_and_dropped_lines(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Radar deal</title><meta property='og:site_name' content='Baltic Defence Review'></head>"
        "<body><nav><a href='/'>Home</a></nav><article><h1>Radar deal</h1><p>The ministry signed a contract worth EUR 40 "
        "million for coastal radars, officials said on Monday in Riga.</p><p>Share this article</p></article></body></html>",
        encoding="utf-8",
    )
    text = runner.invoke(app, ["clean", str(page), "--rules", str(RULES)])
    assert text.exit_code == 0
    assert "EUR 40 million" in text.output and "Share this article" not in text.output
    diff = runner.invoke(app, ["clean", str(page), "--diff", "--rules", str(RULES)])
    assert "# source: Baltic Defence Review" in diff.output
    assert "[heuristic: prompt] Share this article" in diff.output
