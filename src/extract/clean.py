"""Turn a saved web page into the article's text, and read its title, date and source.

Every later stage and every table is only as good as this one: an amount in a
related-links list or a date in a footer would be a false row. Boilerplate is
removed by the rules in rules/cleaning.yml; Unicode is repaired with ftfy.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import ftfy

from .rules import Regex, Strict, load_rule_file


class LineRule(Strict):
    """Drop every line that this regular expression matches (searched, case-insensitive)."""

    pattern: Regex
    why: str = ""


class BlockRule(Strict):
    """Drop from a line matching `start` through a line matching `end` (or the end of the text)."""

    start: Regex
    end: Regex | None = None
    why: str = ""


class CleaningRules(Strict):
    """rules/cleaning.yml: patterns that apply to every site."""

    lines: list[LineRule] = []
    blocks: list[BlockRule] = []


@dataclass
class Cleaned:
    """The cleaned text and what the page said about itself."""

    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (line, why)


def load_cleaning_rules(rules_dir: Path) -> CleaningRules:
    """Read and validate rules/cleaning.yml."""
    return load_rule_file(rules_dir / "cleaning.yml", CleaningRules)


def clean_text(raw: str, rules: CleaningRules) -> Cleaned:
    """Repair Unicode, drop boilerplate lines and blocks, normalize whitespace."""
    text = ftfy.fix_text(raw, normalization="NFC").replace("\u00a0", " ")
    lines = [normalize_space(line) for line in text.splitlines()]
    published = find_published(lines)
    kept, dropped = drop_boilerplate(lines, rules)
    paragraphs = [line for line in kept if line]
    title = paragraphs[0] if paragraphs else None
    return Cleaned(text="\n\n".join(paragraphs), title=title, published=published, dropped=dropped)


def normalize_space(line: str) -> str:
    """Collapse runs of spaces and tabs; lines stay lines."""
    return re.sub(r"[ \t\u2000-\u200b\u3000]+", " ", line).strip()


def drop_boilerplate(lines: list[str], rules: CleaningRules) -> tuple[list[str], list[tuple[str, str]]]:
    """Split lines into kept ones and dropped ones (with the rule that dropped them)."""
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    block: BlockRule | None = None
    for line in lines:
        if block is not None:
            dropped.append((line, block.why or f"block from /{block.start}/"))
            if block.end is not None and re.search(block.end, line, re.IGNORECASE):
                block = None
            continue
        started = next((b for b in rules.blocks if line and re.search(b.start, line, re.IGNORECASE)), None)
        if started is not None:
            dropped.append((line, started.why or f"block from /{started.start}/"))
            block = started
            continue
        rule = next((r for r in rules.lines if line and re.search(r.pattern, line, re.IGNORECASE)), None)
        if rule is not None:
            dropped.append((line, rule.why or f"line /{rule.pattern}/"))
            continue
        kept.append(line)
    return kept, dropped


STAMP = re.compile(
    r"(?:last updated|page last modified|posted on|published|released)\s*:?\s*(?P<date>.+)", re.IGNORECASE
)


def find_published(lines: list[str]) -> dt.date | None:
    """The page's own published or last-updated stamp, read day-first when ambiguous."""
    import dateparser

    for line in lines:
        match = STAMP.search(line)
        if match:
            value = re.sub(r"\b(ZULU|UTC|GMT)\b", "", match.group("date")).strip()
            parsed = dateparser.parse(value, settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"})
            if parsed:
                return parsed.date()
    return None
