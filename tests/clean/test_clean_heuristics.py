"""Each heuristic on made-up pages of a site no rule names; stamps, Unicode, rules and HTML.

The pages are invented ("Baltic Defence Review" and friends) so that only the
general heuristics, not a site's rules, can find their chrome.
"""
from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

import extract
from extract.clean.boilerplate import SiteLines, line_key
from extract.clean.document import clean_html, clean_text, diff_lines
from extract.clean.rules import load_cleaning_rules
from extract.clean.stamps import dateline_stamp, find_stamp, parse_stamp_date
from extract.errors import RuleError

from ..conftest import FIXTURES, RULES, reasons

ARTICLE = "The ministry signed a contract worth EUR 40 million for coastal radars on 3 May 2021."


HEURISTICS = [
    ("menu run", "Baltic Defence Review\n\nNews\nAnalysis\nEvents\nAbout us\n\nNew radars for the coast\n\n" + ARTICLE, "Events"),
    ("link list", "New radars for the coast\n\n" + ARTICLE + "\n\nFacebook | X | Telegram | Email", "Facebook | X | Telegram | Email"),
    ("breadcrumb", "Home » Procurement » Navy\n\nNew radars for the coast\n\n" + ARTICLE, "Home » Procurement » Navy"),
    ("prompt", "New radars for the coast\n\n" + ARTICLE + "\n\nSign up for our weekly briefing", "Sign up for our weekly briefing"),
    ("prompt", "New radars for the coast\n\n" + ARTICLE + "\n\nShare\nCopy link to this article", "Copy link to this article"),
    ("trailing short line", "New radars for the coast\n\n" + ARTICLE + "\n\nBaltic Defence Review", "Baltic Defence Review"),
    ("header above the headline", "Baltic Defence Review\nFor immediate release\n\nNew radars for the coast\n\n" + ARTICLE, "Baltic Defence Review"),
    ("repeated title", "New radars for the coast\n\n" + ARTICLE + "\n\nNew radars for the coast\n\nMore than radars.", "New radars for the coast"),
]


@pytest.mark.parametrize(("heuristic", "page", "chrome"), HEURISTICS, ids=[f"{h[0]}-{i}" for i, h in enumerate(HEURISTICS)])
def test_each_heuristic_drops_chrome_on_an_unknown_site(rules, heuristic, page, chrome):
    result = clean_text(page, rules, path="baltic/radars.txt")
    assert reasons(result)[chrome] == f"heuristic: {heuristic}"
    assert ARTICLE in result.text
    assert result.source is None  # no rule names this site


def test_a_headline_alone_above_a_standfirst_is_the_title(rules):
    page = "Japan turns to beer alternatives\n\nBrewers make money from beer-flavoured drinks rather than beer itself\n\n" + ARTICLE
    result = clean_text(page, rules)
    assert result.title == "Japan turns to beer alternatives" and result.dropped == []


def test_a_bulleted_article_list_is_no_menu(rules):
    page = "Budget\n\nThe minister presented the budget to parliament.\n\n- Pledged $2.3bn for tsunami victims\n- Increased flow of funds to agriculture by 30%\n\n" + ARTICLE
    assert "- Pledged $2.3bn for tsunami victims\n- Increased flow of funds" in clean_text(page, rules).text


def test_a_long_run_of_short_lines_at_the_end_is_the_articles_list(rules):
    nominees = "\n\n".join(f"Nominee {n} (Channel {n})" for n in range(1, 6))
    result = clean_text("Comedy awards\n\n" + ARTICLE + "\n\n" + nominees, rules)
    assert "Nominee 5 (Channel 5)" in result.text


def test_an_article_list_after_a_lead_in_sentence_stays(rules):
    page = "New radars for the coast\n\nThe contract covers the following systems:\nCoastal radars\nPatrol boats\nSpare parts"
    result = clean_text(page, rules)
    assert "Coastal radars\nPatrol boats\nSpare parts" in result.text


def test_lines_repeated_across_a_sites_documents_are_chrome(rules):
    footer = "Baltic Defence Review is published by the Riga Security Institute, a registered charity."
    pages = [f"Story {n}\n\nThe ministry bought {n} radars in 2021 from a Latvian firm.\n\n{footer}" for n in range(4)]
    counts = SiteLines()
    for page in pages:
        counts.add("baltic", page.splitlines())
    counts.add("elsewhere", [footer])  # another site's copy does not count for this one
    repeated = counts.repeated("baltic", rules.heuristics)
    assert line_key(footer) in repeated
    assert line_key("Story 1") not in repeated
    result = clean_text(pages[1], rules, site_view=counts.view("baltic", rules.heuristics))
    assert reasons(result)[footer] == "heuristic: repeated on site"
    assert "The ministry bought 1 radars in 2021" in result.text


def test_a_line_in_too_few_documents_is_not_chrome(rules):
    counts = SiteLines()
    for n in range(10):
        counts.add("big", ["Shared line that appears twice only." if n < 2 else f"Line {n}."])
    assert counts.repeated("big", rules.heuristics) == frozenset()


def test_a_page_of_nothing_but_chrome_is_empty_not_an_error(rules):
    page = "Skip to main content\nHome | News | About\n\nShare this page\n\n© 2024 Baltic Defence Review"
    result = clean_text(page, rules)
    assert result.text == "" and result.title is None
    assert len(result.dropped) == 4


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The donorsâ€™ pledge of â‚¬5 million.", "The donors’ pledge of €5 million."),  # mojibake repaired
        ("He said “yes” and ‘no’.", "He said “yes” and ‘no’."),  # curly quotes kept
        ("USD\u00a05\u00a0million in\u2009FY2020.", "USD 5 million in FY2020."),  # odd spaces made plain
        ("The Train\u00ading and\u200b Equip Fund.", "The Training and Equip Fund."),  # invisible characters removed
        ("  Indented    line   with\ttabs.  ", "Indented line with tabs."),
    ],
    ids=["mojibake", "curly-quotes", "nbsp-thin-space", "invisible", "spaces"],
)
def test_unicode_and_spaces_are_repaired(rules, raw, expected):
    assert clean_text(raw, rules).text == expected


def test_paragraphs_headings_and_list_items_stay_apart(rules):
    page = "Funding at a glance\n\nThe fund grew in 2020.\nIt grew again in 2021.\n\n• First item of the list, a sentence.\n• Second item, also a sentence."
    assert clean_text(page, rules).text.split("\n") == [
        "Funding at a glance",
        "",
        "The fund grew in 2020.",
        "It grew again in 2021.",
        "",
        "• First item of the list, a sentence.",
        "• Second item, also a sentence.",
    ]


STAMPS = [
    (["Relations", "• Last updated: 03 Feb. 2017 14:39"], "MDY", dt.date(2017, 2, 3), None),
    (["Page last modified: 06-01-2020 17:30:01 ZULU"], "DMY", dt.date(2020, 1, 6), None),
    (["Page last modified: 06-01-2020 17:30:01 ZULU"], "MDY", dt.date(2020, 6, 1), None),
    (["Posted on March 4, 2019"], "MDY", dt.date(2019, 3, 4), None),
    (["Released", "", "12 November 2018"], "MDY", dt.date(2018, 11, 12), None),
    (["By A. Writer | 18 May 2021 | 6 min read"], "MDY", dt.date(2021, 5, 18), None),
    (["Last Updated:", "Views: 5313"], "MDY", None, None),  # an empty stamp
    (["Published reports say aid rose in 2019."], "MDY", None, None),  # a sentence, not a stamp
    (["Birthday: 1994-03-19"], "MDY", None, None),  # a date, but no stamp label
]


@pytest.mark.parametrize(("lines", "order", "date", "span"), STAMPS, ids=[s[0][0][:30] for s in STAMPS])
def test_find_stamp(rules, lines, order, date, span):
    stamp = find_stamp(lines, order, rules.stamps)
    assert (stamp.date if stamp else None) == date
    if stamp:
        assert stamp.span == span


@pytest.mark.parametrize(
    ("line", "date", "span"),
    [
        ("WASHINGTON, Jan. 5, 2024 -- The department said.", dt.date(2024, 1, 5), (0, 27)),
        ("BRUSSELS, 7 March 2022 – NATO allies met.", dt.date(2022, 3, 7), (0, 24)),
        ("WASHINGTON, Feb 26 - A panel voted.", None, None),  # no year: no stamp
        ("The talks in Washington, Jan. 5, 2024 - were long.", None, None),  # not at the start
    ],
    ids=["month-day-year", "day-month-year", "no-year", "mid-sentence"],
)
def test_dateline_stamp(rules, line, date, span):
    stamp = dateline_stamp([line], 0, "MDY", rules.stamps)
    assert (stamp.date, stamp.span) == (date, span) if stamp else date is None


def test_only_the_first_paragraph_has_a_dateline(rules):
    page = "Roundup\n\nAid talks went on this week in three capitals.\n\nBAGHDAD, March 3, 2019 - Officials met."
    result = clean_text(page, rules)
    assert result.published is None  # a roundup's later paragraph quotes another item's dateline
    assert [result.text[start:end] for start, end in result.stamps] == ["BAGHDAD, March 3, 2019 -"]  # still no date row


def test_parse_stamp_date_needs_day_month_and_year(rules):
    assert parse_stamp_date("March 2016", "MDY", rules.stamps) is None
    assert parse_stamp_date("2024-01-05", "DMY", rules.stamps) == dt.date(2024, 1, 5)


def test_block_rules_paragraphs_and_end(tmp_path, rules):
    path = tmp_path / "cleaning.yml"
    text = (RULES / "cleaning.yml").read_text(encoding="utf-8")
    path.write_text(
        text.replace("blocks:\n", "blocks:\n  - start: '^Box$'\n    end: '^End box$'\n    why: boxed aside\n", 1),
        encoding="utf-8",
    )
    custom = load_cleaning_rules(tmp_path)
    page = "A title\n\nFirst sentence here.\n\nBox\n\nInside the box, $9 million.\n\nEnd box\n\nLast sentence here.\n\nRelated stories\n\nOne link (2020)\nTwo link (2021)\n\nAfter the list, a sentence."
    result = clean_text(page, custom)
    assert reasons(result)["Inside the box, $9 million."] == "block rule: boxed aside"
    assert reasons(result)["Two link (2021)"] == "block rule: related-links list"
    assert "Last sentence here." in result.text and "After the list, a sentence." in result.text


def test_a_site_is_found_by_file_name_or_by_text(rules):
    assert clean_text("Story\n\nA sentence.", rules, path="nato-summit.txt").source == "NATO"
    assert clean_text("Story\n\nA sentence.\n\nJoin the GlobalSecurity.org mailing list", rules).source == "GlobalSecurity.org"


def test_the_sites_date_order_is_passed_on_and_never_the_stamps_default(rules):
    """The dates stage reads a page's numeric dates by its site's order; a page of no known site
    gets None, not stamps.date_order, so that the dates stage does not guess."""
    assert clean_text("Story\n\nA sentence.", rules, path="nato-summit.txt").date_order == "DMY"
    assert clean_text("Story\n\nA sentence.", rules, path="dod-briefing.txt").date_order == "MDY"
    assert rules.stamps.date_order is not None
    assert clean_text("Story\n\nA sentence.", rules, path="riga-review.txt").date_order is None


@pytest.mark.parametrize(
    ("yaml", "line", "message"),
    [
        ("sites:\n  - name: X\n    date_ordr: DMY\n", 3, "unknown key 'date_ordr'"),
        ("sites:\n  - name: X\n    date_order: DM\n", 3, "'sites.0.date_order'"),
        ("blocks:\n  - start: '^A$'\n    paragraphs: two\n", 3, "'blocks.0.paragraphs'"),
        ("sites:\n  - name: X\n    match: ['(']\n", 3, "bad regular expression"),
    ],
    ids=["site-unknown-key", "site-bad-date-order", "block-bad-paragraphs", "site-bad-regex"],
)
def test_cleaning_rule_errors_name_file_and_line(tmp_path, yaml, line, message):
    (tmp_path / "cleaning.yml").write_text(yaml, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_cleaning_rules(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'cleaning.yml'}:{line}: ")
    assert message in str(caught.value)


def test_diff_lines_show_kept_and_dropped_lines_with_numbers(rules):
    result = clean_text("Skip to main content\n\nNew radars\n\n" + ARTICLE, rules)
    assert diff_lines(result) == [
        "-    1 [heuristic: prompt] Skip to main content",
        "     3 New radars",
        f"     5 {ARTICLE}",
    ]


HTML = """<!doctype html><html><head>
<title>Coastal radars bought | Baltic Defence Review</title>
<meta property="og:title" content="Coastal radars bought">
<meta property="og:site_name" content="Baltic Defence Review">
<meta property="article:published_time" content="2021-05-04T09:00:00+03:00">
<link rel="canonical" href="https://www.baltic-defence.example.org/news/radars">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/about">About</a></li></ul></nav>
<article><h1>Coastal radars bought</h1>
<p>The ministry signed a contract worth EUR 40 million for coastal radars on 3 May 2021, officials said.</p>
<p>Deliveries are due by the end of 2023 under the Baltic Security Fund, the second such purchase since 2019.</p>
<p>Share this article</p>
</article>
<footer><p>© 2021 Baltic Defence Review. All rights reserved.</p><p>Privacy | Cookies | Contact</p></footer>
</body></html>"""


def test_html_main_text_and_metadata(rules):
    result = clean_html(HTML, rules)
    assert result.title == "Coastal radars bought"
    assert result.published == dt.date(2021, 5, 4)
    assert result.source == "Baltic Defence Review"
    assert "The ministry signed a contract worth EUR 40 million" in result.text
    assert "Deliveries are due by the end of 2023" in result.text
    for chrome in ("Home", "About", "Share this article", "All rights reserved", "Privacy"):
        assert chrome not in result.text


def test_html_without_metadata_falls_back_to_the_text(rules):
    page = (
        "<html><body><div><p>Posted on March 4, 2019</p><h2>Radar deal</h2>"
        "<p>The ministry signed a contract worth EUR 40 million for coastal radars, officials said on Monday.</p>"
        "<p>Deliveries of the coastal radars are due by the end of 2023, the ministry added in its statement.</p></div></body></html>"
    )
    result = clean_html(page, rules)
    assert result.published == dt.date(2019, 3, 4)
    assert "EUR 40 million" in result.text and "Posted on" not in result.text


def test_an_all_chrome_page_still_says_its_date_and_site(rules):
    result = clean_text("Join the GlobalSecurity.org mailing list\n\nPage last modified: 06-01-2020 17:30:01 ZULU\n", rules)
    assert (result.text, result.published, result.source) == ("", dt.date(2020, 1, 6), "GlobalSecurity.org")


def test_a_text_without_a_sentence_keeps_its_lines(rules):
    result = clean_text("Baltic Defence Review\n\nNews", rules)
    assert (result.text, result.short_text) == ("Baltic Defence Review\n\nNews", True)


def test_a_one_line_headline_is_content(rules):
    result = clean_text("Pentagon approves $1.2 billion sale to Iraq\n", rules)
    assert (result.text, result.title) == ("Pentagon approves $1.2 billion sale to Iraq",) * 2


def test_a_few_short_lines_under_a_stamp_are_kept(rules):
    result = clean_text("Last updated: 7 November 2016\n\nI'll go back Oct. 2\nSales rose in March", rules)
    assert result.published == dt.date(2016, 11, 7)
    assert result.text == "I'll go back Oct. 2\nSales rose in March" and result.short_text


def test_short_lines_beside_an_article_are_still_a_menu(rules):
    text = "Home\nNews\nAbout\n\nThe ministry signed a contract worth EUR 40 million for coastal radars."
    result = clean_text(text, rules)
    assert result.text.startswith("The ministry") and not result.short_text


def test_chrome_makes_short_lines_a_web_page_without_an_article(rules):
    result = clean_text("Share this page\n\nPentagon approves sale to Iraq", rules)
    assert (result.text, result.short_text) == ("", False)


def test_html_with_no_text_is_empty(rules):
    assert clean_html("<html><body><nav><a href='/'>Home</a></nav></body></html>", rules).text == ""


def test_a_run_reads_html_files_and_keeps_the_dateline_out_of_dates(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "radars.html").write_text(HTML, encoding="utf-8")
    shutil.copy(FIXTURES / "texts" / "press-release-gpoi-west-africa.txt", raw)
    extract.run(raw, tmp_path / "out", RULES)
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    assert documents.loc["radars", ["status", "title", "published", "source"]].tolist() == [
        "ok", "Coastal radars bought", "2021-05-04", "Baltic Defence Review",
    ]
    assert documents.loc["press-release-gpoi-west-africa", "published"] == "2024-01-05"
    clean = (tmp_path / "out" / "clean" / "radars.txt").read_text(encoding="utf-8")
    assert "<p>" not in clean and "EUR 40 million" in clean
    dates = pd.read_csv(tmp_path / "out" / "dates.csv", dtype=str, keep_default_na=False)
    release = dates[dates.doc_id == "press-release-gpoi-west-africa"]
    assert not any(int(start) < 27 for start in release.char_start), "no date row inside the dateline"




@pytest.mark.parametrize(
    "run",
    ["$" * 5000, "QUJD" * 2000, "€£¥₹" * 300 + "x"],
    ids=["currency-signs", "base64-like", "mixed-symbols"],
)
def test_a_run_without_spaces_is_no_prose(rules, run):
    page = "New radars for the coast\n\n" + ARTICLE + "\n\n" + run + "\n\nThe radars enter service in 2023."
    result = clean_text(page, rules)
    assert run not in result.text
    assert "without a space" in reasons(result)[run]
    assert ARTICLE in result.text and "The radars enter service in 2023." in result.text


def test_a_long_web_address_is_kept(rules):
    line = "The full report is at https://example.org/" + "a/" * 100 + "report.pdf for readers."
    result = clean_text("New radars for the coast\n\n" + ARTICLE + "\n\n" + line, rules)
    assert line in result.text
