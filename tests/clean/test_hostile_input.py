"""Cleaning under adversarial input (issue 20): linear line steps, rules refused on load, odd encodings and pages.

Each test is one shape an adversarial user tried, made small; `make fuzz`
runs the same shapes at full size, timed, through `extract run`.
"""
from __future__ import annotations

import codecs
import os
import re
import shutil
from pathlib import Path

import pytest

from extract.clean import boilerplate
from extract.clean.document import clean_html, clean_text
from extract.clean.lines import split_lines
from extract.clean.read import decode, find_documents, read_document
from extract.clean.rules import load_cleaning_rules
from extract.errors import DocumentError, RuleError

from ..conftest import RULES, refuse_to_read


def rules_with(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the project's rules with one piece of cleaning.yml replaced."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    cleaning = rules / "cleaning.yml"
    text = cleaning.read_text(encoding="utf-8")
    assert old in text
    cleaning.write_text(text.replace(old, new, 1), encoding="utf-8")
    return rules


def line_number(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# ---------------------------------------------------------------- time grows with the input, not its square


def test_splitting_lines_compares_no_line_with_every_other(rules, monkeypatch):
    """200,000 short lines hung the run: each line was looked up in a list of all lines."""
    compared = 0
    equal = boilerplate.Line.__eq__

    def counting(self, other):
        nonlocal compared
        compared += 1
        return equal(self, other)

    monkeypatch.setattr(boilerplate.Line, "__eq__", counting)
    lines = split_lines("$1\n" * 2_000, rules.wrapped_text)
    assert len(lines) == 2_000 and compared <= 2_000


def test_many_patterns_are_compiled_once(tmp_path, monkeypatch):
    """More than 512 patterns overflowed re's cache: every line compiled every pattern again."""
    extra = "".join(f'  - pattern: "^never seen {i}$"\n' for i in range(600))
    rules = load_cleaning_rules(rules_with(tmp_path, "lines:\n", "lines:\n" + extra))
    page = "Title\n\n" + "The fund paid $5 million in 2020.\n" * 20
    clean_text(page, rules)
    compiled = 0
    compile_pattern = re._compiler.compile  # what re calls when its cache misses

    def counting(*args, **kwargs):
        nonlocal compiled
        compiled += 1
        return compile_pattern(*args, **kwargs)

    monkeypatch.setattr(re._compiler, "compile", counting)
    assert "$5 million" in clean_text(page, rules).text
    assert compiled < 600


# ---------------------------------------------------------------- rules that would fail every document, refused on load


def test_a_negative_threshold_is_refused_with_file_and_line(tmp_path):
    """`max_word_chars: -5` was accepted, and then every document failed."""
    rules = rules_with(tmp_path, "max_word_chars: 500", "max_word_chars: -5")
    with pytest.raises(RuleError) as caught:
        load_cleaning_rules(rules)
    where = f"cleaning.yml:{line_number(rules / 'cleaning.yml', 'max_word_chars: -5')}:"
    assert where in str(caught.value) and "max_word_chars" in str(caught.value)


def test_a_nested_repetition_is_refused_with_file_and_line(tmp_path):
    """`(a+)+$` was accepted, and the run never ended on a line of a's."""
    rules = rules_with(tmp_path, "lines:\n", 'lines:\n  - pattern: "(a+)+$"\n    why: catastrophic\n')
    with pytest.raises(RuleError) as caught:
        load_cleaning_rules(rules)
    assert f"cleaning.yml:{line_number(rules / 'cleaning.yml', '(a+)+$')}:" in str(caught.value)
    assert "(a+)+" in str(caught.value)


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(codec):
    """They were refused as binary (their NUL bytes)."""
    text = "Aid\n\nThe fund paid $5 million to the ministère in 2020.\n"
    data = text.encode(codec) if codec != "utf-16-be" else codecs.BOM_UTF16_BE + text.encode(codec)
    decoded, encoding = decode(data, "wide.txt")
    assert decoded == text and encoding.startswith(codec[:6])


def test_a_byte_order_mark_before_what_is_not_that_encoding_is_a_one_line_error():
    with pytest.raises(DocumentError, match="wide.txt: starts with a utf-16-le byte-order mark but is not utf-16-le"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8", "wide.txt")


def test_a_french_western_text_is_not_read_as_baltic():
    """A French Latin-1 text was read as cp1257: `ministčre`."""
    text = "Crédits de paiement : 1,2 milliard € pour l'année fiscale ; hausse de 3 %.\n"
    decoded, encoding = decode(text.encode("cp1252"), "credits.txt")
    assert decoded == text and encoding == "cp1252"


# ---------------------------------------------------------------- web pages


def test_template_content_is_no_text(rules):
    """A browser never shows <template>; its text gave a $3,210 million row."""
    page = (
        "<html><head><title>Aid to Iraq</title></head><body><article><h1>Aid to Iraq</h1>"
        "<p>The United States provided $5 million to Iraq in 2020 for border security, the embassy said.</p>"
        "<p>Officials said more aid would follow in the coming year after a review of the program.</p>"
        "<template><p>The fund paid $3,210 million to the ministry in 2019.</p></template></article></body></html>"
    )
    cleaned = clean_html(page, rules, path="template.html")
    assert "$5 million" in cleaned.text and "3,210" not in cleaned.text


def test_an_unclosed_title_keeps_the_page(rules):
    """An unclosed <title> swallowed the page: "every line was boilerplate"."""
    page = (
        "<html><head><title>Aid to Iraq\n</head><body>"
        "<p>The United States provided $5 million to Iraq in 2020 for border security, the embassy said.</p>"
        "<p>Officials said more aid would follow in the coming year after a review of the program.</p></body></html>"
    )
    cleaned = clean_html(page, rules, path="untitled.html")
    assert cleaned.title == "Aid to Iraq" and "$5 million" in cleaned.text


def test_a_last_sentence_that_lost_its_full_stop_keeps_its_amount(rules):
    """On a malformed page, the last sentence (no full stop) was dropped as a trailing short line."""
    page = (
        "<html><body><div><p>Aid to Iraq<p>The United States provided $5 million to Iraq in 2020 for border "
        "security, the embassy said.\n<p>Officials said more aid would follow in the coming year."
        "<p>The fund paid $7 million to the border police in 2021</div>"
    )
    cleaned = clean_html(page, rules, path="malformed.html")
    assert "The fund paid $7 million to the border police in 2021" in cleaned.text


def test_a_short_trailing_line_with_an_amount_is_still_dropped(rules):
    """Only a line of trailing_amount_words or more is kept for its amount: "Donate $5" is a footer."""
    text = "Aid to Iraq\n\nThe United States provided $5 million to Iraq in 2020 for border security.\n\nDonate $5 today\n"
    cleaned = clean_text(text, rules)
    assert "Donate" not in cleaned.text and "$5 million" in cleaned.text


# ---------------------------------------------------------------- finding and naming files


def test_files_that_share_a_name_get_their_own_doc_id(tmp_path):
    """`report.txt` and `report.md` both had doc_id `report`: one cleaned text overwrote the other."""
    for name in ("report.txt", "report.md", "report.md.txt", "other.txt"):
        (tmp_path / name).write_text("The fund paid $5 million.\n", encoding="utf-8")
    found = find_documents(tmp_path)
    ids = {path.name: found.doc_id(path) for path in found.documents}
    assert ids == {"report.txt": "report.txt", "report.md": "report.md", "report.md.txt": "report.md~2", "other.txt": "other"}


def test_broken_links_link_loops_and_unreadable_folders_are_found(tmp_path, monkeypatch):
    """They got no documents row and no message."""
    (tmp_path / "a.txt").write_text("The fund paid $5 million.\n", encoding="utf-8")
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "secret.txt").write_text("The fund paid $5 million.\n", encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "back").symlink_to(tmp_path, target_is_directory=True)
    refuse_to_read(monkeypatch, "closed")
    found = find_documents(tmp_path)
    assert [found.doc_id(path) for path in found.documents] == ["a", "gone"]
    assert found.problems == [
        "closed: cannot read this folder (Permission denied); its files are left out",
        "loop/back: a symbolic link back to a folder already read; not read again",
    ]
    with pytest.raises(DocumentError, match="gone.txt: broken symbolic link: it points to .*nowhere.txt"):
        read_document(tmp_path / "gone.txt", tmp_path)


def test_a_pipe_is_not_read(tmp_path):
    """Reading a named pipe would wait for a writer for ever."""
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(DocumentError, match="pipe.txt: not a regular file"):
        read_document(tmp_path / "pipe.txt", tmp_path)
