"""extract_programs: every mention of a security assistance program, catalogued or not.

Three sources, one span per mention in doc.spans["programs"]:

1. the catalog in rules/programs.yml: acronyms and numbered names ("Section 333")
   case-sensitively and whole-word, other names in any case and in the plural;
2. acronym definitions in the text (Schwartz-Hearst, see extract.programs.acronyms):
   "Foreign Military Sales (FMS)" becomes ONE span, so that counting rows gives
   LABELING.md's mention count; a definition the catalog does not know is kept
   when its long form reads as a program (the cue words in the rules), and its
   acronym and long form are then recognized everywhere in that text;
3. capitalized names that end in a program cue word ("... Partnership and
   Cooperation Programme"), classified the same way.

Names listed under not_programs are matched too, so that nothing inside them
counts, and then dropped. The pure functions (classify, same_program, ...) are
tested without building a pipeline; the component only finds spans.
"""
from __future__ import annotations

import re

from spacy.attrs import IDX, IS_ALPHA, IS_SPACE, IS_TITLE, IS_UPPER, LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..extensions import text_of
from ..programs.acronyms import Definition, find_definitions, names_by_initials, spells
from ..programs.catalog import (
    BLOCKER,
    DISCOVERED,
    NEW,
    Found,
    Made,
    classify,
    cue_rule,
    deciding_cue,
    rules_of,
    same_program,
)
from ..programs.discover import Descriptions, Form, SmallWords, find_forms, known_as
from ..programs.names import is_acronym, matches_as_written, normal, plural, shortest_tails, variants
from ..programs.rules import Program, ProgramRules
from .base import RuleComponent


class Flat:
    """The Doc without its whitespace tokens, for matching names across line breaks, and the way back."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.source = doc
        starts, words, spaces = doc.to_array([IDX, ORTH, IS_SPACE]).T  # arrays: no Token object per token
        kept = spaces == 0
        self.index = kept.nonzero()[0].tolist()
        self.position = {original: i for i, original in enumerate(self.index)}
        self.doc = Doc(doc.vocab, words=words[kept].tolist())  # by string id: the vocabulary has every word already
        shouted_lines = shouted_line_ranges(text)
        self.shouting = {
            i for i, start in enumerate(starts[kept].tolist()) if any(a <= start < b for a, b in shouted_lines)
        } if shouted_lines else set()

    def span(self, span: Span) -> Span:
        """A span of the source Doc as a span of the flat one."""
        inner = [self.position[t.i] for t in span if not t.is_space]
        return Span(self.doc, inner[0], inner[-1] + 1, label=span.label)

    def original(self, span: Span) -> Span:
        """A span of the flat Doc as a span of the source one."""
        return Span(self.source, self.index[span.start], self.index[span.end - 1] + 1, label=span.label)

    def shouted(self, start: int, end: int) -> bool:
        """Whether tokens start..end stand on a line written all in capitals (a headline)."""
        return any(i in self.shouting for i in range(start, end))


def shouted_line_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line with letters but no lower-case one: a headline in capitals,
    where acronyms and names cannot be told from ordinary words."""
    ranges, start = [], 0
    for line in text.split("\n"):
        if any(c.isalpha() for c in line) and not any(c.islower() for c in line):
            ranges.append((start, start + len(line)))
        start += len(line) + 1
    return ranges


class ProgramFinder(RuleComponent[ProgramRules]):
    """Catalog matches, definitions and cue-word names, resolved to one span per mention."""

    rules_file = "programs.yml"
    rules_model = ProgramRules

    def __init__(self, nlp: Language, name: str, rules_path: str | None) -> None:
        self.nlp = nlp
        super().__init__(name, rules_path)

    def setup(self) -> None:
        self.by_acronym: dict[str, Program] = {}
        self.by_name: dict[str, Program] = {}
        for program in self.rules.programs:
            for name in (program.id, program.name, *program.aliases):
                if is_acronym(name):
                    self.by_acronym[name] = program
                else:
                    self.by_name[normal(name)] = program
        self.catalog = {p.id: Found(p.id, p.name, True) for p in self.rules.programs}
        # where each catalog entry stands (rules/programs.yml:<line>), for the rule column
        self.entry_rules = {p.id: self.rules.where("programs", i) or "catalog" for i, p in enumerate(self.rules.programs)}
        self.not_programs = {normal(n) for n in self.rules.not_programs}
        self.cue_words = {c.lower() for c in self.rules.cues.program} | {plural(c).lower() for c in self.rules.cues.program}
        # the last words of the named cues, singular ("Plans to shed jobs" is no name); "Tax Credit" -> "credit"
        self.named = {tuple(c.lower().split()) for c in self.rules.cues.named}
        self.named_words = {words[-1] for words in self.named}
        lower_cues = self.rules.lowercase.cues if self.rules.lowercase else []
        self.lower_cues = {c.lower() for c in lower_cues} | {plural(c).lower() for c in lower_cues}
        after_names = self.rules.lowercase.after_names if self.rules.lowercase else []
        self.after_name_ids = {get_string_id(w.lower()) for w in after_names} | {get_string_id(plural(w).lower()) for w in after_names}
        self.cue_ids = {get_string_id(word) for word in self.cue_words | self.named_words}  # as Doc.to_array(LOWER) gives them
        self.connectors = self.rules.connectors  # may stand inside a capitalized name: prepositions, "and", "the", ...
        self.connector_ids = {get_string_id(word) for word in self.connectors}
        inner = self.rules.lowercase.inner if self.rules.lowercase else []
        self.small = SmallWords(frozenset(inner), self.rules.minor)
        self.catalog_matcher = self.matcher({p.id: [p.id, p.name, *p.aliases] for p in self.rules.programs})
        self.blocker_matcher = self.matcher({BLOCKER: self.rules.not_programs})

    def matcher(self, names: dict[str, list[str]]) -> tuple[PhraseMatcher, PhraseMatcher]:
        """Two PhraseMatchers keyed by id: acronyms and numbered names by exact text, other names by lower case."""
        exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        folded = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for key, all_names in names.items():
            for name in all_names:
                target = exact if matches_as_written(name) else folded
                target.add(key, [self.nlp.make_doc(v) for v in variants(name)])
        return exact, folded

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        found = dict(self.catalog)
        silenced: set[str] = set()  # catalog acronyms that mean something else in this text
        local: dict[str, list[str]] = {}  # acronyms and names defined or discovered in this text
        flat = Flat(doc, text)  # matching ignores line breaks: "Foreign Military\nFinancing" is one name
        candidates: list[Span] = []
        doc._.definitions = find_definitions(text, self.rules.minor)
        for definition in doc._.definitions:
            span = self.resolve_definition(doc, definition, found, silenced, local)
            if span is not None:
                candidates.append(flat.span(span))
        forms = self.form_spans(doc, text, flat, found, local)
        candidates.extend(forms)

        acronyms, names = self.run(self.catalog_matcher, flat)
        named = {span.label_ for span in [*candidates, *names]}
        acronyms = [s for s in acronyms if s.label_ not in silenced and self.stands_alone(s, named)]
        blockers = [s for group in self.run(self.blocker_matcher, flat) for s in group]
        defined = [s for group in self.run(self.matcher(local), flat) for s in group] if local else []
        taken = [*candidates, *acronyms, *names, *blockers, *defined]
        followed: dict[str, str] = {}  # a name read from the lower-case program word after it -> that word
        cue_names = {" ".join(flat.original(s).text.split()) for s in self.cue_names(flat, taken, followed)}
        bases = shortest_tails(cue_names)  # "NATO-Iraq IPCP" is "IPCP"
        spelled = self.undefined_acronyms(flat, set(bases.values()), taken)
        for name, base in bases.items():
            found.setdefault(NEW + name, Found(spelled.get(base, base), base, False))
        to_match = {NEW + name: [name] for name in cue_names}
        for base, acronym in spelled.items():
            to_match[NEW + base].append(acronym)
        discovered = [s for group in self.run(self.matcher(to_match), flat) for s in group]

        made = dict(forms.made)  # the forms' own rules; else the first group to offer a span made it, as filter_spans keeps it
        undefined = set(spelled.values())
        for how, group in (("definition", candidates), ("catalog", acronyms), ("catalog", names),
                           ("definition", defined), ("discovered", discovered)):
            for span in group:
                rule = forms.rules.get(span.label_)  # a form's later mention: the form made it
                if how == "discovered" and span.label_[len(NEW):] in followed:
                    rule = self.lower_cue_rule("cue_name", followed[span.label_[len(NEW):]], key="after_names")
                made.setdefault((span.start, span.end, span.label_), Made(rule, DISCOVERED) if rule else self.made_by(span, how, undefined, found))
        spans = filter_spans([*candidates, *acronyms, *names, *defined, *discovered, *blockers])
        also = self.known_as_spans(text, flat, spans, found, made)
        if also:
            spans = filter_spans([*spans, *also])
        doc.spans["programs"] = [
            program_span(flat.original(span), found[span.label_], made[span.start, span.end, span.label_])
            for span in spans if span.label_ != BLOCKER
        ]
        return doc

    def form_spans(self, doc: Doc, text: str, flat: Flat, found: dict[str, Found], local: dict[str, list[str]]) -> FormSpans:
        """Mentions of the forms of extract.programs.discover (appositive and lower-case definitions, law
        numbers, ids before a program word, lower-case names), as spans of the flat Doc.

        A form that names a catalog program is that program; any other is
        discovered, and the other ways it is written are then matched in the
        whole text like a definition's acronym.
        """
        spans = FormSpans()
        settings = self.rules.lowercase
        if settings is None:
            return spans
        known = {normal(name): key for key, names in local.items() for name in names}  # defined in brackets already
        described = Descriptions(tuple(settings.descriptions.cues), frozenset(settings.descriptions.not_program))
        for form in find_forms(text, settings.cues, set(settings.generic), settings.not_programs, self.small, described):
            if normal(form.name) in self.not_programs or normal(form.id) in self.not_programs:
                continue
            whole = doc.char_span(form.start, form.end, alignment_mode="expand")
            if whole is None:
                continue
            program = self.by_acronym.get(form.id) or self.by_name.get(normal(form.name))
            if program is not None and form.rule in {"id_before_cue", "appositive_description"}:
                continue  # the catalog matches the name itself: "Section 333 funds" is its "Section 333"
            key = program.id if program else known.get(normal(form.name), NEW + form.id)
            if form.rule == "or_definition" and program is None:
                if key not in found and classify(form.name, self.rules) is None:
                    continue  # "the Federal Reserve, or Fed,": nothing says it is a program
                found[key] = Found(form.id, form.name, False)  # the long name, once a description named the id
            if program is None:
                found.setdefault(key, Found(form.id, form.name, False))
            if form.aliases:
                local.setdefault(key, []).extend(form.aliases)
            span = flat.span(Span(doc, whole.start, whole.end, label=key))
            spans.append(span)
            rule = (form.rule, self.entry_rules[program.id]) if program else self.form_rule(form, text[form.start : form.end])
            spans.made.setdefault((span.start, span.end, key), Made(rule, frozenset() if program else DISCOVERED))
            if program is None:
                spans.rules.setdefault(key, rule)
        return spans

    def known_as_spans(
        self, text: str, flat: Flat, spans: list[Span], found: dict[str, Found], made: dict[tuple[int, int, str], Made]
    ) -> list[Span]:
        """Mentions of the names a text gives a program with "known as" ("the Housing Choice Voucher
        program, the federal rent subsidy better known as Section 8 ... the average Section 8
        subsidy"): the program is the one whose mention ends at the comma (a lower-case program
        word between them aside); its other name then counts wherever the text writes it."""
        hits = known_as(text)
        if not hits:
            return []
        ends = {}
        for span in spans:
            if span.label_ == BLOCKER:
                continue
            end = flat.original(span).end_char
            ends[end] = span.label_
            after = re.match(r"\s+([a-z]+)\s*,", text[end:end + 20])
            if after and after.group(1) in self.lower_cues | self.cue_words:
                ends[end + after.end() - 1] = span.label_
        aliases: dict[str, list[str]] = {}
        for hit in hits:
            if hit.after in ends and normal(hit.alias) not in self.not_programs:
                aliases.setdefault(ends[hit.after], []).append(hit.alias)
        if not aliases:
            return []
        also = [s for group in self.run(self.matcher(aliases), flat) for s in group]
        for span in also:
            entry = self.entry_rules.get(span.label_)
            made.setdefault(
                (span.start, span.end, span.label_),
                Made(rules_of("known_as", entry), frozenset()) if entry else Made(("known_as",), DISCOVERED),
            )
        return also

    def made_by(self, span: Span, how: str, undefined: set[str], found: dict[str, Found]) -> Made:
        """The rule and review flags of one match, by the way it was found (TABLES.md, Provenance).

        `how` is "catalog" (a catalog name or acronym), "definition" (a definition in
        the text, or a later use of the acronym it defined) or "discovered" (a name
        ending in a cue word, or an undefined acronym spelling one: `undefined`).
        A program the catalog does not list names the cue word that made its name
        one (rules/programs.yml, cues).
        """
        entry = self.entry_rules.get(span.label_)  # None for a program the catalog does not list
        if how == "catalog":
            assert entry is not None  # the catalog matcher labels its spans with catalog ids
            program = self.by_acronym.get(span.text) or self.by_acronym.get(span.text[:-1])
            return Made((entry,), frozenset({"ambiguous_acronym"} if program and program.ambiguous else ()))
        if how == "definition" and entry:
            return Made(("acronym_definition", entry), frozenset())
        cue = cue_rule(found[span.label_].name, self.rules)
        if how == "definition":
            return Made(rules_of("acronym_definition", cue), DISCOVERED)
        if span.text in undefined or span.text[:-1] in undefined:
            return Made(rules_of("undefined_acronym", cue), frozenset({"discovered", "undefined_acronym"}))
        return Made(rules_of("cue_name", cue), DISCOVERED)

    def form_rule(self, form: Form, written: str) -> tuple[str, ...]:
        """A discovered form's rule: the form, and where the rules list the program word that made it:
        the description's ("its flagship cash transfer scheme"), else the lower-case cue that its name,
        then its words as `written`, end in ("the GSM-102 program")."""
        described = self.rules.lowercase.descriptions.cues if self.rules.lowercase else []
        if form.cue in described:
            return rules_of(form.rule, self.rules.where("lowercase", "descriptions", "cues", described.index(form.cue)))
        return self.lower_cue_rule(form.rule, form.name, written)

    def lower_cue_rule(self, step: str, *names: str, key: str = "cues") -> tuple[str, ...]:
        """`step` and the line of the lower-case cue (under lowercase: `key`) that the first of `names`
        ends in, if any."""
        cues = getattr(self.rules.lowercase, key) if self.rules.lowercase else []
        for name in names:
            last = name.split()[-1].lower() if name.split() else ""
            for i, cue in enumerate(cues):
                if last in {cue.lower(), plural(cue).lower()}:
                    return rules_of(step, self.rules.where("lowercase", key, i))
        return (step,)

    def undefined_acronyms(self, flat: Flat, names: set[str], taken: list[Span]) -> dict[str, str]:
        """name -> the acronym the text uses for a discovered name without ever defining it.

        "the Peacebuilding Fund ... PBF support": an all-capital word of three or
        more letters that no other span covers, that the catalog does not know,
        and that spells exactly one of the names (extract.programs.acronyms.spells); a
        name spelled by two such words gets neither.
        """
        if not names:
            return {}
        covered = {i for span in taken for i in range(span.start, span.end)}
        words = sorted({
            t.text for t in flat.doc
            if len(t) >= 3 and t.is_alpha and t.is_upper and t.i not in covered
            and not flat.shouted(t.i, t.i + 1) and t.text not in self.by_acronym
        })
        by_ends = names_by_initials(names, self.rules.minor)
        spelled: dict[str, list[str]] = {}
        for word in words:
            matches = [name for name in by_ends.get((word[0].lower(), word[-1].lower()), []) if spells(word, name, self.rules.minor)]
            if len(matches) == 1:
                spelled.setdefault(matches[0], []).append(word)
        return {name: acronyms[0] for name, acronyms in spelled.items() if len(acronyms) == 1}

    def run(self, matchers: tuple[PhraseMatcher, PhraseMatcher], flat: Flat) -> tuple[list[Span], list[Span]]:
        """(spans matched as written, spans matched in any case) labelled with the program id (or BLOCKER);
        none of the first kind in shouted lines, where case tells nothing, unless they hold a digit."""
        exact, folded = matchers
        acronyms = [
            Span(flat.doc, s, e, label=k) for k, s, e in exact(flat.doc)
            if not flat.shouted(s, e) or any(c.isdigit() for c in flat.doc[s:e].text)  # "GSM-102" is no word
        ]
        names = [Span(flat.doc, s, e, label=k) for k, s, e in folded(flat.doc)]
        return acronyms, names

    def stands_alone(self, acronym: Span, named: set[str]) -> bool:
        """An ambiguous acronym (ICI, CAP) counts only where the text also names its program in full
        (`named`: the labels of the spans that name a program)."""
        program = self.by_acronym.get(acronym.text) or self.by_acronym.get(acronym.text[:-1])  # FMF, FMFs
        if program is None or not program.ambiguous:
            return True
        return program.id in named

    def resolve_definition(
        self, doc: Doc, definition: Definition, found: dict[str, Found], silenced: set[str], local: dict[str, list[str]]
    ) -> Span | None:
        """The span of one definition when it defines a program, and what the text now knows.

        A catalog acronym defined as something else in this text ("European
        Defence Agency (EDA)") is silenced for the text; an acronym the catalog
        lacks for a catalog name becomes a local alias; an unknown definition
        whose long form reads as a program is discovered.
        """
        whole = doc.char_span(definition.start, definition.end, alignment_mode="expand")
        if whole is None:
            return None
        long_form, end = definition.long, whole.end
        after = self.cue_after(doc, end)
        if after is not None:
            long_form = f"{long_form} {after.text}"  # "Defence and Related ... Building (DCB) Initiative"
            if after.is_title and after.i == end:
                end += 1
        program = self.catalog_program(definition, long_form)
        if program is None:
            if definition.short in self.by_acronym:
                silenced.add(self.by_acronym[definition.short].id)
            own = deciding_cue(re.sub(r"['’]s?$", "", definition.long), self.rules)  # "European Community (EC) aid program" is the EC's
            kind = classify(long_form, self.rules) if own is None or own.is_program else None
            proper = definition.long[:1].isupper()  # "a regional fund (RF)" is a description, not a name
            if kind is None or not proper or normal(definition.long) in self.not_programs:
                return None
            name = long_form if end > whole.end else definition.long
            key = NEW + definition.short  # never a catalog id, even when the acronym is one
            found[key] = Found(definition.short, name, False)
            local.setdefault(key, []).extend([definition.short, definition.long, name])
            return Span(doc, whole.start, end, label=key)
        if definition.short not in self.by_acronym:
            local.setdefault(program.id, []).append(definition.short)
        return Span(doc, whole.start, end, label=program.id)

    def cue_after(self, doc: Doc, end: int) -> Token | None:
        """The program word that a definition's name stands before: right after the bracket ("(DCB)
        Initiative", "(KCC) scheme"), or after a few lower-case words ("(PMFBY) crop insurance
        programme"), never in a blocked name ("(XYZ) pension fund")."""
        words: list[str] = []
        for token in doc[end : end + 4]:
            if token.lower_ in self.cue_words or token.lower_ in self.lower_cues:
                if token.i > end and not token.is_lower:
                    return None
                phrase = " ".join([*words, token.lower_])
                blocked = self.rules.lowercase.not_programs if self.rules.lowercase else []
                return None if any(b in phrase for b in blocked) else token
            if not (token.is_alpha and token.is_lower) or token.is_stop:
                return None
            words.append(token.lower_)
        return None

    def catalog_program(self, definition: Definition, long_form: str) -> Program | None:
        """The catalog program a definition names, or None when it names something the catalog lacks.

        `long_form` may carry the cue word after the bracket ("... (DCB) Initiative");
        spelling variants are judged on the bracketed definition alone, so that a
        shared "program" does not make two names the same.
        """
        by_name = self.by_name.get(normal(long_form)) or self.by_name.get(normal(definition.long))
        if by_name is not None:
            return by_name
        by_acronym = self.by_acronym.get(definition.short)
        if by_acronym is not None and same_program(definition.long, by_acronym, self.rules):
            return by_acronym
        return None

    def ends_in_named(self, doc: Doc, start: int, end: int, run_end: int) -> bool:
        """Whether tokens start..end end the capitalized run with all the words of a named cue
        ("Earned Income Tax Credit" ends in "Tax Credit"; "Ford Motor Credit" does not)."""
        if end != run_end:
            return False
        words = tuple(t.lower_ for t in doc[start:end])
        return any(len(words) > len(cue) and words[-len(cue):] == cue for cue in self.named)

    def cue_names(self, flat: Flat, taken: list[Span], followed: dict[str, str]) -> list[Span]:
        """Capitalized names ending in a program cue word (or standing before a lower-case one, which
        `followed` then records by the name) that no other span covers, and that read as programs."""
        covered = {i for span in taken for i in range(span.start, span.end)}
        doc = flat.doc
        lowers = doc.to_array(LOWER).tolist()
        is_cue = [word in self.cue_ids for word in lowers]
        where: dict[int, list[int]] = {}
        names = []
        for start, end in capitalized_runs(doc, self.connector_ids):
            before_cue = end < len(doc) and lowers[end] in self.after_name_ids and doc[end].is_lower
            if not any(is_cue[start:end]) and not before_cue:
                continue  # most runs: no cue word, no name to find
            if flat.shouted(start, end):
                continue  # a headline in capitals: every word looks like a name
            while start < end and doc[start].is_stop and not (doc[start].is_upper and len(doc[start]) > 1):
                start += 1  # "The", "A", "Through the", "Under"; not "US"
            if not any(is_cue[start:end]):
                if not where:
                    for i, word in enumerate(lowers):  # once per text, and only when a name stands before one
                        where.setdefault(word, []).append(i)
                written = flat.original(Span(doc, start, end)).text
                if self.names_program(doc, start, end, written, covered) and named_again(doc, start, end, lowers, where):
                    names.append(Span(doc, start, end, label=doc[start:end].text))
                    followed[" ".join(written.split())] = doc[end].lower_
                continue
            run_end = end
            while end > start and doc[end - 1].lower_ not in self.cue_words | self.named_words:
                end -= 1
            if doc[end - 1].lower_ in self.named_words and not self.ends_in_named(doc, start, end, run_end):
                continue  # "Farm Credit System", "Plan International": a named cue counts only at a name's end
            words = [t for t in doc[start:end] if t.text not in self.connectors and t.lower_ not in self.connectors]
            if len(words) < 2 or all(t.is_upper for t in words) or covered.intersection(range(start, end)):
                continue
            span = doc[start:end]
            if classify(span.text, self.rules) is not None:
                names.append(Span(doc, start, end, label=span.text))
        return names

    def names_program(self, doc: Doc, start: int, end: int, written: str, covered: set[int]) -> bool:
        """Whether capitalized words before a lower-case program word name one: "the Housing Choice
        Voucher program" names "Housing Choice Voucher" (`written` as the text has it; when the text
        names it again: named_again);
        "the Commodity Credit Corp program" (a not-program cue), "the IMF program", "the Euro-MTN programs" (one word) and
        "the Boeing A320 program" (a number) do not."""
        words = [t for t in doc[start:end] if t.lower_ not in self.connectors]
        if len(words) < 2 or all(t.is_upper for t in words) or any(t.like_num or not t.is_alpha for t in words):
            return False
        if len(written.split()) < 2:
            return False  # one word however hyphenated: "the Euro-MTN programs", "J.C. Penney's Tele-Action program"
        if covered.intersection(range(start, end + 1)):
            return False
        cue = deciding_cue(doc[start:end].text, self.rules)
        return cue is None or cue.is_program


def named_again(doc: Doc, start: int, end: int, lowers: list[int], where: dict[int, list[int]]) -> bool:
    """Whether the text names tokens start..end once more, in any case, the last word maybe plural:
    "the Housing Choice Voucher program ... Housing Choice Vouchers" is a program's name; a radio
    show ("told BBC One's Breakfast with Frost programme") is named once. `where` lists the
    positions of each word (by its LOWER id)."""
    last = doc[end - 1].lower_
    endings = {get_string_id(last), get_string_id(plural(last).lower())}
    width = end - start
    return any(
        i != start and lowers[i + 1 : i + width - 1] == lowers[start + 1 : end - 1] and lowers[i + width - 1] in endings
        for i in where.get(lowers[start], []) if i + width <= len(lowers)
    )


class FormSpans(list):
    """The spans the forms found, and what made each (keyed like `made` in ProgramFinder.__call__)."""

    def __init__(self) -> None:
        super().__init__()
        self.made: dict[tuple[int, int, str], Made] = {}
        self.rules: dict[str, tuple[str, ...]] = {}  # discovered key -> the rule of the form that found it


def program_span(match: Span, program: Found, made: Made) -> Span:
    """The PROGRAM span for one resolved match, carrying what it names and what made it."""
    span = Span(match.doc, match.start, match.end, label="PROGRAM")
    span._.program_id, span._.program_name, span._.in_catalog = program.id, program.name, program.in_catalog
    span._.rule, span._.flags = made
    return span


def capitalized_runs(doc: Doc, connector_ids: set[int]) -> list[tuple[int, int]]:
    """(start, end) of each run of capitalized words, with the small words names hold inside
    (`connector_ids`: the rules' connectors as Doc.to_array(LOWER) gives them).

    Read from arrays of token attributes: no Token object is made for each token.
    """
    title, upper, alpha, lower = doc.to_array([IS_TITLE, IS_UPPER, IS_ALPHA, LOWER]).T
    capital = (title | (upper & alpha)).tolist()
    connector = [word in connector_ids for word in lower.tolist()]
    runs, start = [], None
    for i, (is_capital, is_connector) in enumerate(zip(capital, connector)):
        if is_capital and start is None:
            start = i
        elif not is_capital and not is_connector and start is not None:
            runs.append(trim(connector, start, i))
            start = None
    if start is not None:
        runs.append(trim(connector, start, len(doc)))
    return runs


def trim(connector: list[bool], start: int, end: int) -> tuple[int, int]:
    """A run without the connectors it ended on."""
    while end > start and connector[end - 1]:
        end -= 1
    return start, end


@Language.factory("extract_programs", assigns=["doc.spans"], default_config={"rules_path": None})
def make_program_finder(nlp: Language, name: str, rules_path: str | None) -> ProgramFinder:
    """Build the programs component from rules/programs.yml (or the file `rules_path` names)."""
    return ProgramFinder(nlp, name, rules_path)
