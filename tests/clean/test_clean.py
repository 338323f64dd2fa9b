"""Cleaning on the real texts: the chrome goes, the article stays, and the page's date, title and source are read.

The lists below were written by reading each text: `gone` holds pieces of site
chrome (banners, menus, footers, related links), `kept` pieces of the article
that must survive. `gone_lines` are chrome lines whose words also occur inside
the article (a site name), so they are checked as whole lines.
"""
from __future__ import annotations

import datetime as dt

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from extract.clean.document import clean_document
from extract.clean.lines import PLAIN, repair
from extract.clean.read import read_document
from extract.clean.rules import load_cleaning_rules

from ..conftest import FIXTURES, RAW, RULES

TEXTS = {path.stem: path for folder in (RAW, FIXTURES / "texts") for path in sorted(folder.glob("*.txt"))}
LABELS = {path.stem: path for folder in (RAW.parent / "tests" / "expected", FIXTURES / "expected") for path in folder.glob("*.yml")}


@pytest.fixture(scope="module")
def cleaned():
    rules = load_cleaning_rules(RULES)
    return {name: clean_document(read_document(path, path.parent), rules) for name, path in TEXTS.items()}


CASES = [
    (
        "dod-iraq-us-strengthen-defense-partnership",
        [],
        [],
        [
            "Iraq and U.S. strengthen defense partnership",
            "In a joint statement issued by Secretary of Defense Lloyd J. Austin III",
            "for an FMS purchase worth nearly $550 million",
            "countering threats posed by groups such as ISIS.",
        ],
    ),
    (
        "globalsecurity-iraq-us-relations",
        ["UNITED24", "charitable donation", "Join the GlobalSecurity.org mailing list", "Page last modified", "06-01-2020", "ZULU"],
        [],
        [
            "Iraq-US Relations",
            "The December 2011 departure of US troops from Iraq",
            "cost over one billion dollars",
            "Iraq’s parliament passed a resolution on 05 January 2020",
            "with complaints about US violations of its sovereignty.",
        ],
    ),
    (
        "nato-relations-with-iraq",
        ["Last updated", "03 Feb. 2017", "14:39"],
        [],
        [
            "Relations with Iraq",
            "Fouad Massoum (March 2016)",
            "Iraq is one of a range of countries beyond the Euro-Atlantic area",
            "2004: The NATO Training Mission-Iraq (NTM-I) is established",
            "January 2017: A NATO Core Team is deployed to Baghdad",
        ],
    ),
    (
        "state-us-security-cooperation-with-iraq",
        [
            "An official website of the United States Government",
            "Here's how you know",
            "Official websites use .gov",
            "A .gov website belongs to",
            "Secure .gov websites use HTTPS",
            "A lock (",
            "For further information, please contact",
            "@StateDeptPM",
            "The Lessons of 1989",
        ],
        ["U.S. Department of State"],
        [
            "The United States and Iraq are working collectively toward the common goal",
            "Since 2015, the U.S. Department of State provided Iraq with $1.25 billion",
            "Deployed more than 100 survey and clearance teams",
            "under the Excess Defense Articles program",
            "Since 2014, the Department of Defense provided an additional $5.0 billion",
        ],
    ),
    (
        "us-iraq-examine-new-strategic-relationship-2024",
        [
            "FAQs",
            "What is the relationship between the US and Iraq today?",
            "$8.5 billion",
            "up to $1 billion",
            "References",
            "Top Articles",
            "Twana Towne Ret",
            "1994-03-19",
            "Rating: 4.3",
            "Hobby:",
        ],
        [],
        [
            "U.S., Iraq Examine New Strategic Relationship (2024)",
            "welcomed Iraqi Defense Minister Thabit Muhammad Al-Abassi",
            "building on the U.S.-Iraq Strategic Dialogue in July 2021",
            "There has been a 64% reduction in ISIS attacks in Iraq this year.",
            "the leadership network that's out there,\" he said.",
        ],
    ),
    (
        "dod-page-usai-funding",
        [
            "Skip to main content",
            "Home | News",
            "uses cookies",
            "NEWS > RELEASES",
            "June 15, 2022",
            "Facebook | Twitter",
            "Subscribe to Defense.gov Products",
            "Choose which Defense.gov products",
            "RELATED STORIES",
            "$150 Million",
            "May 23, 2022",
            "Hosted by Defense Media Activity",
            "No FEAR Act",
        ],
        ["U.S. Department of Defense", "Search", "Share"],
        [
            "$250 Million in New USAI Funding Announced for Ukraine",
            "The Department of Defense today announced $250 million",
            "Contracts are expected to be awarded through September 2023.",
            "Ukraine Defense Contact Group meeting in Brussels next week.",
        ],
    ),
    (
        "govuk-ukraine-training-extension",
        [
            "Skip to main content",
            "Cookies on GOV.UK",
            "essential cookies",
            "Accept additional cookies",
            "Defence and armed forces",
            "From:",
            "Share this page",
            "Related content",
            "23 June 2020",
            "4 February 2021",
            "Is this page useful?",
            "Yes this page is useful",
            "Report a problem",
            "Births, death, marriages and care",
            "Open Government Licence",
            "Crown copyright",
        ],
        ["Home", "Press release", "Ministry of Defence", "Published", "12 March 2021", "Facebook", "Topics"],
        [
            "UK extends training mission for Ukrainian armed forces",
            "The Defence Secretary has announced a further £2.3 million",
            "its military training mission in Ukraine, until March 2023",
            "The Defence Secretary said:",
            "for as long as it takes.",
        ],
    ),
    (
        "news-india-us-defence-deals",
        ["By Special Correspondent", "Updated: Aug 14, 2017", "Also read:", "Navy to get first batch", "Rs 59,000 crore"],
        [],
        [
            "India, US eye $1-2 billion in new defence deals as talks advance",
            "could be signed before March 2018",
            "compared with almost nothing in the 1990s.",
        ],
    ),
    (
        "press-release-gpoi-west-africa",
        [
            "FOR IMMEDIATE RELEASE",
            "Office of the Spokesperson",
            "Media contact",
            "###",
            "About the Bureau",
            "established in 1961",
            "For further information",
            "Follow @StateDeptPM",
        ],
        [],
        [
            "United States Commits $42 Million to Train West African Peacekeepers",
            "WASHINGTON, Jan. 5, 2024 -- The U.S. Department of State today announced $42 million",
            "to finalize the first course, which begins on Jan. 22.",
        ],
    ),
    (
        "thinktank-european-peace-facility",
        [
            "Home / Research",
            "Marta Lindqvist",
            "6 min read",
            "Share: Twitter",
            "The views expressed",
            "Related commentary",
            "12 April 2021",
            "EUR 1 billion later",
            "Subscribe to our newsletter",
            "© 2021",
        ],
        ["COMMENTARY"],
        [
            "Paying for Peace: What the European Peace Facility Changes",
            "a single off-budget instrument worth EUR 5.7 billion for 2021-2027",
            "in H1 2012 commitments fell to just €48m",
            "how quickly it can move money to partners who need it.",
        ],
    ),
    (
        "au-defence-pacific-maritime-release",
        [
            "Skip to main content",
            "Home | About | News & Events",
            "Search this site",
            "Posted 14 November 2023",
            "Share this page",
            "Facebook | X | LinkedIn",
            "Media contact",
            "Was this page helpful",
            "© Commonwealth of Australia",
        ],
        ["Australian Government | Defence"],
        [
            "Australia expands maritime security support for Pacific partners",
            "The Albanese Government will invest A$118.3 million over the next four years",
            "In the 2023-24 financial year, Defence will also provide A$42.5 million",
            "under Operation Solania",
        ],
    ),
    (
        "blog-ukraine-air-defence-money",
        [
            "Home | Archive | About | Subscribe",
            "Posted on 12 April 2024",
            "Share: X | Bluesky",
            "Subscribe to get new posts by email.",
            "Related posts",
            "Reading the FY2024 NDAA",
            "2 comments",
            "Tomasz W.",
            "didn't Germany alone put in over €1bn",
            "Leave a reply",
            "Powered by WordPress",
        ],
        ["THE MATERIEL LEDGER", "Reply"],
        [
            "Who is actually paying for Ukraine's air defence?",
            "roughly $2.5bn of USAI money has gone into air defence since autumn 2022",
            "was reported at £45 million-£50 million.",
            "If it doesn't, watch the EPF.",
        ],
    ),
    (
        "cnw-canada-eastern-flank-support",
        [
            "Home | News | Sectors",
            "We use cookies",
            "News provided by",
            "Mar 03, 2022, 11:30 ET",
            "Share this article",
            "Associated Links",
            "SOURCE National Defence Canada",
            "For further information: Media Relations",
            "© 2022 Canada Newswire",
        ],
        ["Canada Newswire", "National Defence Canada", "- Operation REASSURANCE", "- Canada's defence policy"],
        [
            "Canada announces new military assistance and NATO contributions for Central and Eastern Europe",
            "OTTAWA, March 3, 2022 /CNW/ - The Minister of National Defence today announced CAD 500 million",
            "- Canada has contributed to NSIP since the programme was established in 1951.",
        ],
    ),
    (
        "crs-jordan-security-assistance",
        [
            "Home | Reports | Search",
            "Updated March 10, 2023",
            "Report R46907",
            "Author Information",
            "Jeremy R. Haddad",
            "Share: Email | X",
            "7-5700 | www.crs.gov",
        ],
        ["Congressional Research Service"],
        [
            "Jordan: U.S. Security Assistance and Recent Appropriations",
            "commits the executive branch to request at least $1.3 billion annually for Jordan",
            "Since FY2017, DOD has notified over $450 million for Jordan",
            "A successor MOU, under negotiation since last summer",
        ],
    ),
    (
        "un-japan-peace-operations-factsheet",
        [
            "العربية",
            "Home | Where we operate",
            "This website uses cookies",
            "Download PDF (1.2 MB)",
            "Last updated: 30 January 2024",
            "Contact: Peace Operations Partnerships Unit",
            "© United Nations 2024",
        ],
        ["United Nations Peacekeeping"],
        [
            "Japan: Partner for Peace Operations Capacity-Building",
            "- Peacebuilding Fund: JPY 3 billion (approximately US$27 million) pledged since 2006",
            "On 5 May, the first field engineering course in Hanoi opened",
            "(TICAD), Japan pledged further support to African peacekeeping training centres.",
        ],
    ),
    (
        "wire-senate-panel-military-aid",
        [],
        ["Reuter"],
        [
            "SENATE PANEL TRIMS MILITARY AID GRANTS",
            # hard-wrapped lines are rejoined, so a sentence is one piece of text
            "WASHINGTON, Feb 26 - A Senate Appropriations subcommittee voted to hold Foreign Military Financing grants to 4.1 billion dlrs",
            "new sales agreements reached 11.2 billion dlrs in calendar 1990, compared with 7.9 billion in 1989.",
        ],
    ),
]


@pytest.mark.parametrize(("name", "gone", "gone_lines", "kept"), CASES, ids=[case[0] for case in CASES])
def test_chrome_is_gone_and_the_article_stays(cleaned, name, gone, gone_lines, kept):
    text = cleaned[name].text
    lines = text.splitlines()
    for piece in gone:
        assert piece not in text, f"chrome left in: {piece!r}"
    for line in gone_lines:
        assert line not in lines, f"chrome line left in: {line!r}"
    for piece in kept:
        assert piece in text, f"article text lost: {piece!r}"


def test_every_text_has_a_case():
    assert sorted(case[0] for case in CASES) == sorted(TEXTS)


def test_a_text_without_chrome_loses_nothing(cleaned):
    assert cleaned["dod-iraq-us-strengthen-defense-partnership"].dropped == []


def test_the_repeated_title_is_gone_but_the_headline_stays(cleaned):
    text = cleaned["us-iraq-examine-new-strategic-relationship-2024"].text
    assert text.count("U.S., Iraq Examine New Strategic Relationship (2024)") == 1
    assert text.startswith("U.S., Iraq Examine New Strategic Relationship (2024)\n\n")


META = [
    ("dod-iraq-us-strengthen-defense-partnership", "Iraq and U.S. strengthen defense partnership", "U.S. Department of Defense"),
    ("globalsecurity-iraq-us-relations", "Iraq-US Relations", "GlobalSecurity.org"),
    ("nato-relations-with-iraq", "Relations with Iraq", "NATO"),
    ("state-us-security-cooperation-with-iraq", None, "U.S. Department of State"),  # opens with a paragraph: no headline
    ("us-iraq-examine-new-strategic-relationship-2024", "U.S., Iraq Examine New Strategic Relationship (2024)", None),
    ("dod-page-usai-funding", "$250 Million in New USAI Funding Announced for Ukraine", "U.S. Department of Defense"),
    ("govuk-ukraine-training-extension", "UK extends training mission for Ukrainian armed forces", "GOV.UK"),
    ("news-india-us-defence-deals", "India, US eye $1-2 billion in new defence deals as talks advance", None),
    ("press-release-gpoi-west-africa", "United States Commits $42 Million to Train West African Peacekeepers", None),
    ("thinktank-european-peace-facility", "Paying for Peace: What the European Peace Facility Changes", "European Security Policy Forum"),
    ("wire-senate-panel-military-aid", "SENATE PANEL TRIMS MILITARY AID GRANTS", "Reuters"),
    # the site's name where the page gives one, else the holder of its © line, without the year
    ("au-defence-pacific-maritime-release", "Australia expands maritime security support for Pacific partners", "Commonwealth of Australia"),
    ("blog-ukraine-air-defence-money", "Who is actually paying for Ukraine's air defence?", "The Materiel Ledger"),
    ("cnw-canada-eastern-flank-support", "Canada announces new military assistance and NATO contributions for Central and Eastern Europe", "Canada Newswire"),
    ("crs-jordan-security-assistance", "Jordan: U.S. Security Assistance and Recent Appropriations", "Congressional Research Service"),
    ("un-japan-peace-operations-factsheet", "Japan: Partner for Peace Operations Capacity-Building", "United Nations"),
]


@pytest.mark.parametrize(("name", "title", "source"), META, ids=[case[0] for case in META])
def test_title_source_and_published(cleaned, name, title, source):
    result = cleaned[name]
    label = YAML(typ="safe").load(LABELS[name].read_text(encoding="utf-8"))
    assert result.published == label["published"]  # the hand label's date (or None)
    assert result.title == title
    assert result.source == source
    if title:
        assert result.text.splitlines()[0] == title, "the headline is a line of its own"


def test_the_dateline_stays_in_the_text_and_its_span_is_exposed(cleaned):
    result = cleaned["press-release-gpoi-west-africa"]
    assert result.published == dt.date(2024, 1, 5)
    assert [result.text[start:end] for start, end in result.stamps] == ["WASHINGTON, Jan. 5, 2024 --"]


def test_a_dateline_without_a_year_sets_no_date_but_is_the_pages_own(cleaned):
    """No `published` from "WASHINGTON, Feb 26 -", yet its date is the page's: marked, so the dates stage skips it."""
    result = cleaned["wire-senate-panel-military-aid"]
    assert result.published is None
    assert [result.text[start:end] for start, end in result.stamps] == ["WASHINGTON, Feb 26 -"]


def test_every_drop_names_its_reason(cleaned):
    reasons = {why.split(":")[0] for result in cleaned.values() for _, why in result.dropped}
    assert reasons <= {
        "rule", "block rule", "stamp", "site GlobalSecurity.org", "site Reuters",
        "heuristic",
    }, reasons


@settings(max_examples=300, deadline=None)
@given(st.from_regex(PLAIN, fullmatch=True))
def test_a_plain_text_is_one_ftfy_leaves_as_it_is(text):
    """repair skips ftfy for a PLAIN text: only safe while ftfy would return it unchanged."""
    assert ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC") == text


@pytest.mark.parametrize("text", ["Tom &amp; Jerry", "a\r\nb", "caf\u00c3\u00a9", "bell\x07", "Esc\x1b[1mbold"])
def test_a_text_ftfy_would_change_is_not_plain(text):
    assert not PLAIN.fullmatch(text)
    assert repair(text) == ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
