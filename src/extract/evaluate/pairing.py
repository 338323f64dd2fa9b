"""Score the tables of a run against hand-labeled expectations: precision, recall, F1.

This is the check a user runs after tuning a rule file: it says what got
better, what got worse, and lists every row that was missed or found in
excess. It stands apart from the pipeline: it reads only what a run wrote (the
CSV tables and the cleaned texts in OUT/clean/) and the expectation files
(one YAML per document, in the format of LABELING.md), so it scores any
output folder, from any version of the rules or the code.

Matching, within one document and one table:
- An expected row and a found row can pair only if their texts overlap. The
  expected texts are located in the cleaned text one after the other, in the
  order the file lists them (labels follow the text), so a repeated "2011"
  pairs with the right occurrence; a text that cannot be located falls back
  to "one text contains the other".
- Pairs are made greedily, best first: pairs whose values agree, then the
  longer overlap, then the nearer start, then file order. Each row is used
  once. The order is total, so the result is the same on every run.
- A pair is a hit for "detection" (dates); it is a hit for the values when
  they agree too: money has the same currency and amount (and amount_high)
  within 0.1%; a date the same date_start and date_end.
Facts are scored per labeled amount: each label pairs with the money
row of the expected amount's facts row (the same pairing as money), then its
program (the set of ids, a found id read as the label's id when the programs
pairing matched them by name), period (start and end), recipient and provider
are each right or wrong, and "all" is right when the four are. An amount the
run did not find has every field wrong.
Programs are compared per document. A labeled program pairs with a found one
when their ids are the same (case and spacing aside), else when their full
names are the same (case, spacing, hyphens and the spelling "Programme" aside):
a discovered program's id is only a proposal, and when a text never writes an
acronym ("the Pacific Patrol Boat Program"), no pipeline can know the one the
labeler wrote (PPBP). Id pairs are made first, then name pairs in the order
the labels are listed, each found program used once, so the result is the
same on every run. Mentions count min(expected, found) as hits for each pair.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..cells import read_csv_text
from ..errors import UsageError
from ..words import fold
from .expectations import DateLabel, MoneyLabel, ProgramLabel, name_key, program_key

AMOUNT_TOLERANCE = Decimal("0.001")  # amounts within 0.1% are the same amount (the definition)


@dataclass(frozen=True)
class Row:
    """One money or dates row, expected or found, reduced to what is compared."""

    text: str
    start: int | None  # offsets into the cleaned text; None when not known
    end: int | None
    values: dict[str, Any]


@dataclass
class Tables:
    """What a run wrote, for the documents being scored."""

    published: dict[str, dt.date | None]  # doc_id -> published, for documents the run listed
    status: dict[str, str]
    money: dict[str, list[Row]]
    dates: dict[str, list[Row]]
    programs: dict[str, list[FoundProgram]]  # doc_id -> the programs found there, by id
    clean: dict[str, str]  # doc_id -> cleaned text, when the run saved it
    facts: dict[str, list[Row]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, tables: dict[str, list[dict[str, str]]], clean: dict[str, str]) -> Tables:
        """Build from CSV-like rows (every cell a string, empty for missing)."""
        documents = tables.get("documents", [])
        return cls(
            published={row["doc_id"]: to_date(row.get("published", "")) for row in documents},
            status={row["doc_id"]: row.get("status", "ok") for row in documents},
            money=group(found_row(row, MONEY_VALUES) for row in tables.get("money", [])),
            dates=group(found_row(row, DATE_VALUES) for row in tables.get("dates", [])),
            programs=count_programs(tables.get("programs", [])),
            clean=clean,
            facts=group(found_fact(row) for row in tables.get("facts", [])),
        )


MONEY_VALUES = {"amount": "decimal", "currency": "str", "qualifier": "str", "amount_high": "decimal"}


DATE_VALUES = {"date_start": "date", "date_end": "date", "granularity": "str", "relation": "str"}


def to_date(cell: str) -> dt.date | None:
    return dt.date.fromisoformat(cell) if cell else None


def to_value(cell: str, kind: str) -> Any:
    """A CSV cell as the value it stands for; amounts stay exact decimals."""
    if cell == "":
        return None
    if kind == "decimal":
        return Decimal(cell)
    if kind == "date":
        return dt.date.fromisoformat(cell)
    return cell


def found_row(row: dict[str, str], columns: dict[str, str]) -> tuple[str, Row]:
    values = {column: to_value(row.get(column, ""), kind) for column, kind in columns.items()}
    if "date_start" in values:
        values["start"], values["end"] = values.pop("date_start"), values.pop("date_end")
    return row["doc_id"], Row(row["text"], int(row["char_start"]), int(row["char_end"]), values)


def found_fact(row: dict[str, str]) -> tuple[str, Row]:
    """A facts row: its amount (to pair it like money) and its four links."""
    doc_id, money = found_row(row, MONEY_VALUES)
    links = found_row(row, FACT_VALUES)[1].values
    links["program"] = sorted(filter(None, (row.get("program_id") or "").split(";")))
    return doc_id, Row(money.text, money.start, money.end, {**money.values, **links})


FACT_VALUES = {"date_start": "date", "date_end": "date", "recipient": "str", "provider": "str"}


def group(pairs: Any) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for doc_id, row in pairs:
        grouped.setdefault(doc_id, []).append(row)
    return grouped


@dataclass
class FoundProgram:
    """One program id a run found in a document: its rows and the names they gave it."""

    id: str
    mentions: int = 0
    names: set[str] = field(default_factory=set)


def count_programs(rows: list[dict[str, str]]) -> dict[str, list[FoundProgram]]:
    """Rows grouped per document by id (case and spacing aside), sorted by id: the first id written wins."""
    grouped: dict[str, dict[str, FoundProgram]] = {}
    for row in rows:
        by_key = grouped.setdefault(row["doc_id"], {})
        program = by_key.setdefault(program_key(row["program_id"]), FoundProgram(row["program_id"]))
        program.mentions += 1
        if row.get("program_name"):
            program.names.add(row["program_name"])
    return {doc_id: [by_key[key] for key in sorted(by_key)] for doc_id, by_key in grouped.items()}


def load_tables(out: Path) -> Tables:
    """Read OUT/{documents,money,dates,programs,facts}.csv and OUT/clean/*.txt (facts.csv may be absent: older runs)."""
    tables: dict[str, list[dict[str, str]]] = {}
    for name in ("documents", "money", "dates", "programs", "facts"):
        path = out / f"{name}.csv"
        if not path.is_file():
            if name == "facts":
                continue
            raise UsageError(f"{path}: no such table; run `extract run RAW --out {out}` first")
        with path.open(encoding="utf-8", newline="") as handle:
            rows = csv.DictReader(handle)  # a cell's exact text (extract.cells); a short row's missing cells stay None
            tables[name] = [{key: read_csv_text(cell) if cell else cell for key, cell in row.items()} for row in rows]
    clean = {}
    for row in tables["documents"]:
        path = out / "clean" / f"{row['doc_id']}.txt"
        if path.is_file():
            clean[row["doc_id"]] = path.read_text(encoding="utf-8")
    try:
        return Tables.from_rows(tables, clean)
    except (KeyError, ValueError, ArithmeticError) as exc:  # a missing column, a cell that is not a number or date
        raise UsageError(f"{out}: not tables written by `extract run` ({type(exc).__name__}: {exc})") from exc


def expected_rows(labels: Sequence[MoneyLabel | DateLabel], clean: str | None) -> list[Row]:
    """Labels as rows, located in the cleaned text one after the other."""
    spans = locate([label.text for label in labels], clean)
    rows = []
    for label, span in zip(labels, spans):
        values = label.model_dump(exclude={"text"})
        rows.append(Row(label.text, span[0] if span else None, span[1] if span else None, values))
    return rows


QUOTES = {"'": "'\u2018\u2019", '"': '"\u201c\u201d', "\u2018": "'\u2018\u2019", "\u2019": "'\u2018\u2019",
          "\u201c": '"\u201c\u201d', "\u201d": '"\u201c\u201d'}


def text_pattern(text: str) -> re.Pattern[str]:
    """The text as a pattern that allows any run of whitespace and either kind of quote."""
    def word(token: str) -> str:
        return "".join(f"[{re.escape(QUOTES[c])}]" if c in QUOTES else re.escape(c) for c in token)

    return re.compile(r"\s+".join(word(token) for token in text.split()))


def locate(texts: list[str], clean: str | None) -> list[tuple[int, int] | None]:
    """Where each text stands in CLEAN, searching on from the end of the one before."""
    if clean is None:
        return [None] * len(texts)
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for text in texts:
        match = text_pattern(text).search(clean, cursor)
        if match:
            cursor = match.end()
        spans.append(match.span() if match else None)
    return spans


def normalized(text: str) -> str:
    return fold(text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")))


def overlap(expected: Row, found: Row) -> int:
    """How many characters two rows share; 0 when they do not overlap."""
    if expected.start is not None and expected.end is not None and found.start is not None and found.end is not None:
        return max(0, min(expected.end, found.end) - max(expected.start, found.start))
    a, b = normalized(expected.text), normalized(found.text)
    return min(len(a), len(b)) if a and b and (a in b or b in a) else 0


def pair(expected: list[Row], found: list[Row], same: Callable[[Row, Row], bool]) -> list[tuple[int, int]]:
    """One-to-one pairs of overlapping rows: agreeing values first, then longer overlap, nearer start."""
    candidates = []
    for i, e in enumerate(expected):
        for j, f in enumerate(found):
            shared = overlap(e, f)
            if shared:
                distance = abs(e.start - f.start) if e.start is not None and f.start is not None else 0
                candidates.append((not same(e, f), -shared, distance, i, j))
    pairs, used_e, used_f = [], set(), set()
    for *_, i, j in sorted(candidates):
        if i not in used_e and j not in used_f:
            pairs.append((i, j))
            used_e.add(i)
            used_f.add(j)
    return sorted(pairs)


def close(a: Decimal | None, b: Decimal | None) -> bool:
    """Same amount within 0.1% of the expected one; two missing amounts agree."""
    if a is None or b is None:
        return a is None and b is None
    return abs(Decimal(a) - Decimal(b)) <= AMOUNT_TOLERANCE * abs(Decimal(a))


def same_money(e: Row, f: Row) -> bool:
    return (
        e.values["currency"] == f.values["currency"]
        and close(e.values["amount"], f.values["amount"])
        and close(e.values["amount_high"], f.values["amount_high"])
    )


def same_date(e: Row, f: Row) -> bool:
    return e.values["start"] == f.values["start"] and e.values["end"] == f.values["end"]


def same_id(label: ProgramLabel, program: FoundProgram) -> bool:
    return program_key(label.id) == program_key(program.id)


def same_name(label: ProgramLabel, program: FoundProgram) -> bool:
    return name_key(label.name) in {name_key(name) for name in program.names}


def pair_programs(labels: list[ProgramLabel], found: list[FoundProgram]) -> list[tuple[int, int]]:
    """(label index, found index) pairs: same id first, then same full name, labels in file order."""
    pairs: dict[int, int] = {}
    for match in (same_id, same_name):
        for i, label in enumerate(labels):
            if i in pairs:
                continue
            used = set(pairs.values())
            j = next((j for j, program in enumerate(found) if j not in used and match(label, program)), None)
            if j is not None:
                pairs[i] = j
    return sorted(pairs.items())


def program_aliases(labels: list[ProgramLabel], found: list[FoundProgram]) -> dict[str, str]:
    """Found program id -> the label's id it pairs with (by id or full name), as program_key()s."""
    return {program_key(found[j].id): program_key(labels[i].id) for i, j in pair_programs(labels, found)}
