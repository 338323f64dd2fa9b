"""The folders of ../shared that tests read in place: a missing one is a failure that names it."""
from __future__ import annotations

import pytest

from .conftest import shared


def test_a_missing_shared_folder_fails_naming_it():
    with pytest.raises(pytest.fail.Exception) as caught:
        shared("corpora", "no-such-corpus")
    assert "../shared/corpora/no-such-corpus is missing or empty" in str(caught.value)


def test_a_present_shared_folder_is_returned():
    assert (shared("corpora", "bbc-news-2005") / "index.tsv").is_file()
