"""Score the dates stage on the peer test cases (../shared/peers/date-cases.jsonl, read in place).

Each case's `reference_date` is the published date. Detection is scored by
overlap (the peer spans include prepositions: "for the 27"); a detected item's
value is right when its start and end days equal the expected ones (or the
listed alternative reading). Cases out of scope are listed with the reason and
scored apart: see OUT_OF_SCOPE.

    PYTHONPATH=src python tools/peer_dates.py [CASES]
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

from extract.dates.find import find_dates

CASES = Path(__file__).resolve().parents[1].parent / "shared" / "peers" / "date-cases.jsonl"

# reason -> pattern on the expected text; a case whose items all match is out of scope.
OUT_OF_SCOPE = {
    "numbers written as words (twenty second, nineteen seventies)": r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|hundred|thousand|fifteen|nineteen|seventies|twenty-tens|second\s+of|the\s+second)\b",
    "vague or compound offsets (few days ago, 1 month 21 days ago, 2 years later, later this month)": r"\b(?:few|later|from now)\b|\d+\s+\w+,?\s+(?:and\s+)?\d+\s+\w+\s+ago",
    "'in 3 year': LABELING reads published plus the span, a day; the peer a year-long range": r"^in \d",
    "chat idioms without a calendar unit (my day, the day, last day, next day, rest of)": r"\b(?:my|rest of|the day$|last day|next day|past day|the next day|the week after|the month after|the weekend after)\b",
    "numeric day-month without a year (4/22, 22/04, 4.22): scores and ratios in news text": r"^\d{1,2}[-/.]\d{1,2}$|from \d{1,2}-\d{1,2}",
    "early/late narrow a relative period; LABELING keeps the whole period": r"^(?:early|late|later) ",
    "a bare day of the month (for the 27th) or nth weekday (third Tuesday, first friday of)": r"^for the|^(?:first|second|third|fourth|last) (?:mon|tue|wed|thu|fri|sat|sun)|the first friday",
    "years before 1500 (year 247)": r"^year \d{1,3}$",
    "day ranges inside a week (next week between Wednesday and Friday)": r"week (?:between|from)",
}


def scope(case: dict) -> str | None:
    for reason, pattern in OUT_OF_SCOPE.items():
        if all(re.search(pattern, item["text"], re.IGNORECASE) for item in case["expected"]):
            return reason
    return None


def value_right(found: tuple[dt.date | None, dt.date | None], item: dict) -> bool:
    readings = [(item["date_start"], item["date_end"])] + [(a["date_start"], a["date_end"]) for a in item.get("alternatives", [])]
    return (str(found[0]), str(found[1])) in readings


def overlaps(row, item: dict) -> bool:
    return row.start_char < item["end"] and item["start"] < row.end_char


def score(cases: list[dict]) -> dict[str, float]:
    """Detection precision/recall by overlap; value accuracy over all expected items (and over detected ones)."""
    expected = predicted = useful = detected = right = 0
    for case in cases:
        published = dt.date.fromisoformat(case["reference_date"]) if case["reference_date"] else None
        rows = find_dates(case["input"], published)
        predicted += len(rows)
        useful += sum(1 for r in rows if any(overlaps(r, item) for item in case["expected"]))
        expected += len(case["expected"])
        for item in case["expected"]:
            hits = [r for r in rows if overlaps(r, item)]
            if hits:
                detected += 1
                right += value_right((hits[0].date_start, hits[0].date_end), item)
    return {
        "cases": len(cases), "items": expected,
        "precision": useful / predicted if predicted else 0.0,
        "recall": detected / expected if expected else 0.0,
        "value_accuracy": right / expected if expected else 0.0,
        "value_accuracy_of_detected": right / detected if detected else 0.0,
    }


def main(path: Path = CASES) -> None:
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    in_scope = [c for c in cases if scope(c) is None]
    print(f"{len(cases)} cases read from {path}; {len(in_scope)} in scope")
    for reason in OUT_OF_SCOPE:
        count = sum(1 for c in cases if scope(c) == reason)
        print(f"  out of scope ({count:2d}): {reason}")
    for name, subset in (("in scope", in_scope), ("all cases", cases)):
        result = score(subset)
        print(f"{name:9s}: detection precision {result['precision']:.1%}  recall {result['recall']:.1%}  "
              f"value accuracy {result['value_accuracy']:.1%} ({result['value_accuracy_of_detected']:.1%} of detected)"
              f"  [{result['cases']} cases, {result['items']} items]")
    if "--misses" in sys.argv:
        for case in in_scope:
            published = dt.date.fromisoformat(case["reference_date"])
            rows = find_dates(case["input"], published)
            for item in case["expected"]:
                hits = [r for r in rows if overlaps(r, item)]
                if not hits or not value_right((hits[0].date_start, hits[0].date_end), item):
                    print("MISS", case["id"], repr(item["text"]), item["date_start"], item["date_end"], "| got",
                          [(r.text, str(r.date_start), str(r.date_end)) for r in rows])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else CASES)
