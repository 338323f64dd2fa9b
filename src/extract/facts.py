"""Link every amount of money to what the text ties it to: program, period, recipient, provider.

Rules over the spans the other stages found, read in the amount's own clause
(LABELING.md, Facts). No dependency parse: the pipeline runs without the
parser (see extract.nlp), and the cues that decide a link are few and
lexical: the preposition before a name (`to Iraq`, `for Jordan`, `in FMF`),
the verb between a name and the amount (`Iraq borrowed`, `the U.S. provided`),
the amount a date or a program stands next to.

How one sentence is read:
1. Each amount gets a zone: the stretch of the sentence from the clause break
   after the amount before it to the clause break after itself. Names in a
   zone belong to its amount, so that in "at least $1.3 billion for Jordan,
   including $425 million in FMF" FMF is the second amount's program only.
2. In its zone, an amount takes the nearest program (and programs joined to
   it by "and"), the nearest date that is not about another event (`created in
   2004`, `announced today`, a date in brackets), and the parties in the roles
   their cue words give them.
3. "respectively" pairs amounts and dates in order. An amount that names no
   program, party or date of its own takes those of the amount before it in
   the sentence ("..., of which 150 million", "including $425 million"), but
   a comparison ("down from $1.365 billion in 2011") keeps its own date.
4. Fallbacks, each flagged: a program referred to (`the program`, `this`)
   from the sentence before when it names exactly one; a recipient from the
   title for a transfer; the provider from the publishing government.
5. A repeat: the same amount in the same currency told earlier with no link
   that disagrees and at least one that agrees (a headline and its body).

Pure functions over text and offsets: tested without spaCy.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .parties import Party

# ---------------------------------------------------------------- inputs and output


@dataclass(frozen=True)
class Amount:
    """A money row: where it stands and what it is."""

    start: int
    end: int
    amount: Decimal | None
    currency: str | None
    amount_high: Decimal | None = None


@dataclass(frozen=True)
class ProgramRef:
    """A programs row."""

    start: int
    end: int
    program_id: str


@dataclass(frozen=True)
class Period:
    """A dates row (or two joined: `in FY2016 and FY2017`)."""

    start: int
    end: int
    date_start: dt.date | None
    date_end: dt.date | None
    granularity: str | None


@dataclass
class Fact:
    """What the text ties one amount to; the facts table's row for it."""

    amount: Amount
    program_ids: tuple[str, ...] = ()
    period: Period | None = None
    recipient: str | None = None
    provider: str | None = None
    repeat_of: int | None = None  # char_start of the first mention of the same fact
    rules: list[str] = field(default_factory=list)  # the steps that made the links
    flags: list[str] = field(default_factory=list)  # link_* when a link came from outside the sentence

    @property
    def start(self) -> int:
        return self.amount.start

    @property
    def end(self) -> int:
        return self.amount.end


@dataclass(frozen=True)
class Context:
    """What a document offers beyond its sentences: the countries its title names as receiving, and the publisher."""

    title_countries: tuple[str, ...] = ()
    publisher: str | None = None

    @classmethod
    def of(cls, title: str | None, title_parties: Sequence[Party], publisher: str | None) -> Context:
        return cls(title_recipients(title or "", title_parties), publisher)


def title_recipients(title: str, parties: Sequence[Party]) -> tuple[str, ...]:
    """The countries a title names, less those it names as the giver ("United States Commits ...", "U.S. Security Assistance")."""
    codes = []
    for party in parties:
        after = title[party.end :]
        if len(party.code) != 3 or TITLE_ACTOR.match(after) or PROVIDER_NOUN.match(after):
            continue
        codes.append(party.code)
    return tuple(dict.fromkeys(codes))


# ---------------------------------------------------------------- cue words

PUNCTUATION_BREAK = re.compile(r"[;:(),\u2013\u2014]|\s-\s")
BREAK = re.compile(r"\b(?:and|or|while|but|whereas)\b")
WORD = re.compile(r"[\w$€£¥][\w.'\u2019$€£¥-]*")
RECIPIENT_BEFORE = re.compile(r"\b(?:to|for|into|toward|towards|on behalf of)\s+(?:the\s+|its\s+|their\s+)?$", re.IGNORECASE)
WEAK_RECIPIENT_BEFORE = re.compile(r"\b(?:with|in)\s+(?:the\s+)?$", re.IGNORECASE)
PROVIDER_BEFORE = re.compile(r"\b(?:by|from)\s+(?:the\s+)?$", re.IGNORECASE)
GIVE_VERBS = (
    r"provid\w*|gave|give\w*|grant\w*|invest\w*|commit\w*|pledg\w*|donat\w*|fund\w*|spen[dt]\w*|allocat\w*"
    r"|contribut\w*|lend\w*|lent|loan\w*|sell\w*|sold|export\w*|transfer\w*|deliver\w*|authori[sz]\w*|announc\w*"
    r"|approv\w*|appropriat\w*|notif\w*|offer\w*|paid|pay\w*|request\w*|add\w*|award\w*|has|have|had|will|would"
)
RECEIVE_VERBS = r"borrow\w*|receiv\w*|purchas\w*|bought|buy\w*|import\w*|obtain\w*|need\w*|get|gets|got|accept\w*|utili[sz]e\w*"
GIVE = re.compile(rf"\b(?:{GIVE_VERBS})\b", re.IGNORECASE)
RECEIVE = re.compile(rf"\b(?:{RECEIVE_VERBS})\b", re.IGNORECASE)
GIVE_OBJECT = re.compile(r"\b(?:provid\w*|gave|give\w*|grant\w*|lent|lend\w*|offer\w*|sold|sell\w*)\s+(?:the\s+)?$", re.IGNORECASE)
PROVIDER_NOUN = re.compile(  # a name right before these words is the one that gives: "U.S. FMF", "US exports"
    r"^\s*(?:['\u2019]s\s+)?(?:\w+\s+){0,2}?(?:exports?|aid|assistance|funding|funds?|grants?|loans?|support|"
    r"contributions?|money|government|taxpayers?|sales?|financing|military|embassy|trust fund)\b",
    re.IGNORECASE,
)
RECIPIENT_NOUN = re.compile(r"^\s*(?:['\u2019]s\s+)?(?:\w+\s+){0,2}?(?:purchases?|imports?|borrowing|needs?)\b", re.IGNORECASE)
EVENT_VERBS = (
    r"announc\w*|said|says|told|notif\w*|signed|sign|established|created|set\s+up|founded|launched|reported|met|"
    r"visited|agreed|unveiled|argued"
)
EVENT_BEFORE = re.compile(rf"\b(?:{EVENT_VERBS})\b(?:\s+\w+){{0,2}}?\s+(?:on|in|at)?\s*$", re.IGNORECASE)
EVENT_AFTER = re.compile(rf"^\s*(?:\w+\s+)?(?:{EVENT_VERBS})\b", re.IGNORECASE)
COMPARISON = re.compile(
    r"\b(?:down|up)\s+from\s+(?:\w+\s+)?$|\b(?:compared\s+(?:with|to)|versus|than|from)\s+(?:\w+\s+)?$", re.IGNORECASE
)
PARTITIVE = re.compile(r"\b(?:of\s+which|including|includes|of\s+this|of\s+that)\s+(?:\w+\s+)?$", re.IGNORECASE)
RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
JOINED = re.compile(r"^[\s,]*(?:and|or|as well as|&)?\s*(?:the\s+)?(?:former|current|new|its)?\s*$", re.IGNORECASE)
DATE_JOINED = re.compile(r"^\s*(?:and|to|through|until|-|\u2013)\s*$", re.IGNORECASE)
TITLE_ACTOR = re.compile(rf"^\s+(?:{GIVE_VERBS}|extends?|sends?)\b", re.IGNORECASE)
REFERENCE = re.compile(
    r"\b(?:the|this|that|these|those|its|their)\s+(?:\w+\s+)?(?:program(?:me)?|fund|initiative|facility|mission|"
    r"account|mechanism|scheme|instrument|authority)s?\b|\bit\b|\bits\b|\bof\s+this\b|\bof\s+that\b",
    re.IGNORECASE,
)
TRANSFER = re.compile(
    r"\b(?:aid|assistance|grants?|loans?|credit|sales?|sold|sell|exports?|provid\w*|fund\w*|financ\w*|deliver\w*|"
    r"transfer\w*|donat\w*|pledg\w*|commit\w*|invest\w*|support\w*|train\w*|equip\w*|purchas\w*|borrow\w*|"
    r"deals?|contracts?|package|packages|tranches?|allocat\w*|appropriat\w*|contribut\w*|spent|spend\w*)\b",
    re.IGNORECASE,
)
NOT_TRANSFER = re.compile(r"\b(?:two-way\s+trade|trade|cost|costs|price|prices|outlay|budget|revenue|gdp|worth\s+of\s+damage)\b", re.IGNORECASE)


def words(text: str) -> int:
    """How many words a stretch of text holds: the distance measure of every choice here."""
    return len(WORD.findall(text))


# ---------------------------------------------------------------- one document


def link_document(
    text: str,
    sentences: Sequence[tuple[int, int]],
    amounts: Sequence[Amount],
    programs: Sequence[ProgramRef],
    dates: Sequence[Period],
    parties: Sequence[Party],
    context: Context = Context(),
) -> list[Fact]:
    """One Fact per amount, in the amounts' order."""
    facts = []
    previous_programs: list[ProgramRef] = []
    for sent_start, sent_end in sentences:
        inside = [a for a in amounts if sent_start <= a.start < sent_end]
        sent_programs = [p for p in programs if sent_start <= p.start < sent_end]
        if inside:
            sentence = Sentence(
                text, sent_start, sent_end, inside, sent_programs,
                [d for d in dates if sent_start <= d.start < sent_end],
                [p for p in parties if sent_start <= p.start < sent_end and not covered(p, inside, sent_programs)],
            )
            facts += sentence.link(previous_programs, context)
        if sent_programs or inside:
            previous_programs = sent_programs
    by_start = {fact.start: fact for fact in facts}
    ordered = [by_start[a.start] if a.start in by_start else Fact(a, rules=["unlinked"]) for a in amounts]
    mark_repeats(ordered)
    return ordered


def covered(party: Party, amounts: Iterable[Amount], programs: Iterable[ProgramRef]) -> bool:
    """A name inside an amount (`US$27 million`) or a program's name (`Iraq Train and Equip Fund`) is no party."""
    return any(span.start <= party.start and party.end <= span.end for span in [*amounts, *programs])


class Sentence:
    """The mentions of one sentence that holds at least one amount, and their linking."""

    def __init__(
        self, text: str, start: int, end: int, amounts: list[Amount], programs: list[ProgramRef],
        dates: list[Period], parties: list[Party],
    ) -> None:
        self.text, self.start, self.end = text, start, end
        self.amounts, self.programs, self.parties = amounts, programs, parties
        self.dates = [d for d in dates if not self.about_other_event(d, amounts)]
        self.zones = self.make_zones()

    # -- zones

    def make_zones(self) -> list[tuple[int, int]]:
        """Each amount's stretch of the sentence: between the clause breaks that part it from its neighbours."""
        bounds = [self.clause_start(self.amounts[0].start)]
        for before, after in zip(self.amounts, self.amounts[1:]):
            bounds.append(self.split(before, after))
        bounds.append(self.clause_end(self.amounts[-1].end))
        return list(zip(bounds, bounds[1:]))

    def clause_start(self, position: int) -> int:
        semicolon = self.text.rfind(";", self.start, position)
        return semicolon + 1 if semicolon >= 0 else self.start

    def clause_end(self, position: int) -> int:
        semicolon = self.text.find(";", position, self.end)
        return semicolon if semicolon >= 0 else self.end

    def split(self, before: Amount, after: Amount) -> int:
        """Where the zone of `before` ends: the first punctuation break after it, else the first 'and'/'while'.

        Breaks inside a name do not count: the bracket of "Training (IMET)" is part of the program.
        """
        gap = self.masked(before.end, after.start)
        punctuation = PUNCTUATION_BREAK.search(gap)
        if punctuation:
            return before.end + punctuation.start()
        word = BREAK.search(gap)
        return before.end + word.start() if word else after.start

    def masked(self, start: int, end: int) -> str:
        """text[start:end] with every program, date and party blanked out (same length)."""
        chars = list(self.text[start:end])
        for span in [*self.programs, *self.dates, *self.parties]:
            for position in range(max(start, span.start), min(end, span.end)):
                chars[position - start] = "x"
        return "".join(chars)

    def in_zone(self, index: int, start: int, end: int) -> bool:
        zone_start, zone_end = self.zones[index]
        return zone_start <= start and end <= zone_end

    # -- dates about something else

    def about_other_event(self, date: Period, amounts: list[Amount]) -> bool:
        """A date of an event rather than of the money: `created in 2004`, `announced today`, `(... over 2010)`."""
        before = self.text[max(self.start, date.start - 60) : date.start]
        after = self.text[date.end : min(self.end, date.end + 30)]
        if EVENT_BEFORE.search(before) or EVENT_AFTER.match(after):
            return True
        return self.in_brackets_without_amount(date, amounts)

    def in_brackets_without_amount(self, date: Period, amounts: list[Amount]) -> bool:
        opening = self.text.rfind("(", self.start, date.start)
        if opening < 0 or self.text.rfind(")", opening, date.start) >= 0:
            return False
        closing = self.text.find(")", date.end, self.end)
        closing = closing if closing >= 0 else self.end
        return not any(opening < a.start and a.end <= closing for a in amounts)

    # -- linking

    def link(self, previous_programs: list[ProgramRef], context: Context) -> list[Fact]:
        facts = [Fact(amount) for amount in self.amounts]
        for index, fact in enumerate(facts):
            self.link_program(index, fact)
            self.link_period(index, fact)
            self.link_parties(index, fact)
        self.pair_respectively(facts)
        self.inherit(facts)
        for fact in facts:
            self.fall_back(fact, previous_programs, context)
        return facts

    def link_program(self, index: int, fact: Fact) -> None:
        """The nearest program in the zone, with the programs joined to it by "and"."""
        amount = fact.amount
        candidates = [p for p in self.programs if self.in_zone(index, p.start, p.end)]
        if not candidates:
            return
        nearest = min(candidates, key=lambda p: (self.gap(amount, p), p.start < amount.start))
        chosen = [nearest]
        for other in candidates:
            if other.start > nearest.end and JOINED.match(self.text[chosen[-1].end : other.start]):
                chosen.append(other)
        fact.program_ids = tuple(sorted({p.program_id for p in chosen}))
        fact.rules.append("link:program_before" if nearest.start < amount.start else "link:program_after")

    def link_period(self, index: int, fact: Fact) -> None:
        """The nearest date in the zone; two dates joined by "and" or "to" make one period."""
        amount = fact.amount
        candidates = [d for d in self.dates if self.in_zone(index, d.start, d.end)]
        if not candidates:
            return
        nearest = min(candidates, key=lambda d: (self.gap(amount, d), d.start < amount.start))
        fact.period = self.join_dates(nearest, candidates)
        fact.rules.append("link:period")

    def join_dates(self, date: Period, candidates: list[Period]) -> Period:
        """`FY2016 and FY2017` -> one period from the first's start to the last's end."""
        ordered = sorted(candidates, key=lambda d: d.start)
        position = ordered.index(date)
        first = last = position
        while first > 0 and DATE_JOINED.match(self.text[ordered[first - 1].end : ordered[first].start]):
            first -= 1
        while last + 1 < len(ordered) and DATE_JOINED.match(self.text[ordered[last].end : ordered[last + 1].start]):
            last += 1
        if first == last:
            return date
        a, b = ordered[first], ordered[last]
        return Period(a.start, b.end, a.date_start, b.date_end, finer(a.granularity, b.granularity))

    def link_parties(self, index: int, fact: Fact) -> None:
        """Recipient and provider from the cue words around each party in the zone."""
        amount = fact.amount
        recipients: list[tuple[int, Party, str]] = []
        providers: list[tuple[int, Party, str]] = []
        for party in self.parties:
            if not self.in_zone(index, party.start, party.end):
                continue
            role, rule = self.role(party, amount)
            if role is None:
                continue
            ranked = (self.gap(amount, party), party, rule)
            (recipients if role == "recipient" else providers).append(ranked)
        if recipients:
            _, party, rule = min(recipients, key=lambda r: (r[0], r[1].start))
            fact.recipient = party.code
            fact.rules.append(rule)
        providers = [p for p in providers if p[1].code != fact.recipient]
        if providers:
            _, party, rule = min(providers, key=lambda r: (r[0], r[1].start))
            fact.provider = party.code
            fact.rules.append(rule)

    def role(self, party: Party, amount: Amount) -> tuple[str | None, str]:
        """"recipient" or "provider" (or None) for one party, by the words around it."""
        before = self.text[max(self.start, party.start - 40) : party.start]
        after = self.text[party.end : min(self.end, party.end + 40)]
        if RECIPIENT_BEFORE.search(before) or GIVE_OBJECT.search(before):
            return "recipient", "link:recipient_preposition"
        if PROVIDER_BEFORE.search(before):
            return "provider", "link:provider_preposition"
        if RECIPIENT_NOUN.match(after):
            return "recipient", "link:recipient_noun"
        if PROVIDER_NOUN.match(after):
            return "provider", "link:provider_noun"
        if WEAK_RECIPIENT_BEFORE.search(before):
            return "recipient", "link:recipient_preposition"
        if party.start < amount.start:
            between = self.text[party.end : amount.start]
            if RECEIVE.search(between):
                return "recipient", "link:recipient_subject"
            if GIVE.search(between):
                return "provider", "link:provider_subject"
        if party.form == "possessive":
            return "provider", "link:provider_possessive"
        return None, ""

    def gap(self, amount: Amount, span: Amount | ProgramRef | Period | Party) -> int:
        """Words between the amount and a mention, either side."""
        if span.end <= amount.start:
            return words(self.text[span.end : amount.start])
        return words(self.text[amount.end : span.start])

    def pair_respectively(self, facts: list[Fact]) -> None:
        """`In FY2020 and FY2021, the totals were $1.725 billion and $1.65 billion, respectively`."""
        if len(facts) < 2 or not RESPECTIVELY.search(self.text, self.start, self.end):
            return
        if len(self.dates) == len(facts):
            for fact, date in zip(facts, sorted(self.dates, key=lambda d: d.start)):
                fact.period = date
                fact.rules.append("link:period_respectively")

    def inherit(self, facts: list[Fact]) -> None:
        """Links an amount lacks come from the amount before it in the sentence; a comparison keeps its own date."""
        for before, fact in zip(facts, facts[1:]):
            lead = self.text[max(self.start, fact.start - 40) : fact.start]
            comparison = bool(COMPARISON.search(lead))
            inherited = False
            if not fact.program_ids and before.program_ids:
                fact.program_ids, inherited = before.program_ids, True
            if fact.period is None and before.period is not None and not comparison:
                fact.period, inherited = before.period, True
            if fact.recipient is None and before.recipient is not None and before.recipient != fact.provider:
                fact.recipient, inherited = before.recipient, True
            if fact.provider is None and before.provider is not None and before.provider != fact.recipient:
                fact.provider, inherited = before.provider, True
            if inherited:
                fact.rules.append("link:previous_amount")

    def fall_back(self, fact: Fact, previous_programs: list[ProgramRef], context: Context) -> None:
        """LABELING.md's fallbacks, each with its flag."""
        sentence = self.text[self.start : self.end]
        if not fact.program_ids and REFERENCE.search(sentence) and not self.programs:
            ids = {p.program_id for p in previous_programs}
            if len(ids) == 1:
                fact.program_ids = (ids.pop(),)
                fact.rules.append("link:program_previous_sentence")
                fact.flags.append("link_program_previous_sentence")
        if fact.provider is None and context.publisher and context.publisher != fact.recipient:
            fact.provider = context.publisher
            fact.rules.append("link:provider_source")
            fact.flags.append("link_provider_source")
        if fact.recipient is None and (fact.program_ids or is_transfer(sentence)):
            codes = set(context.title_countries) - {fact.provider}
            if len(codes) == 1:
                fact.recipient = codes.pop()
                fact.rules.append("link:recipient_title")
                fact.flags.append("link_recipient_title")


def is_transfer(sentence: str) -> bool:
    """Money that moves from one party to another (aid, a sale, a loan), not a trade total or a cost."""
    return bool(TRANSFER.search(sentence)) and not NOT_TRANSFER.search(sentence)


GRANULARITY_ORDER = ("day", "week", "month", "quarter", "half", "season", "fiscal_year", "year", "decade", "century")


def finer(a: str | None, b: str | None) -> str | None:
    """The finer of two granularities (a range's granularity is its finer end's)."""
    ranked = [g for g in (a, b) if g in GRANULARITY_ORDER]
    return min(ranked, key=GRANULARITY_ORDER.index) if ranked else a or b


# ---------------------------------------------------------------- repeats


def mark_repeats(facts: list[Fact]) -> None:
    """The same amount for the same thing told again: point it at the first mention."""
    for index, fact in enumerate(facts):
        for earlier in facts[:index]:
            if earlier.repeat_of is None and same_fact(earlier, fact):
                fact.repeat_of = earlier.start
                fact.rules.append("link:repeat")
                break


def same_fact(a: Fact, b: Fact) -> bool:
    """Same currency and amount, no link that disagrees, and at least one that agrees."""
    if a.amount.currency != b.amount.currency or a.amount.amount is None or a.amount.amount != b.amount.amount:
        return False
    if a.amount.amount_high != b.amount.amount_high:
        return False
    pairs = [
        (a.program_ids or None, b.program_ids or None),
        (period_key(a.period), period_key(b.period)),
        (a.recipient, b.recipient),
        (a.provider, b.provider),
    ]
    known = [(x, y) for x, y in pairs if x is not None and y is not None]
    if not all(x == y for x, y in known):
        return False
    stated = [(x, y) for (x, y), name in zip(pairs, FIELDS) if stated_by_text(a, name) and stated_by_text(b, name)]
    return any(x is not None and x == y for x, y in stated)


FIELDS = ("program", "period", "recipient", "provider")
FALLBACK_FLAGS = {
    "program": "link_program_previous_sentence", "recipient": "link_recipient_title", "provider": "link_provider_source",
}


def stated_by_text(fact: Fact, name: str) -> bool:
    """A link the sentence itself made, not a fallback: only those show that two mentions are one fact."""
    return FALLBACK_FLAGS.get(name) not in fact.flags


def period_key(period: Period | None) -> tuple[dt.date | None, dt.date | None] | None:
    return (period.date_start, period.date_end) if period else None
