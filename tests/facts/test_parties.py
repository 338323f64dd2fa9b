"""Parties: names, demonyms and organizations found in text and normalized; rules/parties.yml checked on load."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import RuleError
from extract.facts.parties import Gazetteer, load_party_rules

from ..conftest import RULES


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer(load_party_rules(RULES / "parties.yml"))


FIND = [
    ("pycountry-name", "Aid to Iraq grew.", [("Iraq", "IRQ", "name")]),
    ("pycountry-common-name", "Syria and Vietnam", [("Syria", "SYR", "name"), ("Vietnam", "VNM", "name")]),
    ("pycountry-short-form-before-comma", "Iran and Bolivia", [("Iran", "IRN", "name"), ("Bolivia", "BOL", "name")]),
    ("ambiguous-short-form-is-left-out", "the Korea talks", []),
    ("demonym", "the Iraqi army", [("Iraqi", "IRQ", "demonym")]),
    ("us-short-forms", "the U.S. and the US", [("U.S.", "USA", "name"), ("US", "USA", "name")]),
    ("possessive", "America\u2019s embassy and NATO's fund",
     [("America", "USA", "possessive"), ("NATO", "NATO", "possessive")]),
    ("washington-as-government", "Washington agreed.", [("Washington", "USA", "name")]),
    ("case-matters", "give it to us", []),
    ("longest-first", "Papua New Guinea", [("Papua New Guinea", "PNG", "name")]),
    ("hyphen-joins-two", "Iraq-US relations", [("Iraq", "IRQ", "name"), ("US", "USA", "name")]),
    ("not-glued-to-a-word", "Iraqistan USAID", []),
    ("organization", "the World Bank and the EU", [("World Bank", "World Bank", "name"), ("EU", "EU", "name")]),
    ("not-parties-block-what-is-inside", "New Jersey", []),
    ("library-lacks-russia", "Russia and Turkey", [("Russia", "RUS", "name"), ("Turkey", "TUR", "name")]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in FIND], ids=[c[0] for c in FIND])
def test_find(gazetteer, text, expected):
    assert [(p.text, p.code, p.form) for p in gazetteer.find(text)] == expected


def test_offsets_point_into_the_text(gazetteer):
    text = "Since 2015, the U.S. provided Iraq with aid."
    assert all(text[p.start : p.end] == p.text for p in gazetteer.find(text))


@pytest.mark.parametrize(("source", "party"), [
    ("U.S. Department of State", "USA"),
    ("U.S. Department of Defense", "USA"),
    ("GOV.UK", "GBR"),
    ("Congressional Research Service", "USA"),
    ("Canada Newswire", None),
    ("GlobalSecurity.org", None),
    ("Reuters", None),
    ("", None),
    (None, None),
])
def test_publisher(gazetteer, source, party):
    assert gazetteer.publisher(source) == party


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "parties.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "line", "message"), [
    ("countries:\n  - code: IRQ\n    demonym: [Iraqi]\n", 3, "unknown key 'demonym'"),
    ("countries:\n  - code: XYZ\n", 2, "'XYZ' is no ISO 3166-1 alpha-3 country code"),
    ("countries:\n  - code: IRQ\n    names: [Baghdad]\n  - code: IRN\n    names: [Baghdad]\n", 4,
     "'Baghdad' is listed for both IRQ and IRN"),
    ("organizations:\n  - id: NATO\n    names: [NATO]\n  - id: EU\n    names: [NATO]\n", 4,
     "'NATO' is listed for both NATO and EU"),
    ("publishers:\n  - name: Daily\n    party: NOPE\n", 3, "'NOPE' is no country code or organization id"),
    ("countries: [\n", 2, "YAML syntax error"),
], ids=["unknown-key", "unknown-code", "form-of-two-countries", "form-of-two-organizations", "unknown-publisher-party",
        "yaml-syntax"])
def test_rule_errors_name_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as caught:
        load_party_rules(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)


def test_linking_words_are_checked_with_file_and_line(tmp_path):
    """A bad pattern in the `linking` word lists names its line; a file without the section says what is missing."""
    packaged = (RULES / "parties.yml").read_text(encoding="utf-8")
    lines = packaged.splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith("  recipient_nouns: ["))
    path = write(tmp_path, packaged.replace("  recipient_nouns: [", "  recipient_nouns: ['need(s', ", 1))
    with pytest.raises(RuleError) as caught:
        load_party_rules(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    path = write(tmp_path, packaged[: packaged.index("\nlinking:")])
    with pytest.raises(RuleError, match="no `linking` section"):
        load_party_rules(path)


def test_the_project_rules_load(gazetteer):
    assert gazetteer.code("Iraqi") == "IRQ" and gazetteer.code("NATO") == "NATO" and gazetteer.code("nowhere") is None
