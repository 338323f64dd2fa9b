"""The rule components: each module registers one spaCy factory.

Importing this package registers every factory, so `spacy.load()` of a saved
extract pipeline finds them.
"""
from . import dates, facts, money, programs, sentences  # noqa: F401  (registers the factories)
