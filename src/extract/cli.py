"""The command line: thin commands over the library, each documented with an example."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .errors import ExtractError, RuleError, UsageError

app = typer.Typer(
    help="Turn raw security-assistance texts into tables of money, dates and programs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True, soft_wrap=True)

RulesOption = Annotated[
    Path | None, typer.Option("--rules", help="Folder of rule files (default: ./rules).", show_default=False)
]


def fail(error: ExtractError, code: int = 2) -> typer.Exit:
    """Print one line in red on stderr and leave with `code`."""
    console.print(f"[red]error:[/red] {error}", highlight=False, markup=True)
    return typer.Exit(code)


@app.command()
def run(
    raw: Annotated[Path, typer.Argument(help="A folder (searched recursively for .txt, .md, .html) or one file.")],
    out: Annotated[Path, typer.Option("--out", help="Folder the tables are written to.")] = Path("output"),
    rules: RulesOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help="Processes to spread documents over (default: one per core).", show_default=False),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Run the model on every document; neither read nor write OUT/.cache/.")
    ] = False,
) -> None:
    """Extract money, dates and programs from RAW into tables in OUT.

    The model's output is cached in OUT/.cache/, so a re-run after editing
    rules only re-applies the rules (and is several times faster).

    Exit status: 0 when every document succeeded, 1 when some failed (their
    rows in documents say why; the tables hold the rest), 2 on a usage error
    or a bad rule file.

    Example: extract run raw/ --out output/
    """
    from .pipeline import find_documents
    from .pipeline import run as run_pipeline

    try:
        total = len(find_documents(raw, out).documents)
        with Progress(
            TextColumn("[bold]extract[/bold]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=console, disable=quiet, transient=True,
        ) as progress:
            task = progress.add_task("", total=total)
            summary = run_pipeline(
                raw, out, rules, on_document=lambda name: progress.update(task, advance=1, description=name),
                workers=workers, cache=not no_cache,
            )
    except (UsageError, RuleError) as error:
        raise fail(error) from None
    if not quiet:
        for path in summary.skipped:
            console.print(f"skipped (not a text file): {path}", highlight=False)
        for message in summary.errors:
            console.print(f"[red]failed:[/red] {message}", highlight=False)
        rows = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
        console.print(
            f"{summary.ok} documents ok, {summary.failed} failed; rows: {rows}; "
            f"{summary.seconds:.1f} s with {summary.workers} worker(s), {summary.cached} from cache; tables in {out}/, "
            f"review report {out / 'review' / 'index.html'}",
            highlight=False,
        )
        review = "; ".join(f"{name} {summary.rows[name]} rows, {count} flagged" for name, count in summary.flagged.items())
        console.print(f"review: {review}", highlight=False)
        for line in summary.changes.lines():
            console.print(line, highlight=False)
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="An output folder (the earlier run, or one rule set).")],
    new: Annotated[Path, typer.Argument(help="Another output folder (the later run, or another rule set).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print counts and change rows as JSON, for machines.")] = False,
) -> None:
    """Compare the tables of two output folders: rows added, removed and changed, as the changes table says them.

    Rows are matched by document, text and order, not by offsets, so a change
    to cleaning shows only the rows whose values changed.

    Example: extract run raw/ --out a/ --rules rules/ && extract run raw/ --out b/ --rules tuned/ && extract diff a/ b/
    """
    from .changes import compare_folders

    for folder in (old, new):
        if not (folder / "documents.csv").is_file():
            raise fail(UsageError(f"{folder}: not an output folder (no documents.csv)"))
    changes = compare_folders(old, new)
    if as_json:
        typer.echo(changes.to_json())
        return
    for line in changes.lines(since=""):
        typer.echo(line)
    for row in changes.rows:
        what = f"\t{row['before']} -> {row['after']}" if row["change"] == "changed" else ""
        typer.echo(f"{row['table']}\t{row['change']}\t{row['doc_id']}\t{row['text'] or ''}{what}")


@app.command()
def clean(
    file: Annotated[Path, typer.Argument(help="One raw file (.txt, .md or .html).")],
    rules: RulesOption = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Show every line: kept, or dropped with the rule or heuristic that dropped it.")
    ] = False,
) -> None:
    """Print the cleaned text of FILE, or with --diff what cleaning removed and why.

    Lines repeated across the files of FILE's folder count as that site's
    chrome, as in `extract run` on that folder.

    Example: extract clean raw/nato-relations-with-iraq.txt --diff
    """
    from .clean import clean_document, count_site_lines, diff_lines, load_cleaning_rules
    from .read import find_documents, read_document
    from .rules import default_rules_dir

    try:
        cleaning = load_cleaning_rules(rules or default_rules_dir())
        if not file.is_file():
            raise UsageError(f"{file}: no such file")
        raw = read_document(file, file.parent)
        site_lines = count_site_lines(find_documents(file.parent).documents, file.parent, cleaning)
    except ExtractError as error:
        raise fail(error) from None
    cleaned = clean_document(raw, cleaning, site_lines)
    if diff:
        published = cleaned.published.isoformat() if cleaned.published else ""
        typer.echo(f"# title: {cleaned.title or ''}\n# published: {published}\n# source: {cleaned.source or ''}\n"
                   f"# date order: {cleaned.date_order or ''}")  # the site's, for the numeric dates of the dates stage
        if cleaned.short_text:
            typer.echo("# short text: no line is a sentence; shape heuristics left its lines alone")
        typer.echo("\n".join(diff_lines(cleaned)))
        return
    typer.echo(cleaned.text)


@app.command(name="eval")
def evaluate(
    expected: Annotated[Path, typer.Argument(help="Folder of hand-labeled expectations (<doc_id>.yml).")] = Path(
        "tests/expected"
    ),
    out: Annotated[Path, typer.Argument(help="Folder a run wrote its tables to.")] = Path("output"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON, for machines.")] = False,
) -> None:
    """Score the tables in OUT against the expectations in EXPECTED: precision, recall, F1, and every miss.

    Run it after tuning a rule file to see what got better and what got worse.

    Example: extract run raw/ --out output/ && extract eval tests/expected output/
    """
    from .evaluate import evaluate_folders, format_report, report_json

    try:
        report = evaluate_folders(expected, out)
    except ExtractError as error:
        raise fail(error) from None
    typer.echo(report_json(report) if as_json else format_report(report))


@app.command()
def suggest(
    raw: Annotated[Path, typer.Argument(help="A folder (searched recursively) or one file.")],
    rules: RulesOption = None,
    write: Annotated[
        bool, typer.Option("--write", help="Add the candidates to rules/programs.yml, commented out.")
    ] = False,
    only: Annotated[
        list[str] | None, typer.Option("--id", help="With --write: only this candidate (repeatable).", show_default=False)
    ] = None,
) -> None:
    """List the programs RAW names that rules/programs.yml does not list yet, with counts and where each is defined.

    With --write they are added at the end of the catalog's programs list,
    commented out: remove the "# " in front of the ones you accept, run again.

    Example: extract suggest raw/ --write --id USAI
    """
    from .rules import default_rules_dir
    from .suggest import suggest as find_candidates
    from .suggest import write_suggestions

    try:
        candidates = find_candidates(raw, rules)
        for candidate in candidates:
            typer.echo(
                f"{candidate.id}\t{candidate.name}\t{candidate.kind or '-'}\t"
                f"{candidate.mentions} mention(s) in {candidate.documents} text(s)\n    {candidate.sentence}"
            )
        if not candidates:
            typer.echo("every program found is in the catalog")
        if write:
            chosen = [c for c in candidates if not only or c.id in only]
            written = write_suggestions((rules or default_rules_dir()) / "programs.yml", chosen)
            console.print(f"added {len(written)} commented-out entries to the catalog", highlight=False)
    except ExtractError as error:
        raise fail(error) from None


@app.command()
def review(
    out: Annotated[Path, typer.Argument(help="Folder a run wrote its tables to.")] = Path("output"),
) -> None:
    """Rebuild OUT/review/index.html, the report a reviewer opens after a run, from the tables in OUT.

    `extract run` writes it at the end of every run; this rebuilds it from the
    folder alone (after copying a run's output elsewhere, or to see a newer
    report on old tables). It opens from the file system: no server, no network.

    Example: extract review output/ && xdg-open output/review/index.html
    """
    from .review import build_report

    try:
        report = build_report(out)
    except ExtractError as error:
        raise fail(error) from None
    typer.echo(f"{report.path} ({report.documents} documents, {report.flagged} flagged rows, {report.changes} changes)")
