"""The schema of rules/cleaning.yml: line and block rules, sites, wrapped text, stamps and heuristics.

Checked once on load (pydantic, `Strict`), so a typo in a rules file stops the
run with its file and line before any document is read.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from ..rules import Count, Regex, Share, Size, Strict, load_rule_file

DateOrder = Literal["DMY", "MDY", "YMD"]


class StampRules(Strict):
    """The `stamps` section of rules/cleaning.yml."""

    labels: list[str]
    bylines: list[Regex]
    providers: list[str]
    wire_tag: Regex
    time_zones: list[str]
    date_order: DateOrder


class CommentSection(Strict):
    """The `heuristics.comments` section of rules/cleaning.yml: how a reader comment section looks."""

    headings: list[Regex]
    markers: list[Regex]
    forms: list[Regex]
    marker_lines: Count


class Heuristics(Strict):
    """The `heuristics` section of rules/cleaning.yml: thresholds and prompt patterns."""

    short_line_words: Count
    menu_run_lines: Size
    link_segment_words: Count
    breadcrumb_segment_words: Count
    prompt_paragraph_lines: Count
    list_item_words: Count
    trailing_max_lines: Count
    trailing_amount_words: Count
    repeated_min_documents: Size
    repeated_min_share: Share
    title_max_words: Count
    max_word_chars: Size
    prompts: list[Regex]
    bylines: list[Regex]
    comments: CommentSection



class LineRule(Strict):
    """Drop every line that this regular expression matches (searched, case-insensitive)."""

    pattern: Regex
    why: str = ""


class BlockRule(Strict):
    """Drop from a line matching `start` through a line matching `end`, or through the next
    `paragraphs` paragraphs (and then any paragraphs of link titles, with `titles_max_words`),
    or (with neither) to the end of the text."""

    start: Regex
    end: Regex | None = None
    paragraphs: Count | None = None
    titles_max_words: Count | None = None
    why: str = ""


class WrappedText(Strict):
    """When a text counts as hard-wrapped (wire copy) and which lines are rejoined."""

    max_line_chars: Size
    continuation_share: Share
    join_min_chars: Count


class SiteRules(Strict):
    """One site: how to recognize its pages, its own rules, and how it writes dates."""

    name: str
    match: list[Regex] = []
    files: list[str] = []
    date_order: DateOrder | None = None
    lines: list[LineRule] = []
    blocks: list[BlockRule] = []


class CleaningRules(Strict):
    """rules/cleaning.yml."""

    lines: list[LineRule] = []
    blocks: list[BlockRule] = []
    sites: list[SiteRules] = []
    heuristics: Heuristics
    stamps: StampRules
    wrapped_text: WrappedText


def load_cleaning_rules(rules_dir: Path) -> CleaningRules:
    """Read and validate rules/cleaning.yml."""
    return load_rule_file(rules_dir / "cleaning.yml", CleaningRules)
