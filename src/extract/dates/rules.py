"""The schema of rules/dates.yml: word lists, cues, per-source settings and fiscal calendars.

Checked once on load; `default_rules()` reads the packaged file, so a library
call never depends on the working directory.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator

from ..rules import Count, Month, Strict, load_rule_file, packaged_rules_dir

Relation = Literal["since", "until", "before", "after"]
"""The relations a dates row may have (TABLES.md): a misspelt one under `relations` is an unknown key."""


class FiscalCalendar(Strict):
    """A fiscal year: it begins in `start_month`; FY N ends in N when named_by_end_year."""

    start_month: Month
    named_by_end_year: bool


class DateRules(Strict):
    """rules/dates.yml; the file's comments say what each entry means."""

    fiscal_calendars: dict[str, FiscalCalendar]
    default_fiscal_calendar: str
    fiscal_calendar_by_source: dict[str, str] = {}
    fiscal_calendar_by_phrase: dict[str, str] = {}
    fiscal_calendar_by_currency: dict[str, str] = {}
    fiscal_calendar_by_wording: dict[str, str] = {}
    day_first_by_source: dict[str, bool] = {}
    relations: dict[Relation, list[str]]
    distant_cue_bridge: list[str] = []
    distant_cue_max_words: Count = 6
    distant_cue_breaks: list[str] = []
    modifiers: list[str] = []
    seasons: dict[str, tuple[Month, Month]]
    past_words: list[str] = []
    future_words: list[str] = []
    not_year_after: list[str] = []
    not_year_before: list[str] = []
    not_a_candidate: list[str] = []
    date_openers: list[str]  # words that make a bare month or a weekday after a name a date ("in May")

    @model_validator(mode="after")
    def calendars_exist(self) -> DateRules:
        """Every calendar named by default, source, phrase, currency or wording is defined in fiscal_calendars."""
        used = {self.default_fiscal_calendar, *self.fiscal_calendar_by_source.values(),
                *self.fiscal_calendar_by_phrase.values(), *self.fiscal_calendar_by_currency.values(),
                *self.fiscal_calendar_by_wording.values()}
        unknown = sorted(used - set(self.fiscal_calendars))
        if unknown:
            raise ValueError(f"unknown fiscal calendar(s): {', '.join(unknown)} (known: {', '.join(sorted(self.fiscal_calendars))})")
        return self


@lru_cache(maxsize=1)
def default_rules() -> DateRules:
    """The packaged rules/dates.yml, loaded once, for callers of the pure functions that pass no rules.

    Always the packaged file, whatever the working directory: a cached value
    must not depend on where the first call happened to run.
    """
    return load_date_rules(packaged_rules_dir() / "dates.yml")


def load_date_rules(path: Path) -> DateRules:
    """Read and validate a dates rules file (errors name the file and line)."""
    return load_rule_file(path, DateRules)
