"""What every rule component shares: its rules file, loaded, validated and saved with the pipeline.

Following spaCy's SpanRuler, rules travel with the pipeline: `nlp.to_disk()`
writes each component's rule file beside its config, and `spacy.load()` reads
that copy back, so a saved pipeline gives the same tables without rules/.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from ..rules import default_rules_dir, load_rule_file

Rules = TypeVar("Rules", bound=BaseModel)


class RuleComponent(Generic[Rules]):
    """Base for components configured by one rules/*.yml file."""

    rules_file: ClassVar[str]
    rules_model: type[Rules]  # set on the class; not a ClassVar, which may not hold a type variable

    def __init__(self, name: str, rules_path: str | None) -> None:
        self.name = name
        path = Path(rules_path) if rules_path else default_rules_dir() / self.rules_file
        # spacy.load() of a saved pipeline builds the component first and then
        # from_disk() reads the saved copy of the rules: the original file may be
        # gone by then. load_pipeline() checks that the files it names exist.
        if path.is_file():
            self.load(path)

    def load(self, path: Path) -> None:
        """Validate the rule file and rebuild whatever the component derives from it."""
        self.rules: Rules = load_rule_file(path, self.rules_model)
        self.rules_text = path.read_text(encoding="utf-8")
        self.setup()

    def setup(self) -> None:
        """Build matchers and lookup tables from self.rules; subclasses override."""

    def to_disk(self, path: str | Path, *, exclude: Any = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / self.rules_file).write_text(self.rules_text, encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Any = ()) -> RuleComponent[Rules]:
        self.load(Path(path) / self.rules_file)
        return self
