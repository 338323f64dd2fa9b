"""One notion of a sentence (extract.sentences.bounds), and the stages that read it: money, dates, facts."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
import spacy

import extract
from extract.nlp import make_doc
from extract.sentences.bounds import Abbreviations, Sentences, cut_again, default_abbreviations, sentences_of

from .conftest import RULES, add_sentence_word


def texts(text: str, bounds: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in bounds]


@pytest.mark.parametrize(("text", "sentences"), [
    ("Funds fell to just €48m. The Athena mechanism is folded in.", ["Funds fell to just €48m.", "The Athena mechanism is folded in."]),
    ("The U.S. Senate voted. Then Mr. Smith spoke.", ["The U.S. Senate voted.", "Then Mr. Smith spoke."]),
    ("Talks with Gen. Smith went on.", ["Talks with Gen. Smith went on."]),
    ("It rose 5%. \"We will pay,\" he said.", ["It rose 5%.", "\"We will pay,\" he said."]),
    ("A long-running Co. Then one more.", ["A long-running Co. Then one more."]),  # an abbreviation
    ("It sold Transco. Then one more.", ["It sold Transco.", "Then one more."]),  # a word that ends like one is none
])
def test_a_full_stop_the_tokenizer_kept_still_ends_a_sentence(text, sentences):
    assert texts(text, cut_again(text, [(0, len(text))], default_abbreviations())) == sentences


def test_a_text_without_a_doc_is_cut_at_its_lines_too():
    text = "Rev 138.9 mln vs 131.4 mln\n\nNOTE: a charge of 2.6 mln dlrs. It fell."
    assert texts(text, Sentences.of_text(text, default_abbreviations()).bounds) == [
        "Rev 138.9 mln vs 131.4 mln", "", "NOTE: a charge of 2.6 mln dlrs.", "It fell."]


def test_offsets_find_their_sentence():
    text = "One here. Two there.\nThree."
    sentences = Sentences.of_text(text, default_abbreviations())
    assert [sentences.index(text.index(word)) for word in ("One", "here", "Two", "there", "Three")] == [0, 0, 1, 1, 2]
    assert texts(text, [sentences.around(text.index("here"), text.index("Two") + 3)]) == ["One here. Two there."]


def test_the_docs_sentences_are_its_sents_cut_again_and_kept(nlp):
    doc = nlp("Army Maj. Gen. Matt McFarlane paid €48m. The Athena mechanism grew.\nA heading")
    first = doc._.sentences
    assert texts(doc.text, first.bounds) == [
        "Army Maj. Gen. Matt McFarlane paid €48m.", "The Athena mechanism grew.\n", "A heading"]
    assert sentences_of(doc) is first, "worked out once per Doc, by extract_sentences"


def test_only_the_abbreviations_given_keep_a_sentence_going():
    text = "It moved to Calif. Then Mr. Smith spoke."
    assert texts(text, cut_again(text, [(0, len(text))], Abbreviations(["Calif", "Mr"]))) == [text]
    assert texts(text, cut_again(text, [(0, len(text))], Abbreviations([]))) == [
        "It moved to Calif.", "Then Mr.", "Smith spoke."]


def test_an_abbreviation_added_in_the_rules_keeps_a_sentence_going(nlp, tmp_path):
    """ "Calif." (the tokenizer keeps its full stop) ends a sentence until the rules list it; then the bare
    2 million shares a sentence with the one after $5 million, close enough to take its currency."""
    text = "The state paid $5 million for roads.\n\nMost of it went to a firm in Calif. Its rival got 2 million."
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    add_sentence_word(rules, "abbreviations", "Calif")
    found = {}
    for name, pipeline in {"shipped": nlp, "edited": extract.load_pipeline(rules)}.items():
        doc = pipeline(text)
        found[name] = (texts(text, doc._.sentences.bounds)[1:], [(span.text, span._.currency) for span in doc.spans["money"]])
    assert found == {
        "shipped": (["Most of it went to a firm in Calif.", "Its rival got 2 million."], [("$5 million", "USD")]),
        "edited": (["Most of it went to a firm in Calif. Its rival got 2 million."], [("$5 million", "USD"), ("2 million", "USD")]),
    }


def test_a_doc_without_sentence_starts_is_cut_at_its_lines():
    doc = spacy.blank("en")("First line. Still first\nSecond line")
    assert texts(doc.text, sentences_of(doc).bounds) == ["First line.", "Still first", "Second line"]


def test_money_lends_a_currency_only_within_a_sentence_or_from_the_one_before(nlp):
    """Wire copy's tables: each line is a sentence; a currency named in a later note lends nothing."""
    table = nlp("Rev 138.9 mln vs 131.4 mln\n\nNOTE: results include a charge of 2.6 mln dlrs.")
    inline = nlp("Rev 138.9 mln vs 131.4 mln, after a charge of 2.6 mln dlrs.")
    assert [(s.text, s._.currency) for s in table.spans["money"]] == [("2.6 mln dlrs", "USD")]
    assert ("138.9 mln", "USD") in [(s.text, s._.currency) for s in inline.spans["money"]]


def test_dates_read_the_tense_of_their_own_sentence(nlp):
    """ "in two days" is a date only where its sentence tells of the future; the quote before does not count."""
    past = 'Lewis said: "We will continue." Collins said: "This is the third report in two days to show it."'
    future = 'Lewis said: "We will publish the third report in two days."'
    found = {}
    for text in (past, future):
        doc = nlp(make_doc(nlp, text, published=dt.date(2005, 3, 1)))
        found[text] = [(span.text, span._.date_start) for span in doc.spans["dates"]]
    assert found == {past: [], future: [("in two days", dt.date(2005, 3, 3))]}
