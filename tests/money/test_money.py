"""extract_money, one sentence at a time: (sentence, the rows a careful reader writes down).

Written by hand from LABELING.md (Money). Rows are (text, amount, currency,
qualifier, amount_high); amounts are exact decimals given as strings.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
import spacy

import extract.components  # noqa: F401  (registers extract_money)
from extract.money.grammar import parse_amount

Row = tuple[str, str, str, str | None, str | None]


def row(text: str, amount: str, currency: str, qualifier: str | None = None, high: str | None = None) -> Row:
    return (text, amount, currency, qualifier, high)


CASES: list[tuple[str, str, list[Row]]] = [
    # -- symbols, codes and names -------------------------------------------------------
    ("dollar-sign", "The grant was $590 million.", [row("$590 million", "590000000", "USD")]),
    ("us-dollar-sign", "Russia took a US$150 million loan.", [row("US$150 million", "150000000", "USD")]),
    ("usd-code-before", "The fund holds USD 5 million.", [row("USD 5 million", "5000000", "USD")]),
    ("usd-code-after", "The fund holds 5 million USD in reserve.", [row("5 million USD", "5000000", "USD")]),
    ("australian-dollar", "Canberra pledged A$3 billion.", [row("A$3 billion", "3000000000", "AUD")]),
    ("canadian-dollar", "Ottawa added C$16.4 million.", [row("C$16.4 million", "16400000", "CAD")]),
    ("possessive-s-is-no-sgd", "the firm's $500 price tag", [row("$500", "500", "USD")]),
    ("hong-kong-dollar", "a HK$2 billion bond", [row("HK$2 billion", "2000000000", "HKD")]),
    ("euro-sign", "Brussels gave €3.5 billion.", [row("€3.5 billion", "3500000000", "EUR")]),
    ("eur-code", "The facility has EUR 5.7 billion.", [row("EUR 5.7 billion", "5700000000", "EUR")]),
    ("euros-name", "It costs 4 billion euros.", [row("4 billion euros", "4000000000", "EUR")]),
    ("pound-sign", "London committed £2.3 million.", [row("£2.3 million", "2300000", "GBP")]),
    ("pounds-name", "a deal worth 5 million pounds", [row("5 million pounds", "5000000", "GBP")]),
    ("pounds-sterling", "a deal worth 40 million pounds sterling", [row("40 million pounds sterling", "40000000", "GBP")]),
    ("iqd-code", "Baghdad's budget was IQD 1.2 trillion.", [row("IQD 1.2 trillion", "1200000000000", "IQD")]),
    ("dinars-name", "salaries of 500,000 dinars a month", [row("500,000 dinars", "500000", "IQD")]),
    ("iraqi-dinars", "a 3 billion Iraqi dinars fund", [row("3 billion Iraqi dinars", "3000000000", "IQD")]),
    ("yen-sign", "Tokyo set aside ¥500 billion.", [row("¥500 billion", "500000000000", "JPY")]),
    ("yen-name", "spending of 309,381 yen", [row("309,381 yen", "309381", "JPY")]),
    ("rupees-name", "a loan of 2,000 rupees", [row("2,000 rupees", "2000", "INR")]),
    ("rs-crore", "the outlay was Rs 86,340 crore.", [row("Rs 86,340 crore", "863400000000", "INR")]),
    ("rs-lakh", "a grant of Rs 5 lakh", [row("Rs 5 lakh", "500000", "INR")]),
    ("rupee-sign", "contracts worth ₹1,200 crore", [row("₹1,200 crore", "12000000000", "INR")]),
    ("yuan-name", "output broke through 100 billion yuan", [row("100 billion yuan", "100000000000", "CNY")]),
    ("cents", "oil at 50 cents more per barrel", [row("50 cents", "0.5", "USD")]),
    ("decimal-cents", "the contract rose 1.20 cents", [row("1.20 cents", "0.012", "USD")]),
    ("pence", "a bid of 470 pence a share", [row("470 pence", "4.7", "GBP")]),
    ("dollars-and-cents", "it cost 3 dollars 50 cents", [row("3 dollars 50 cents", "3.5", "USD")]),
    ("euro-sign-after", "10 € is not much", [row("10 €", "10", "EUR")]),
    ("plain-dollars", "paid $94,000 to drop all claims", [row("$94,000", "94000", "USD")]),
    ("dollars-with-cents", "only $1.22 in change", [row("$1.22", "1.22", "USD")]),
    # -- scale words and abbreviations ----------------------------------------------------
    ("thousand", "a fine of $250 thousand", [row("$250 thousand", "250000", "USD")]),
    ("trillion", "debts of $1.5 trillion", [row("$1.5 trillion", "1500000000000", "USD")]),
    ("k-attached", "a $50k bonus", [row("$50k", "50000", "USD")]),
    ("m-attached", "commitments fell to just €48m.", [row("€48m", "48000000", "EUR")]),
    ("M-attached", "a $5M grant", [row("$5M", "5000000", "USD")]),
    ("mn", "sales of $20mn in 2019", [row("$20mn", "20000000", "USD")]),
    ("mln-wire", "up from 42 mln dlrs in fiscal 1991", [row("42 mln dlrs", "42000000", "USD")]),
    ("bn-attached", "the $1.2bn package", [row("$1.2bn", "1200000000", "USD")]),
    ("B-attached", "a $3B deal", [row("$3B", "3000000000", "USD")]),
    ("bn-spaced", "a £4 bn programme", [row("£4 bn", "4000000000", "GBP")]),
    ("wire-billion-dlrs", "grants of 4.1 billion dlrs in fiscal 1992", [row("4.1 billion dlrs", "4100000000", "USD")]),
    ("capital-Million", "$250 Million for Ukraine", [row("$250 Million", "250000000", "USD")]),
    ("amount-at-line-break", "a total of $1.25\nbillion in aid", [row("$1.25\nbillion", "1250000000", "USD")]),
    # -- numbers in words and mixed -------------------------------------------------------
    ("one-billion-dollars", "over one billion dollars in sales", [row("over one billion dollars", "1000000000", "USD", "more_than")]),
    ("half-a-billion", "half a billion dollars was spent", [row("half a billion dollars", "500000000", "USD")]),
    ("quarter-of-a-million", "a quarter of a million euros", [row("a quarter of a million euros", "250000", "EUR")]),
    ("one-and-a-half", "one and a half billion dollars", [row("one and a half billion dollars", "1500000000", "USD")]),
    ("three-quarters", "three quarters of a million pounds", [row("three quarters of a million pounds", "750000", "GBP")]),
    ("a-billion", "nearly a billion dollars", [row("nearly a billion dollars", "1000000000", "USD", "approx")]),
    ("twenty-five-million", "twenty-five million dollars", [row("twenty-five million dollars", "25000000", "USD")]),
    ("two-hundred-thousand", "two hundred thousand dollars", [row("two hundred thousand dollars", "200000", "USD")]),
    ("hundred-and-five", "one hundred and five dollars", [row("one hundred and five dollars", "105", "USD")]),
    (
        "between-in-words",
        "versus between six and seven mln dlrs",
        [row("between six and seven mln dlrs", "6000000", "USD", "range", "7000000")],
    ),
    ("five-million-yen", "five million yen", [row("five million yen", "5000000", "JPY")]),
    ("words-and-cents", "thirteen dollars and forty-five cents", [row("thirteen dollars and forty-five cents", "13.45", "USD")]),
    ("digits-with-commas", "1,500,000 dollars", [row("1,500,000 dollars", "1500000", "USD")]),
    ("hyphen-cent", "a 12-cent-a-share dividend", [row("12-cent", "0.12", "USD")]),
    ("one-yen", "its one-yen bid", [row("one-yen", "1", "JPY")]),
    # -- qualifiers -------------------------------------------------------------------------
    ("more-than", "more than $590 million", [row("more than $590 million", "590000000", "USD", "more_than")]),
    ("over", "over $689 million", [row("over $689 million", "689000000", "USD", "more_than")]),
    ("in-excess-of", "in excess of $2 billion", [row("in excess of $2 billion", "2000000000", "USD", "more_than")]),
    ("less-than", "less than 1.1 billion dlrs", [row("less than 1.1 billion dlrs", "1100000000", "USD", "less_than")]),
    ("under", "under $5 million", [row("under $5 million", "5000000", "USD", "less_than")]),
    ("about", "about 650 mln dlrs", [row("about 650 mln dlrs", "650000000", "USD", "approx")]),
    ("nearly", "nearly $550 million", [row("nearly $550 million", "550000000", "USD", "approx")]),
    ("roughly-rs", "roughly Rs 1,200 crore", [row("roughly Rs 1,200 crore", "12000000000", "INR", "approx")]),
    ("some", "some €3.5 billion", [row("some €3.5 billion", "3500000000", "EUR", "approx")]),
    ("an-estimated", "an estimated £50 million", [row("an estimated £50 million", "50000000", "GBP", "approx")]),
    ("up-to", "up to $100 billion", [row("up to $100 billion", "100000000000", "USD", "up_to")]),
    ("as-much-as", "as much as $3 billion", [row("as much as $3 billion", "3000000000", "USD", "up_to")]),
    ("as-high-as", "as high as $2.5 billion", [row("as high as $2.5 billion", "2500000000", "USD", "up_to")]),
    ("at-least", "at least $40 million", [row("at least $40 million", "40000000", "USD", "at_least")]),
    ("a-minimum-of", "a minimum of $1 million", [row("a minimum of $1 million", "1000000", "USD", "at_least")]),
    ("up-from-is-no-qualifier", "up from $42 million", [row("$42 million", "42000000", "USD")]),
    # "over" after a verb it belongs to ("hand over") is no qualifier; after others it is "more than"
    ("handed-over", "The Game handed over $103,500 to the choir.", [row("$103,500", "103500", "USD")]),
    ("turned-over", "He turned over 70 mln pesos in cash to the commission.", [row("70 mln pesos", "70000000", "PHP")]),
    ("roll-over", "The operation was done partly to roll over 300 billion yen.", [row("300 billion yen", "300000000000", "JPY")]),
    ("forked-over", "Taxpayers forked over\n$2 billion for the jets.", [row("$2 billion", "2000000000", "USD")]),
    ("handing-over-a-range", "Kyiv is handing over $5-7 million in kit.", [row("$5-7 million", "5000000", "USD", "range", "7000000")]),
    ("was-handing-over-is-active", "The envoy was handing over $2 million.", [row("$2 million", "2000000", "USD")]),
    ("passive-handed-over-is-more-than", "Contractors were handed over $5 million in cash.",
     [row("over $5 million", "5000000", "USD", "more_than")]),
    ("paid-over-is-more-than", "The ministry paid over $5 million for the radars.",
     [row("over $5 million", "5000000", "USD", "more_than")]),
    ("get-over-is-more-than", "Morocco is likely to get over 100 mln dlrs in aid.",
     [row("over 100 mln dlrs", "100000000", "USD", "more_than")]),
    ("took-over-may-read-either-way-so-more-than", "The bank took over $2 billion in assets.",
     [row("over $2 billion", "2000000000", "USD", "more_than")]),
    ("over-after-a-noun-is-more-than", "a handover over $5 million", [row("over $5 million", "5000000", "USD", "more_than")]),
    # -- ranges --------------------------------------------------------------------------------
    ("dash-range", "deals worth $1-2 billion", [row("$1-2 billion", "1000000000", "USD", "range", "2000000000")]),
    ("en-dash-range", "deals worth $1–2 billion", [row("$1–2 billion", "1000000000", "USD", "range", "2000000000")]),
    ("to-range", "$1 billion to $2 billion", [row("$1 billion to $2 billion", "1000000000", "USD", "range", "2000000000")]),
    ("between-range", "between $5 and $7 million", [row("between $5 and $7 million", "5000000", "USD", "range", "7000000")]),
    ("range-scales-differ", "$500,000 to $2 million", [row("$500,000 to $2 million", "500000", "USD", "range", "2000000")]),
    ("range-words", "5 to 7 million euros", [row("5 to 7 million euros", "5000000", "EUR", "range", "7000000")]),
    ("change-is-no-range", "spending rose from $1 billion to $2 billion",
     [row("$1 billion", "1000000000", "USD"), row("$2 billion", "2000000000", "USD")]),
    (
        "change-without-from",
        "holdings rose 39 mln rand to 4.0 billion rand",
        [row("39 mln rand", "39000000", "ZAR"), row("4.0 billion rand", "4000000000", "ZAR")],
    ),
    ("us-dlrs", "almost 12 billion U.S. Dlrs", [row("almost 12 billion U.S. Dlrs", "12000000000", "USD", "approx")]),
    ("two-amounts-with-and", "$5 million and $7 million",
     [row("$5 million", "5000000", "USD"), row("$7 million", "7000000", "USD")]),
    ("fall-is-no-range", "fell from 3.450 to 1.350 billion dlrs", [row("1.350 billion dlrs", "1350000000", "USD")]),
    ("marks-with-scale", "some 8.8 billion marks", [row("some 8.8 billion marks", "8800000000", "DEM", "approx")]),
    ("marks-without-scale", "he got 5 marks in the exam", []),
    ("article-then-number", "a two-penny rise", [row("a two-penny", "0.02", "GBP")]),
    ("range-to-year-is-no-range", "paid $5 million to 2015", [row("$5 million", "5000000", "USD")]),
    # -- currency plain from the text ------------------------------------------------------
    ("implied-next-sentence", "It voted 4.1 billion dlrs. The House approved 3.9 billion for the program.",
     [row("4.1 billion dlrs", "4100000000", "USD"), row("3.9 billion", "3900000000", "USD")]),
    ("implied-repeat", "Congress cut $1.25 billion. Much later, and after long debate, a portion of the 1.25 billion was restored.",
     [row("$1.25 billion", "1250000000", "USD"), row("1.25 billion", "1250000000", "USD")]),
    ("implied-too-far", "It voted 4.1 billion dlrs. Then it rested.\n\nIt met again. The House approved 3.9 billion for it.",
     [row("4.1 billion dlrs", "4100000000", "USD")]),  # another paragraph: no currency
    ("implied-in-paragraph", "It voted 4.1 billion dlrs. Then it rested. It met again. The House approved 3.9 billion for it.",
     [row("4.1 billion dlrs", "4100000000", "USD"), row("3.9 billion", "3900000000", "USD")]),
    ("implied-count-of-people", "India, with 1.4 billion people, spent $5 billion.", [row("$5 billion", "5000000000", "USD")]),
    (
        "implied-needs-a-scaled-neighbour",
        "It sells for less than $100. We sell laptops in quantities of one million or more.",
        [row("less than $100", "100", "USD", "less_than")],
    ),
    ("won-after-scale", "It earmarked 100 trillion won ($96bn).",
     [row("100 trillion won", "100000000000000", "KRW"), row("$96bn", "96000000000", "USD")]),
    ("won-is-a-verb", "In 2008 won the election", []),
    ("implied-conversion", "a deficit of 1.6 billion ($2.54 billion)", [row("$2.54 billion", "2540000000", "USD")]),
    # -- not money ------------------------------------------------------------------------------
    ("percentage", "sales grew 15% to 20 percent", []),
    ("count-of-people", "15,000 Iraqi officers were trained", []),
    ("year", "In 2015 NATO agreed on a package", []),
    ("bare-number", "the quantity is 32", []),
    ("model-numbers", "F-16 jets and C-172 trainers", []),
    ("phone-number", "call +1 202-555-0143 or (703) 555 0100", []),
    ("metres-not-millions", "a 5m wall", []),
    ("pounds-of-weight", "2,000 pounds of explosives", []),
    ("fiscal-year", "FY2016 and FY 2017 budgets", []),
    ("bare-billion-no-currency", "The country has 1.4 billion residents.", []),
    ("article-before-dollar", "A $5 million grant", [row("$5 million", "5000000", "USD")]),
    ("symbol-then-number-next", "1 $10 dollars bill", [row("$10 dollars", "10", "USD")]),
    ("quarter-is-a-noun", "income sank 27% in the quarter to $254 million.", [row("$254 million", "254000000", "USD")]),
    # -- wire forms: SDRs, a currency in brackets, a doubled scale ---------------------------------
    ("sdrs", "The fund lent 40 mln SDRs to Zambia.", [row("40 mln SDRs", "40000000", "XDR")]),
    ("xdr-code", "a credit of XDR 25 million", [row("XDR 25 million", "25000000", "XDR")]),
    ("currency-in-brackets", "It paid 12 mln (Canadian) dlrs.", [row("12 mln (Canadian) dlrs", "12000000", "CAD")]),
    ("doubled-scale", "The deal was worth $3.1bn million.", [row("$3.1bn million", "3100000000", "USD")]),
    ("doubled-scale-next-line", "The deal was worth $3.1 billion\nmillion, they said.", [row("$3.1 billion\nmillion", "3100000000", "USD")]),
    ("no-scale-across-a-blank-line", "The deal was worth $3.1 billion\n\nMillions watched.", [row("$3.1 billion", "3100000000", "USD")]),
    ("compound-scale-lakh-crore", "The budget is Rs 1.5 lakh crore.", [row("Rs 1.5 lakh crore", "1500000000000", "INR")]),
    ("compound-scale-thousand-million", "It cost $3 thousand million.", [row("$3 thousand million", "3000000000", "USD")]),
    ("currency-earlier-in-paragraph", "It raised 40 mln dlrs. It met in Paris. The board agreed. The rest was 12 mln.",
     [row("40 mln dlrs", "40000000", "USD"), row("12 mln", "12000000", "USD")]),
    ("no-currency-across-paragraphs", "It raised 40 mln dlrs. It met in Paris.\n\nThe board agreed. The rest was 12 mln.",
     [row("40 mln dlrs", "40000000", "USD")]),
]


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("extract_money")
    return nlp


def rows(doc) -> list[Row]:
    return [
        (s.text, str(s._.amount), s._.currency, s._.qualifier, None if s._.amount_high is None else str(s._.amount_high))
        for s in doc.spans["money"]
    ]


@pytest.mark.parametrize(("sentence", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_money_rows(blank, sentence, expected):
    assert rows(blank(sentence)) == expected


def test_amounts_are_decimals(blank):
    doc = blank("a $1.25 billion grant")
    span = doc.spans["money"][0]
    assert type(span._.amount) is Decimal and span._.amount == Decimal("1250000000")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The tagger tells the verb "sought" from a noun: the LABELING.md example.
        ("Congress cut 1.25 billion dlrs, between 1.4 billion sought by the Senate and one billion by the House.",
         [row("1.25 billion dlrs", "1250000000", "USD"), row("1.4 billion", "1400000000", "USD"),
          row("one billion", "1000000000", "USD")]),
        ("It pledged $2 billion while 1.4 billion people watched.", [row("$2 billion", "2000000000", "USD")]),
    ],
    ids=["implied-between-senate-house", "implied-count-needs-tagger"],
)
def test_money_rows_with_the_model(nlp, sentence, expected):
    assert rows(nlp(sentence)) == expected


@pytest.mark.parametrize(
    ("text", "amount", "currency", "qualifier", "high"),
    [
        ("$1.2bn", "1200000000", "USD", None, None),
        ("about 650 mln dlrs", "650000000", "USD", "approx", None),
        ("$1-2 billion", "1000000000", "USD", "range", "2000000000"),
        ("3.9 billion", "3900000000", None, None, None),
    ],
    ids=["symbol-bn", "wire-qualified", "range", "bare-has-no-currency"],
)
def test_parse_amount_needs_no_pipeline(text, amount, currency, qualifier, high):
    parsed = parse_amount(text)
    assert parsed is not None
    got = (str(parsed.amount), parsed.currency, parsed.qualifier, None if parsed.amount_high is None else str(parsed.amount_high))
    assert got == (amount, currency, qualifier, high)


@pytest.mark.parametrize(
    "text",
    ["32", "F-16", "15%", "$", "the $ sign", "2,000 pounds", "$1.12345678901234567890123456789 billion"],
    ids=["bare", "model", "percent", "sign-alone", "sign-in-words", "weight", "would-need-rounding"],
)
def test_parse_amount_rejects_what_is_not_money(text):
    parsed = parse_amount(text)
    assert parsed is None or parsed.currency is None and not parsed.scaled


def test_a_doubled_scale_is_flagged_and_an_inferred_currency_says_so(blank):
    doc = blank("The deal was worth $3.1bn million. It raised 40 mln dlrs. It met. The rest was 12 mln. Rs 2 lakh crore.")
    assert [sorted(s._.flags) for s in doc.spans["money"]] == [["scale_doubled"], [], ["currency_inferred"], []]


def test_the_tag_read_on_demand_is_the_tag_of_the_whole_doc(nlp):
    """The tagger runs only around the word money asks about; its tag must be the one the whole Doc gets."""
    text = ("Congress cut 1.25 billion dlrs, between 1.4 billion sought by the Senate and one billion by the House. "
            "It pledged $2 billion while 1.4 billion people watched, and the fund lent 300 million more last year.")
    doc = nlp(text)
    whole = nlp.make_doc(text)
    for name in ("tok2vec", "tagger"):
        whole = nlp.get_pipe(name)(whole)
    money = nlp.get_pipe("extract_money")
    assert not doc.has_annotation("TAG")  # the tagger does not run on every Doc
    tag_of = money.tags(doc)
    assert [tag_of(doc, i) for i in range(len(doc))] == [token.tag_ for token in whole]
