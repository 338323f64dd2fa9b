"""Static SVG bar charts for the report's first page, readable without JavaScript.

Plain SVG written here: a handful of horizontal bars needs no chart library,
and the page stays one file that any browser shows as it is.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from markupsafe import Markup

from .tables import Table

TOP = 15  # bars per chart; the rest are summed in a note
WIDTH, LABEL_WIDTH, BAR_HEIGHT, GAP = 640, 190, 16, 4
COLOURS = {"money": "#f4b942", "dates": "#6cb4e6", "programs": "#b48ae6"}


@dataclass
class Chart:
    """One picture: a title, the SVG, and a note on what it leaves out."""

    title: str
    svg: Markup
    note: str = ""


def charts(tables: dict[str, Table]) -> list[Chart]:
    """Amounts by program, year and recipient (from facts), and rows per document."""
    found = []
    facts = tables.get("facts")
    if facts is not None and facts.rows:
        found.extend(amount_charts(facts))
    counts = rows_per_document(tables)
    if counts:
        found.append(counts)
    return found


def amount_charts(facts: Table) -> list[Chart]:
    """Sums of amounts in the most common currency, each fact once (rows with an empty repeat_of)."""
    rows = [row for row in facts.dicts() if not row.get("repeat_of") and number(row.get("amount", "")) is not None]
    currencies = Counter(row.get("currency", "") for row in rows)
    if not currencies:
        return []
    currency, _ = currencies.most_common(1)[0]
    others = len(rows) - currencies[currency]
    rows = [row for row in rows if row.get("currency", "") == currency]
    left_out = f"; {others} amount(s) in other currencies left out" if others else ""
    found = []
    for column, title, key in (
        ("program_id", "by program", lambda row: row.get("program_id", "")),
        ("date_start", "by year", lambda row: row.get("date_start", "")[:4]),
        ("recipient", "by recipient", lambda row: row.get("recipient", "")),
    ):
        if column not in facts.columns:
            continue
        sums: dict[str, Decimal] = {}
        unset = 0
        for row in rows:
            value, amount = key(row), number(row["amount"])
            if value and amount is not None:
                sums[value] = sums.get(value, Decimal(0)) + amount
            else:
                unset += 1
        bars = sorted(sums.items()) if column == "date_start" else sorted(sums.items(), key=lambda bar: bar[1], reverse=True)
        note = f"{unset} amount(s) with no {column}{left_out}"
        found.append(bar_chart(f"Amounts {title} ({currency or 'no currency'})", bars, note, money_label))
    return found


def rows_per_document(tables: dict[str, Table]) -> Chart | None:
    """The documents with the most money, dates and programs rows, each table its own colour."""
    counts: dict[str, Counter[str]] = {}
    for name in COLOURS:
        doc_id = tables[name].position("doc_id") if name in tables else None
        if doc_id is not None:
            counts[name] = Counter(row[doc_id] for row in tables[name].rows)
    if not counts:
        return None
    totals: Counter[str] = Counter()
    for per_doc in counts.values():
        totals.update(per_doc)
    top = totals.most_common(TOP)
    if not top:
        return None
    documents = len(tables["documents"].rows) if "documents" in tables else len(totals)
    note = f"the {len(top)} documents with the most rows, of {documents}; " + ", ".join(
        f"{name} {sum(per_doc.values())} rows" for name, per_doc in counts.items()
    )
    stacks = [(doc_id, [(name, counts[name][doc_id]) for name in counts]) for doc_id, _ in top]
    return Chart("Rows per document", stacked_chart(stacks, max(total for _, total in top)), note)


def number(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def money_label(value: Decimal) -> str:
    """1250000000 -> 1.25 bn: short enough to sit beside a bar."""
    for size, suffix in ((Decimal(10) ** 12, " tn"), (Decimal(10) ** 9, " bn"), (Decimal(10) ** 6, " m"), (Decimal(1000), " k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def bar_chart(title: str, bars: list[tuple[str, Decimal]], note: str, label: Callable[[Decimal], str]) -> Chart:
    """Horizontal bars, longest first, with their values written at their ends."""
    shown = bars[:TOP]
    if len(bars) > TOP:
        note = f"{len(bars) - TOP} more not shown; {note}"
    if not shown:
        return Chart(title, Markup(""), f"nothing to show: {note}")
    top = max(abs(value) for _, value in shown) or Decimal(1)
    parts = []
    for i, (name, value) in enumerate(shown):
        y = i * (BAR_HEIGHT + GAP)
        width = float(abs(value) / top) * (WIDTH - LABEL_WIDTH - 70)
        parts.append(bar_row(y, name, [(COLOURS["money"], width)], label(value)))
    return Chart(title, svg(parts, len(shown), title), note)


def stacked_chart(stacks: list[tuple[str, list[tuple[str, int]]]], top: int) -> Markup:
    parts = []
    for i, (name, pieces) in enumerate(stacks):
        widths = [(COLOURS[table], count / top * (WIDTH - LABEL_WIDTH - 70)) for table, count in pieces]
        text = " + ".join(f"{count}" for _, count in pieces)
        parts.append(bar_row(i * (BAR_HEIGHT + GAP), name, widths, text))
    legend = "".join(
        f'<rect x="{LABEL_WIDTH + i * 90}" y="{len(stacks) * (BAR_HEIGHT + GAP) + 6}" width="10" height="10" fill="{colour}"/>'
        f'<text x="{LABEL_WIDTH + i * 90 + 14}" y="{len(stacks) * (BAR_HEIGHT + GAP) + 15}">{table}</text>'
        for i, (table, colour) in enumerate(COLOURS.items())
    )
    return svg([*parts, Markup(legend)], len(stacks) + 1, "Rows per document")


def bar_row(y: float, name: str, pieces: list[tuple[str, float]], value: str) -> Markup:
    """One labelled bar (or a stack of coloured pieces) with its value after it."""
    short = name if len(name) <= 28 else name[:27] + "…"
    row = [Markup('<text class="name" x="{}" y="{}" text-anchor="end">{}<title>{}</title></text>').format(
        LABEL_WIDTH - 6, y + BAR_HEIGHT - 4, short, name)]
    x = float(LABEL_WIDTH)
    for colour, width in pieces:
        row.append(Markup('<rect x="{:.1f}" y="{}" width="{:.1f}" height="{}" fill="{}"/>').format(x, y, width, BAR_HEIGHT, colour))
        x += width
    row.append(Markup('<text x="{:.1f}" y="{}">{}</text>').format(x + 4, y + BAR_HEIGHT - 4, value))
    return Markup("").join(row)


def svg(parts: list[Markup], rows: int, title: str) -> Markup:
    height = rows * (BAR_HEIGHT + GAP) + 4
    head = Markup('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{}" height="{}" '
                  'viewBox="0 0 {} {}"><title>{}</title>').format(WIDTH, height, WIDTH, height, title)
    return head + Markup("").join(parts) + Markup("</svg>")
