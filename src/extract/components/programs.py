"""extract_programs: find the security assistance programs a text names.

The catalog in rules/programs.yml lists each program's id, full name and
aliases; acronyms match case-sensitively and whole-word, names
case-insensitively.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..rules import Strict
from .base import RuleComponent


class Program(Strict):
    """One catalog entry."""

    id: str  # the usual acronym, upper case; a short name where there is none
    name: str  # the full name
    aliases: list[str] = []  # other names and spellings
    kind: str = ""  # financing, sales, training, fund, mission, initiative, ...
    country: str = ""  # the country or organization that runs it


class ProgramRules(Strict):
    """rules/programs.yml."""

    programs: list[Program]
    not_programs: list[str] = []  # names that are never programs


class ProgramFinder(RuleComponent[ProgramRules]):
    """Matches catalog names and acronyms with two PhraseMatchers."""

    rules_file = "programs.yml"
    rules_model = ProgramRules

    def __init__(self, nlp: Language, name: str, rules_path: str | None) -> None:
        self.nlp = nlp
        super().__init__(name, rules_path)

    def setup(self) -> None:
        self.by_key = {p.id: p for p in self.rules.programs}
        self.acronyms = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.names = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for program in self.rules.programs:
            self.acronyms.add(program.id, [self.nlp.make_doc(program.id)])
            self.names.add(program.id, [self.nlp.make_doc(n) for n in [program.name, *program.aliases]])

    def __call__(self, doc: Doc) -> Doc:
        matches = {(start, end): key for key, start, end in self.acronyms(doc) + self.names(doc)}
        spans = filter_spans([Span(doc, start, end, label="PROGRAM") for start, end in matches])
        for span in spans:
            program = self.by_key[self.nlp.vocab.strings[matches[span.start, span.end]]]
            span._.program_id, span._.program_name, span._.in_catalog = program.id, program.name, True
        doc.spans["programs"] = sorted(spans, key=lambda s: s.start)
        return doc


@Language.factory("extract_programs", assigns=["doc.spans"], default_config={"rules_path": None})
def make_program_finder(nlp: Language, name: str, rules_path: str | None) -> ProgramFinder:
    """Build the programs component from rules/programs.yml (or the file `rules_path` names)."""
    return ProgramFinder(nlp, name, rules_path)
