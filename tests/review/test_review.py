"""The review report's files: what `extract run` and `extract review` write, whatever tables are there."""
from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extract import review
from extract.cli import app
from extract.review import as_json, build_report, utf16_offsets
from extract.review.tables import read_tables

runner = CliRunner()
HOSTILE = '<script>window.PWNED = 1; document.title = "pwned"</script> and <img src=x onerror="window.PWNED = 2">'
TEXT_A = f"Iraq got $5 million in FMF in 2015. {HOSTILE}\n"
ERROR = f"bad.txt: cannot read {HOSTILE}"
TEXT_B = "Aid 😀 of £3m arrived in March 2005.\n"  # an emoji before the amount: JavaScript counts it as two


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def span(doc_id: str, text: str, part: str, **values: str) -> dict[str, str]:
    start = text.index(part)
    return {"doc_id": doc_id, "char_start": str(start), "char_end": str(start + len(part)), "text": part,
            "sentence": text.strip(), **values}


def output_folder(folder: Path) -> Path:
    """A run's output written by hand: flags, facts and changes, a failed document, a hostile text."""
    (folder / "clean" / "b").mkdir(parents=True)
    (folder / "clean" / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "clean" / "b" / "c.txt").write_text(TEXT_B, encoding="utf-8")
    ok = {"status": "ok", "error": ""}
    write_csv(folder / "documents.csv", [
        {"doc_id": "a", "path": "a.txt", "title": HOSTILE, **ok},
        {"doc_id": "b/c", "path": "b/c.txt", "title": "Aid", **ok},
        {"doc_id": "bad", "path": "bad.txt", "status": "error", "error": ERROR},
    ], ["doc_id", "path", "title", "status", "error"])
    money = [
        span("a", TEXT_A, "$5 million", amount="5000000", currency="USD", rule="pattern:amount", flags=""),
        span("b/c", TEXT_B, "£3m", amount="3000000", currency="GBP", rule="rules/money.yml:4", flags="scale_inferred"),
    ]
    write_csv(folder / "money.csv", money, [*money[0]])
    dates = [span("a", TEXT_A, "2015", date_start="2015-01-01", date_end="2015-12-31", granularity="year",
                  rule="pattern:year", flags="year_inferred;relative")]
    write_csv(folder / "dates.csv", dates, [*dates[0]])
    facts = [
        {**money[0], "program_id": "FMF", "date_start": "2015-01-01", "recipient": "IRQ", "provider": "USA", "repeat_of": ""},
        {**money[1], "program_id": "", "date_start": "2005-03-01", "recipient": "", "provider": "", "repeat_of": ""},
    ]
    write_csv(folder / "facts.csv", facts, [*facts[0]])
    entities = [
        span("a", TEXT_A, "Iraq", label="GPE", source="ner"),
        span("a", TEXT_A, "$5 million", label="MONEY", source="extract_money"),  # repeats the money row
        span("b/c", TEXT_B, "March 2005", label="DATE", source="ner"),
    ]
    write_csv(folder / "entities.csv", entities, [*entities[0]])
    write_csv(folder / "changes.csv", [
        {"table": "money", "change": "changed", "doc_id": "a", "text": "$5 million", "char_start": money[0]["char_start"],
         "char_end": money[0]["char_end"], "fields": "amount", "before": "amount=5", "after": "amount=5000000"},
        {"table": "dates", "change": "removed", "doc_id": "a", "text": "2014"},
    ], ["table", "change", "doc_id", "text", "char_start", "char_end", "fields", "before", "after"])
    return folder


def loaded(path: Path) -> object:
    """What a data script hands to the page: REVIEW.loaded(kind, key, DATA);"""
    match = re.fullmatch(r"REVIEW\.loaded\((.+?),(.+?),(.*)\);\n", path.read_text(encoding="utf-8"), re.S)
    assert match, path
    return json.loads(match[3])


def documents(out: Path) -> dict[int, dict]:
    """Every document the report's docs/*.js scripts hold, by number."""
    found = {}
    for path in (out / "review" / "docs").glob("*.js"):
        found.update({int(number): doc for number, doc in loaded(path).items()})
    return found


def test_a_run_writes_the_report_with_every_document(raw_run):
    out, summary = raw_run
    review = out / "review"
    page = (review / "index.html").read_text(encoding="utf-8")
    assert sorted(documents(out)) == list(range(summary.ok + summary.failed)) == list(range(5))
    for name in ("documents", "money", "dates", "programs", "queue"):
        assert (review / "data" / f"{name}.js").is_file(), name
    assert 'src="assets/review.js"' in page and 'href="assets/review.css"' in page


def test_the_report_needs_no_network(raw_run):
    out, _ = raw_run
    for path in (out / "review").rglob("*"):
        if path.suffix in (".html", ".js", ".css"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), path
            assert "@import" not in text and "url(http" not in text, path


def test_each_document_holds_its_text_and_highlights_with_their_rows(tmp_path):
    out = output_folder(tmp_path)
    build_report(out)
    docs = documents(out)
    doc = docs[0]
    assert doc["id"] == "a" and doc["text"] == TEXT_A
    money = next(s for s in doc["spans"] if s["t"] == "money")
    assert TEXT_A[money["s"] : money["e"]] == "$5 million"
    assert money["v"]["amount"] == "5000000" and money["v"]["rule"] == "pattern:amount"
    assert money["facts"]["program_id"] == "FMF" and money["facts"]["recipient"] == "IRQ"
    assert "amount" not in money["facts"]  # the money row's own values are not repeated
    assert [(s["t"], s["label"]) for s in doc["spans"] if s["t"] == "entities"] == [("entities", "GPE")]
    entity = next(s for s in docs[1]["spans"] if s["t"] == "entities")
    assert TEXT_B.encode("utf-16-le")[2 * entity["s"] : 2 * entity["e"]].decode("utf-16-le") == "March 2005"
    failed = docs[2]
    assert failed["text"] is None and failed["row"]["error"] == ERROR


def test_texts_from_the_run_never_appear_as_markup(tmp_path):
    out = output_folder(tmp_path)
    build_report(out)
    for path in (out / "review").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "<script>window" not in text and "<img" not in text, path
    assert "&lt;script&gt;" in (out / "review" / "index.html").read_text(encoding="utf-8")  # the error, escaped


def test_queue_holds_every_flagged_row_and_the_changes(tmp_path):
    out = output_folder(tmp_path)
    report = build_report(out)
    queue = loaded(out / "review" / "data" / "queue.js")
    flagged = {(row[1], row[5], row[6]) for row in queue["rows"]}
    assert flagged == {("money", "£3m", "scale_inferred"), ("dates", "2015", "year_inferred;relative")}
    assert (report.flagged, report.changes) == (2, 2)
    changes = loaded(out / "review" / "data" / "changes.js")
    assert [row[2] for row in changes["rows"]] == ["changed", "removed"]
    page = (out / "review" / "index.html").read_text(encoding="utf-8")
    assert "Changes since the last run" in page and "scale_inferred" in page
    assert "bad.txt: cannot read" in page


@pytest.mark.parametrize("missing", ["facts", "changes", "money", "documents"])
def test_a_missing_table_shows_as_absent(tmp_path, missing):
    out = output_folder(tmp_path)
    (out / f"{missing}.csv").unlink()
    build_report(out)
    page = (out / "review" / "index.html").read_text(encoding="utf-8")
    assert f"{missing}.csv is not in this output folder" in page
    assert not (out / "review" / "data" / f"{missing}.js").exists()
    assert len(documents(out)) == (2 if missing == "documents" else 3)  # without documents.csv: those with a text


def test_tables_without_rule_and_flags_columns_still_make_a_report(tmp_path):
    out = output_folder(tmp_path)
    for name in ("money", "dates", "facts"):
        path = out / f"{name}.csv"
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        columns = [c for c in rows[0] if c not in ("rule", "flags")]
        write_csv(path, [{c: row[c] for c in columns} for row in rows], columns)
    report = build_report(out)
    assert report.flagged == 0
    assert "No table has a flags column yet" in (out / "review" / "index.html").read_text(encoding="utf-8")


def test_charts_sum_amounts_from_facts_as_static_svg(tmp_path):
    out = output_folder(tmp_path)
    build_report(out)
    page = (out / "review" / "index.html").read_text(encoding="utf-8")
    assert "Amounts by program (USD)" in page and ">FMF<" in page and ">5 m<" in page
    assert "1 amount(s) in other currencies left out" in page
    assert "Rows per document" in page
    assert page.count("<svg") == 4


def test_offsets_past_the_basic_plane_count_twice_for_javascript():
    spans = [{"s": 6, "e": 9}]
    assert utf16_offsets(TEXT_B, spans) == [{"s": 7, "e": 10, "s0": 6, "e0": 9}]


def test_json_for_a_page_holds_no_angle_brackets():
    assert as_json({"t": "</script><b>&"}) == '{"t":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    assert json.loads(as_json({"t": "</script>"})) == {"t": "</script>"}


def test_rebuilding_replaces_the_old_report_whole(tmp_path):
    out = output_folder(tmp_path)
    build_report(out)
    (out / "review" / "docs" / "99.js").write_text("stale", encoding="utf-8")
    build_report(out)
    assert not (out / "review" / "docs" / "99.js").exists()
    assert not list(out.glob(".review*"))


def test_cli_review_rebuilds_and_names_the_page(tmp_path):
    out = output_folder(tmp_path)
    result = runner.invoke(app, ["review", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out / "review" / "index.html") in result.output and "2 flagged rows, 2 changes" in result.output


@pytest.mark.parametrize(("setup", "message"), [
    (lambda folder: folder / "nowhere", "nowhere: no such folder"),
    (lambda folder: folder, "no tables of a run here"),
], ids=["missing-folder", "empty-folder"])
def test_cli_review_of_a_folder_without_tables_is_a_usage_error(tmp_path, setup, message):
    result = runner.invoke(app, ["review", str(setup(tmp_path))])
    assert result.exit_code == 2
    assert message in result.output


def test_review_of_a_copied_output_folder_works(raw_run, tmp_path):
    out, _ = raw_run
    copy = shutil.copytree(out, tmp_path / "copy", ignore=shutil.ignore_patterns("review", ".cache"))
    report = build_report(copy)
    assert report.documents == 5 and (copy / "review" / "index.html").is_file()


def test_documents_come_in_groups_of_about_chunk_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(review, "CHUNK_BYTES", 1)  # every document alone
    out = output_folder(tmp_path)
    build_report(out)
    assert sorted(path.name for path in (out / "review" / "docs").iterdir()) == ["0.js", "1.js", "2.js"]
    meta = json.loads(re.search(r'<script type="application/json" id="meta">(.*?)</script>',
                                (out / "review" / "index.html").read_text(encoding="utf-8"))[1])
    assert meta["docs"] == [["a", "ok", 0], ["b/c", "ok", 1], ["bad", "error", 2]]


def test_entities_are_kept_as_numbers_but_counted_whole(tmp_path):
    """The report keeps of entities.csv only the model's spans, as numbers; its summary counts every row."""
    out = output_folder(tmp_path)
    with (out / "entities.csv").open("a", encoding="utf-8") as handle:
        handle.write("a,x,y,Iraq,,GPE,ner\n")  # offsets that are no numbers: no highlight, still a row
    tables = read_tables(out)
    entities = tables["entities"]
    assert entities.rows == [] and entities.total == 4
    assert entities.entities is not None and list(entities.entities.of("a")) == [(TEXT_A.index("Iraq"), TEXT_A.index("Iraq") + 4, "GPE")]
    build_report(out)
    assert "<td>4 rows</td>" in (out / "review" / "index.html").read_text(encoding="utf-8")
