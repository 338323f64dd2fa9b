"""Programs found by the forms of extract.programs.discover: appositive and lower-case definitions,
law numbers, ids with digits, lower-case names, and names that end in a named word (Deal, Plan)."""
from __future__ import annotations

import pytest
import spacy

from extract.programs.discover import find_forms

from ..conftest import RULES

CUES = ["program", "programme", "facility", "initiative", "scheme", "fund"]


def forms(text: str) -> list[tuple[str, str, str]]:
    return [(text[f.start:f.end], f.id, f.name) for f in find_forms(text, CUES, {"new"}, ["credit facility"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Rural Bridge Program, RBP, pays", [("Rural Bridge Program, RBP", "RBP", "Rural Bridge Program")]),
        ("under its bridge credit program, BCP-201, for sales",
         [("bridge credit program, BCP-201", "BCP-201", "bridge credit program")]),
        ("the bridge credit program (bcp) grew", [("bridge credit program (bcp)", "BCP", "bridge credit program")]),
        ("the insurance fund, if any, pays", []),  # between commas only capitals are an acronym
        ("the support program, SAID, pays", []),  # does not spell the name
        ("Public Law 480 and PL-480 and P.L. 480", [("Public Law 480", "PL-480", "Public Law 480"),
                                                  ("PL-480", "PL-480", "Public Law 480"),
                                                  ("P.L. 480", "PL-480", "Public Law 480")]),
        ("the GSM-102 program", [("GSM-102 program", "GSM-102", "GSM-102 program")]),
        ("Section 512 funds and section 512 of the act", [("Section 512 funds", "Section 512", "Section 512")]),
        ("the harbour improvement facility and the harbour improvement facility",
         [("harbour improvement facility", "harbour improvement facility", "harbour improvement facility")] * 2),
        ("the harbour improvement facility, once", []),  # named once: a description as much as a name
        ("the Export Enhancement Program, EEP, pays",  # one initial per letter: not "Enhancement Program"
         [("Export Enhancement Program, EEP", "EEP", "Export Enhancement Program")]),
        ("the ability of the exchange fund and the exchange fund", []),  # small words are no name
        ("the new loan program and the new loan program", []),  # a generic word
        ("the revolving credit facility and the revolving credit facility", []),  # a blocked name
    ],
)
def test_forms(text, expected):
    assert forms(text) == expected


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("extract_programs", config={"rules_path": str(RULES / "programs.yml")})
    return nlp


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Rural Bridge Program, RBP, pays. RBP money came.",
         [("Rural Bridge Program, RBP", "RBP"), ("RBP", "RBP")]),  # the definition is one mention
        ("the bridge credit program (bcp) grew. The bcp pays.", [("bridge credit program (bcp)", "BCP"), ("bcp", "BCP")]),
        ("U.S. EXTENDS HARBOUR IMPROVEMENT FACILITY\nFunds for the harbour improvement facility rose.",
         [("HARBOUR IMPROVEMENT FACILITY", "harbour improvement facility"),
          ("harbour improvement facility", "harbour improvement facility")]),
        ("The Harbour Deal paid. Families get Child Allowance.", [("Harbour Deal", "Harbour Deal"), ("Child Allowance", "Child Allowance")]),
        ("The Farm Credit System lent more. Plan International helped.", []),  # a named word only at a name's end
        ("Ford Motor Credit lent more. TUC Plans to shed jobs.", []),  # "Tax Credit", not "Credit"; singular only
        ("Families claim the Earned Income Tax Credit.", [("Earned Income Tax Credit", "Earned Income Tax Credit")]),
        ("Food under Public Law 480 and the PL-480 program.", [("Public Law 480", "PL-480"), ("PL-480", "PL-480")]),
    ],
)
def test_component_reads_the_forms(blank, text, expected):
    doc = blank(text)
    assert [(s.text, s._.program_id) for s in doc.spans["programs"]] == expected
    assert all("discovered" in s._.flags and s._.rule for s in doc.spans["programs"])
