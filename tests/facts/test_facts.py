"""The linker on invented sentences: which program, period, recipient and provider each amount gets.

Each case marks the spans the earlier stages would have found: [money],
{program} (the id is the text, or the acronym in its brackets) and <date> (its
year, when it has one, is the period; else 2000). Parties are found by the
project's rules/parties.yml and pycountry, as in a run. A sentence ends at a
full stop after a small letter or digit, before a capital.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal

import pytest

from extract.facts.linking import Amount, Context, Cues, Fact, Period, ProgramRef, link_document
from extract.facts.parties import Gazetteer, load_party_rules
from extract.sentences.bounds import Sentences, default_abbreviations

from ..conftest import RULES

MARK = re.compile(r"\[(?P<money>[^\]]+)\]|\{(?P<program>[^}]+)\}|<(?P<date>[^>]+)>")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer(load_party_rules(RULES / "parties.yml"))


def parse(marked: str) -> tuple[str, list[Amount], list[ProgramRef], list[Period]]:
    """The plain text and the spans its marks stand for."""
    text, amounts, programs, dates = "", [], [], []
    cursor = 0
    for match in MARK.finditer(marked):
        text += marked[cursor : match.start()]
        inner = next(group for group in match.groups() if group)
        start, end = len(text), len(text) + len(inner)
        text += inner
        cursor = match.end()
        if match.group("money"):
            number = Decimal(re.search(r"\d+(?:\.\d+)?", inner).group())
            amounts.append(Amount(start, end, number, "USD"))
        elif match.group("program"):
            acronym = re.search(r"\(([^)]+)\)", inner)
            programs.append(ProgramRef(start, end, acronym.group(1) if acronym else inner))
        else:
            year = re.search(r"\d{4}", inner)
            first = int(year.group()) if year else 2000
            relation = "before" if inner.startswith("before") else None
            dates.append(Period(start, end, dt.date(first, 1, 1), dt.date(first, 12, 31), "year", relation))
    return text + marked[cursor:], amounts, programs, dates


def link(gazetteer: Gazetteer, marked: str, title: str = "", publisher: str | None = None) -> tuple[str, list[Fact]]:
    text, amounts, programs, dates = parse(marked)
    programs = [replace(p, parties=tuple(party.code for party in gazetteer.find(text[p.start : p.end]))) for p in programs]
    sentences = Sentences.of_text(text, default_abbreviations()).bounds
    cues = Cues(gazetteer.rules.linking)
    context = Context.of(title, gazetteer.find(title), publisher, cues)
    return text, link_document(text, sentences, amounts, programs, dates, gazetteer.find(text), context, cues)


def summary(text: str, fact: Fact) -> tuple[str, str, str, str]:
    """(programs, the period's text, recipient, provider), empty strings for none."""
    period = text[fact.period.start : fact.period.end] if fact.period else ""
    return ";".join(fact.program_ids), period, fact.recipient or "", fact.provider or ""


CASES = [
    ("preposition-in-program", "Since <2015>, the U.S. provided Iraq with [$1.25 billion] in {FMF}.",
     [("FMF", "2015", "IRQ", "USA")]),
    ("program-before-amount", "Iraq signed an {FMS} purchase worth [$550 million].", [("FMS", "", "IRQ", "")]),
    ("two-joined-dates-make-one-period", "Iraq borrowed [$3.4 billion] via {FMF} loans in <FY2016> and <FY2017>.",
     [("FMF", "FY2016 and FY2017", "IRQ", "")]),
    ("each-amount-its-own-program",
     "Congress approved [$1.3 billion] for Jordan, including [$425 million] in {FMF} and [$4 million] for {IMET}.",
     [("", "", "JOR", "USA"), ("FMF", "", "JOR", "USA"), ("IMET", "", "JOR", "USA")]),
    ("respectively-pairs-in-order", "In <2020> and <2021>, Egypt received [$1.3 billion] and [$1.2 billion], respectively.",
     [("", "2020", "EGY", ""), ("", "2021", "EGY", "")]),
    ("comparison-keeps-its-own-date", "US exports to Chile reached [$2 billion] in <2012>, up from [$1 billion] in <2011>.",
     [("", "2012", "CHL", "USA"), ("", "2011", "CHL", "USA")]),
    ("partitive-inherits-parties", "Canada gave [$50 million] to Ukraine, of which [$15 million] is for fuel.",
     [("", "", "UKR", "CAN"), ("", "", "UKR", "CAN")]),
    ("date-of-another-event-is-not-the-period", "The fund, created in <2004>, gave Kenya [$5 million] <last year>.",
     [("", "last year", "KEN", "")]),
    ("date-in-brackets-is-not-the-period", "US exports to Chad were [$3 million] (a rise over <2010>).",
     [("", "", "TCD", "USA")]),
    ("announcement-date-is-the-period", "Norway <today> announced [$20 million] for Somalia.",
     [("", "today", "SOM", "NOR")]),
    ("speech-date-is-not-the-period", "Norway said on <Monday> it would give [$20 million] to Somalia.",
     [("", "", "SOM", "NOR")]),
    ("date-after-compared-with-is-the-other-sides", "Since <2002> India has signed US defence contracts worth "
     "[$15 billion], compared with almost nothing in <the 1990s>.", [("", "2002", "IND", "USA")]),
    ("a-deadline-after-signed-is-the-period", "The deals worth [$2 billion] could be signed <before March 2018>.",
     [("", "before March 2018", "", "")]),
    ("conversion-shares-the-zone", "{PBF}: [JPY 3 billion] ([approximately US$27 million]) pledged since <2006>.",
     [("PBF", "2006", "", ""), ("PBF", "2006", "", "")]),
    ("a-new-main-clause-has-its-own-program",
     "The {EPF} repays members, and in <March> the Council added a {UAF} worth [€5 billion].",
     [("UAF", "March", "", "")]),
    ("all-programs-of-the-clause", "Iraq will use {CAPS} for an {FMS} purchase worth [$550 million].",
     [("CAPS;FMS", "", "IRQ", "")]),
    ("people-from-a-country-receive", "Canada trained officers from Ukraine with a budget of [$9 million].",
     [("", "", "UKR", "CAN")]),
    ("several-countries-are-no-one-recipient", "The U.S. gave [$42 million] to peacekeepers from Ghana, Senegal and Togo.",
     [("", "", "", "USA")]),
    ("a-country-and-a-region-are-no-one-recipient", "The fund sent [$3 billion] to operations in Somalia and the Sahel.",
     [("", "", "", "")]),
    ("donor", "{PBF}: [JPY 3 billion] pledged, making Japan the fund's largest donor.", [("PBF", "", "", "JPN")]),
    ("subject-who-needs-receives", "By <2018> the Iraqi Prime Minister said his country needs [$100 billion].",
     [("", "", "IRQ", "")]),
    ("request-makes-a-recipient", "One Dutch request for missiles is worth [$100 million].", [("", "", "NLD", "")]),
    ("party-in-the-program-name-receives", "Canada pays [$70 million] into the {NATO Security Investment Programme}.",
     [("NATO Security Investment Programme", "", "NATO", "CAN")]),
    ("demonym-after-for", "A grant of [$4 million] went to the Iraqi Security Forces.", [("", "", "IRQ", "")]),
    ("possessive-provider", "NATO's trust fund paid [$2 million] to Georgia.", [("", "", "GEO", "NATO")]),
    ("washington-is-the-us-government", "Washington gave Kyiv [$300 million].", [("", "", "UKR", "USA")]),
    ("americas-aid", "America's aid to Israel was [$3.8 billion].", [("", "", "ISR", "USA")]),
    ("by-names-the-provider", "A loan of [$9 million] was granted to Peru by the World Bank.", [("", "", "PER", "World Bank")]),
    ("a-program-name-is-no-subject", "The {Iraq Train and Equip Fund} paid [$1 million].",
     [("Iraq Train and Equip Fund", "", "IRQ", "")]),
    ("programs-joined-by-and", "DOD paid [$5 billion] through the former {ITEF}, and the current {CTEF}.",
     [("CTEF;ITEF", "", "", "USA")]),
    ("unlinked-amount-keeps-its-row", "The price was [$5 million].", [("", "", "", "")]),
]


@pytest.mark.parametrize(("marked", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_links_from_the_sentence(gazetteer, marked, expected):
    text, facts = link(gazetteer, marked)
    assert [summary(text, fact) for fact in facts] == expected
    assert all(not fact.flags for fact in facts)


FALLBACKS = [
    ("program-from-the-sentence-before", "The {IMET} course trains officers. The program got [$4 million] in <2019>.",
     "", None, ("IMET", "2019", "", ""), ["link_program_previous_sentence"]),
    ("no-program-when-the-sentence-before-names-two", "{FMF} and {IMET} grew. The program got [$4 million].",
     "", None, ("", "", "", ""), []),
    ("no-program-without-a-reference", "The {IMET} course trains officers. Officers cost [$4 million].",
     "", None, ("", "", "", ""), []),
    ("provider-from-the-publisher", "Jordan will receive [$10 million].", "", "USA", ("", "", "JOR", "USA"),
     ["link_provider_source"]),
    ("recipient-from-the-title", "The aid package is worth [$10 million].", "New aid for Jordan", None,
     ("", "", "JOR", ""), ["link_recipient_title"]),
    ("title-names-the-provider-too", "The aid package is worth [$10 million].", "Iraq and U.S. sign a deal", "USA",
     ("", "", "IRQ", "USA"), ["link_provider_source", "link_recipient_title"]),
    ("no-title-recipient-for-trade", "Two-way trade was [$10 million].", "Jordan and its trade", None,
     ("", "", "", ""), []),
    ("title-giver-is-the-provider", "The package is worth [$10 million].", "United States Commits Aid", None,
     ("", "", "", "USA"), ["link_provider_title"]),
    ("publisher-before-title-giver", "The package is worth [$10 million].", "Canada Announces Aid", "GBR",
     ("", "", "", "GBR"), ["link_provider_source"]),
    ("title-country-the-text-shows-only-giving", "Japan pledged [$5 million]. The fund got [$3 million] for training.",
     "Japan: Partner for Peace", None, ("", "", "", ""), []),
    ("two-title-countries-and-no-provider", "The deal is worth [$2 billion].", "India, US eye new deals", None,
     ("", "", "", ""), []),
    ("money-never-obligated-went-to-no-one", "An estimated [$18 million] in {GSCF} balances was never obligated.",
     "Jordan: Aid", None, ("GSCF", "", "", ""), []),
]


@pytest.mark.parametrize(("marked", "title", "publisher", "expected", "flags"), [c[1:] for c in FALLBACKS],
                         ids=[c[0] for c in FALLBACKS])
def test_fallbacks_are_flagged(gazetteer, marked, title, publisher, expected, flags):
    text, facts = link(gazetteer, marked, title, publisher)
    assert summary(text, facts[-1]) == expected
    assert sorted(facts[-1].flags) == flags


REPEATS = [
    ("headline-and-body", "Canada pledges [$5 million] for Haiti. Canada <today> pledged [$5 million] to Haiti.", [None, 0]),
    ("different-periods-are-different-facts", "Jordan got [$1 million] in <2019>. Jordan got [$1 million] in <2020>.",
     [None, None]),
    ("a-different-amount", "Canada pledges [$5 million] for Haiti. Canada pledged [$6 million] to Haiti.", [None, None]),
    ("nothing-in-common", "A ticket cost [$5 million]. Another cost [$5 million].", [None, None]),
]


@pytest.mark.parametrize(("marked", "repeat_of"), [c[1:] for c in REPEATS], ids=[c[0] for c in REPEATS])
def test_repeats_point_at_the_first_mention(gazetteer, marked, repeat_of):
    _, facts = link(gazetteer, marked)
    assert [fact.repeat_of for fact in facts] == [None if r is None else facts[r].start for r in repeat_of]


def test_every_amount_has_a_fact_in_order(gazetteer):
    text, facts = link(gazetteer, "Nothing here. It was [$1 million] and [$2 million]. Then [$3 million].")
    assert [text[f.start : f.end] for f in facts] == ["$1 million", "$2 million", "$3 million"]


@pytest.mark.parametrize(("title", "countries", "givers"), [
    ("Iraq and U.S. strengthen defense partnership", ("IRQ", "USA"), ()),
    ("United States Commits $42 Million to Train West African Peacekeepers", (), ("USA",)),
    ("Jordan: U.S. Security Assistance and Recent Appropriations", ("JOR",), ()),
    ("UK extends training mission for Ukrainian armed forces", ("UKR",), ("GBR",)),
    ("Canada announces new military assistance and NATO contributions", (), ("CAN",)),
])
def test_the_title_names_receivers_and_givers(gazetteer, title, countries, givers):
    context = Context.of(title, gazetteer.find(title), None, Cues(gazetteer.rules.linking))
    assert (context.title_countries, context.title_givers) == (countries, givers)


def test_a_verb_added_to_the_rules_file_links_the_party(tmp_path, gazetteer):
    """The verb lists live in rules/parties.yml (linking): a user's new give verb makes its subject the provider."""
    sentence = "Japan bestowed [$5 million] on the clinic."
    text, facts = link(gazetteer, sentence)
    assert summary(text, facts[0]) == ("", "", "", "")
    packaged = (RULES / "parties.yml").read_text(encoding="utf-8")
    assert "  give_verbs: [" in packaged
    extended = tmp_path / "parties.yml"
    extended.write_text(packaged.replace("  give_verbs: [", "  give_verbs: ['bestow\\w*', ", 1), encoding="utf-8")
    text, facts = link(Gazetteer(load_party_rules(extended)), sentence)
    assert summary(text, facts[0]) == ("", "", "", "JPN") and "link:provider_subject" in facts[0].rules
