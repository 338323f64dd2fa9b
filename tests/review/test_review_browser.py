"""The review report in a real browser: headless Chromium from Debian, driven by Playwright.

Run them with `pytest tests/test_review_browser.py`; they need `apt-get install
chromium` (or CHROMIUM=/path/to/chromium) and fail, not skip, without it.
Screenshots land in each test's tmp_path.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

import extract
from extract.review import build_report

from ..conftest import RAW, RULES
from .test_review import HOSTILE, output_folder

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM=/path/to/it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that records script errors and blocks every request off the file system."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
    page.remote = []  # type: ignore[attr-defined]
    page.route(lambda url: not url.startswith("file:"), lambda route: (page.remote.append(route.request.url), route.abort()))  # type: ignore[attr-defined]
    yield page
    context.close()


def open_report(page: Page, out: Path) -> None:
    page.goto((out / "review" / "index.html").as_uri())
    expect(page.locator("#queue")).to_be_visible()


@pytest.fixture(scope="module")
def bad_input_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run over one good text, an empty file and a text (and file name) holding a script tag and an onerror."""
    raw = tmp_path_factory.mktemp("bad-raw")
    shutil.copy(RAW / "nato-relations-with-iraq.txt", raw)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "hostile.txt").write_text(
        f"Talks {HOSTILE}\n\nThe United States gave $5 million to Iraq in 2015 {HOSTILE} under FMF.\n", encoding="utf-8"
    )
    (raw / "x<img src=y onerror=window.PWNED=3>.txt").write_text("Iraq got $7 million in 2016.\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("bad-out")
    extract.run(raw, out, RULES)
    return out


def test_clicking_a_money_row_shows_its_highlight_and_row(page, raw_run, tmp_path):
    out, _ = raw_run
    open_report(page, out)
    page.click("nav a[href='#money']")
    row = page.locator("#money tbody tr").nth(2)
    text = row.locator("td").nth(3).inner_text()  # doc_id, char_start, char_end, text, ...
    row.click()
    current = page.locator("#doc-text .seg.current")
    expect(current.first).to_be_visible()
    assert "".join(current.all_inner_texts()) == text
    expect(page.locator("#tip")).to_be_visible()
    expect(page.locator("#tip")).to_contain_text("amount")
    page.screenshot(path=tmp_path / "money-row.png")
    assert page.errors == [] and page.remote == []


def test_filtering_and_sorting_a_table(page, raw_run, tmp_path):
    out, _ = raw_run
    open_report(page, out)
    page.click("nav a[href='#dates']")
    rows = page.locator("#dates tbody tr")
    expect(rows.first).to_be_visible()
    everything = rows.count()
    page.fill("#dates input.filter", "granularity=year 2011")
    expect(page.locator("#dates .info")).to_contain_text(" of ")
    assert 0 < rows.count() < everything
    for cells in rows.all_inner_texts():
        assert "2011" in cells and "year" in cells
    page.fill("#dates input.filter", "")
    page.click("#dates th button:text-is('date_start')")
    page.click("#dates th button:text-is('date_start')")
    starts = [row.locator("td").nth(4).inner_text() for row in rows.all()[:5]]
    assert starts == sorted(starts, reverse=True) and starts[0]
    page.screenshot(path=tmp_path / "dates-filtered.png")
    assert page.errors == []


def test_hovering_a_highlight_shows_its_row(page, raw_run):
    out, _ = raw_run
    open_report(page, out)
    page.goto((out / "review" / "index.html").as_uri() + "#doc/0")
    highlight = page.locator("#doc-text .seg.hl-programs").first
    highlight.hover()
    expect(page.locator("#tip")).to_be_visible()
    expect(page.locator("#tip")).to_contain_text("program_id")


def test_a_bad_input_run_lists_failures_and_runs_no_script_from_the_texts(page, bad_input_run, tmp_path):
    open_report(page, bad_input_run)
    title = page.title()
    expect(page.locator("ul.failed")).to_contain_text("empty.txt: empty file")
    page.click("nav a[href='#documents']")
    expect(page.locator("#documents tbody")).to_contain_text("<img src=y onerror=window.PWNED=3>")
    page.locator("#documents tbody tr", has_text="hostile").click()
    text = page.locator("#doc-text")
    expect(text).to_contain_text(HOSTILE)
    assert page.locator("#doc-text script, #doc-text img, #documents img").count() == 0
    page.locator("#doc-text .seg.hl-money").first.hover()
    expect(page.locator("#tip")).to_be_visible()
    page.goto((bad_input_run / "review" / "index.html").as_uri() + "#doc/3")
    expect(page.locator("#doc h2")).to_contain_text("onerror")  # the file name, as the document's heading
    page.screenshot(path=tmp_path / "hostile.png", full_page=True)
    assert page.evaluate("typeof window.PWNED") == "undefined"
    assert page.title() == title and "pwned" not in title
    assert page.errors == []


def test_the_queue_groups_flags_and_lists_changes(page, tmp_path):
    out = output_folder(tmp_path / "out")
    build_report(out)
    open_report(page, out)
    groups = page.locator("#queue-rows details.group")
    expect(groups).to_have_count(3)  # relative, scale_inferred, year_inferred
    expect(page.locator("#changes-rows tbody tr")).to_have_count(2)
    group = page.locator("details[data-flag='scale_inferred']")
    group.locator("summary").click()
    group.locator("tbody tr").first.click()
    current = page.locator("#doc-text .seg.current")
    expect(current).to_have_text("£3m")  # after an emoji: offsets counted as JavaScript counts them
    expect(page.locator("#tip")).to_contain_text("scale_inferred")
    expect(page.locator("#tip")).to_contain_text("facts links")
    page.screenshot(path=tmp_path / "queue.png")
    assert page.evaluate("typeof window.PWNED") == "undefined"
    assert page.errors == []


def test_charts_show_without_javascript(browser, tmp_path):
    out = output_folder(tmp_path / "out")
    build_report(out)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((out / "review" / "index.html").as_uri())
    expect(page.locator("#charts svg.chart")).to_have_count(4)
    expect(page.locator("#charts svg.chart").first).to_be_visible()
    expect(page.locator("ul.failed")).to_be_visible()
    page.screenshot(path=tmp_path / "no-javascript.png", full_page=True)
    context.close()
