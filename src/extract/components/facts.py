"""extract_facts: one Fact per amount of money, in doc._.facts (extract.facts does the linking).

Runs after money, dates and programs: it reads their spans (and the acronym
definitions programs found, doc._.definitions), finds the parties
(countries and organizations, rules/parties.yml) in the text and the title,
and links each amount to its program, period, recipient and provider. The
facts table is built from doc._.facts, so Python users get the same rows.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import text_of
from ..facts.linking import Amount, Context, Cues, Period, ProgramRef, link_document
from ..facts.parties import Gazetteer, Party, PartyRules, load_party_rules
from ..programs.acronyms import Definition
from ..sentences.bounds import sentences_of
from .base import RuleComponent


class FactLinker(RuleComponent[PartyRules]):
    """Sets doc._.facts: the links of every span in doc.spans["money"], in table order."""

    rules_file = "parties.yml"
    rules_model = PartyRules

    def load(self, path: Path) -> None:
        self.rules = load_party_rules(path)
        self.rules_text = path.read_text(encoding="utf-8")
        self.setup()

    def setup(self) -> None:
        self.gazetteer = Gazetteer(self.rules)
        assert self.rules.linking is not None  # load_party_rules requires the section
        self.cues = Cues(self.rules.linking)

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        amounts = [
            Amount(s.start_char, s.end_char, s._.amount, s._.currency, s._.amount_high)
            for s in sorted(doc.spans.get("money", []), key=lambda s: (s.start_char, s.end_char))
        ]
        programs = [
            ProgramRef(s.start_char, s.end_char, s._.program_id, self.parties_named(s.text, s._.program_name))
            for s in doc.spans.get("programs", [])
        ]
        dates = [
            Period(s.start_char, s.end_char, s._.date_start, s._.date_end, s._.granularity, s._.relation)
            for s in doc.spans.get("dates", [])
        ]
        title = doc._.title or ""
        context = Context.of(title, self.gazetteer.find(title), self.gazetteer.publisher(doc._.source), self.cues)
        doc._.facts = link_document(
            text, sentences_of(doc).bounds, amounts, sorted(programs, key=lambda p: p.start),
            sorted(dates, key=lambda d: d.start), self.parties(text, doc._.definitions or []), context, self.cues,
        )
        return doc

    def parties_named(self, *names: str | None) -> tuple[str, ...]:
        """The parties a program's names name: `NATO Security Investment Programme` -> NATO."""
        return tuple(dict.fromkeys(party.code for name in names if name for party in self.gazetteer.find(name)))

    def parties(self, text: str, definitions: list[Definition]) -> list[Party]:
        """Every party named in the text, and the acronyms the text defines for one ("Iraqi Security Forces (ISF)"):
        `definitions` are the text's acronym definitions, which extract_programs found (doc._.definitions)."""
        found = self.gazetteer.find(text)
        starts = {party.start: party for party in found}
        aliases: dict[str, str] = {}
        for definition in definitions:
            head = starts.get(definition.long_start)
            if head is not None and head.code != self.gazetteer.code(definition.short):
                aliases.setdefault(definition.short, head.code)
        if not aliases:
            return found
        forms = "|".join(re.escape(form) for form in sorted(aliases, key=len, reverse=True))
        known = [p.start for p in found]
        for match in re.finditer(rf"(?<![\w.])(?:{forms})(?!\w)", text):
            index = bisect_right(known, match.start()) - 1  # the party starting last at or before the match
            if index < 0 or found[index].end <= match.start():
                found.append(Party(match.start(), match.end(), aliases[match.group()], "demonym", match.group()))
        return sorted(found, key=lambda p: (p.start, p.end))


@Language.factory(
    "extract_facts", assigns=["doc._.facts"], requires=["doc.spans"], default_config={"rules_path": None}
)
def make_fact_linker(nlp: Language, name: str, rules_path: str | None) -> FactLinker:
    """Build the facts component from rules/parties.yml (or the file `rules_path` names)."""
    return FactLinker(name, rules_path)
