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
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from .errors import RuleError, UsageError
from .rules import Strict, line_of, load_rule_file, read_yaml

AMOUNT_TOLERANCE = Decimal("0.001")  # amounts within 0.1% are the same amount (the definition)

# ---------------------------------------------------------------- expectation files

Qualifier = Literal["more_than", "less_than", "approx", "up_to", "at_least", "range"]
Granularity = Literal[
    "day", "week", "month", "quarter", "half", "season", "year", "fiscal_year", "decade", "century"
]
Relation = Literal["since", "until", "before", "after"]
Text = Annotated[str, Field(min_length=1)]


class MoneyLabel(Strict):
    """One amount of money, as LABELING.md describes it."""

    text: Text
    amount: Decimal
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    qualifier: Qualifier | None = None
    amount_high: Decimal | None = None


def check_period(start: dt.date | None, end: dt.date | None) -> None:
    """A period is two dates in order, or unknown (both null); one date alone is a typo."""
    if (start is None) != (end is None):
        raise ValueError("start and end must both be dates or both be null")
    if start and end and start > end:
        raise ValueError(f"start {start} is after end {end}")


class DateLabel(Strict):
    """One calendar reference; start and end are both set or both null (unresolved)."""

    text: Text
    start: dt.date | None
    end: dt.date | None
    granularity: Granularity
    relation: Relation | None = None

    @model_validator(mode="after")
    def start_not_after_end(self) -> DateLabel:
        check_period(self.start, self.end)
        return self


class ProgramLabel(Strict):
    """One program a document names, and how often."""

    id: Text
    name: Text
    mentions: Annotated[int, Field(ge=1)]


# A country's ISO 3166-1 alpha-3 code (IRQ), an organization's short name in capitals (NATO, EU, UN),
# or the World Bank, which goes by its name; "Iraq" or "usa" is a labeling slip.
Party = Annotated[str, Field(pattern=r"^([A-Z]{2,8}|World Bank)$")]


class FactLabel(Strict):
    """What the text ties one amount to (LABELING.md, Facts); every key is written, null when none."""

    money: Text
    program: Text | Annotated[list[Text], Field(min_length=2)] | None
    start: dt.date | None
    end: dt.date | None
    recipient: Party | None
    provider: Party | None

    @model_validator(mode="after")
    def start_not_after_end(self) -> FactLabel:
        check_period(self.start, self.end)
        return self

    def program_ids(self) -> list[str]:
        """The program ids as a list, whichever form the label used."""
        if self.program is None:
            return []
        return [self.program] if isinstance(self.program, str) else list(self.program)


class Expectation(Strict):
    """tests/expected/<doc_id>.yml: what a careful reader finds in one text."""

    doc: Text
    published: dt.date | None
    money: list[MoneyLabel]
    dates: list[DateLabel]
    programs: list[ProgramLabel]
    facts: list[FactLabel] | None = None  # None: not labeled; else one per money row, in the same order


def load_expectations(folder: Path) -> dict[str, Expectation]:
    """Every *.yml under FOLDER, checked; keyed by doc_id (the file's path without .yml)."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder of expectations")
    paths = sorted(folder.rglob("*.yml"))
    if not paths:
        raise UsageError(f"{folder}: no expectation files (*.yml)")
    return {path.relative_to(folder).with_suffix("").as_posix(): load_expectation(path, folder) for path in paths}


def load_expectation(path: Path, folder: Path) -> Expectation:
    """One file, with the checks pydantic cannot make: the doc matches the name, ids are unique."""
    expectation = load_rule_file(path, Expectation)
    doc_id = path.relative_to(folder).with_suffix("").as_posix()
    if expectation.doc != doc_id:
        line = line_of(read_yaml(path), ("doc",))
        raise RuleError(path, line, f"doc '{expectation.doc}' does not match the file name (expected '{doc_id}')")
    ids = Counter(program_key(p.id) for p in expectation.programs)
    for index, program in enumerate(expectation.programs):
        if ids[program_key(program.id)] > 1:
            line = line_of(read_yaml(path), ("programs", index))
            raise RuleError(path, line, f"program '{program.id}' is listed twice; give one row with its mentions")
    if expectation.facts is not None:
        check_facts(expectation, path)
    return expectation


def check_facts(expectation: Expectation, path: Path) -> None:
    """Facts pair with money rows by position, so a missing or shifted entry would score the wrong amount."""
    facts, money = expectation.facts or [], expectation.money
    if len(facts) != len(money):
        line = line_of(read_yaml(path), ("facts",))
        message = f"facts has {len(facts)} entries but money has {len(money)}; give one per money row, in order"
        raise RuleError(path, line, message)
    known = {program_key(p.id) for p in expectation.programs}
    for index, (fact, row) in enumerate(zip(facts, money)):
        if fact.money != row.text:
            line = line_of(read_yaml(path), ("facts", index, "money"))
            raise RuleError(path, line, f"facts {index} is for '{fact.money}' but money row {index} is '{row.text}'")
        for program_id in fact.program_ids():
            if program_key(program_id) not in known:
                line = line_of(read_yaml(path), ("facts", index, "program"))
                raise RuleError(path, line, f"facts {index}: program '{program_id}' is not in programs")


# ---------------------------------------------------------------- rows of both sides


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
            tables[name] = list(csv.DictReader(handle))
    clean = {}
    for row in tables["documents"]:
        path = out / "clean" / f"{row['doc_id']}.txt"
        if path.is_file():
            clean[row["doc_id"]] = path.read_text(encoding="utf-8")
    try:
        return Tables.from_rows(tables, clean)
    except (KeyError, ValueError, ArithmeticError) as exc:  # a missing column, a cell that is not a number or date
        raise UsageError(f"{out}: not tables written by `extract run` ({type(exc).__name__}: {exc})") from exc


def expected_rows(labels: list[MoneyLabel] | list[DateLabel], clean: str | None) -> list[Row]:
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


# ---------------------------------------------------------------- pairing


def normalized(text: str) -> str:
    return " ".join(text.casefold().translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")).split())


def overlap(expected: Row, found: Row) -> int:
    """How many characters two rows share; 0 when they do not overlap."""
    if None not in (expected.start, expected.end, found.start, found.end):
        return max(0, min(expected.end, found.end) - max(expected.start, found.start))  # type: ignore[type-var]
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


# ---------------------------------------------------------------- scores


@dataclass
class Score:
    """Counts of hits, extras and misses; precision and recall are 1 when nothing was there to get wrong."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    """Right out of total; 1 when there was nothing to judge."""

    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += ok


@dataclass(frozen=True)
class Problem:
    """One line of the report: a row missed, found in excess, or found with a wrong detail."""

    kind: Literal["miss", "extra", "wrong"]
    table: str
    doc_id: str
    text: str
    detail: str


SCORES = {  # key -> label in the report
    "money": "money", "dates_value": "dates value", "dates_detection": "dates detection",
    "programs": "programs", "program_mentions": "program mentions",
}
ACCURACIES = {
    "money_qualifier": "money qualifier", "dates_granularity": "dates granularity",
    "dates_relation": "dates relation", "published": "published",
    "facts_program": "facts program", "facts_period": "facts period", "facts_recipient": "facts recipient",
    "facts_provider": "facts provider", "facts_all": "facts all four",
}
FACT_FIELDS = ("program", "period", "recipient", "provider")


@dataclass
class Report:
    """Everything `extract eval` prints."""

    documents: list[str]
    scores: dict[str, Score] = field(default_factory=lambda: {key: Score() for key in SCORES})
    accuracy: dict[str, Accuracy] = field(default_factory=lambda: {key: Accuracy() for key in ACCURACIES})
    problems: list[Problem] = field(default_factory=list)
    unlabeled: list[str] = field(default_factory=list)  # documents in the output without an expectation


def evaluate(expectations: dict[str, Expectation], tables: Tables) -> Report:
    """Score every labeled document; documents without a label are listed, not scored."""
    report = Report(documents=sorted(expectations))
    report.unlabeled = sorted(set(tables.published) - set(expectations))
    for doc_id in report.documents:
        expectation = expectations[doc_id]
        clean = tables.clean.get(doc_id)
        score_published(report, doc_id, expectation, tables)
        score_money(report, doc_id, expected_rows(expectation.money, clean), tables.money.get(doc_id, []))
        score_dates(report, doc_id, expected_rows(expectation.dates, clean), tables.dates.get(doc_id, []))
        score_programs(report, doc_id, expectation.programs, tables.programs.get(doc_id, []))
        if expectation.facts is not None:
            found_programs = tables.programs.get(doc_id, [])
            aliases = program_aliases(expectation.programs, found_programs)
            expected = expected_rows(expectation.money, clean)
            score_facts(report, doc_id, expectation.facts, expected, tables.facts.get(doc_id, []), aliases)
    return report


def score_published(report: Report, doc_id: str, expectation: Expectation, tables: Tables) -> None:
    if doc_id not in tables.published:
        report.accuracy["published"].add(False)
        report.problems.append(Problem("miss", "documents", doc_id, "", "the output has no row for this document"))
        return
    found = tables.published[doc_id]
    report.accuracy["published"].add(found == expectation.published)
    if found != expectation.published:
        detail = f"expected {expectation.published or 'none'}, found {found or 'none'}"
        if tables.status.get(doc_id) != "ok":
            detail += f" (status {tables.status.get(doc_id)})"
        report.problems.append(Problem("wrong", "published", doc_id, "", detail))


def score_money(report: Report, doc_id: str, expected: list[Row], found: list[Row]) -> None:
    hits = score_rows(report, "money", doc_id, expected, found, same_money, describe_money)
    for e, f in hits:
        judge(report, "money_qualifier", "money", doc_id, e, f, "qualifier")


def score_dates(report: Report, doc_id: str, expected: list[Row], found: list[Row]) -> None:
    hits = score_rows(report, "dates", doc_id, expected, found, same_date, describe_date)
    for e, f in hits:
        judge(report, "dates_granularity", "dates", doc_id, e, f, "granularity")
        judge(report, "dates_relation", "dates", doc_id, e, f, "relation")


def score_rows(
    report: Report, table: str, doc_id: str, expected: list[Row], found: list[Row],
    same: Callable[[Row, Row], bool], describe: Callable[[Row], str],
) -> list[tuple[Row, Row]]:
    """Pair, count, and list the problems; returns the pairs whose values agree."""
    pairs = pair(expected, found, same)
    hits = [(i, j) for i, j in pairs if same(expected[i], found[j])]
    value_key = "money" if table == "money" else "dates_value"
    count(report.scores[value_key], len(hits), len(expected), len(found))
    if table == "dates":
        count(report.scores["dates_detection"], len(pairs), len(expected), len(found))
    partner = dict(pairs)
    hit_expected, hit_found = {i for i, _ in hits}, {j for _, j in hits}
    for i, e in enumerate(expected):
        if i not in hit_expected:
            detail = describe(e)
            if i in partner:
                other = found[partner[i]]
                detail += f'; found "{other.text}" {describe(other)}'
            report.problems.append(Problem("miss", table, doc_id, e.text, detail))
    for j, f in enumerate(found):
        if j not in hit_found:
            report.problems.append(Problem("extra", table, doc_id, f.text, describe(f)))
    return [(expected[i], found[j]) for i, j in hits]


def count(score: Score, hits: int, expected: int, found: int) -> None:
    score.tp += hits
    score.fn += expected - hits
    score.fp += found - hits


def judge(report: Report, key: str, table: str, doc_id: str, e: Row, f: Row, column: str) -> None:
    """Accuracy of one detail on a hit; a wrong detail is listed."""
    ok = e.values[column] == f.values[column]
    report.accuracy[key].add(ok)
    if not ok:
        detail = f"{column}: expected {e.values[column] or 'none'}, found {f.values[column] or 'none'}"
        report.problems.append(Problem("wrong", table, doc_id, e.text, detail))


def program_key(program_id: str) -> str:
    """Ids compare without regard to case or spacing: 'EUTM Mali' is 'EUTM  MALI'."""
    return " ".join(program_id.casefold().split())


def name_key(name: str) -> str:
    """Full names compare without regard to case, spacing, hyphens and 'Programme':
    'NATO Training Mission-Iraq' is 'NATO training mission - Iraq', 'Partnership Programme' is 'Partnership Program'."""
    words = re.sub(r"[-\u2010-\u2015]", " ", name.casefold()).split()
    return " ".join("program" if word == "programme" else word for word in words)


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


def score_programs(report: Report, doc_id: str, labels: list[ProgramLabel], found: list[FoundProgram]) -> None:
    pairs = pair_programs(labels, found)
    count(report.scores["programs"], len(pairs), len(labels), len(found))
    hits = sum(min(labels[i].mentions, found[j].mentions) for i, j in pairs)
    count(report.scores["program_mentions"], hits, sum(p.mentions for p in labels), sum(p.mentions for p in found))
    partner = dict(pairs)
    for i, label in enumerate(labels):
        if i not in partner:
            report.problems.append(Problem("miss", "programs", doc_id, label.id, mentions_text(label.mentions)))
            continue
        program = found[partner[i]]
        as_id = "" if program_key(program.id) == program_key(label.id) else f' (found as "{program.id}")'
        if program.mentions != label.mentions:
            detail = f"mentions: expected {label.mentions}, found {program.mentions}{as_id}"
            report.problems.append(Problem("wrong", "programs", doc_id, label.id, detail))
    for j in sorted(set(range(len(found))) - set(partner.values())):
        program = found[j]
        report.problems.append(Problem("extra", "programs", doc_id, program.id, mentions_text(program.mentions)))


def program_aliases(labels: list[ProgramLabel], found: list[FoundProgram]) -> dict[str, str]:
    """Found program id -> the label's id it pairs with (by id or full name), as program_key()s."""
    return {program_key(found[j].id): program_key(labels[i].id) for i, j in pair_programs(labels, found)}


def score_facts(
    report: Report, doc_id: str, labels: list[FactLabel], expected: list[Row], found: list[Row],
    aliases: dict[str, str],
) -> None:
    """Each labeled amount's four links, right or wrong; labels and expected money rows are in the same order."""
    partner = dict(pair(expected, found, same_money))
    for index, label in enumerate(labels):
        if index not in partner:
            for name in (*FACT_FIELDS, "all"):
                report.accuracy[f"facts_{name}"].add(False)
            report.problems.append(Problem("miss", "facts", doc_id, label.money, "no facts row for this amount"))
            continue
        got = found[partner[index]].values
        wrong = []
        for name, want, have in fact_fields(label, got, aliases):
            report.accuracy[f"facts_{name}"].add(want == have)
            if want != have:
                wrong.append(name)
                detail = f"{name}: expected {show(want)}, found {show(have)}"
                report.problems.append(Problem("wrong", "facts", doc_id, label.money, detail))
        report.accuracy["facts_all"].add(not wrong)


def fact_fields(label: FactLabel, got: dict[str, Any], aliases: dict[str, str]) -> list[tuple[str, Any, Any]]:
    """(field, expected, found) for the four links, in comparable form."""
    found_ids = sorted({aliases.get(program_key(i), program_key(i)) for i in got["program"]})
    return [
        ("program", sorted(program_key(i) for i in label.program_ids()), found_ids),
        ("period", (label.start, label.end), (got["start"], got["end"])),
        ("recipient", label.recipient, got["recipient"]),
        ("provider", label.provider, got["provider"]),
    ]


def show(value: Any) -> str:
    """A field's value in a problem line: none for missing, ids joined, a period as start..end."""
    if isinstance(value, list):
        return ";".join(value) or "none"
    if isinstance(value, tuple):
        return f"{value[0]}..{value[1]}" if value[0] or value[1] else "none"
    return str(value) if value else "none"


def mentions_text(mentions: int) -> str:
    return f"{mentions} mention" + ("" if mentions == 1 else "s")


def describe_money(row: Row) -> str:
    v = row.values
    amount = format(v["amount"], "f") if v["amount"] is not None else "?"
    if v["amount_high"] is not None:
        amount += f"-{format(v['amount_high'], 'f')}"
    return " ".join(str(x) for x in (amount, v["currency"], v["qualifier"]) if x)


def describe_date(row: Row) -> str:
    v = row.values
    span = f"{v['start']}..{v['end']}" if v["start"] or v["end"] else "unresolved"
    return " ".join(str(x) for x in (span, v["granularity"], v["relation"]) if x)


def evaluate_folders(expected: Path, out: Path) -> Report:
    """`extract eval`: load both sides and score them."""
    return evaluate(load_expectations(expected), load_tables(out))


# ---------------------------------------------------------------- output

PROBLEM_HEADINGS = {
    "miss": "Misses (labeled, not found with these values):",
    "extra": "Extras (found, not labeled):",
    "wrong": "Wrong details (found, but one detail differs):",
}


def format_report(report: Report, tables: tuple[str, ...] | None = None) -> str:
    """The report as text; TABLES limits the listed problems (the scores are always shown)."""
    lines = [f"{len(report.documents)} documents scored: {', '.join(report.documents)}"]
    if report.unlabeled:
        lines.append(f"not scored (no expectation file): {', '.join(report.unlabeled)}")
    lines += ["", f"{'':<18}{'precision':>10}{'recall':>8}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}"]
    for key, label in SCORES.items():
        s = report.scores[key]
        lines.append(f"{label:<18}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>5}{s.fn:>5}")
    lines += ["", f"{'':<18}{'accuracy':>10}{'right':>8}{'of':>7}"]
    for key, label in ACCURACIES.items():
        a = report.accuracy[key]
        lines.append(f"{label:<18}{a.value:>10.3f}{a.right:>8}{a.total:>7}")
    for kind, heading in PROBLEM_HEADINGS.items():
        problems = [p for p in report.problems if p.kind == kind and (tables is None or p.table in tables)]
        if problems:
            lines += ["", heading]
            for p in sorted(problems, key=lambda p: (p.table, p.doc_id)):
                text = f' "{p.text}"' if p.text else ""
                lines.append(f"  {p.table:<9} {p.doc_id}{text}: {p.detail}")
    return "\n".join(lines)


def report_json(report: Report) -> str:
    """The report for machines: the same numbers and problems as the text."""
    data = {
        "documents": report.documents,
        "unlabeled": report.unlabeled,
        "scores": {
            key: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                  "tp": s.tp, "fp": s.fp, "fn": s.fn}
            for key, s in report.scores.items()
        },
        "accuracy": {
            key: {"accuracy": round(a.value, 4), "right": a.right, "total": a.total}
            for key, a in report.accuracy.items()
        },
        "problems": [asdict(p) for p in report.problems],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)
