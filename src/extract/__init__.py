"""extract: raw security-assistance texts in, normalized tables of money, dates and programs out.

    >>> import extract
    >>> nlp = extract.load_pipeline()
    >>> doc = nlp("Iraq received $1.25 billion in Foreign Military Financing in FY2016.")
    >>> [(s.text, s._.amount, s._.currency) for s in doc.spans["money"]]
"""
from .nlp import load_pipeline, make_doc
from .pipeline import run

__all__ = ["load_pipeline", "make_doc", "run"]
