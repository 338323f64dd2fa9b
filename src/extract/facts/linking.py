"""Link every amount of money to what the text ties it to: program, period, recipient, provider.

Rules over the spans the other stages found, read in the amount's own clause
(LABELING.md, Facts). No dependency parse: the pipeline runs without the
parser (see extract.nlp and the README's Facts section for the measured cost),
and the cues that decide a link are few and lexical: the preposition before a
name (`to Iraq`, `for Jordan`, `in FMF`), the verb between a name and the
amount (`Iraq borrowed`, `the U.S. provided`), the amount a date or a program
stands next to.

How one sentence is read:
1. Each amount gets a zone: the stretch of the sentence from the clause break
   after the amount before it to the clause break after itself, so that in
   "at least $1.3 billion for Jordan, including $425 million in FMF" FMF is
   the second amount's only. An amount in brackets right after another
   (`JPY 3 billion (approximately US$27 million)`) is the same amount told in
   another currency: the two share one zone.
2. In its zone, an amount takes the programs of its clause (a new main clause
   starts after "; " and after ", and" or ", but" unless a program follows),
   the nearest date that is not about another event (`created in 2004`,
   `said on Sunday`, a date in brackets, a date after `compared with`), and
   the parties in the roles their cue words give them.
3. "respectively" pairs amounts and dates in order. An amount that names no
   program, party or date of its own takes those of the amount before it in
   the sentence ("..., of which 150 million", "including $425 million"), but
   a comparison ("down from $1.365 billion in 2011") keeps its own date.

Then, over the document, the links the sentence did not state: a program
referred to (`the program`, `this fund`, `a further`) from the sentence before
when it names exactly one; the provider from the publishing government, else
from the one party the title names as giving (`Canada announces ...`); the
recipient from the one party the linked program's name names (`NATO Security
Investment Programme`), else from the one party of the zone no cue gave a
role when the provider is known (`India has signed US defence contracts`),
else, for a transfer, from the one country the title names besides the
provider, unless the text shows it only giving (a donor's fact sheet). The
fallbacks from outside the sentence are flagged (link_*). Last, a repeat:
the same amount in the same currency told again with no link that disagrees
and one stated link that agrees (a headline and its body).

Pure functions over text and offsets: tested without spaCy.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from .parties import LinkWords, Party


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
    """A programs row, with the parties its names name (`NATO Security Investment Programme` -> NATO)."""

    start: int
    end: int
    program_id: str
    parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class Period:
    """A dates row (or two joined: `in FY2016 and FY2017`)."""

    start: int
    end: int
    date_start: dt.date | None
    date_end: dt.date | None
    granularity: str | None
    relation: str | None = None


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
    programs: tuple[ProgramRef, ...] = ()  # the program mentions linked
    sentence: tuple[int, int] = (0, 0)  # the amount's sentence, as offsets
    bystanders: tuple[str, ...] = ()  # parties of the zone that no cue gave a role

    @property
    def start(self) -> int:
        return self.amount.start

    @property
    def end(self) -> int:
        return self.amount.end


@dataclass(frozen=True)
class Context:
    """What a document offers beyond its sentences: its title's parties and its publisher."""

    title_countries: tuple[str, ...] = ()  # countries the title names, less its givers ("U.S. Security Assistance")
    title_givers: tuple[str, ...] = ()  # parties the title names as giving ("Canada announces ...")
    publisher: str | None = None

    @classmethod
    def of(cls, title: str | None, title_parties: Sequence[Party], publisher: str | None, cues: Cues) -> Context:
        title = title or ""
        givers, countries = [], []
        for party in title_parties:
            after = title[party.end :]
            if cues.title_actor.match(after):
                givers.append(party.code)
            elif len(party.code) == 3 and not cues.provider_noun.match(after):
                countries.append(party.code)
        return cls(tuple(dict.fromkeys(countries)), tuple(dict.fromkeys(givers)), publisher)


Span = TypeVar("Span", Amount, ProgramRef, Period, Party)


def any_word(entries: Sequence[str]) -> str:
    """One regex alternation of the word patterns of a rules list."""
    return "|".join(entries)


class Cues:
    """The patterns made of the word lists of rules/parties.yml `linking` (LinkWords), built once per rules.

    Each list is a regex alternation inside the same frame as ever: a give
    verb between a party and the amount, a provider noun up to two words after
    a party, a founding verb a few words after a date, and so on.
    """

    def __init__(self, words: LinkWords) -> None:
        give, receive = any_word(words.give_verbs), any_word(words.receive_verbs)
        speech, founding = any_word(words.speech_verbs), any_word(words.founding_verbs)
        self.give = re.compile(rf"\b(?:{give})\b", re.IGNORECASE)
        self.receive = re.compile(rf"\b(?:{receive})\b", re.IGNORECASE)
        self.give_object = re.compile(rf"\b(?:{any_word(words.give_object_verbs)})\s+(?:the\s+)?$", re.IGNORECASE)
        self.title_actor = re.compile(rf"^\s+(?:{give}|{any_word(words.title_verbs)})\b", re.IGNORECASE)
        self.provider_noun = re.compile(  # a name right before these words is the one that gives: "U.S. FMF", "US exports"
            rf"^\s*(?:['\u2019]s\s+)?(?:[\w-]+\s+){{0,2}}?(?:{any_word(words.provider_nouns)})\b", re.IGNORECASE
        )
        self.recipient_noun = re.compile(
            rf"^\s*(?:['\u2019]s\s+)?(?:\w+\s+){{0,2}}?(?:{any_word(words.recipient_nouns)})\b", re.IGNORECASE
        )
        self.donor = re.compile(
            rf"^\s+(?:the\s+)?(?:[\w'\u2019-]+\s+){{0,3}}?(?:{any_word(words.donor_nouns)})s?\b", re.IGNORECASE
        )
        event = any_word([*words.founding_verbs, *words.meeting_verbs, *words.speech_verbs])
        self.event_before = re.compile(rf"\b(?:{event})\b(?:\s+\w+){{0,2}}?\s+(?:on|in|at)?\s*$", re.IGNORECASE)
        self.event_after = re.compile(rf"^\s*(?:[\w.'\u2019-]+\s+){{0,5}}?(?:{speech}|{founding})\b", re.IGNORECASE)
        self.people_from = re.compile(  # "personnel from Ukraine", "peacekeepers from Ghana": those trained, not those who pay
            rf"\b(?:{any_word(words.people_nouns)})\s+from\s+$", re.IGNORECASE
        )
        self.reference = re.compile(
            rf"\b(?:the|this|that|these|those|its|their)\s+(?:\w+\s+)?(?:{any_word(words.program_nouns)})s?\b|\bit\b|\bits\b|"
            r"\bof\s+this\b|\bof\s+that\b|\ba\s+further\b|\ban\s+additional\b",
            re.IGNORECASE,
        )
        self.transfer = re.compile(rf"\b(?:{any_word(words.transfer_words)})\b", re.IGNORECASE)
        self.not_transfer = re.compile(rf"\b(?:{any_word(words.not_transfer_words)})\b", re.IGNORECASE)

    def is_transfer(self, sentence: str, has_program: bool = False) -> bool:
        """Money that moves from one party to another (aid, a sale, a loan; a program's money), not a trade total or a cost."""
        return (has_program or bool(self.transfer.search(sentence))) and not self.not_transfer.search(sentence)


PUNCTUATION_BREAK = re.compile(r"[;:(),\u2013\u2014]|\s-\s")


BREAK = re.compile(r"\b(?:and|or|while|but|whereas)\b")


CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but)\s+")  # a new main clause (unless a program follows: see joined_program)


WORD = re.compile(r"[\w$€£¥][\w.'\u2019$€£¥-]*")


RECIPIENT_BEFORE = re.compile(
    r"\b(?:to|for|into|toward|towards|on behalf of)\s+(?:the\s+|its\s+|their\s+)?$", re.IGNORECASE
)


WEAK_RECIPIENT_BEFORE = re.compile(r"\b(?:with|in)\s+(?:the\s+)?$", re.IGNORECASE)


PROVIDER_BEFORE = re.compile(r"\b(?:by|from)\s+(?:the\s+)?$", re.IGNORECASE)


DEADLINES = ("before", "until", "after")  # a date with these relations is a deadline, not the date of an event


COMPARISON = re.compile(
    r"\b(?:down|up)\s+from\s+(?:\w+\s+)?$|\b(?:compared\s+(?:with|to)|versus|than|from)\s+(?:\w+\s+)?$", re.IGNORECASE
)


COMPARED = re.compile(r"\b(?:compared\s+(?:with|to)|versus|than|(?:down|up)\s+from)\b", re.IGNORECASE)


LIST_NEXT = re.compile(r"\s*(?:,\s*|,?\s+and\s+|,?\s+or\s+)(?:the\s+)?(?P<word>[A-Z][a-z]\w*)")


RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


CONVERSION = re.compile(r"^\s*\(\s*$")  # "JPY 3 billion (approximately US$27 million)"


JOINED = re.compile(r"^[\s,]*(?:and|or|as well as|&)?\s*(?:the\s+)?(?:former|current|new|its)?\s*$", re.IGNORECASE)


DATE_JOINED = re.compile(r"^\s*(?:and|to|through|until|-|\u2013)\s*$", re.IGNORECASE)


def words(text: str) -> int:
    """How many words a stretch of text holds: the distance measure of every choice here."""
    return len(WORD.findall(text))


def link_document(
    text: str,
    sentences: Sequence[tuple[int, int]],
    amounts: Sequence[Amount],
    programs: Sequence[ProgramRef],
    dates: Sequence[Period],
    parties: Sequence[Party],
    context: Context,
    cues: Cues,
) -> list[Fact]:
    """One Fact per amount, in the amounts' order: links stated by the sentence, then the fallbacks, then repeats."""
    facts: list[Fact] = []
    previous_ids: dict[int, set[str]] = {}  # fact start -> the programs the sentence before names
    before: set[str] = set()
    by_amount, by_program, by_date, by_party = ByStart(amounts), ByStart(programs), ByStart(dates), ByStart(parties)
    for sent_start, sent_end in sentences:
        inside = by_amount.within(sent_start, sent_end)
        sent_programs = by_program.within(sent_start, sent_end)
        if inside:
            sentence = Sentence(
                text, sent_start, sent_end, inside, sent_programs, by_date.within(sent_start, sent_end),
                [p for p in by_party.within(sent_start, sent_end) if not covered(p, inside, sent_programs)], cues,
            )
            for fact in sentence.link():
                previous_ids[fact.start] = before
                facts.append(fact)
        before = {p.program_id for p in sent_programs}
    by_start = {fact.start: fact for fact in facts}
    ordered = [by_start.get(a.start) or Fact(a, sentence=(a.start, a.end)) for a in amounts]
    fall_back(text, ordered, previous_ids, context, cues)
    for fact in ordered:
        if not (fact.program_ids or fact.period or fact.recipient or fact.provider):
            fact.rules.append("unlinked")
    mark_repeats(ordered)
    return ordered


class ByStart(Generic[Span]):
    """Mentions sorted by start, so that each sentence takes its own in log time (a run stays linear in text size)."""

    def __init__(self, spans: Iterable[Span]) -> None:
        self.spans: list[Span] = sorted(spans, key=lambda s: (s.start, s.end))
        self.starts: list[int] = [s.start for s in self.spans]

    def within(self, start: int, end: int) -> list[Span]:
        return self.spans[bisect_left(self.starts, start) : bisect_left(self.starts, end)]


def covered(party: Party, amounts: Iterable[Amount], programs: Iterable[ProgramRef]) -> bool:
    """A name inside an amount (`US$27 million`) or a program's name (`Iraq Train and Equip Fund`) is no party."""
    spans: list[Amount | ProgramRef] = [*amounts, *programs]
    return any(span.start <= party.start and party.end <= span.end for span in spans)


class Sentence:
    """The mentions of one sentence that holds at least one amount, and the links the sentence states."""

    def __init__(
        self, text: str, start: int, end: int, amounts: list[Amount], programs: list[ProgramRef],
        dates: list[Period], parties: list[Party], cues: Cues,
    ) -> None:
        self.text, self.start, self.end, self.cues = text, start, end, cues
        self.amounts, self.programs, self.parties = amounts, programs, parties
        self.all_dates = dates
        self.dates = [d for d in dates if not self.about_other_event(d, amounts)]
        self.zones = self.make_zones()

    # -- zones

    def make_zones(self) -> list[tuple[int, int]]:
        """Each amount's stretch of the sentence: between the clause breaks that part it from its neighbours."""
        bounds = [self.clause_start(self.amounts[0].start)]
        for before, after in zip(self.amounts, self.amounts[1:]):
            bounds.append(self.split(before, after))
        bounds.append(self.clause_end(self.amounts[-1].end))
        zones = list(zip(bounds, bounds[1:]))
        for index in range(len(self.amounts) - 1):
            if CONVERSION.match(self.text[self.amounts[index].end : self.amounts[index + 1].start]):
                zones[index] = zones[index + 1] = (zones[index][0], zones[index + 1][1])
        return zones

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
        spans: list[ProgramRef | Period | Party] = [*self.programs, *self.all_dates, *self.parties]
        for span in spans:
            for position in range(max(start, span.start), min(end, span.end)):
                chars[position - start] = "x"
        return "".join(chars)

    def in_zone(self, index: int, start: int, end: int) -> bool:
        zone_start, zone_end = self.zones[index]
        return zone_start <= start and end <= zone_end

    def clause(self, index: int) -> tuple[int, int]:
        """The amount's main clause within its zone: cut at "; " and at ", and"/", but" that no program follows."""
        zone_start, zone_end = self.zones[index]
        amount = self.amounts[index]
        start, end = zone_start, zone_end
        for match in CLAUSE_BREAK.finditer(self.masked(zone_start, zone_end)):
            position = zone_start + match.start()
            if self.joined_program(zone_start + match.end()):
                continue
            if position < amount.start:
                start = position
            elif position >= amount.end:
                end = min(end, position)
        return start, end

    def joined_program(self, position: int) -> bool:
        """Whether a program follows at `position` ("..., and the current Counter-ISIS Train and Equip Fund")."""
        return any(JOINED.match(self.text[position : p.start]) for p in self.programs if p.start >= position)

    # -- dates about something else

    def about_other_event(self, date: Period, amounts: list[Amount]) -> bool:
        """A date of an event rather than of the money: `created in 2004`, `said on Sunday`, `(... over 2010)`."""
        before = self.text[max(self.start, date.start - 60) : date.start]
        after = self.text[date.end : min(self.end, date.end + 60)]
        if date.relation not in DEADLINES and self.cues.event_before.search(before):
            return True
        if self.cues.event_after.match(after):
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

    def link(self) -> list[Fact]:
        facts = [Fact(amount, sentence=(self.start, self.end)) for amount in self.amounts]
        for index, fact in enumerate(facts):
            self.link_program(index, fact)
            self.link_period(index, fact)
            self.link_parties(index, fact)
        self.pair_respectively(facts)
        self.inherit(facts)
        return facts

    def link_program(self, index: int, fact: Fact) -> None:
        """Every program of the amount's clause: "for an FMS purchase ... via CAPS" ties it to both."""
        start, end = self.clause(index)
        chosen = [p for p in self.programs if self.in_zone(index, p.start, p.end) and start <= p.start and p.end <= end]
        if chosen:
            fact.programs = tuple(chosen)
            fact.program_ids = tuple(sorted({p.program_id for p in chosen}))
            fact.rules.append("link:program_clause")

    def link_period(self, index: int, fact: Fact) -> None:
        """The nearest date in the zone, not one after "compared with"; two dates joined by "and" make one period."""
        amount = fact.amount
        candidates = [
            d for d in self.dates
            if self.in_zone(index, d.start, d.end)
            and not (d.start >= amount.end and COMPARED.search(self.text, amount.end, d.start))
        ]
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
        return Period(a.start, b.end, a.date_start, b.date_end, finer(a.granularity, b.granularity), a.relation)

    def link_parties(self, index: int, fact: Fact) -> None:
        """Recipient and provider from the cue words around each party in the zone."""
        amount = fact.amount
        roles: dict[str, list[tuple[int, int, Party, str]]] = {"recipient": [], "provider": []}
        bystanders, zone = [], []
        for party in self.parties:
            if not self.in_zone(index, party.start, party.end):
                continue
            zone.append(party)
            role, rule = self.role(party, amount)
            if role is None:
                bystanders.append(party.code)
            else:
                roles[role].append((self.gap(amount, party), party.start, party, rule))
        recipients = sorted(roles["recipient"], key=lambda r: r[:2])
        if recipients:
            _, _, party, rule = recipients[0]
            listed = self.listed_with(party, zone)
            fact.recipient = None if listed else party.code
            fact.rules.append("link:recipient_list" if listed else rule)
        providers = sorted((p for p in roles["provider"] if p[2].code != fact.recipient), key=lambda r: r[:2])
        if providers:
            _, _, party, rule = providers[0]
            fact.provider = party.code
            fact.rules.append(rule)
        fact.bystanders = tuple(code for code in bystanders if code not in (fact.recipient, fact.provider))

    def listed_with(self, party: Party, others: list[Party]) -> bool:
        """Whether the party stands in a list of several receivers ("Ghana, Senegal and Côte d'Ivoire", "Somalia and
        the Sahel"): then no one of them is the recipient. A possessive ("and NATO's eastern flank") is no list member."""
        if party.form != "possessive" and LIST_NEXT.match(self.text, party.end) and not self.party_at(party.end):
            return True
        for other in others:
            if other.code == party.code or other.form == "possessive" or party.form == "possessive":
                continue
            first, second = sorted((party, other), key=lambda p: p.start)
            if re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*or)\s*", self.text[first.end : second.start]):
                return True
        return False

    def party_at(self, position: int) -> bool:
        """Whether a party starts right after the list word at `position` (then the pairwise check decides)."""
        match = LIST_NEXT.match(self.text, position)
        return match is not None and any(p.start == match.end() - len(match.group("word")) for p in self.parties)

    def role(self, party: Party, amount: Amount) -> tuple[str | None, str]:
        """"recipient" or "provider" (or None) for one party, by the words around it."""
        before = self.text[max(self.start, party.start - 40) : party.start]
        after = self.text[party.end : min(self.end, party.end + 60)]
        if RECIPIENT_BEFORE.search(before) or self.cues.give_object.search(before) or self.cues.people_from.search(before):
            return "recipient", "link:recipient_preposition"
        if PROVIDER_BEFORE.search(before):
            return "provider", "link:provider_preposition"
        if self.cues.recipient_noun.match(after):
            return "recipient", "link:recipient_noun"
        if party.start < amount.start:
            between = self.text[party.end : amount.start]
            verbs = [m for m in (self.cues.receive.search(between), self.cues.give.search(between)) if m]
            if verbs:
                receives = bool(self.cues.receive.fullmatch(min(verbs, key=lambda m: m.start()).group()))
                return ("recipient", "link:recipient_subject") if receives else ("provider", "link:provider_subject")
        if self.cues.provider_noun.match(after) or self.cues.donor.match(after):
            return "provider", "link:provider_noun"
        if WEAK_RECIPIENT_BEFORE.search(before):
            return "recipient", "link:recipient_preposition"
        if party.form == "possessive" and party.start < amount.start:
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
                fact.program_ids, fact.programs, inherited = before.program_ids, before.programs, True
            if fact.period is None and before.period is not None and not comparison:
                fact.period, inherited = before.period, True
            if fact.recipient is None and before.recipient is not None and before.recipient != fact.provider:
                fact.recipient, inherited = before.recipient, True
            if fact.provider is None and before.provider is not None and before.provider != fact.recipient:
                fact.provider, inherited = before.provider, True
            if inherited:
                fact.rules.append("link:previous_amount")


def fall_back(text: str, facts: list[Fact], previous_ids: dict[int, set[str]], context: Context, cues: Cues) -> None:
    """The links the sentences left open, from the document: each is flagged."""
    only_giving = {f.provider for f in facts if f.provider} - {f.recipient for f in facts if f.recipient}
    for fact in facts:
        sentence = text[fact.sentence[0] : fact.sentence[1]]
        if not fact.program_ids and cues.reference.search(sentence):
            ids = previous_ids.get(fact.start, set())
            if len(ids) == 1:
                link(fact, "link_program_previous_sentence")
                fact.program_ids = (next(iter(ids)),)
        if fact.provider is None:
            provider_fallback(fact, context)
        if fact.recipient is None:
            in_names = {code for p in fact.programs for code in p.parties} - {fact.provider}
            if len(in_names) == 1:
                fact.recipient = in_names.pop()
                fact.rules.append("link:recipient_program_name")
            elif fact.bystanders and fact.provider and len(set(fact.bystanders)) == 1 and cues.is_transfer(sentence):
                fact.recipient = fact.bystanders[0]
                fact.rules.append("link:recipient_other_party")
            elif cues.is_transfer(sentence, bool(fact.program_ids)):
                title_recipient(fact, context, only_giving)


def title_recipient(fact: Fact, context: Context, only_giving: set[str]) -> None:
    """The one country the title names besides the provider, unless the text shows it only giving (a donor's fact sheet)."""
    candidates = set(context.title_countries) - {fact.provider}
    if len(candidates) == 1 and not candidates & only_giving:
        fact.recipient = candidates.pop()
        link(fact, "link_recipient_title")


def provider_fallback(fact: Fact, context: Context) -> None:
    """The publishing government, else the one party the title names as giving ("Canada announces ...")."""
    if context.publisher and context.publisher != fact.recipient:
        fact.provider = context.publisher
        link(fact, "link_provider_source")
    elif len(context.title_givers) == 1 and context.title_givers[0] != fact.recipient:
        fact.provider = context.title_givers[0]
        link(fact, "link_provider_title")


def link(fact: Fact, flag: str) -> None:
    """Record a fallback: its step in rule (`link:provider_source`), its flag in flags."""
    fact.rules.append("link:" + flag.removeprefix("link_"))
    fact.flags.append(flag)


GRANULARITY_ORDER = ("day", "week", "month", "quarter", "half", "season", "fiscal_year", "year", "decade", "century")


def finer(a: str | None, b: str | None) -> str | None:
    """The finer of two granularities (a range's granularity is its finer end's)."""
    ranked = [g for g in (a, b) if g in GRANULARITY_ORDER]
    return min(ranked, key=GRANULARITY_ORDER.index) if ranked else a or b


def mark_repeats(facts: list[Fact]) -> None:
    """The same amount for the same thing told again: point it at the first mention (compared only within one amount)."""
    firsts: dict[tuple[str | None, Decimal | None, Decimal | None], list[Fact]] = {}
    for fact in facts:
        same_amount = firsts.setdefault((fact.amount.currency, fact.amount.amount, fact.amount.amount_high), [])
        first = next((earlier for earlier in same_amount if same_fact(earlier, fact)), None)
        if first is None:
            same_amount.append(fact)
        else:
            fact.repeat_of = first.start
            fact.rules.append("link:repeat")


FIELDS = ("program", "period", "recipient", "provider")


FALLBACK_FLAGS = {
    "program": ("link_program_previous_sentence",),
    "recipient": ("link_recipient_title",),
    "provider": ("link_provider_source", "link_provider_title"),
}


def same_fact(a: Fact, b: Fact) -> bool:
    """Same currency and amount, no link that disagrees, and at least one that the sentences stated that agrees."""
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
    if not all(x == y for x, y in pairs if x is not None and y is not None):
        return False
    stated = [(x, y) for (x, y), name in zip(pairs, FIELDS) if stated_by_text(a, name) and stated_by_text(b, name)]
    return any(x is not None and x == y for x, y in stated)


def stated_by_text(fact: Fact, name: str) -> bool:
    """A link the sentence itself made, not a fallback: only those show that two mentions are one fact."""
    return not any(flag in fact.flags for flag in FALLBACK_FLAGS.get(name, ()))


def period_key(period: Period | None) -> tuple[dt.date | None, dt.date | None] | None:
    return (period.date_start, period.date_end) if period else None
