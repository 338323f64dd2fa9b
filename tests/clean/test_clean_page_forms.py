"""Page forms that the first texts did not have: blog comment sections, bylines in stamps,
newswire stamp blocks and wire tags, a headline over its stamp, and the site's name.

Every page here is made up (a Riga think tank, an Estonian blog, a Latvian
newswire) so that only general rules and heuristics, not a site's rules, can
read them.
"""
from __future__ import annotations

import datetime as dt

import pytest

from extract.clean.document import clean_document, clean_text, count_site_lines
from extract.clean.read import find_documents, read_document
from extract.clean.stamps import dateline_stamp, find_stamp

from ..conftest import reasons

ARTICLE = "The ministry signed a contract worth EUR 40 million for coastal radars on 3 May 2021."
SECOND = "Deliveries are due in 2023, the ministry said in a statement on Tuesday."


COMMENT_SECTIONS = [
    (
        "heading-says-reply-form",
        "3 thoughts on “Radars for the coast”\n\nJan Novak says:\nMay 5, 2021 at 9:12 am\n"
        "Estonia paid $5 million for the same radars in 2019.\nReply\n\n"
        "Leave a Reply\nYour email address will not be published. Required fields are marked *",
        ["3 thoughts on “Radars for the coast”", "Estonia paid $5 million for the same radars in 2019.", "Leave a Reply"],
    ),
    (
        "commenter-time-and-reply-without-heading",
        "Liis T. — 6 May 2021 at 21:05\nWasn't the first order worth EUR 12 million in 2018?\nReply",
        ["Liis T. — 6 May 2021 at 21:05", "Wasn't the first order worth EUR 12 million in 2018?", "Reply"],
    ),
    (
        "comments-count-heading",
        "Comments (2)\n\nMarek:\nThe 2020 tender was cancelled, not delayed.\nReport\n\nPost a comment",
        ["Comments (2)", "The 2020 tender was cancelled, not delayed.", "Post a comment"],
    ),
    (
        "disqus-style",
        "14 Comments\nSort by Best\n\nJan Novak • 3 years ago\nThe 2019 order was worth $7 million, not $5 million.\nReply • Share ›",
        ["14 Comments", "Jan Novak • 3 years ago", "Reply • Share ›"],
    ),
    (
        "one-thought-heading",
        "One thought on “Radars for the coast”\n\nAnna K. says:\nThe 2019 deal was worth EUR 12 million.\nReply",
        ["One thought on “Radars for the coast”", "Anna K. says:", "The 2019 deal was worth EUR 12 million."],
    ),
    (
        "form-only",
        "Leave a comment\n\nName *\nEmail *\nWebsite",
        ["Leave a comment", "Name *", "Website"],
    ),
]


@pytest.mark.parametrize(("page_end", "gone"), [c[1:] for c in COMMENT_SECTIONS], ids=[c[0] for c in COMMENT_SECTIONS])
def test_a_comment_section_is_dropped_to_the_end_of_the_page(rules, page_end, gone):
    page = f"Radars for the coast\n\n{ARTICLE}\n\n{SECOND}\n\n{page_end}\n\n© 2021 Tallinn Notes. Powered by WordPress."
    result = clean_text(page, rules)
    for line in gone:
        assert reasons(result)[line] == "heuristic: comment section"
    assert result.text == f"Radars for the coast\n\n{ARTICLE}\n\n{SECOND}"


@pytest.mark.parametrize(
    "page",
    [
        # a "Leave a comment" link under the headline: no sentence of the article above it
        f"Radars for the coast\nLeave a comment\n\n{ARTICLE}\n\n{SECOND}",
        # a report's own "Comments" heading with prose under it, and no comment marker
        f"Radars for the coast\n\n{ARTICLE}\n\nComments\nThe committee found the price fair.\n\n{SECOND}",
    ],
    ids=["comment-link-under-headline", "comments-heading-over-prose"],
)
def test_no_comment_section_without_its_structure_after_the_article(rules, page):
    result = clean_text(page, rules)
    assert ARTICLE in result.text and SECOND in result.text
    assert "heuristic: comment section" not in reasons(result).values()


STAMPS = [
    (["Posted on 4 May 2021 by Jan Novak | 5 comments"], "MDY", dt.date(2021, 5, 4), (0,)),
    (["Posted by Jan Novak on March 9, 2020"], "MDY", dt.date(2020, 3, 9), (0,)),
    (["Published 2 June 2022 by the Editors · 4 min read"], "MDY", dt.date(2022, 6, 2), (0,)),
    (["May 4, 2021 by Jan Novak | Leave a comment"], "MDY", dt.date(2021, 5, 4), (0,)),  # no label: a segment with a byline
    (["Distributed by", "Ministry of Foreign Affairs of Latvia", "14 Jun 2023, 08:00 GMT"], "MDY", dt.date(2023, 6, 14), (0, 1, 2)),
    (["Provided by Baltic Energy Agency", "", "June 14, 2023"], "MDY", dt.date(2023, 6, 14), (0, 2)),
    (["Issued by", "Ministry of Defence", "Contact us"], "MDY", None, None),  # no date after the organization
    (["Provided by the ministry, the radars arrived in 2021."], "MDY", None, None),  # a sentence, not a stamp
    (["Who paid for the radars?", "By Jan Novak", "4 May 2021 09:30 CET"], "MDY", dt.date(2021, 5, 4), (2,)),  # a bare date under the headline
    (["The radars were ordered in stages.", "", "4 May 2021", "First order signed."], "MDY", None, None),  # a timeline entry
]


@pytest.mark.parametrize(("lines", "order", "date", "taken"), STAMPS, ids=[s[0][0][:34] for s in STAMPS])
def test_bylines_widgets_and_provider_blocks_in_stamps(rules, lines, order, date, taken):
    stamp = find_stamp(lines, order, rules.stamps)
    assert (stamp.date if stamp else None) == date
    assert (stamp.lines if stamp else None) == taken


@pytest.mark.parametrize(
    ("line", "date", "dateline"),
    [
        ("TALLINN, June 14, 2023 /PRNewswire/ -- Estonia ordered radars.", dt.date(2023, 6, 14), "TALLINN, June 14, 2023 /PRNewswire/ --"),
        ("VILNIUS, 2 May 2022 (BNS) - Lithuania ordered radars.", dt.date(2022, 5, 2), "VILNIUS, 2 May 2022 (BNS) -"),
        ("RIGA, May 2, 2022 / The ministry - ordered radars.", None, None),  # a slash in a sentence is no wire tag
    ],
    ids=["slash-tag", "parenthesized-tag", "no-tag"],
)
def test_a_wire_tag_belongs_to_the_dateline(rules, line, date, dateline):
    stamp = dateline_stamp([line], 0, "MDY", rules.stamps)
    assert (stamp.date if stamp else None) == date
    assert (line[slice(*stamp.span)] if stamp else None) == dateline


def test_a_newswire_release_has_its_stamp_block_and_its_dateline(rules):
    page = (
        "Baltic Newswire\nHome | Releases | Contact\n\nLatvia orders coastal radars\n\n"
        "Distributed by\nMinistry of Defence of Latvia\n12 Sep 2022, 10:00 CET\n\n"
        "RIGA, Sept. 12, 2022 /BNW/ -- The ministry signed a contract worth EUR 40 million for coastal radars.\n\n"
        + SECOND
    )
    result = clean_text(page, rules)
    assert result.published == dt.date(2022, 9, 12)
    assert result.title == "Latvia orders coastal radars"
    assert "Distributed by" not in result.text and "10:00 CET" not in result.text
    assert [result.text[start:end] for start, end in result.stamps] == ["RIGA, Sept. 12, 2022 /BNW/ --"]


HEADLINES = [
    (
        "site-name-and-report-number",
        "Riga Policy Institute\nHome | Briefs | About\n\nEstonia: Coastal Defence Budget\nLast updated 2 May 2022\nBrief 1043\n\n",
        "Estonia: Coastal Defence Budget",
        {"Riga Policy Institute": "heuristic: header above the headline", "Brief 1043": "heuristic: menu run"},
    ),
    (
        "site-name-alone-above",
        "Tallinn Notes\n\nWhere the radar money went\nPosted on 4 May 2021 by Jan Novak | 5 comments\n\n",
        "Where the radar money went",
        {"Tallinn Notes": "heuristic: header above the headline"},
    ),
    (
        "byline-between",
        "Where the radar money went\nBy Jan Novak\nMay 4, 2021\n\n",
        "Where the radar money went",
        {"By Jan Novak": "heuristic: byline"},
    ),
]


@pytest.mark.parametrize(("top", "title", "dropped"), [h[1:] for h in HEADLINES], ids=[h[0] for h in HEADLINES])
def test_the_line_above_the_stamp_is_the_headline(rules, top, title, dropped):
    result = clean_text(top + ARTICLE + "\n\n" + SECOND, rules)
    assert result.title == title
    assert result.text.splitlines()[0] == title
    for line, why in dropped.items():
        assert reasons(result)[line] == why


def test_a_stamp_above_the_headline_does_not_make_a_menu_entry_the_headline(rules):
    page = f"Tallinn Notes\nHome\nNews\nAbout\n\nPosted on 4 May 2021\n\nWhere the radar money went\n\n{ARTICLE}"
    result = clean_text(page, rules)
    assert result.title == "Where the radar money went" and result.published == dt.date(2021, 5, 4)
    assert "About" not in result.text


def test_a_headline_over_its_stamp_without_an_article_is_no_article(rules):
    result = clean_text("Tallinn Notes\n\nWhere the radar money went\nPosted on 4 May 2021\n\nHome | About", rules)
    assert (result.text, result.title, result.published) == ("", None, dt.date(2021, 5, 4))


def test_a_stamp_under_the_article_says_nothing_of_the_headline(rules):
    page = f"Where the radar money went\n\n{ARTICLE}\n\nBrief 1043\nLast updated 2 May 2022"
    result = clean_text(page, rules)
    assert result.title == "Where the radar money went" and result.published == dt.date(2022, 5, 2)
    assert ARTICLE in result.text


# The title a reader names, on pages without a stamp under the headline: (page, other pages
# of the same site, the title). A site's name alone above the headline is no title; a
# headline that only names the site, or shares a line with another page, still is.
FOOTER = "© 2021 Baltic Defence Review. All rights reserved."
TITLES = [
    ("site-name-alone-and-copyright-footer", f"Baltic Defence Review\n\nNew radars for the coast\n\n{ARTICLE}\n\n{FOOTER}", [],
     "New radars for the coast"),
    ("site-name-alone-and-footer-repeating-it",
     f"Baltic Defence Review\n\nNew radars for the coast\n\n{ARTICLE}\n\nBaltic Defence Review | Contact | www.bdr.example.org",
     [], "New radars for the coast"),
    ("site-name-and-tagline", f"Baltic Defence Review – News from the Baltics\n\nNew radars for the coast\n\n{ARTICLE}\n\n{FOOTER}",
     [], "New radars for the coast"),
    ("web-address-alone", f"www.bdr.example.org\n\nNew radars for the coast\n\n{ARTICLE}", [], "New radars for the coast"),
    ("name-of-a-site-in-the-rules", f"U.S. Department of State\n\nNew radars for the coast\n\n{ARTICLE}", [],
     "New radars for the coast"),
    ("masthead-on-every-page-of-the-site", f"Tallinn Notes\n\nNew radars for the coast\n\n{ARTICLE}",
     [f"Tallinn Notes\n\nOld boats for the navy\n\n{SECOND}"], "New radars for the coast"),
    ("headline-naming-the-site", f"Baltic Defence Review turns ten\n\n{ARTICLE}\n\n{FOOTER}", [],
     "Baltic Defence Review turns ten"),
    ("headline-opening-with-the-site-name", f"Baltic Defence Review: ten years of radars\n\n{ARTICLE}\n\n{FOOTER}", [],
     "Baltic Defence Review: ten years of radars"),
    ("headline-repeated-in-a-link-list", f"New radars for the coast\n\n{ARTICLE}\n\nNew radars for the coast | Old boats", [],
     "New radars for the coast"),
    ("headline-in-two-copies-of-one-article", f"New radars for the coast\n\n{ARTICLE}",
     [f"New radars for the coast\n\n{ARTICLE}\n\n{SECOND}"], "New radars for the coast"),
    ("headline-and-standfirst-on-a-site", f"New radars for the coast\n\nThe navy gets eyes on the sea at last\n\n{ARTICLE}",
     [f"Old boats for the navy\n\n{SECOND}"], "New radars for the coast"),
]


@pytest.mark.parametrize(("page", "others", "title"), [t[1:] for t in TITLES], ids=[t[0] for t in TITLES])
def test_the_title_is_the_headline_not_the_sites_name(rules, tmp_path, page, others, title):
    """Cleaned as `extract run` does it: the site's other pages (one folder) are counted first."""
    site = tmp_path / "site"
    site.mkdir()
    for number, text in enumerate([page, *others]):
        (site / f"page-{number}.txt").write_text(text, encoding="utf-8")
    counts = count_site_lines(find_documents(site).documents, site, rules)
    result = clean_document(read_document(site / "page-0.txt", site), rules, counts)
    assert result.title == title
    assert result.text.splitlines()[0] == title, "the article opens with its headline"


SOURCES = [
    ("copyright-year-after-holder", "© Riga Policy Institute 2022 | Privacy | Terms", "Riga Policy Institute"),
    ("copyright-years-with-comma", "© Tallinn Notes, 2019–2023. All rights reserved.", "Tallinn Notes"),
    ("copyright-year-before-holder", "Copyright 2021 Baltic Newswire. All rights reserved.", "Baltic Newswire"),
    ("masthead-repeated-in-footer", "Riga Policy Institute | +371 6700 0000 | www.rpi.example.org", "Riga Policy Institute"),
    ("masthead-not-repeated", "Contact | www.rpi.example.org | Privacy", "www.rpi.example.org"),
]


@pytest.mark.parametrize(("footer", "source"), [s[1:] for s in SOURCES], ids=[s[0] for s in SOURCES])
def test_the_source_is_the_sites_name_without_a_year(rules, footer, source):
    page = f"Riga Policy Institute\nHome | Briefs | About\n\nWhere the radar money went\n\n{ARTICLE}\n\n{SECOND}\n\n{footer}"
    assert clean_text(page, rules).source == source


@pytest.mark.parametrize(
    ("heading", "items"),
    [
        ("You may also like", ["Where the radar money went?", "Latvia's 2022 budget in four charts (May 2022)", "- Coastal radars: EUR 12 million later"]),
        ("Further reading:", ["Estonia orders radars", "Lithuania doubles its EUR 5 million fund"]),
    ],
    ids=["items-apart", "two-items-apart"],
)
def test_a_related_list_with_blank_lines_between_its_items_is_dropped(rules, heading, items):
    page = f"Radars for the coast\n\n{ARTICLE}\n\n{heading}\n\n" + "\n\n".join(items) + f"\n\n{SECOND}"
    result = clean_text(page, rules)
    for item in [heading, *items]:
        assert reasons(result)[item] == "block rule: related-links list"
    assert result.text == f"Radars for the coast\n\n{ARTICLE}\n\n{SECOND}"


def test_wordpress_share_and_like_widgets_are_prompts(rules):
    page = f"Radars for the coast\n\n{ARTICLE}\n\nShare this:\nX\nFacebook\n\nLike this:\nLike Loading...\n\n{SECOND}"
    result = clean_text(page, rules)
    assert reasons(result)["Like Loading..."] == "heuristic: prompt"
    assert result.text == f"Radars for the coast\n\n{ARTICLE}\n\n{SECOND}"
