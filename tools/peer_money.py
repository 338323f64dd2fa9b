"""Score extract_money on the peer currency cases (../shared/peers/money-cases.jsonl, read in place).

    PYTHONPATH=src python tools/peer_money.py [--cases PATH] [--show-misses]

Detection: a found amount and an expected one match when their spans overlap
(the peer's spans follow its own habits, e.g. without the qualifier).
Precision = matched found / found (a found amount overlapping only a span the
peer marks `ignore` is not counted); recall = matched expected / expected.
Value accuracy = expected items whose matching found amount has the same
amount (exactly, as a decimal) and currency / expected items. Cases listed in
OUT_OF_SCOPE are scored separately, with the reason printed.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT.parent / "shared" / "peers" / "money-cases.jsonl"

# Case id -> why it is not a target for this project (LABELING.md, Money).
OUT_OF_SCOPE = {
    "CurrencyModel-98": "'thirteen dollars forty five': cents without a unit word; '5 dollars 30 people' reads the same way",
    "CurrencyModel-99": "'one dollar and one': 'and one' is not cents here, a reader cannot tell",
    "CurrencyModel-101": "'c $ 100 and fifty' = 100.50: a spoken-style amount, not written prose",
    "CurrencyModel-102": "'one kuai and five mao five': spoken Chinese units, not used in our texts",
}


@dataclass
class Score:
    found: int = 0
    found_matched: int = 0
    expected: int = 0
    expected_matched: int = 0
    values_right: int = 0

    def line(self, name: str) -> str:
        precision = self.found_matched / self.found if self.found else 1.0
        recall = self.expected_matched / self.expected if self.expected else 1.0
        accuracy = self.values_right / self.expected if self.expected else 1.0
        return (
            f"{name}: {self.expected} expected, {self.found} found | precision {precision:.1%} "
            f"recall {recall:.1%} value accuracy {accuracy:.1%} ({self.values_right}/{self.expected})"
        )


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_case(case: dict, found: list[tuple[int, int, Decimal | None, str | None]], score: Score) -> list[str]:
    """Add one case to `score`; return a line for every miss, wrong value or extra."""
    problems = []
    ignored = [(i["start"], i["end"]) for i in case.get("ignore", [])]
    expected = case["expected"]
    score.expected += len(expected)
    used: set[int] = set()
    for item in expected:
        span = (item["start"], item["end"])
        hit = next((k for k, f in enumerate(found) if k not in used and overlaps(span, f[:2])), None)
        if hit is None:
            problems.append(f"  MISS  {item['text']!r} ({item['amount']} {item['currency']})")
            continue
        used.add(hit)
        score.expected_matched += 1
        amount, currency = found[hit][2], found[hit][3]
        if amount == Decimal(repr(item["amount"])) and currency == item["currency"]:
            score.values_right += 1
        else:
            problems.append(f"  VALUE {item['text']!r}: {amount} {currency} != {item['amount']} {item['currency']}")
    for k, f in enumerate(found):
        if k in used:
            score.found += 1
            score.found_matched += 1
        elif not any(overlaps(f[:2], span) for span in ignored):
            score.found += 1
            problems.append(f"  EXTRA {case['input'][f[0]:f[1]]!r} ({f[2]} {f[3]})")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--show-misses", action="store_true", help="print every miss, wrong value and extra")
    args = parser.parse_args()
    if not args.cases.is_file():
        print(f"{args.cases}: peer cases not found", file=sys.stderr)
        return 2

    import extract

    nlp = extract.load_pipeline(ROOT / "rules")
    in_scope, out_scope = Score(), Score()
    for number, line in enumerate(args.cases.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"{args.cases}:{number}: not a JSON case ({exc.msg})", file=sys.stderr)
            return 2
        doc = nlp(case["input"])
        found = [(s.start_char, s.end_char, s._.amount, s._.currency) for s in doc.spans["money"]]
        reason = OUT_OF_SCOPE.get(case["id"])
        problems = score_case(case, found, out_scope if reason else in_scope)
        if args.show_misses and problems:
            print(f"{case['id']}{' (out of scope)' if reason else ''}: {case['input'][:100]!r}")
            print("\n".join(problems))
    print(in_scope.line(f"in scope ({args.cases.name})"))
    print(out_scope.line("out of scope"))
    for case_id, reason in OUT_OF_SCOPE.items():
        print(f"  {case_id}: {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
