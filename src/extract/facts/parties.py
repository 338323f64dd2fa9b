"""Who pays and who receives: country and organization names found in text, normalized.

Countries become ISO 3166-1 alpha-3 codes (`Iraq`, `Iraqi`, `the U.S.`,
`America's` -> IRQ, USA). The names come from pycountry (the ISO 3166 data of
Debian's iso-codes: official, common and short names); what it lacks (demonyms
such as `Iraqi`, short forms such as `the U.S.`, `Russia`, `Washington` for the
US government) and organizations (NATO, EU, UN) come from rules/parties.yml,
which users extend. Names match case-sensitively as whole words, longest first,
so `Papua New Guinea` is one country and `us` is no country.

Pure functions over text: the facts component and the tests use them without
spaCy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pycountry
from pydantic import field_validator

from ..errors import RuleError
from ..rules import Regex, Strict, line_of, load_rule_file, read_yaml
from ..words import trie_alternation

PUBLISHER_WORDS = re.compile(r"\b(?:Department|Ministry|Government|Gov|GOV|Congress|Parliament|Embassy|Office)\b")


"""Words that make a source naming a country that country's government (`U.S. Department of State`)."""


class Country(Strict):
    """Names of one country that pycountry lacks."""

    code: str  # ISO 3166-1 alpha-3
    names: list[str] = []  # other names and short forms: "the U.S.", "Russia", "Washington"
    demonyms: list[str] = []  # adjectives and nouns of its people: "Iraqi", "American"

    @field_validator("code")
    @classmethod
    def known_code(cls, value: str) -> str:
        if pycountry.countries.get(alpha_3=value) is None:
            raise ValueError(f"'{value}' is no ISO 3166-1 alpha-3 country code")
        return value


class Organization(Strict):
    """An international organization that gives or receives: NATO, EU, UN, World Bank."""

    id: str  # its usual short name, as the facts table writes it
    names: list[str] = []  # every way texts write it, the id included when it appears as such
    demonyms: list[str] = []  # its adjective: "European" for the EU (only where it means the EU)


class Publisher(Strict):
    """A source (the documents table's `source`) that is a government or an organization's own voice."""

    name: str  # as the source column writes it
    party: str  # the country code or organization id that publishes through it


class LinkWords(Strict):
    """The `linking` section of rules/parties.yml: the words that tell the facts stage a party's role,
    a transfer and a date of another event. Each entry is one word as a regular expression (`provid\\w*`)."""

    give_verbs: list[Regex]  # "the U.S. provided $5 million": the party before gives
    receive_verbs: list[Regex]  # "Iraq borrowed $1 billion": the party before receives
    give_object_verbs: list[Regex]  # "sold Jordan ...": the party after receives
    title_verbs: list[Regex]  # with give_verbs: "Canada extends ..." in the title names the giver
    provider_nouns: list[Regex]  # "U.S. FMF funds": the party before gives
    donor_nouns: list[Regex]  # "Japan, the largest donor" (a plural s is allowed)
    recipient_nouns: list[Regex]  # "Iraq's purchases": the party before receives
    people_nouns: list[Regex]  # "personnel from Ukraine": the party after is trained, not paying
    speech_verbs: list[Regex]  # "said on Sunday": a date of another event
    founding_verbs: list[Regex]  # "created in 2004", "2004, when it was established"
    meeting_verbs: list[Regex]  # "signed on 3 May" (only before the date)
    transfer_words: list[Regex]  # money moving from one party to another
    not_transfer_words: list[Regex]  # a trade total, a cost or a budget: no transfer
    program_nouns: list[Regex]  # "the program", "this fund": the sentence refers to a program named before


class PartyRules(Strict):
    """rules/parties.yml."""

    countries: list[Country] = []
    organizations: list[Organization] = []
    publishers: list[Publisher] = []
    not_parties: list[str] = []  # names that contain a party's name but are no party: nothing inside them counts
    linking: LinkWords | None = None  # required by load_party_rules, checked after the parties for clearer errors


@dataclass(frozen=True)
class Party:
    """One mention of a country or organization in a text."""

    start: int
    end: int
    code: str  # alpha-3 country code or organization id
    form: str  # "name", "demonym" or "possessive" (a name followed by 's)
    text: str


POSSESSIVE = re.compile(r"['\u2019]s?\b")


BLOCKER = "blocker"


class Gazetteer:
    """Every name of every party, compiled once into one case-sensitive pattern."""

    def __init__(self, rules: PartyRules) -> None:
        self.rules = rules
        self.names: dict[str, tuple[str, str]] = {}  # surface form -> (code, "name" | "demonym")
        self.add_pycountry()
        for country in rules.countries:
            self.add(country.code, country.names, country.demonyms)
        for org in rules.organizations:
            self.add(org.id, org.names, org.demonyms)
        for word in rules.not_parties:
            self.names[word] = ("", BLOCKER)  # matched, so that nothing inside counts, then dropped

    def add_pycountry(self) -> None:
        """pycountry's names; a short form before a comma ("Iran, Islamic Republic of") only when no other country claims it."""
        shorts: dict[str, set[str]] = {}
        for country in pycountry.countries:
            for attribute in ("name", "common_name", "official_name"):
                name = getattr(country, attribute, None)
                if not name:
                    continue
                if "," in name:
                    shorts.setdefault(name.split(",")[0].strip(), set()).add(country.alpha_3)
                else:
                    self.names[name] = (country.alpha_3, "name")
        for short, codes in shorts.items():
            if len(codes) == 1 and short not in self.names:
                self.names[short] = (codes.pop(), "name")

    def add(self, code: str, names: list[str], demonyms: list[str]) -> None:
        for name in names:
            self.names[name] = (code, "name")
        for demonym in demonyms:
            self.names[demonym] = (code, "demonym")

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """All forms, longest first; a form must not be glued to a letter, digit or dot on either side."""
        return re.compile(rf"(?<![\w.])(?:{trie_alternation(self.names)})(?!\w)")

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Party]:
        """Every party mention in text[start:end], offsets into text."""
        parties = []
        for match in self.pattern.finditer(text, start, len(text) if end is None else end):
            code, form = self.names[match.group()]
            if form == BLOCKER:
                continue
            if form == "name" and POSSESSIVE.match(text, match.end()):
                form = "possessive"
            parties.append(Party(match.start(), match.end(), code, form, match.group()))
        return parties

    def code(self, text: str) -> str | None:
        """The code of a text that is exactly one party's name ("Iraq", "NATO"), else None."""
        entry = self.names.get(text.strip())
        return entry[0] if entry and entry[1] != BLOCKER else None

    def publisher(self, source: str | None) -> str | None:
        """The party that publishes through SOURCE when it is a government or an organization, else None.

        A source listed under publishers decides; else a source that names one
        party and a government word (`U.S. Department of Defense`) is that
        party's government; a newswire or a think tank that names a country
        (`Canada Newswire`) is nobody's voice.
        """
        if not source:
            return None
        for publisher in self.rules.publishers:
            if publisher.name.casefold() == source.strip().casefold():
                return publisher.party
        codes = {party.code for party in self.find(source)}
        if len(codes) == 1 and PUBLISHER_WORDS.search(source):
            return codes.pop()
        return None


def load_party_rules(path: Path) -> PartyRules:
    """Load rules/parties.yml; a form of two parties, or a publisher of an unknown party, is an error naming its line."""
    rules = load_rule_file(path, PartyRules)
    ids = {org.id for org in rules.organizations}
    for index, publisher in enumerate(rules.publishers):
        if publisher.party not in ids and pycountry.countries.get(alpha_3=publisher.party) is None:
            line = line_of(read_yaml(path), ("publishers", index, "party"))
            raise RuleError(path, line, f"publisher '{publisher.name}': '{publisher.party}' is no country code or organization id")
    seen: dict[str, str] = {}
    groups = [("countries", c.code, [*c.names, *c.demonyms]) for c in rules.countries]
    groups += [("organizations", o.id, [*o.names, *o.demonyms]) for o in rules.organizations]
    for index, (section, code, forms) in enumerate(groups):
        for form in forms:
            if seen.setdefault(form, code) != code:
                position = index if section == "countries" else index - len(rules.countries)
                line = line_of(read_yaml(path), (section, position))
                raise RuleError(path, line, f"'{form}' is listed for both {seen[form]} and {code}")
    if rules.linking is None:
        raise RuleError(path, None, "no `linking` section: the words that tell who gives and who receives "
                        "(see the packaged rules/parties.yml)")
    return rules
