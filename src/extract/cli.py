"""The command line: thin commands over the library, each documented with an example."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperCommand

from .errors import ExtractError, UsageError
from .wording import counted


class Command(TyperCommand):
    """A command whose usage line names a required argument plainly, `extract run [OPTIONS] RAW`, not `{RAW}`."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:  # click's Context, from typer's private copy of click
        pieces = super().collect_usage_pieces(ctx)
        return [piece[1:-1] if piece[:1] == "{" and piece[-1:] == "}" else piece for piece in pieces]


class Typer(typer.Typer):
    """typer.Typer whose commands are `Command`s."""

    def command(self, *args: Any, cls: type[TyperCommand] | None = Command, **kwargs: Any) -> Any:
        return super().command(*args, cls=cls, **kwargs)


app = Typer(
    help="Turn raw security-assistance texts into tables of money, dates and programs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True, soft_wrap=True)

RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules", help="Folder of rule files (default: ./rules, else the built-in defaults).", show_default=False
    ),
]


@contextmanager
def reported() -> Iterator[None]:
    """Every command reports extract's errors alike: one red line on stderr, exit status 2."""
    try:
        yield
    except ExtractError as error:
        console.print(f"[red]error:[/red] {error}", highlight=False, markup=True)
        raise typer.Exit(2) from None


def rules_dir_for(option: Path | None) -> Path:
    """The rules folder a command uses: --rules, else ./rules, else the packaged defaults."""
    from .rules import default_rules_dir

    if option is not None and not option.is_dir():
        raise UsageError(f"{option}: no such rules folder")
    return option or default_rules_dir()


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"extract {version('extract')}")
        raise typer.Exit()


@app.callback()
def main(
    _version: Annotated[
        bool | None,
        typer.Option("--version", callback=show_version, is_eager=True, help="Print the version and exit."),
    ] = None,
) -> None:
    """Turn raw security-assistance texts into tables of money, dates and programs."""


@app.command()
def run(
    raw: Annotated[
        str, typer.Argument(metavar="RAW", help="A folder (searched recursively for .txt, .md, .html) or one file; or an fsspec URL.")
    ],
    out: Annotated[str, typer.Option("--out", help="Folder the tables are written to, or an fsspec URL.")] = "output",
    rules: RulesOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help="Processes to spread documents over (default: one per core).", show_default=False),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Run the model on every document; neither read nor write OUT/.cache/.")
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Run on a Dask cluster: 'local' (a LocalCluster of --workers processes) or a scheduler's address "
            "such as tcp://127.0.0.1:8786.",
            show_default=False,
        ),
    ] = None,
    part_rows: Annotated[
        int | None,
        typer.Option(
            "--part-rows", min=1, show_default=False, help="A table of more rows is also written as a Parquet "
            "dataset, OUT/<table>/part-*.parquet, this many rows a part (default: 1000000).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="With no document under RAW, still replace OUT's tables with empty ones.")
    ] = False,
    doc_timeout: Annotated[
        float | None,
        typer.Option(
            "--doc-timeout", min=0.001, metavar="SECONDS", show_default=False,
            help="A document that takes longer fails alone (an error row); the run goes on. Default: no limit.",
        ),
    ] = None,
) -> None:
    """Extract money, dates and programs from RAW into tables in OUT.

    The model's output is cached in OUT/.cache/, so a re-run after editing
    rules only re-applies the rules (and is several times faster).

    The first line says which rules the run uses: --rules, else ./rules,
    else the built-in defaults (`extract init` copies them to edit).

    Exit status: 0 when every document succeeded, 1 when some failed or a
    folder could not be read (their rows in documents say why; the tables
    hold the rest), 2 when the run cannot start (a usage error, a bad rule
    file, no spaCy model, an OUT that is a file, not writable, in use by
    another run) or the disk fills.

    Example: extract run raw/ --out output/
    """
    from .pipeline import find_documents
    from .pipeline import run as run_pipeline
    from .rules import rules_label
    from .storage import is_url
    from .write import PART_ROWS

    with reported():
        rules_dir = rules_dir_for(rules)
        if not quiet:
            console.print(f"rules: {rules_label(rules_dir)}", highlight=False)
        total = None if is_url(raw) else len(find_documents(Path(raw), Path(out)).documents)
        with Progress(
            TextColumn("[bold]extract[/bold]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=console, disable=quiet, transient=True,
        ) as progress:
            task = progress.add_task("", total=total)
            summary = run_pipeline(
                raw, out, rules_dir, on_document=lambda name: progress.update(task, advance=1, description=name),
                workers=workers, cache=not no_cache, scheduler=scheduler, part_rows=part_rows or PART_ROWS,
                force=force, doc_timeout=doc_timeout,
            )
    if not quiet:
        for path in summary.skipped:
            console.print(f"skipped (not a text file): {path}", highlight=False)
        for message in summary.problems:
            console.print(f"[red]not read:[/red] {message}", highlight=False)
        for message in summary.errors:
            console.print(f"[red]failed:[/red] {message}", highlight=False)
        rows = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
        remote = scheduler and scheduler != "local"  # a cluster of its own: its workers are not counted here
        where = f"on the Dask cluster at {scheduler}" if remote else f"with {counted(summary.workers, 'worker')}"
        console.print(
            f"{counted(summary.ok, 'document')} ok, {summary.failed} failed; rows: {rows}; "
            f"{summary.seconds:.1f} s {where}, {summary.cached} from cache; "
            f"tables in {out.rstrip('/')}/, review report {out.rstrip('/')}/review/index.html",
            highlight=False,
        )
        review = "; ".join(f"{name} {summary.rows[name]} rows, {count} flagged" for name, count in summary.flagged.items())
        console.print(f"review: {review}", highlight=False)
        for line in summary.changes.lines():
            console.print(line, highlight=False)
    raise typer.Exit(1 if summary.failed or summary.problems else 0)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD_OUT", help="An output folder (the earlier run, or one rule set).")],
    new: Annotated[
        Path, typer.Argument(metavar="NEW_OUT", help="Another output folder (the later run, or another rule set).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print counts and change rows as JSON, for machines.")] = False,
) -> None:
    """Compare the tables of two output folders: rows added, removed and changed, as the changes table says them.

    Rows are matched by document, text and order, not by offsets, so a change
    to cleaning shows only the rows whose values changed.

    Example: extract run raw/ --out a/ --rules rules/ && extract run raw/ --out b/ --rules tuned/ && extract diff a/ b/
    """
    from .changes import compare_folders

    with reported():
        for folder in (old, new):
            if not (folder / "documents.csv").is_file():
                raise UsageError(f"{folder}: not an output folder (no documents.csv)")
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
    file: Annotated[Path, typer.Argument(metavar="FILE", help="One raw file (.txt, .md or .html).")],
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
    from .clean.document import clean_document, count_site_lines, diff_lines
    from .clean.read import find_documents, read_document
    from .clean.rules import load_cleaning_rules

    with reported():
        cleaning = load_cleaning_rules(rules_dir_for(rules))
        if not file.is_file():
            raise UsageError(f"{file}: no such file")
        raw = read_document(file, file.parent)
        site_lines = count_site_lines(find_documents(file.parent).documents, file.parent, cleaning)
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
    expected: Annotated[
        Path, typer.Argument(metavar="EXPECTED", help="Folder of hand-labeled expectations (<doc_id>.yml).")
    ] = Path("tests/expected"),
    out: Annotated[Path, typer.Argument(metavar="OUT", help="Folder a run wrote its tables to.")] = Path("output"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON, for machines.")] = False,
) -> None:
    """Score the tables in OUT against the expectations in EXPECTED: precision, recall, F1, and every miss.

    Run it after tuning a rule file to see what got better and what got worse.

    Example: extract run raw/ --out output/ && extract eval tests/expected output/
    """
    from .evaluate.report import evaluate_folders, format_report, report_json

    with reported():
        report = evaluate_folders(expected, out)
    typer.echo(report_json(report) if as_json else format_report(report))


@app.command()
def suggest(
    raw: Annotated[Path, typer.Argument(metavar="RAW", help="A folder (searched recursively) or one file.")],
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
    from .rules import packaged_rules_dir
    from .suggest import suggest as find_candidates
    from .suggest import write_suggestions

    with reported():
        rules_dir = rules_dir_for(rules)
        if write and rules_dir == packaged_rules_dir():
            raise UsageError("--write needs a rules folder to write to: run `extract init` here, or give --rules")
        candidates = find_candidates(raw, rules_dir)
        for candidate in candidates:
            typer.echo(
                f"{candidate.id}\t{candidate.name}\t{candidate.kind or '-'}\t"
                f"{counted(candidate.mentions, 'mention')} in {counted(candidate.documents, 'text')}\n"
                f"    {candidate.sentence}"
            )
        if not candidates:
            typer.echo("every program found is in the catalog")
        if write:
            chosen = [c for c in candidates if not only or c.id in only]
            written = write_suggestions(rules_dir / "programs.yml", chosen)
            entries = counted(len(written), "commented-out entry", "commented-out entries")
            console.print(f"added {entries} to the catalog", highlight=False)


@app.command()
def review(
    out: Annotated[Path, typer.Argument(metavar="OUT", help="Folder a run wrote its tables to.")] = Path("output"),
) -> None:
    """Rebuild OUT/review/index.html, the report a reviewer opens after a run, from the tables in OUT.

    `extract run` writes it at the end of every run; this rebuilds it from the
    folder alone (after copying a run's output elsewhere, or to see a newer
    report on old tables). It opens from the file system: no server, no network.

    Example: extract review output/ && xdg-open output/review/index.html
    """
    from .review import build_report

    with reported():
        report = build_report(out)
    documents, flagged = counted(report.documents, "document"), counted(report.flagged, "flagged row")
    typer.echo(f"{report.path} ({documents}, {flagged}, {counted(report.changes, 'change')})")


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="The project folder, made if missing.")] = Path("."),
) -> None:
    """Make a project folder: raw/ with a sample text, rules/ (the defaults, to edit) and a README of the daily loop.

    A file that is already there is kept as it is, never overwritten.

    Example: extract init demo && cd demo && extract run raw/
    """
    from .project import init_project

    with reported():
        created = init_project(folder)
    for path in created.written:
        typer.echo(f"created {path}")
    for path in created.kept:
        typer.echo(f"kept {path} (already there)")
    where = "" if folder == Path(".") else f"cd {folder} && "
    typer.echo(f"next: {where}extract run raw/")
