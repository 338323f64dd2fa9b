"""The hand-labeled expectation files (LABELING.md): their schema, checked on load with file and line.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..dates.rules import Relation
from ..errors import RuleError, UsageError
from ..money.rules import CueQualifier
from ..rules import Strict, line_of, load_rule_file, read_yaml
from ..words import fold

Qualifier = Literal[CueQualifier, "range"]


Granularity = Literal[
    "day", "week", "month", "quarter", "half", "season", "year", "fiscal_year", "decade", "century"
]


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


def program_key(program_id: str) -> str:
    """Ids compare without regard to case or spacing: 'EUTM Mali' is 'EUTM  MALI'."""
    return fold(program_id)


def name_key(name: str) -> str:
    """Full names compare without regard to case, spacing, hyphens and 'Programme':
    'NATO Training Mission-Iraq' is 'NATO training mission - Iraq', 'Partnership Programme' is 'Partnership Program'."""
    words = re.sub(r"[-\u2010-\u2015]", " ", name.casefold()).split()
    return " ".join("program" if word == "programme" else word for word in words)
