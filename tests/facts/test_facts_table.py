"""The facts table of a run: one row per money row, and the same links from Python as from the CLI."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from extract.nlp import make_doc
from extract.tables import COLUMNS, fact_rows

from ..conftest import RAW


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_one_facts_row_per_money_row_in_the_same_order(raw_run):
    out, _ = raw_run
    money, facts = read(out / "money.csv"), read(out / "facts.csv")
    assert len(money) > 0
    shared = [column for column in COLUMNS["money"] if column not in ("rule", "flags")]  # facts have their own
    assert facts[shared].equals(money[shared])


def test_links_are_codes_and_known_programs(raw_run):
    out, _ = raw_run
    facts, programs = read(out / "facts.csv"), read(out / "programs.csv")
    known = set(zip(programs.doc_id, programs.program_id))
    for row in facts.itertuples():
        assert all((row.doc_id, program) in known for program in filter(None, row.program_id.split(";")))
        for party in (row.recipient, row.provider):
            assert party == "" or party.isupper() or party == "World Bank"
        assert row.repeat_of == "" or int(row.repeat_of) < int(row.char_start)
    assert (facts.recipient != "").any() and (facts.program_id != "").any() and (facts.date_start != "").any()


def test_python_gives_the_rows_the_cli_writes(raw_run, nlp):
    """doc._.facts, from nlp() on the cleaned text with the documents row's title, source and date."""
    out, _ = raw_run
    documents = read(out / "documents.csv").set_index("doc_id")
    facts = read(out / "facts.csv")
    for path in sorted(RAW.glob("*.txt")):
        doc_id = path.stem
        text = (out / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8")
        meta = documents.loc[doc_id]
        published = dt.date.fromisoformat(meta.published) if meta.published else None
        doc = make_doc(nlp, text, published, doc_id)
        doc._.title, doc._.source = meta.title or None, meta.source or None
        doc = nlp(doc)
        assert len(doc._.facts) == len(doc.spans["money"])
        money = read(out / "money.csv")
        money_rows = [
            {**row, "char_start": int(row["char_start"]), "char_end": int(row["char_end"])}
            for row in money[money.doc_id == doc_id].to_dict("records")
        ]
        links = ["program_id", "date_start", "date_end", "recipient", "provider", "repeat_of", "flags"]
        from_python = [
            {key: "" if row[key] is None else str(row[key]) for key in links} for row in fact_rows(doc, money_rows)
        ]
        assert from_python == facts[facts.doc_id == doc_id][links].to_dict("records")
