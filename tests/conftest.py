"""Shared fixtures: the pipeline (loaded once), paths, and one run over raw/."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from spacy.language import Language

import extract
from extract.clean.rules import CleaningRules, load_cleaning_rules
from extract.pipeline import Summary

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
RULES = ROOT / "rules"
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


def shared(*parts: str) -> Path:
    """A folder of ../shared that tests read in place.

    Called at collection time: when the folder is missing or empty, the test
    module fails to collect with a message naming it, instead of its tests
    being parametrized over no files and silently vanishing from the count.
    """
    folder = SHARED.joinpath(*parts)
    if not folder.is_dir() or not any(folder.iterdir()):
        pytest.fail(f"../shared/{'/'.join(parts)} is missing or empty (looked for {folder}): these tests read it "
                    "in place, next to the repository", pytrace=False)
    return folder


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The full pipeline with the project's rules; loading the model once keeps tests fast."""
    return extract.load_pipeline(RULES)


@pytest.fixture(scope="session")
def raw_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Summary]:
    """The tables of one run over raw/, shared by the tests that only read them."""
    out = tmp_path_factory.mktemp("out")
    return out, extract.run(RAW, out, RULES)


@pytest.fixture(scope="session")
def rules() -> CleaningRules:
    """The project's rules/cleaning.yml, for the cleaning tests."""
    return load_cleaning_rules(RULES)


def reasons(result) -> dict[str, str]:
    """Each dropped line of a cleaning result, with why it was dropped."""
    return {line.text: line.why for line in result.lines if line.why}


def refuse_to_read(monkeypatch: pytest.MonkeyPatch, folder_name: str) -> None:
    """Make every folder called `folder_name` unreadable, as a folder without read permission is
    (a test run as root can read any folder, so permissions alone cannot make one)."""
    scandir = os.scandir

    def refusing(path: str | os.PathLike[str] = ".") -> object:
        if isinstance(path, (str, os.PathLike)) and Path(path).name == folder_name:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)


def add_program(rules: Path, program_id: str, name: str) -> None:
    """Edit rules/programs.yml the way a user tuning rules would: one more catalog entry."""
    yaml = YAML()
    path = rules / "programs.yml"
    catalog = yaml.load(path)
    catalog["programs"].append({"id": program_id, "name": name})
    yaml.dump(catalog, path)


def add_sentence_word(rules: Path, key: str, word: str) -> None:
    """Edit rules/sentences.yml the way a user would: one more word in its list `key` (titles, abbreviations)."""
    yaml = YAML()
    path = rules / "sentences.yml"
    data = yaml.load(path)
    data[key].append(word)
    yaml.dump(data, path)
