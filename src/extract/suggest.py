"""`extract suggest`: the programs a folder of texts names that rules/programs.yml does not list yet.

This is the loop users tune the catalog in: run, review the candidates, accept
some, run again. `write_suggestions` adds the chosen candidates to the end of
the catalog's `programs:` list as commented-out entries, so the file stays
valid and nothing takes effect until the user removes the "# " in front of an
entry. The entries are inserted as text at the line ruamel.yaml reports for the
end of the list: every existing comment and blank line stays byte for byte,
which dumping the file back through ruamel would not promise (it re-indents).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from .clean.document import clean_document, count_site_lines
from .clean.read import find_documents, read_document
from .components.programs import ProgramFinder
from .errors import RuleError
from .nlp import make_doc
from .pipeline import Stages
from .programs.catalog import classify
from .programs.rules import ProgramRules
from .rules import load_rule_file, read_yaml
from .tables import Sentences
from .write import write_file


@dataclass
class Candidate:
    """A program found in the texts but not in the catalog."""

    id: str
    name: str
    kind: str
    mentions: int
    documents: int
    sentence: str  # where it is defined, else where it is first named

    def entry(self) -> list[str]:
        """The catalog entry, commented out, with where it was seen."""
        lines = [
            f"  # Suggested by `extract suggest`: {self.mentions} mention(s) in {self.documents} text(s): {' '.join(self.sentence.split())!r}",
            f"  # - id: {quoted(self.id)}",
            f"  #   name: {quoted(self.name)}",
        ]
        if self.kind:
            lines.append(f"  #   kind: {self.kind}")
        return lines


def quoted(value: str) -> str:
    """A YAML scalar that stays a plain string: quoted when it holds YAML's special characters."""
    return f'"{value}"' if any(c in value for c in ":#'\"[]{},&*!|>%@`") or value != value.strip() else value


def candidates_in(docs: Iterable[Doc], rules: ProgramRules) -> list[Candidate]:
    """Candidates from Docs the programs component has run on, most mentioned first."""
    found: dict[str, Candidate] = {}
    seen_in: dict[str, set[int]] = {}
    for number, doc in enumerate(docs):
        sentences = Sentences(doc)
        for span in doc.spans.get("programs", []):
            if span._.in_catalog:
                continue
            key = span._.program_id
            candidate = found.get(key)
            if candidate is None:
                kind = classify(span._.program_name, rules) or ""
                candidate = found[key] = Candidate(key, span._.program_name, kind, 0, 0, sentences.around(span))
            elif "(" in span.text and "(" not in candidate.sentence:
                candidate.sentence = sentences.around(span)  # prefer the defining sentence
            candidate.mentions += 1
            seen_in.setdefault(key, set()).add(number)
    for key, candidate in found.items():
        candidate.documents = len(seen_in[key])
    return sorted(found.values(), key=lambda c: (-c.mentions, c.id))


def suggest(raw: Path, rules_dir: Path | None = None) -> list[Candidate]:
    """Clean and analyse every document under RAW and list the programs the catalog lacks."""
    stages = Stages.load(rules_dir)
    found = find_documents(raw)
    site_lines = count_site_lines(found.documents, found.root, stages.cleaning)

    def docs() -> Iterable[Doc]:
        for path in found.documents:  # cleaned as `extract run` cleans them: HTML, the site's repeated lines
            cleaned = clean_document(read_document(path, found.root), stages.cleaning, site_lines)
            yield stages.nlp(make_doc(stages.nlp, cleaned))

    finder = stages.nlp.get_pipe("extract_programs")
    assert isinstance(finder, ProgramFinder)  # get_pipe is typed as any callable
    return candidates_in(docs(), finder.rules)


def write_suggestions(path: Path, candidates: list[Candidate]) -> list[Candidate]:
    """Add the candidates not yet in the file to the end of its programs list, commented out.

    Returns the ones written. The file is checked afterwards; should it no
    longer load, the original is put back and the error raised.
    """
    original = path.read_text(encoding="utf-8")
    new = [c for c in candidates if f"- id: {quoted(c.id)}\n" not in original]
    if not new:
        return []
    lines = original.splitlines()
    at = end_of_programs(path, lines)
    block = [line for candidate in new for line in candidate.entry()]
    updated = "\n".join(lines[:at] + block + lines[at:]) + "\n"
    write_file(path, updated)
    try:
        load_rule_file(path, ProgramRules)
    except RuleError:
        write_file(path, original)
        raise
    return new


def end_of_programs(path: Path, lines: list[str]) -> int:
    """The index of the line just after the `programs:` list, its commented-out entries included."""
    data = read_yaml(path)
    keys = list(data or {})
    if "programs" not in keys:
        raise RuleError(path, None, "no 'programs:' list to add suggestions to")
    following = keys[keys.index("programs") + 1 :]
    at = data.lc.key(following[0])[0] if following else len(lines)
    while at > 0 and (not lines[at - 1].strip() or lines[at - 1].startswith("#")):
        at -= 1  # blank lines and the next section's column-0 comments belong to the next section
    return at
