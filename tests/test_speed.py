"""Batches, workers and the cache: the same tables whatever the route, and rule edits always take effect.

No timings here (they belong to tools/bench.py); these check what must hold
for the speed-ups to be safe.
"""
from __future__ import annotations

import csv
import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from spacy.language import Language
from spacy.tokens import Doc
from typer.testing import CliRunner

import extract
from extract import pipeline
from extract.cli import app
from extract.components import dates, facts, money, programs, sentences
from extract.tables import COLUMNS

from .conftest import RAW, RULES, add_program, add_sentence_word

TEXTS = ["dod-iraq-us-strengthen-defense-partnership.txt", "nato-relations-with-iraq.txt"]
model_calls: list[str] = []  # texts the spy component saw, i.e. that went through the model


@Language.component("test_model_spy")
def model_spy(doc: Doc) -> Doc:
    """Stands in the statistical part of the pipeline and notes every Doc that reaches it."""
    model_calls.append(doc.text)
    return doc


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """Two raw texts and an empty file (an error row), small enough for many runs."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in TEXTS:
        shutil.copy(RAW / name, folder)
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    return folder


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Put test_model_spy before the model's components in every pipeline the run loads."""
    load = pipeline.load_pipeline

    def load_with_spy(rules_dir):
        nlp = load(rules_dir)
        nlp.add_pipe("test_model_spy", first=True)
        return nlp

    monkeypatch.setattr(pipeline, "load_pipeline", load_with_spy)
    model_calls.clear()
    return model_calls


def same_tables(a: Path, b: Path) -> list[str]:
    """The table files that differ between two output folders."""
    return [
        f"{name}.{ext}" for name in COLUMNS for ext in ("csv", "parquet")
        if not filecmp.cmp(a / f"{name}.{ext}", b / f"{name}.{ext}", shallow=False)
    ]


def test_one_and_two_workers_write_identical_tables(raw, rules, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCS", 1)  # three batches, so two workers both get work
    one = extract.run(raw, tmp_path / "one", rules, workers=1, cache=False)
    two = extract.run(raw, tmp_path / "two", rules, workers=2, cache=False)
    assert (one.workers, two.workers) == (1, 2)
    assert same_tables(tmp_path / "one", tmp_path / "two") == []
    assert (two.ok, two.failed) == (2, 1) and "empty.txt: empty file" in two.errors[0]


def test_a_cache_hit_does_not_run_the_model(raw, rules, tmp_path, spy):
    extract.run(raw, tmp_path / "out", rules, workers=1)
    assert len(spy) == 2
    spy.clear()
    summary = extract.run(raw, tmp_path / "out", rules, workers=1)
    assert spy == []
    assert summary.cached == 2


def test_rows_from_the_cache_equal_rows_from_the_model(raw, rules, tmp_path):
    extract.run(raw, tmp_path / "cold", rules, workers=1, cache=False)
    extract.run(raw, tmp_path / "warm", rules, workers=1)
    summary = extract.run(raw, tmp_path / "warm", rules, workers=1)
    assert summary.cached == 2
    assert same_tables(tmp_path / "cold", tmp_path / "warm") == []


def test_a_rules_edit_takes_effect_on_cached_documents(raw, rules, tmp_path):
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    assert "ZZTEST" not in (out / "programs.csv").read_text(encoding="utf-8")
    add_program(rules, "ZZTEST", "Secretary Austin")
    summary = extract.run(raw, out, rules, workers=1)
    assert summary.cached == 2
    rows = [line for line in (out / "programs.csv").read_text(encoding="utf-8").splitlines() if ",ZZTEST," in line]
    assert rows and all(row.startswith("dod-iraq-us-strengthen-defense-partnership,") for row in rows)



def one_text(folder: Path, name: str, text: str) -> Path:
    """A RAW folder holding one text."""
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def money_rows(out: Path) -> list[dict[str, str]]:
    """The rows of OUT's money table."""
    with (out / "money.csv").open(encoding="utf-8", newline="") as table:
        return list(csv.DictReader(table))

def test_a_titles_edit_splits_cached_documents_again(rules, tmp_path):
    """Sentence starts are cached with the Doc: a titles edit must reach the cache's key, or the
    re-run would read the old sentences from the cache."""
    raw = one_text(tmp_path / "titles", "navy.txt",
                   "Navy pays for a new port\n\nThe navy will pay for the port, its budget office said on Monday.\n\n"
                   "The base commander, Navy Cdr. John Smith, said $5 million would come from the fleet budget.\n")
    out = tmp_path / "out"

    def sentence() -> str:
        rows = [row for row in money_rows(out) if row["text"] == "$5 million"]
        assert len(rows) == 1
        return rows[0]["sentence"]

    extract.run(raw, out, rules, workers=1)
    assert sentence().startswith("John Smith, said $5 million")  # the shipped titles lack Cdr: a sentence ends at "Cdr."
    add_sentence_word(rules, "titles", "Cdr")
    summary = extract.run(raw, out, rules, workers=1)
    assert summary.cached == 0, "the edited titles make a new cache key"
    assert sentence().startswith("The base commander, Navy Cdr. John Smith, said $5 million")
    assert extract.run(raw, out, rules, workers=1).cached == 1


def test_an_abbreviations_edit_takes_effect_without_the_model(rules, tmp_path, spy):
    """The abbreviations are read after the Doc cache (extract_sentences, a rule component): an edit
    reaches every cached Doc, and no text goes through the model again."""
    raw = one_text(tmp_path / "abbreviations", "roads.txt",
                   "State pays for roads\n\nThe state paid $5 million for roads, its budget office said.\n\n"
                   "Most of it went to a firm in Calif. Its rival got 2 million.\n")
    out = tmp_path / "out"

    def amounts() -> list[tuple[str, str]]:
        return [(row["text"], row["currency"]) for row in money_rows(out)]

    cold = tmp_path / "cold"
    extract.run(raw, out, rules, workers=1)
    extract.run(raw, cold, rules, workers=1, cache=False)
    assert amounts() == [("$5 million", "USD")]  # "Calif." ends a sentence: the bare 2 million is too far from a currency
    spy.clear()
    add_sentence_word(rules, "abbreviations", "Calif")
    summary = extract.run(raw, out, rules, workers=1)
    assert (spy, summary.cached) == ([], 1)
    assert amounts() == [("$5 million", "USD"), ("2 million", "USD")]
    extract.run(raw, cold, rules, workers=1, cache=False)
    assert same_tables(cold, out) == []  # the cached run gives the tables of a run without the cache


def test_a_corrupt_cache_entry_is_ignored_and_rebuilt(raw, rules, tmp_path, spy):
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    shutil.copytree(out, tmp_path / "first", ignore=shutil.ignore_patterns(".cache", "clean"))
    entries = sorted((out / ".cache").rglob("*.doc"))
    assert len(entries) == 2
    entries[0].write_bytes(b"not a cached Doc")
    entries[1].write_bytes(entries[1].read_bytes()[:100])  # truncated
    spy.clear()
    summary = extract.run(raw, out, rules, workers=1)
    assert summary.cached == 0 and len(spy) == 2
    assert same_tables(tmp_path / "first", out) == []
    assert extract.run(raw, out, rules, workers=1).cached == 2



def edit_rules(rules: Path, name: str, change) -> None:
    """Edit one rules file as a user tuning rules would: load the YAML, change it, save it."""
    yaml = YAML()
    path = rules / name
    data = yaml.load(path)
    change(data)
    yaml.dump(data, path)


def drop_utilize(data) -> None:
    """rules/parties.yml without "utilize" as a receiving verb: "Iraq is set to ... utilize" names no recipient."""
    data["linking"]["receive_verbs"] = [verb for verb in data["linking"]["receive_verbs"] if "utili" not in verb]


# One edit of each rules file a rule component reads, each changing the tables of TEXTS.
EDITS = {
    "money": lambda rules: edit_rules(rules, "money.yml", lambda data: data["scales"].update(million=1000)),
    "dates": lambda rules: edit_rules(rules, "dates.yml", lambda data: data["relations"]["since"].remove("since")),
    "programs": lambda rules: add_program(rules, "ZZTEST", "Secretary Austin"),
    "parties": lambda rules: edit_rules(rules, "parties.yml", drop_utilize),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_after_any_rules_edit_the_cached_run_gives_the_tables_of_a_run_without_cache(raw, rules, tmp_path, edit):
    out, cold = tmp_path / "out", tmp_path / "cold"
    extract.run(raw, out, rules, workers=1)
    extract.run(raw, cold, rules, workers=1, cache=False)
    shutil.copytree(out, tmp_path / "before", ignore=shutil.ignore_patterns(".cache", "clean"))
    edit(rules)
    assert extract.run(raw, out, rules, workers=1).cached == 2
    extract.run(raw, cold, rules, workers=1, cache=False)
    assert same_tables(tmp_path / "before", out) != []  # the edit changed the tables
    assert same_tables(cold, out) == []  # changes since the last run included



def test_a_steps_content_is_written_alike_in_every_process():
    """The step cache keys a component by what the ones before it added: equal values must give equal text in
    any process (sets in another order, objects at other addresses), or every re-run would miss."""
    code = ("from extract.cache import stable; from extract.sentences.bounds import Sentences; "
            "print(stable([Sentences([(0, 5), (6, 9)]), frozenset({'from_ner', 'relative', 'year_inferred'})]))")
    texts = {
        subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True,
                       text=True, check=True).stdout
        for seed in ("1", "2")
    }
    assert len(texts) == 1 and "0x" not in texts.pop()

@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many Docs each rule component ran on (not those whose work was replayed from the cache)."""
    counts: dict[str, int] = {}
    for module, name in [(sentences, "SentenceBounds"), (money, "MoneyFinder"), (dates, "DateFinder"),
                         (programs, "ProgramFinder"), (facts, "FactLinker")]:
        component = getattr(module, name)
        monkeypatch.setattr(component, "__call__", counted(component.__call__, name, counts))
    return counts


def counted(call, name: str, counts: dict[str, int]):
    def call_and_count(self, doc):
        counts[name] = counts.get(name, 0) + 1
        return call(self, doc)

    return call_and_count


def test_a_programs_edit_runs_programs_again_and_replays_money_and_dates(raw, rules, tmp_path, calls):
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    assert calls == {"SentenceBounds": 2, "MoneyFinder": 2, "DateFinder": 2, "ProgramFinder": 2, "FactLinker": 2}
    calls.clear()
    extract.run(raw, out, rules, workers=1)
    assert calls == {}  # nothing changed: every component replayed
    with (rules / "programs.yml").open("a", encoding="utf-8") as catalog:  # appended: no other entry's line moves
        catalog.write("  - id: ZZTEST\n    name: Secretary Austin\n")  # a program only the first text names
    extract.run(raw, out, rules, workers=1)
    assert calls == {"ProgramFinder": 2, "FactLinker": 1}  # facts again only where the programs changed
    assert ",ZZTEST," in (out / "programs.csv").read_text(encoding="utf-8")



def test_twin_texts_under_two_names_are_both_replayed(raw, rules, tmp_path, calls):
    """The same text in two files (a wire story filed twice) is one cache file but two pages (doc_ids)."""
    shutil.copy(raw / TEXTS[0], raw / "twin.txt")
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    assert calls["MoneyFinder"] == 3
    calls.clear()
    extract.run(raw, out, rules, workers=1)
    assert calls == {}

def test_a_money_edit_runs_the_later_components_where_the_amounts_changed(raw, rules, tmp_path, calls):
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    EDITS["money"](rules)
    calls.clear()
    extract.run(raw, out, rules, workers=1)
    # money changed in the first text only ("million" now 1,000): the rest runs there, and is replayed in the other
    assert calls == {"MoneyFinder": 2, "DateFinder": 1, "ProgramFinder": 1, "FactLinker": 1}

@pytest.fixture
def cleaned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the documents the run cleans (not those whose cleaned text came from the cache)."""
    seen: list[str] = []
    clean = pipeline.clean_document

    def clean_and_note(raw, *args):
        seen.append(raw.path)
        return clean(raw, *args)

    monkeypatch.setattr(pipeline, "clean_document", clean_and_note)
    return seen


def test_only_a_cleaning_rules_edit_cleans_again(raw, rules, tmp_path, cleaned):
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    assert sorted(cleaned) == TEXTS
    cleaned.clear()
    add_program(rules, "ZZTEST", "Secretary Austin")
    extract.run(raw, out, rules, workers=1)
    assert cleaned == []
    with (rules / "cleaning.yml").open("a", encoding="utf-8") as rule_file:
        rule_file.write("\n# an edit\n")
    extract.run(raw, out, rules, workers=1)
    assert sorted(cleaned) == TEXTS


def test_a_rerun_reads_each_unchanged_file_once(raw, rules, tmp_path, monkeypatch):
    """The first pass reads every file; a file whose cleaned text is cached is not read again to clean it."""
    from extract.clean import document

    reads: list[str] = []

    def spied(module):
        read = module.read_document

        def read_and_note(path, root, *args, **kwargs):
            reads.append(path.relative_to(root).as_posix())
            return read(path, root, *args, **kwargs)

        monkeypatch.setattr(module, "read_document", read_and_note)

    spied(document)
    spied(pipeline)
    files = [*TEXTS, "empty.txt"]  # the empty file has no cleaned text: each run reads it twice
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    assert sorted(reads) == sorted(files * 2)  # the first pass, then reading to clean
    reads.clear()
    add_program(rules, "ZZTEST", "Secretary Austin")
    extract.run(raw, out, rules, workers=1)
    assert sorted(reads) == sorted([*files, "empty.txt"])
    (raw / "later").mkdir()
    (raw / "later" / "new.txt").write_text("A new text: the United States gave $5 million.\n", encoding="utf-8")
    reads.clear()
    extract.run(raw, out, rules, workers=1)
    assert sorted(reads) == sorted([*files, "empty.txt", "later/new.txt", "later/new.txt"])  # the new file is cleaned


def test_a_cleaned_text_edited_in_out_is_not_passed_on(raw, rules, tmp_path):
    """OUT/clean's files are hard links to the cache's copies: one edited in place is written again."""
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    written = out / "clean" / TEXTS[0]
    original = written.read_bytes()
    assert written.stat().st_nlink == 2  # the cache's copy and this
    with written.open("r+b") as handle:  # in place, as some editors save: the cache's copy changes too
        handle.write(b"EDITED")
    extract.run(raw, out, rules, workers=1)
    assert written.read_bytes() == original
    assert written.stat().st_nlink == 2  # a link again, to the cache's copy written anew


def site_page(number: int, footer: bool) -> str:
    """A page of one site (one folder): a headline, a sentence, and maybe the site's footer line."""
    body = f"Story {number}\n\nThe ministry bought {number} radars in 2021 from a Latvian firm, officials said.\n"
    return body + ("\nBaltic Defence Review is published by the Riga Security Institute.\n" if footer else "")


def test_an_added_file_cleans_again_only_the_pages_whose_site_lines_it_changed(rules, tmp_path, cleaned):
    raw, out = tmp_path / "raw", tmp_path / "out"
    for number, footer in ((1, True), (2, True), (3, False)):
        (raw / "baltic").mkdir(parents=True, exist_ok=True)
        (raw / "baltic" / f"p{number}.txt").write_text(site_page(number, footer), encoding="utf-8")
    (raw / "other").mkdir()
    (raw / "other" / "a.txt").write_text(site_page(9, False), encoding="utf-8")
    extract.run(raw, out, rules, workers=1)
    assert len(cleaned) == 4
    assert "Riga Security Institute" in (out / "clean" / "baltic" / "p1.txt").read_text(encoding="utf-8")
    cleaned.clear()
    (raw / "other" / "b.txt").write_text(site_page(10, False), encoding="utf-8")  # another site: nothing changes here
    extract.run(raw, out, rules, workers=1)
    assert cleaned == ["other/b.txt"]
    cleaned.clear()
    (raw / "baltic" / "p4.txt").write_text(site_page(4, True), encoding="utf-8")  # the footer is on 3 pages now: chrome
    extract.run(raw, out, rules, workers=1)
    assert sorted(cleaned) == ["baltic/p1.txt", "baltic/p2.txt", "baltic/p4.txt"]  # p3 has no footer to ask about
    assert "Riga Security Institute" not in (out / "clean" / "baltic" / "p1.txt").read_text(encoding="utf-8")
    extract.run(raw, tmp_path / "uncached", rules, workers=1, cache=False)
    comparison = filecmp.dircmp(out / "clean", tmp_path / "uncached" / "clean")
    assert [comparison.left_only, comparison.right_only] == [[], []]
    for folder in ("baltic", "other"):
        names = sorted(path.name for path in (out / "clean" / folder).iterdir())
        assert filecmp.cmpfiles(out / "clean" / folder, tmp_path / "uncached" / "clean" / folder, names, shallow=False)[0] == names


def test_a_corrupt_cleaned_entry_is_cleaned_again(raw, rules, tmp_path, cleaned):
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    shutil.copytree(out, tmp_path / "first", ignore=shutil.ignore_patterns(".cache", "clean"))
    entries = sorted((out / ".cache" / "clean").rglob("*.pickle"))
    assert len(entries) == 2
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(entries[1].read_bytes()[:50])
    cleaned.clear()
    extract.run(raw, out, rules, workers=1)
    assert sorted(cleaned) == TEXTS
    assert same_tables(tmp_path / "first", out) == []


def test_no_cache_neither_reads_nor_writes_it(raw, rules, tmp_path):
    extract.run(raw, tmp_path / "out", rules, workers=1, cache=False)
    assert not (tmp_path / "out" / ".cache").exists()


def test_interrupting_a_run_keeps_the_previous_tables(raw, rules, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCS", 1)
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1, cache=False)
    before = {path.name: path.read_bytes() for path in out.glob("*.*")}

    def interrupt(name: str) -> None:
        raise KeyboardInterrupt

    add_program(rules, "ZZTEST", "Secretary Austin")
    with pytest.raises(KeyboardInterrupt):
        extract.run(raw, out, rules, on_document=interrupt, workers=2, cache=False)
    assert {path.name: path.read_bytes() for path in out.glob("*.*")} == before
    assert not list(out.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("requested", "batches", "expected"),
    [(None, 1, 1), (4, 2, 2), (1, 10, 1), (2, 10, 2), (3, 0, 1)],
    ids=["one batch needs one process", "never more workers than batches", "asked for one", "asked for two", "nothing to do"],
)
def test_worker_count(requested, batches, expected):
    assert pipeline.worker_count(requested, batches) == expected


def test_run_help_names_the_speed_options():
    result = CliRunner().invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    assert "--workers" in result.output and "--no-cache" in result.output
