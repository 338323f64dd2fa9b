"""Mark the lines of a page that are site chrome, each with the rule or heuristic that says so.

Two kinds of evidence. Rules (rules/cleaning.yml) name what a person has seen:
a .gov banner, a mailing-list prompt, a FAQ block. Heuristics catch chrome on
sites nobody wrote a rule for, by its shape: runs of short menu-like lines,
link lists ("Facebook | Twitter"), breadcrumbs ("News > Releases"), prompts
("Share", "Subscribe"), short lines trailing after the article, and lines that
repeat across many documents of the same site. Every function here only marks
lines; `Line.why` says which rule or heuristic dropped it, for `extract clean --diff`.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..rules import search
from ..words import fold
from .rules import Heuristics

SENTENCE_END = re.compile(r"[.!?;][\"'”’)\]]*$")


BREADCRUMB = re.compile(r"\s+(?:>|/|»|›)\s+")


LINK_SEPARATOR = re.compile(r"\s+[|·]\s+")  # `Home | News`, `Jane Doe · 18 May 2021`: between links, bylines, stamp parts


LIST_MARK = re.compile(r"^[-•*·–]\s")


AMOUNT = re.compile(r"[$€£¥]\s?\d|\d\s?(?:million|billion|trillion|bn|mn)\b", re.IGNORECASE)  # "$7 million", "7 billion"






@dataclass
class Line:
    """One line of the page: its number in the input, its text, its paragraph, and why it was dropped."""

    number: int
    text: str
    block: int  # lines of one paragraph (no blank line between them) share a block number
    indented: bool = False
    why: str | None = None
    protected: bool = False  # the headline found above the page's stamp: no heuristic drops it

    @property
    def kept(self) -> bool:
        return self.why is None and bool(self.text)


def words(text: str) -> int:
    return len(text.split())


def is_menu_like(text: str, heuristics: Heuristics) -> bool:
    """Short and not a sentence (nor a lead-in sentence ending in a colon): a menu entry, a heading, a link title."""
    if is_lead_in(text):
        return False
    return words(text) <= heuristics.short_line_words and not SENTENCE_END.search(text)


def is_lead_in(text: str) -> bool:
    """ "The package includes the following systems:" introduces an article's list."""
    return text.endswith(":") and words(text) >= 5


def drop(line: Line, why: str) -> None:
    """Mark a line dropped unless an earlier rule already did (the first reason is the one shown)
    or it is the protected headline."""
    if line.why is None and line.text and not line.protected:
        line.why = why


def kept(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.kept]


def mark_unbroken_runs(lines: list[Line], heuristics: Heuristics) -> None:
    """A line with a run of more than `max_word_chars` characters and no space is not prose.

    Encoded data, a minified script or a wall of symbols carries no article text,
    and spaCy's tokenizer takes time that grows with the square of such a run's
    length (10,000 "$" in a row took 48 s), so it goes before anything else.
    """
    limit = heuristics.max_word_chars
    for line in kept(lines):
        if len(line.text) > limit and any(len(word) > limit for word in line.text.split()):
            drop(line, f"heuristic: a run of more than {limit} characters without a space")


def mark_prompts(lines: list[Line], heuristics: Heuristics) -> None:
    """ "Share", "Subscribe to ...", "Sign up": the prompt and the rest of its short paragraph."""
    for line in kept(lines):
        if any(search(p, line.text) for p in heuristics.prompts):
            paragraph = [other for other in lines if other.block == line.block and other.text]
            if len(paragraph) <= heuristics.prompt_paragraph_lines:
                for other in paragraph:
                    drop(other, "heuristic: prompt")
            else:
                drop(line, "heuristic: prompt")


def mark_comment_section(lines: list[Line], heuristics: Heuristics) -> None:
    """Readers' comments under a post, and the comment form: from where they start to the end of the page.

    Comments are user content, not the article, and their amounts and dates
    would be false rows. The section starts at a heading ("2 comments") or a
    comment marker (a "Reply" link, "Ana says:", a commenter's "- 3 May 2021
    at 18:41") that has another marker or the form close below it, or at the
    comment form ("Leave a reply"). Only after a sentence of the article: a
    "Leave a comment" link under the headline is no comment section.
    """
    remaining = kept(lines)
    start = next(
        (
            position
            for position, line in enumerate(remaining)
            if starts_comments(remaining, position, heuristics)
            and any(not is_menu_like(before.text, heuristics) for before in remaining[:position])
        ),
        None,
    )
    if start is None:
        return
    for line in remaining[start:]:
        drop(line, "heuristic: comment section")


def starts_comments(remaining: list[Line], position: int, heuristics: Heuristics) -> bool:
    """True when the comment section starts at this line (see `mark_comment_section`)."""
    rules = heuristics.comments
    text = remaining[position].text
    if matches_any(rules.forms, text):
        return True
    if not (matches_any(rules.headings, text) or is_comment_marker(text, heuristics)):
        return False
    below = remaining[position + 1 : position + 1 + rules.marker_lines]
    return any(is_comment_marker(line.text, heuristics) or matches_any(rules.forms, line.text) for line in below)


def is_comment_marker(text: str, heuristics: Heuristics) -> bool:
    """A short line that only a comment has: "Reply", "Ana says:", "Tom K. - 3 May 2021 at 18:41"."""
    return is_menu_like(text, heuristics) and matches_any(heuristics.comments.markers, text)


def matches_any(patterns: list[str], text: str) -> bool:
    return any(search(pattern, text) for pattern in patterns)


def mark_link_lists(lines: list[Line], heuristics: Heuristics) -> None:
    """ "Facebook | Twitter | Email": two or more short segments between bars or dots."""
    for line in kept(lines):
        if is_link_list(line.text, heuristics):
            drop(line, "heuristic: link list")


def is_link_list(text: str, heuristics: Heuristics) -> bool:
    segments = LINK_SEPARATOR.split(text)
    short = len(segments) >= 2 and all(words(s) <= heuristics.link_segment_words for s in segments)
    return short and not SENTENCE_END.search(text)


def mark_breadcrumbs(lines: list[Line], heuristics: Heuristics) -> None:
    """ "News > Releases", "Home / Research / Commentary"."""
    for line in kept(lines):
        segments = BREADCRUMB.split(line.text)
        if len(segments) >= 2 and all(0 < words(s) <= heuristics.breadcrumb_segment_words for s in segments):
            if not SENTENCE_END.search(line.text):
                drop(line, "heuristic: breadcrumb")


def mark_menu_runs(lines: list[Line], heuristics: Heuristics) -> None:
    """Two or more short non-sentence lines in one paragraph: a menu, a link list, a byline block.

    Indented lines are left alone: in wire copy they are table rows ("    Net 12.6 mln vs 15.8 mln").

    A run right after a lead-in sentence ending in a colon ("The package includes:")
    is an article's list and stays.
    """
    paragraphs: dict[int, list[Line]] = {}
    for line in kept(lines):
        paragraphs.setdefault(line.block, []).append(line)
    for paragraph in paragraphs.values():
        run: list[Line] = []
        for candidate in [*paragraph, None]:  # None ends the last run
            if candidate is not None and not candidate.indented and is_menu_like(candidate.text, heuristics):
                run.append(candidate)
                continue
            if (
                len(run) >= heuristics.menu_run_lines
                and not follows_lead_in(run[0], paragraph)
                and not is_article_list(run, heuristics)
            ):
                for member in run:
                    drop(member, "heuristic: menu run")
            run = []


def is_article_list(run: list[Line], heuristics: Heuristics) -> bool:
    """Bulleted items of some length ("- Pledged $2.3bn for tsunami victims") are the article's list, not a menu."""
    bulleted = all(LIST_MARK.match(line.text) for line in run)
    return bulleted and sum(words(line.text) for line in run) > heuristics.list_item_words * len(run)


def follows_lead_in(first: Line, paragraph: list[Line]) -> bool:
    """True when the line before `first` in its paragraph is a sentence ending in a colon."""
    position = paragraph.index(first)
    return position > 0 and is_lead_in(paragraph[position - 1].text)


def mark_trailing_lines(lines: list[Line], heuristics: Heuristics) -> None:
    """Short non-sentence lines after the article's last sentence: site name, an unrelated headline."""
    remaining = kept(lines)
    start = len(remaining)
    while start > 1 and not remaining[start - 1].indented and is_trailing_chrome(remaining[start - 1].text, heuristics):
        start -= 1
    before = remaining[start - 1] if start < len(remaining) else None
    if before is not None and before.block == remaining[start].block and is_lead_in(before.text):
        return  # the article's own list, introduced by "... the following:"
    if len(remaining) - start > heuristics.trailing_max_lines:
        return  # a long list at the end is the article's (award nominees, programs), not a footer
    for line in remaining[start:]:
        drop(line, "heuristic: trailing short line")


def is_trailing_chrome(text: str, heuristics: Heuristics) -> bool:
    """A short non-sentence that is not a statement of an amount: "The fund paid $7 million in
    2021" without its full stop (a page cut short, a malformed one) is the article's, not a footer."""
    return is_menu_like(text, heuristics) and not (AMOUNT.search(text) and words(text) >= heuristics.trailing_amount_words)


def mark_pages_without_sentences(lines: list[Line], heuristics: Heuristics) -> None:
    """A web page whose kept lines are all short non-sentences has no article: menus and headings
    only (a headline found above the stamp included: a headline alone is no article)."""
    if is_short_text(lines, heuristics):
        for line in kept(lines):
            line.protected = False
            drop(line, "heuristic: no sentence on the page")


def is_short_text(lines: list[Line], heuristics: Heuristics) -> bool:
    """True when no kept line is a sentence or an indented table row: a headline alone
    ("Pentagon approves $1.2 billion sale to Iraq"), a few such lines, a list of titles.
    Such a text is content, not a page of menus around an article."""
    return all(is_menu_like(line.text, heuristics) and not line.indented for line in kept(lines))


def beside_chrome(line: Line, lines: list[Line]) -> bool:
    """True when another line of the same paragraph was dropped as chrome (a stamp does not count)."""
    return any(
        other is not line and other.block == line.block and other.why and not other.why.startswith("stamp")
        for other in lines
    )


def mark_repeated_title(lines: list[Line], title: str | None) -> None:
    """A later repeat of the headline starts appended material (FAQ, related pages)."""
    if not title:
        return
    seen = False
    for line in kept(lines):
        if line.text == title:
            if seen:
                drop(line, "heuristic: repeated title")
            seen = True


def line_key(text: str) -> str:
    """A short, stable fingerprint of a line, blind to case and spacing."""
    normal = fold(text)
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=8).hexdigest()


@dataclass
class SiteLines:
    """How many documents of each site hold each line (as fingerprints), counted in a first pass.

    Counting fingerprints, not texts, keeps the pass cheap in memory; the
    counts depend only on the documents, so a run stays deterministic.
    """

    documents: Counter[str] = field(default_factory=Counter)
    lines: dict[str, Counter[str]] = field(default_factory=dict)
    found: dict[tuple[str, int, float], frozenset[str]] = field(default_factory=dict)  # repeated(), once per site

    def add(self, site: str, texts: Iterable[str]) -> None:
        self.documents[site] += 1
        keys = {line_key(text) for text in texts if any(c.isalpha() for c in text)}
        self.lines.setdefault(site, Counter()).update(keys)
        self.found.clear()

    def view(self, site: str, heuristics: Heuristics) -> SiteView:
        """What one document of `site` may learn of the site's other documents."""
        return SiteView(site, self.repeated(site, heuristics), self.lines.get(site, Counter()))

    def agrees(self, asked: Asked, heuristics: Heuristics) -> bool:
        """Whether the site's documents give every answer that cleaning a document got from them before."""
        view = self.view(asked.site, heuristics)
        return all(view.answer(question, key) == answer for (question, key), answer in asked.answers.items())

    def repeated(self, site: str, heuristics: Heuristics) -> frozenset[str]:
        """Fingerprints of lines found in enough of the site's documents to be its chrome.

        Worked out once per site (every line the site's documents hold is
        counted), then kept: each of its documents asks.
        """
        key = (site, heuristics.repeated_min_documents, heuristics.repeated_min_share)
        if key not in self.found:
            total = self.documents.get(site, 0)
            needed = max(heuristics.repeated_min_documents, heuristics.repeated_min_share * total)
            counts = self.lines.get(site, Counter())
            self.found[key] = frozenset(line for line, count in counts.items() if count >= needed)
        return self.found[key]


def mark_repeated_lines(lines: list[Line], site: SiteView) -> None:
    """Lines that many documents of the same site share: navigation, footers, sign-offs."""
    for line in kept(lines):
        if site.is_repeated(line.text):
            drop(line, "heuristic: repeated on site")


@dataclass
class Asked:
    """What cleaning one document asked of its site's other documents, and the answers: its cleaned text
    depends on them alone, so a cached one holds while the answers do (see SiteLines.agrees)."""

    site: str
    answers: dict[tuple[str, str], bool] = field(default_factory=dict)  # (question, line key) -> answer


class SiteView:
    """The other documents of a document's site, as cleaning it sees them; each answer noted in `asked`."""

    def __init__(self, site: str = "", repeated: frozenset[str] = frozenset(), counts: Mapping[str, int] | None = None) -> None:
        self.repeated = repeated
        self.counts = counts or {}
        self.asked = Asked(site)

    def is_repeated(self, line: str) -> bool:
        """Whether the line stands in enough of the site's documents to be its chrome."""
        return self.noted("repeated", line_key(line))

    def on_other_pages(self, line: str) -> bool:
        """Whether another document of the site holds the line too."""
        return self.noted("shared", line_key(line))

    def noted(self, question: str, key: str) -> bool:
        answer = self.answer(question, key)
        self.asked.answers[(question, key)] = answer
        return answer

    def answer(self, question: str, key: str) -> bool:
        return key in self.repeated if question == "repeated" else self.counts.get(key, 0) > 1
