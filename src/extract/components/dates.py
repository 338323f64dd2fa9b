"""extract_dates: every calendar reference as a span with its first and last day.

The finding and resolving is pure text work in extract.dates (tested without
spaCy); this component runs it on a Doc, with the Doc's published date,
source, site's date order and the spans of the page's own dates (doc._.stamps,
which cleaning marks: a date inside one is no row), and turns each row into a span of
doc.spans["dates"]. The model's DATE entities, when a model ran before it, are
passed as candidates: the patterns miss forms such as `24-Sep-2012` that the
model knows. Without a model (spacy.blank) there are no entities and the
patterns work alone.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..dates.find import find_dates
from ..dates.rules import DateRules
from ..extensions import text_of
from ..sentences.bounds import sentences_of
from .base import RuleComponent


class DateFinder(RuleComponent[DateRules]):
    """Puts one span per date expression in doc.spans["dates"] (rules: rules/dates.yml)."""

    rules_file = "dates.yml"
    rules_model = DateRules

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        candidates = [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "DATE"]
        rows = find_dates(text_of(doc), doc._.published, self.rules, doc._.source, candidates,
                          date_order=doc._.date_order, date_order_rule=doc._.date_order_rule,
                          stamps=doc._.stamps or (), sentences=sentences_of(doc))
        for row in rows:
            span = doc.char_span(row.start_char, row.end_char, label="DATE", alignment_mode="expand")
            if span is None or span.text.strip() != span.text:
                continue
            span._.date_start, span._.date_end = row.date_start, row.date_end
            span._.granularity, span._.relation = row.granularity, row.relation
            span._.rule, span._.flags = row.rule, row.flags
            spans.append(span)
        doc.spans["dates"] = spans
        return doc


@Language.factory("extract_dates", assigns=["doc.spans"], default_config={"rules_path": None})
def make_date_finder(nlp: Language, name: str, rules_path: str | None) -> DateFinder:
    """Build the dates component from rules/dates.yml (or the file `rules_path` names)."""
    return DateFinder(name, rules_path)

