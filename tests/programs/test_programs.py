"""Programs: Schwartz-Hearst definitions, catalog matching, discovery, exclusions, and the hand labels."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import spacy
from ruamel.yaml import YAML

from extract.clean.document import clean_text
from extract.clean.rules import load_cleaning_rules
from extract.errors import RuleError
from extract.nlp import drop_emoticons
from extract.programs.acronyms import find_definitions, spells
from extract.programs.catalog import classify
from extract.programs.names import is_acronym, matches_as_written, variants
from extract.programs.rules import ProgramRules
from extract.rules import load_rule_file

from ..conftest import FIXTURES, RAW, ROOT, RULES

RULES_FILE = RULES / "programs.yml"
MINOR = load_rule_file(RULES_FILE, ProgramRules).minor  # the shipped minor_words


# ---- Schwartz-Hearst ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1.25 billion in Foreign Military Financing (FMF) to improve", [("FMF", "Foreign Military Financing")]),
        ("under the MSI (Maritime Security Initiative) in 2016", [("MSI", "Maritime Security Initiative")]),
        ("the Bureau of Political-Military Affairs’ Office of Weapons Removal and Abatement (PM/WRA) has",
         [("PM/WRA", "Political-Military Affairs’ Office of Weapons Removal and Abatement")]),
        ("The NATO Training Mission-Iraq (NTM-I) is established", [("NTM-I", "NATO Training Mission-Iraq")]),
        ("Office of Security Cooperation–Iraq [OSC-I]", [("OSC-I", "Office of Security Cooperation–Iraq")]),
        ("funds (the Iraq Train and Equip Fund (ITEF)) went", [("ITEF", "Iraq Train and Equip Fund")]),
        ("the Islamic State (IS, formerly ISIS) fell", [("IS", "Islamic State")]),
        ("the Partnership for Peace (PfP) programme", [("PfP", "Partnership for Peace")]),
        ("the Global Fund 2 Initiative (GF2I) pays", [("GF2I", "Global Fund 2 Initiative")]),
        ("the EU Training Mission in Mali (EUTM Mali) and", [("EUTM Mali", "EU Training Mission in Mali")]),
        ("Iraqi Security Forces’ (ISF), including", [("ISF", "Iraqi Security Forces")]),
        ("the Aviation Security Assistance (ASA) program", [("ASA", "Aviation Security Assistance")]),
        ("trained 350 officers (in 2016) and", []),
        ("as the ministry said (see below) on", []),
        ("Foreign Military Sales (XYZ) cases", []),
        ("Sales. (FMS) cases", []),
    ],
    ids=[
        "long-first", "short-first", "slash", "hyphen-letter", "square-brackets", "nested-brackets",
        "comma-inside", "mixed-case", "digits", "two-word-short-form", "possessive-before-bracket", "initials",
        "a-year-is-no-acronym", "words-are-no-acronym", "letters-must-match", "no-long-form-across-sentences",
    ],
)
def test_definitions(text, expected):
    found = find_definitions(text, MINOR)
    assert [(d.short, d.long) for d in found] == expected
    for d in found:
        assert text[d.short_start : d.short_end] == d.short and text[d.long_start : d.long_end] == d.long


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        ("CBF", "Coastal Boat Fund", True),
        ("PBF", "Peacebuilding Fund", True),  # one letter from inside a word
        ("RTCP", "Regional Training and Cooperation Program", True),  # small words have no letter
        ("CF", "Coastal Boat Fund", False),  # a word's initial is missing
        ("HIV", "Health Initiative", False),  # does not end with the last word's initial
        ("FCB", "Coastal Boat Fund", False),  # letters out of order
        ("CBTXF", "Coastal Boat Fund", False),  # two letters more than the initials
        ("BF", "Coastal Boat Fund", False),  # does not reach the first word
    ],
    ids=["initials", "letter-inside-word", "small-words", "missing-initial", "wrong-last-letter", "out-of-order",
         "too-many-letters", "too-short"],
)
def test_an_undefined_acronym_spells_a_name(short, long, expected):
    assert spells(short, long, MINOR) is expected


# ---- classification ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Global Peace Operations Initiative", "initiative"),
        ("Science for Peace and Security Programme", "program"),
        ("Coalition Support Funds", "fund"),
        ("NATO Training Mission in Iraq", "mission"),
        ("Office of Weapons Removal and Abatement", None),
        ("MANPADS Task Force", None),
        ("Africa Peacekeeping Task Force", None),
        ("Combined Joint Operation Inherent Resolve", None),
        ("Joint Security Cooperation Dialogue", None),
        ("Strategic Framework Agreement", None),
        ("International Monetary Fund", None),
        ("Iraqi Security Forces", None),
    ],
)
def test_classify(name, kind):
    rules = load_rule_file(RULES_FILE, ProgramRules)
    assert classify(name, rules) == kind


@pytest.mark.parametrize(
    ("name", "acronym", "forms"),
    [
        ("FMF", True, ["FMF", "FMFs"]),
        ("NTM-I", True, ["NTM-I", "NTM-Is"]),
        ("PfP", True, ["PfP", "PfPs"]),
        ("EUTM Mali", True, ["EUTM Mali"]),
        ("DCB Initiative", True, ["DCB Initiative"]),
        ("Athena", False, ["Athena", "Athenas"]),
        ("Counter-ISIS Train and Equip Fund", False, ["Counter-ISIS Train and Equip Fund", "Counter-ISIS Train and Equip Funds"]),
        ("European Peace Facility", False, ["European Peace Facility", "European Peace Facilities"]),
        ("Excess Defense Articles", False, ["Excess Defense Articles"]),
        ("Athena mechanism", False, ["Athena mechanism"]),
    ],
)
def test_acronyms_and_name_forms(name, acronym, forms):
    assert is_acronym(name) is acronym
    assert variants(name) == forms


@pytest.mark.parametrize(
    ("name", "as_written"),
    [
        ("FMF", True),
        ("EUTM Mali", True),
        ("Section 333", True),
        ("Section 1206", True),
        ("Section 505", True),
        ("Title 10", True),
        ("Section 333 Authority to Build Capacity", False),
        ("10 U.S.C. 333", False),
        ("Athena", False),
        ("Foreign Military Financing", False),
        ("Global Fund 2 Initiative", False),
    ],
    ids=[
        "acronym", "two-word-acronym", "word-and-number", "word-and-four-digits", "another-section", "title",
        "longer-name-with-number", "code-citation", "one-word", "long-name", "number-inside-long-name",
    ],
)
def test_which_names_match_only_as_written(name, as_written):
    """Acronyms and a common word with a number ("Section 333") match case-sensitively; other names in any case."""
    assert matches_as_written(name) is as_written


# ---- the component on a blank pipeline --------------------------------------


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("extract_programs", config={"rules_path": str(RULES_FILE)})
    return nlp


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # catalog matching
        ("Iraq got FMF and fmf and FMFX.", [("FMF", "FMF", True)]),
        ("The FMF's terms and two FMFs.", [("FMF", "FMF", True), ("FMFs", "FMF", True)]),
        ("foreign military financing grants", [("foreign military financing", "FMF", True)]),
        ("Coalition Support Funds and the Counter-ISIS Train and Equip Funds", [("Coalition Support Funds", "CSF", True), ("Counter-ISIS Train and Equip Funds", "CTEF", True)]),
        ("the Partnership for Peace's members", [("Partnership for Peace", "PfP", True)]),
        ("NTM-I staff, not NTM-Iraq", [("NTM-I", "NTM-I", True)]),
        ("USAI-funded boats", [("USAI", "USAI", True)]),
        ("E-IMET courses and IMET courses", [("E-IMET", "E-IMET", True), ("IMET", "IMET", True)]),
        ("Iraq got Foreign Military\nFinancing grants.", [("Foreign Military\nFinancing", "FMF", True)]),
        ("SENATE BACKS FMF FOR ISRAEL\nThe FMF money", [("FMF", "FMF", True)]),
        ("ICI shares rose; CAP reform stalled.", []),
        ("the Istanbul Cooperation Initiative and ICI talks", [("Istanbul Cooperation Initiative", "ICI", True), ("ICI", "ICI", True)]),
        ("Foreign Military Sales (FMS) and FMS cases", [("Foreign Military Sales (FMS)", "FMS", True), ("FMS", "FMS", True)]),
        ("FMS (Foreign Military Sales) cases", [("FMS (Foreign Military Sales)", "FMS", True)]),
        ("Defence and Related Security Capacity Building (DCB) Initiative and the DCB Initiative",
         [("Defence and Related Security Capacity Building (DCB) Initiative", "DCB", True), ("DCB Initiative", "DCB", True)]),
        ("the Foreign Military Finance (FMF) account", [("Foreign Military Finance (FMF)", "FMF", True)]),
        ("the Expanded International Military Education and Training (EIMET) and EIMET",
         [("Expanded International Military Education and Training (EIMET)", "E-IMET", True), ("EIMET", "E-IMET", True)]),
        # discovery
        ("The new GSCF rules. The Global Security Contingency Fund (GSCF) pays; GSCF grants.",
         [("GSCF", "GSCF", False), ("Global Security Contingency Fund (GSCF)", "GSCF", False), ("GSCF", "GSCF", False)]),
        ("the GSCF (Global Security Contingency Fund) and the global security contingency fund",
         [("GSCF (Global Security Contingency Fund)", "GSCF", False), ("global security contingency fund", "GSCF", False)]),
        ("the Political-Military Weapons Removal Program (PM/WRP) and PM/WRP", [("Political-Military Weapons Removal Program (PM/WRP)", "PM/WRP", False), ("PM/WRP", "PM/WRP", False)]),
        ("the Balkan Training Mission-Kosovo (BTM-K) and BTM-K staff", [("Balkan Training Mission-Kosovo (BTM-K)", "BTM-K", False), ("BTM-K", "BTM-K", False)]),
        ("the Sahel 5 Fund (S5F) and S5F", [("Sahel 5 Fund (S5F)", "S5F", False), ("S5F", "S5F", False)]),
        ("money (the Iraq Border Fund (IBF)) and IBF", [("Iraq Border Fund (IBF)", "IBF", False), ("IBF", "IBF", False)]),
        ("Through the Gulf Maritime Initiative, ships. The Gulf Maritime Initiative ended.",
         [("Gulf Maritime Initiative", "Gulf Maritime Initiative", False), ("Gulf Maritime Initiative", "Gulf Maritime Initiative", False)]),
        ("A Gulf Maritime Partnership Program. The US-Gulf Maritime Partnership Program ended.",
         [("Gulf Maritime Partnership Program", "Gulf Maritime Partnership Program", False), ("US-Gulf Maritime Partnership Program", "Gulf Maritime Partnership Program", False)]),
        ("the Aviation Security Assistance (ASA) program and ASA", [("Aviation Security Assistance (ASA)", "ASA", False), ("ASA", "ASA", False)]),
        # exclusions: never programs
        ("the Office of Weapons Removal and Abatement (PM/WRA) and PM/WRA", []),
        ("the MANPADS Task Force and the Africa Peacekeeping Task Force", []),
        ("The Joint Security Cooperation Dialogue and the Strategic Framework Agreement (SFA)", []),
        ("the United Nations, International Monetary Fund, World Bank", []),
        ("The US Mission in Iraq and U.S. Mission staff", []),
        ("US security assistance programs and exchange programs", []),
        ("the Combined Joint Operation Inherent Resolve", []),
        ("the Iraqi Security Forces (ISF) and ISF", []),
        ("the European Defence Agency (EDA) said EDA staff", []),
        ("the Enhanced Defense Aid (EDA) program, EDA, and Excess Defense Articles",
         [("Enhanced Defense Aid (EDA)", "EDA", False), ("EDA", "EDA", False), ("Excess Defense Articles", "EDA", True)]),
        ("a regional training fund (RTF) and RTF", []),
        ("the OKC Limited Partnership and the Franklin Gulf Income Fund", []),
        ("THE GULF SECURITY FUND SAID\nit would", []),
        ("a DTTI task force", [("DTTI", "DTTI", True)]),
        # names at the start of a list item, and acronyms the text never defines
        ("Pledges:\n- Peacebuilding Fund: $4 million for Liberia.", [("Peacebuilding Fund", "PBF", True)]),
        ("Pledges:\n- Gulf Coast Training Fund: $3 million.", [("Gulf Coast Training Fund", "Gulf Coast Training Fund", False)]),
        ("The Peacebuilding Fund grew, and PBF grants reached Liberia.",
         [("Peacebuilding Fund", "PBF", True), ("PBF", "PBF", True)]),
        ("PBF shares fell and the UAF shelled a bridge.", []),
        ("the Pacific Patrol Boat Programme ended", [("Pacific Patrol Boat Programme", "PPBP", True)]),
        ("whether Section 333 money can buy radars", [("Section 333", "Section 333", True)]),
        ("section 333 of the Companies Act and Section 333 funds", [("Section 333", "Section 333", True)]),
        ("SECTION 333 OF THE ACT\nIt amends section 333 of the code.", []),
        ("under 10 U.S.C. 333, the Section 333 program", [("10 U.S.C. 333", "Section 333", True), ("Section 333", "Section 333", True)]),
        ("the Trans-Pacific Partnership (TPP) talks and TPP tariffs", []),
        ("CBF grants went to Fiji. The Coastal Boat Fund grew.",
         [("CBF", "CBF", False), ("Coastal Boat Fund", "CBF", False)]),
        ("The Coastal Boat Fund, CBF and CBTF.", [("Coastal Boat Fund", "Coastal Boat Fund", False)]),
        ("The Global Health Initiative treats HIV.", [("Global Health Initiative", "Global Health Initiative", False)]),
    ],
    ids=[
        "acronym-case-and-whole-word", "acronym-possessive-and-plural", "name-any-case", "name-plural",
        "name-possessive", "hyphenated-acronym", "acronym-in-compound", "inside-longer-catalog-name",
        "name-across-line-break", "no-acronym-in-shouted-headline", "ambiguous-acronym-alone",
        "ambiguous-acronym-beside-full-name",
        "definition-is-one-mention", "definition-short-first", "definition-then-cue-word",
        "definition-spelling-variant", "definition-adds-local-acronym",
        "discovered-everywhere-in-text", "discovered-short-first", "discovered-slash", "discovered-hyphen",
        "discovered-digits", "discovered-nested", "discovered-cue-name", "discovered-longer-name", "discovered-by-trailing-program",
        "office-with-slash", "task-forces", "dialogue-and-agreement", "organization-named-fund",
        "embassy-mission", "generic-phrases", "operation", "forces", "acronym-redefined-in-text", "acronym-redefined-as-new-program", "description-is-no-name", "investment-vehicles", "capitals-are-no-name",
        "program-inside-body",
        "catalog-name-starts-list-item", "discovered-name-starts-list-item", "undefined-acronym-beside-full-name",
        "ambiguous-acronyms-alone", "programme-spelling-alias", "name-with-digits", "word-and-number-only-as-written", "word-and-number-not-in-capitals",
        "word-and-number-beside-code-citation", "agreement-acronym-is-no-program",
        "undefined-acronym-of-discovered-name", "two-acronyms-for-one-name-link-neither", "acronym-that-does-not-spell",
    ],
)
def test_component(blank, text, expected):
    doc = blank(text)
    assert [(s.text, s._.program_id, s._.in_catalog) for s in doc.spans["programs"]] == expected
    assert all(s.label_ == "PROGRAM" for s in doc.spans["programs"])


def test_any_catalog_name_of_a_word_and_a_number_matches_only_as_written(tmp_path):
    """Not a special case for Section 333: a program an editor adds ("Section 1206") behaves the same."""
    text = RULES_FILE.read_text(encoding="utf-8")
    rules = tmp_path / "programs.yml"
    entry = "  - id: Section 1206\n    name: Section 1206 Global Train and Equip\n    aliases: [Global Train and Equip]\n"
    rules.write_text(text.replace("\nprograms:\n", "\nprograms:\n" + entry, 1), encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("extract_programs", config={"rules_path": str(rules)})
    doc = nlp("Section 1206 money; under section 1206 of the tax code; global train and equip cases.")
    assert [(s.text, s._.program_id) for s in doc.spans["programs"]] == [
        ("Section 1206", "Section 1206"), ("global train and equip", "Section 1206"),
    ]


def extended(tmp_path: Path, section: tuple[str, ...], word: str) -> Path:
    """The shipped rules/programs.yml with one more word in the list at `section`, as an editor would add it."""
    yaml = YAML()
    data = yaml.load(RULES_FILE)
    words = data
    for key in section:
        words = words[key]
    words.append(word)
    path = tmp_path / "programs.yml"
    yaml.dump(data, path)
    return path


@pytest.mark.parametrize(
    ("section", "word", "text", "shipped", "edited"),
    [
        # a preposition ends a name's head: the office decides, and "Peace Fund" is no name of its own
        (("prepositions",), "through", "The Office through Peace Fund paid.", [("Peace Fund", "Peace Fund")], []),
        # a minor word gives no initial: SHF spells "Support against Hunger Fund"
        (("minor_words",), "against", "The Support against Hunger Fund pays farmers. SHF money arrived in May.",
         [("Support against Hunger Fund", "Support against Hunger Fund")],
         [("Support against Hunger Fund", "SHF"), ("SHF", "SHF")]),
        # an inner word may stand inside a lower-case name
        (("lowercase", "inner"), "to", "It runs the food to school program. Under the food to school program, pupils eat.",
         [], [("food to school program", "food to school program")] * 2),
    ],
    ids=["preposition", "minor-word", "inner-word"],
)
def test_an_extended_small_word_list_takes_effect(tmp_path, section, word, text, shipped, edited):
    for rules, expected in ((RULES_FILE, shipped), (extended(tmp_path, section, word), edited)):
        nlp = spacy.blank("en")
        nlp.add_pipe("extract_programs", config={"rules_path": str(rules)})
        doc = nlp(text)
        assert [(s.text, s._.program_id) for s in doc.spans["programs"]] == expected, rules


HEADER = "cues:\n  program: {Fund: fund}\n  not_program: []\nprepositions: [of]\nminor_words: [of]\n"  # the required keys


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("programs:\n  - id: FMF\n    name: A\n  - id: FMF\n    name: B\n", "program id 'FMF' is listed twice"),
        ("not_programs: [DSCA]\nprograms:\n  - id: DSCA\n    name: A\n", "'DSCA' is listed both under programs and under not_programs"),
        ("programs:\n  - id: FMF\n    name: A\n    kindd: fund\n", "9: unknown key 'kindd'"),
    ],
    ids=["duplicate-id", "program-and-not-program", "typo"],
)
def test_catalog_mistakes_are_rule_errors(tmp_path, body, message):
    path = tmp_path / "programs.yml"
    path.write_text(f"{HEADER}{body}", encoding="utf-8")
    with pytest.raises(RuleError, match=message) as caught:
        load_rule_file(path, ProgramRules)
    assert str(caught.value).startswith(f"{path}:")


# ---- the hand labels --------------------------------------------------------


def labeled() -> list[tuple[Path, Path]]:
    pairs = [(RAW / f"{p.stem}.txt", p) for p in sorted((ROOT / "tests" / "expected").glob("*.yml"))]
    pairs += [(FIXTURES / "texts" / f"{p.stem}.txt", p) for p in sorted((FIXTURES / "expected").glob("*.yml"))]
    return pairs


@pytest.mark.parametrize(("text_path", "label_path"), labeled(), ids=[p.stem for _, p in labeled()])
def test_programs_and_mentions_match_the_hand_labels(nlp, text_path, label_path):
    """Every program a careful reader finds, with its mention count, and nothing else."""
    label = YAML(typ="safe").load(label_path.read_text(encoding="utf-8"))
    expected = {str(p["id"]): p["mentions"] for p in label["programs"] or []}
    cleaned = clean_text(text_path.read_text(encoding="utf-8"), load_cleaning_rules(RULES))
    doc = nlp(cleaned.text)
    assert dict(Counter(s._.program_id for s in doc.spans["programs"])) == expected


def test_discovery_alone_finds_no_false_program(tmp_path):
    """With an empty catalog, every discovered program is one the hand labels name, with their count."""
    text = RULES_FILE.read_text(encoding="utf-8")
    rules = tmp_path / "programs.yml"
    rules.write_text(text[: text.index("\nprograms:\n")] + "\nprograms: []\n", encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("extract_programs", config={"rules_path": str(rules)})
    cleaning = load_cleaning_rules(RULES)
    discovered = 0
    for text_path, label_path in labeled():
        label = YAML(typ="safe").load(label_path.read_text(encoding="utf-8"))
        expected = {str(p["id"]).lower(): p["mentions"] for p in label["programs"] or []}
        expected.update({p["name"].lower(): p["mentions"] for p in label["programs"] or []})
        doc = nlp(clean_text(text_path.read_text(encoding="utf-8"), cleaning).text)
        counts = Counter((s._.program_id.lower(), s._.program_name.lower()) for s in doc.spans["programs"])
        for (program_id, name), count in counts.items():
            named = [k for k in expected if k in (program_id, name) or k.endswith(" " + name)]
            assert named, f"{text_path.stem}: {name!r} is not a program"
            assert count == expected[named[0]], f"{text_path.stem}: {name!r}"
        discovered += len(counts)
    assert discovered >= 15, "every labeled program with a cue word, or a defined acronym that reads as one"


def test_a_saved_pipeline_gives_the_same_spans(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("extract_programs", config={"rules_path": str(RULES_FILE)})
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    text = "The Global Security Contingency Fund (GSCF) and FMF."
    saved, fresh = loaded(text), nlp(text)
    spans = [(s.text, s._.program_id, s._.in_catalog) for s in saved.spans["programs"]]
    assert spans == [(s.text, s._.program_id, s._.in_catalog) for s in fresh.spans["programs"]]
    assert spans == [("Global Security Contingency Fund (GSCF)", "GSCF", False), ("FMF", "FMF", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- Coastal Boat Program (CBP): $3 million.", [("Coastal Boat Program (CBP)", "CBP")]),
        ("Pledges (FMF): $5 million.", [("FMF", "FMF")]),
    ],
    ids=["definition-before-colon", "acronym-before-colon"],
)
def test_a_span_ending_at_a_bracket_leaves_the_colon_out(text, expected):
    """spaCy's emoticon exception keeps "):" whole; the pipeline drops it (extract.nlp.drop_emoticons)."""
    nlp = spacy.blank("en")
    drop_emoticons(nlp)
    nlp.add_pipe("extract_programs", config={"rules_path": str(RULES_FILE)})
    doc = nlp(text)
    assert [(s.text, s._.program_id) for s in doc.spans["programs"]] == expected
