"""Score money and dates on the peer cases (../shared/peers) as a user meets them: one file per case, `extract run`.

    python tools/peer_files.py [--keep DIR] [--show-misses]

Every case is written to a file of its own in a temporary folder (a date
case opens with a "Last updated: 7 November 2016" line that gives its
reference date, as a page's stamp would), the folder is run with `extract
run`, and the tables are read back. An expected item is right when a row of
its document overlaps it and has its value: the same amount and currency,
or the same first and last day (or the case's listed alternative reading).
Cases ruled out of scope are scored apart, each with its reason: the lists
of tools/peer_money.py and tools/peer_dates.py. Documents that failed are
counted and named.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))

import peer_dates  # noqa: E402  (tools/ is no package)
import peer_money  # noqa: E402

PEERS = TOOLS.parents[1] / "shared" / "peers"
EXTRACT = Path(sys.executable).with_name("extract")


@dataclass
class Tally:
    """Expected items and how many of them a row got right."""

    expected: int = 0
    right: int = 0

    def line(self, name: str) -> str:
        share = self.right / self.expected if self.expected else 1.0
        return f"{name}: value accuracy {share:.3f} ({self.right}/{self.expected})"


def read_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def case_text(case: dict) -> str:
    """The file a user would have: the case's sentence, under a stamp line for its reference date."""
    if not case.get("reference_date"):
        return case["input"] + "\n"
    day = dt.date.fromisoformat(case["reference_date"])
    return f"Last updated: {day.day} {day:%B %Y}\n\n{case['input']}\n"


def write_cases(cases: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for case in cases:
        (folder / f"{case['id']}.txt").write_text(case_text(case), encoding="utf-8")


def read_table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)


def shifted_rows(rows: pd.DataFrame, clean: str, case: dict) -> list[dict]:
    """The document's rows with offsets into the case's input (cleaning drops the stamp line above it)."""
    shift = clean.find(case["input"])
    found = []
    for row in rows.to_dict("records"):
        start, end = int(row["char_start"]), int(row["char_end"])
        if shift >= 0:
            row["span"] = (start - shift, end - shift)
        else:  # the input was changed in cleaning (spaces): match by text
            at = case["input"].lower().find(row["text"].lower())
            row["span"] = (at, at + len(row["text"])) if at >= 0 else (-1, -1)
        found.append(row)
    return found


def money_right(row: dict, item: dict) -> bool:
    return row["amount"] != "" and Decimal(row["amount"]) == Decimal(repr(item["amount"])) and row["currency"] == item["currency"]


def date_right(row: dict, item: dict) -> bool:
    readings = [(item["date_start"], item["date_end"])] + [(a["date_start"], a["date_end"]) for a in item.get("alternatives", [])]
    return (row["date_start"], row["date_end"]) in readings


def score(cases: list[dict], tables: pd.DataFrame, out: Path, right, scope, show: bool) -> tuple[Tally, Tally]:
    """In-scope and out-of-scope tallies; with `show`, print every in-scope item not right."""
    in_scope, out_scope = Tally(), Tally()
    groups = dict(tuple(tables.groupby("doc_id"))) if len(tables) else {}
    for case in cases:
        clean_file = out / "clean" / f"{case['id']}.txt"
        clean = clean_file.read_text(encoding="utf-8") if clean_file.exists() else ""
        rows = shifted_rows(groups.get(case["id"], tables.iloc[0:0]), clean, case)
        tally = out_scope if scope(case) else in_scope
        for item in case["expected"]:
            tally.expected += 1
            hits = [r for r in rows if r["span"][0] < item["end"] and item["start"] < r["span"][1]]
            if hits and right(hits[0], item):
                tally.right += 1
            elif show and tally is in_scope:
                got = [(r["text"], r.get("amount", r.get("date_start")), r.get("currency", r.get("date_end"))) for r in rows]
                print(f"  MISS {case['id']}: {item['text']!r} | {case['input'][:90]!r} | got {got}")
    return in_scope, out_scope


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the case files and tables here instead of a temporary folder")
    parser.add_argument("--show-misses", action="store_true", help="print every in-scope item not read right")
    args = parser.parse_args()
    money_cases, date_cases = read_cases(PEERS / "money-cases.jsonl"), read_cases(PEERS / "date-cases.jsonl")
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        write_cases(money_cases + date_cases, folder / "cases")
        run = subprocess.run([str(EXTRACT), "run", str(folder / "cases"), "--out", str(folder / "out"), "--no-cache"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(run.stdout + run.stderr, file=sys.stderr)
            return run.returncode
        out = folder / "out"
        documents = read_table(out, "documents")
        failed = documents[documents.status != "ok"]
        print(f"{len(documents)} case files run with `extract run`; {len(failed)} failed")
        for row in failed.itertuples():
            print(f"  failed: {row.error}")
        for name, cases, table, right, scope, reasons in (
            ("money", money_cases, read_table(out, "money"), money_right,
             lambda c: peer_money.OUT_OF_SCOPE.get(c["id"]), peer_money.OUT_OF_SCOPE.items()),
            ("dates", date_cases, read_table(out, "dates"), date_right, peer_dates.scope,
             [(reason, sum(1 for c in date_cases if peer_dates.scope(c) == reason)) for reason in peer_dates.OUT_OF_SCOPE]),
        ):
            in_scope, out_scope = score(cases, table, out, right, scope, args.show_misses)
            print(in_scope.line(f"{name} in scope"))
            print(out_scope.line(f"{name} out of scope"))
            for key, reason in reasons:
                print(f"  out of scope: {key}: {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
