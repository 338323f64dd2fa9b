"""Scores, accuracies and every wrong row of a run against the labels, as text or JSON.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from .expectations import Expectation, FactLabel, ProgramLabel, load_expectations, program_key
from .pairing import (
    FoundProgram,
    Row,
    Tables,
    expected_rows,
    load_tables,
    pair,
    pair_programs,
    program_aliases,
    same_date,
    same_money,
)


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
