"""Programs found by the forms of extract.programs.discover: appositive and lower-case definitions,
law numbers, ids with digits, lower-case names, and names that end in a named word (Deal, Plan)."""
from __future__ import annotations

import pytest
import spacy

from extract.programs.discover import Descriptions, SmallWords, find_forms
from extract.programs.rules import ProgramRules
from extract.rules import load_rule_file

from ..conftest import RULES

CUES = ["program", "programme", "facility", "initiative", "scheme", "fund"]


DESCRIBED = Descriptions(("program", "scheme", "fund", "instrument"), frozenset({"company's", "mutual"}))


SHIPPED = load_rule_file(RULES / "programs.yml", ProgramRules)
SMALL = SmallWords(frozenset(SHIPPED.lowercase.inner), SHIPPED.minor)  # the shipped small words


def forms(text: str) -> list[tuple[str, str, str]]:
    found = find_forms(text, CUES, {"new"}, ["credit facility"], SMALL, DESCRIBED)
    return [(text[f.start:f.end], f.id, f.name) for f in found]


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
        # an id with digits between commas need not spell the name before it
        ("sales under the\nharbour loan guarantee program, HLG-204, the ministry said",
         [("harbour loan guarantee program, HLG-204", "HLG-204", "harbour loan guarantee program")]),
        ("paid under the program, HLG-204, in May", []),  # the program word alone names nothing
        ("guarantees under the hlg-305 program", [("hlg-305 program", "HLG-305", "hlg-305 program")]),
        ("the fy-87 program and the pl-480 program", []),  # a fiscal year; a law number (read as PL 480 only as written)
        # an appositive that describes a program
        ("spend on RAIN-FARM, its flagship cash transfer scheme for growers, in May",
         [("RAIN-FARM", "RAIN-FARM", "RAIN-FARM")]),
        ("money from RenewNordic, the council's recovery instrument.", [("RenewNordic", "RenewNordic", "RenewNordic")]),
        ("Medicover, the federal health program for the elderly, pays", [("Medicover", "Medicover", "Medicover")]),
        ("Fidelity, the company's largest fund, gained", []),  # a not_program word in the appositive
        ("Magellan, the biggest mutual fund, gained", []),
        ("Separately, the fund, which", []),  # no word between the opener and the program word
        ("ISFA runs Invest, a retail brokerage program for banks.", []),  # "a" describes a kind, not which one
        ("redeemed by the Caisse d Amortisement de la Dette Publique, the national debt fund.", []),  # a name's end
        ("Smith, the fund manager, said", []),  # the program word is no head
        ("On Monday, the state's new loan scheme, opened", []),  # a weekday is no name
        # a definition with "or"
        ("The Rural Income Support Scheme, or RISS, paid", [("Rural Income Support Scheme, or RISS", "RISS",
                                                               "Rural Income Support Scheme")]),
        ("Smith, or ABC, said", []),  # one word: no name to spell
        ("The Federal Home Loan Board, or XYZ, lends", []),  # the acronym does not spell the name
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
        # a capitalized name before a lower-case program word, and its plural
        ("Families rent with the Rural Home Voucher program. Congress paid for Rural Home Vouchers.",
         [("Rural Home Voucher", "Rural Home Voucher"), ("Rural Home Vouchers", "Rural Home Voucher")]),
        ("The Commodity Credit Corp program grew. The IMF program ended. The Jet A320 program slipped.", []),
        ("Home State funds went. Home State failed. The Pontiac Central facility and the Pontiac Central plant.", []),
        ("a special European Community (EC) aid program", []),  # the long form is a not-program's name
        ("the European Community's (EC) cheap butter schemes", []),
        ("only 13 Euro-MTN programs exist; Euro-MTN programs grow.", []),  # one word, however hyphenated
        ("He told BBC One's Morning with Jones programme: no.", []),  # named once: a show as much as a program
        ("a gift for its General Election fund. The General Election is near.", []),  # an event (not-program cue)
        ("Growers applied for Rural Freight Assistance.", [("Rural Freight Assistance", "Rural Freight Assistance")]),
        ("The Municipal Assistance Corp sold bonds.", []),  # a named word only at a name's end
        # a definition followed by a lower-case program word, or a few words and one
        ("interest under the Farm Card (FC) scheme. FC holders", [("Farm Card (FC)", "FC"), ("FC", "FC")]),
        ("the Rain Bima Yojana (RBY) crop insurance programme", [("Rain Bima Yojana (RBY)", "RBY")]),
        ("the Acme Widget Holdings (AWH) pension fund", []),  # a blocked name
        # an id with digits counts in a headline too; an appositive id needs no spelling
        ("STATE ADDS HLG-204 GUARANTEES\nunder the harbour loan guarantee program, HLG-204, the ministry said.",
         [("HLG-204", "HLG-204"), ("harbour loan guarantee program, HLG-204", "HLG-204")]),
        # an appositive description, then a definition with "or" naming it in full
        ("Spending on RAIN-FARM, its flagship cash transfer scheme for growers, rose. "
         "The Rural Aid and Income Nidhi for Farmers, or RAIN-FARM, has paid.",
         [("RAIN-FARM", "RAIN-FARM"), ("Rural Aid and Income Nidhi for Farmers, or RAIN-FARM", "RAIN-FARM")]),
        ("The Federal Home Loan Board, or FHLB, lends.", []),  # nothing makes it a program
        # another name given with "known as" counts for the program before the comma
        ("Families rent with the Rural Home Voucher program, the federal rent subsidy better known as Section 9. "
         "Rural Home Vouchers cost more. The average Section 9 subsidy rose.",
         [("Rural Home Voucher", "Rural Home Voucher"), ("Section 9", "Rural Home Voucher"),
          ("Rural Home Vouchers", "Rural Home Voucher"), ("Section 9", "Rural Home Voucher")]),
        ("The Rural Bridge Program, RBP, known as Bridges, pays. Bridges rose.",
         [("Rural Bridge Program, RBP", "RBP"), ("Bridges", "RBP"), ("Bridges", "RBP")]),
        ("The mill, run by a man known as Smith, paid. Smith said no.", []),
    ],
)
def test_component_reads_the_forms(blank, text, expected):
    doc = blank(text)
    assert [(s.text, s._.program_id) for s in doc.spans["programs"]] == expected
    assert all("discovered" in s._.flags and s._.rule for s in doc.spans["programs"])
