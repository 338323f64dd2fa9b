"""extract: raw security-assistance texts in, normalized tables of money, dates and programs out.

    >>> import extract
    >>> nlp = extract.load_pipeline()
    >>> doc = nlp("Iraq received $1.25 billion in Foreign Military Financing in FY2016.")
    >>> [(s.text, s._.amount, s._.currency) for s in doc.spans["money"]]

The names below are imported on first use, so `extract --version` and
`extract init` start without loading spaCy.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["load_pipeline", "make_doc", "run"]
HOME = {"load_pipeline": ".nlp", "make_doc": ".nlp", "run": ".pipeline"}  # name -> the module that defines it


def __getattr__(name: str) -> Any:
    """Import a public name's module when the name is first used (PEP 562)."""
    if name not in HOME:
        raise AttributeError(f"module 'extract' has no attribute {name!r}")
    return getattr(import_module(HOME[name], __name__), name)
