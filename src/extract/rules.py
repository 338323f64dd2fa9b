"""Load and validate the rule files in rules/, keeping line numbers for errors.

Rule files are edited by hand by people who are not programmers, so a typo
must be reported as `rules/money.yml:42: unknown key 'amout' (expected one of:
...)`, not as a traceback. ruamel.yaml keeps the line of every key and item;
pydantic checks keys, types and required fields; this module joins the two.
"""
from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar

import regex
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import RuleError, RuleTimeout

Model = TypeVar("Model", bound=BaseModel)
TIMESTAMP = "tag:yaml.org,2002:timestamp"  # the tag YAML gives a bare 2015-10-01
RULE_FILES = ("cleaning.yml", "dates.yml", "money.yml", "parties.yml", "programs.yml", "sentences.yml")  # every rules folder holds each


class Strict(BaseModel):
    """Base for every rule model: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    _lines: RuleLines | None = PrivateAttr(default=None)  # set on a whole file's model by load_rule_file

    def where(self, *loc: str | int) -> str | None:
        """`rules/<file>.yml:<line>` of the entry at `loc` ("currencies", 0, "names", 2), for the
        tables' `rule` column; None for a model not read from a file, or a key the file does not hold."""
        return self._lines.at(*loc) if self._lines else None


class RuleLines:
    """Where each entry of one rule file stands: the provenance a table row names.

    The name is always `rules/<file>.yml`, whichever folder --rules points at, so
    that the tables say the same on every machine.
    """

    def __init__(self, path: Path, data: Any) -> None:
        self.name = f"rules/{path.name}"
        self.data = data

    def at(self, *loc: str | int) -> str | None:
        line = entry_line(self.data, loc)
        return f"{self.name}:{line}" if line else None


UNBOUNDED = re._constants.MAXREPEAT  # type: ignore[attr-defined]  # re's parser is private, and untyped


def check_regex(value: str) -> str:
    """A pattern must compile and must not nest unbounded repetitions; pydantic needs ValueErrors."""
    try:
        parsed = re._parser.parse(value)  # type: ignore[attr-defined]
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"bad regular expression: {exc}") from exc
    if nests_repeats(parsed, inside=False):
        raise ValueError(
            f"regular expression {value!r} repeats a repetition, like (a+)+: on a line that almost matches "
            "it can run for ever; repeat the inner part once, e.g. (a+)+ -> a+"
        )
    return value


def nests_repeats(items: Any, inside: bool) -> bool:
    """Whether an unbounded repetition holds another one (catastrophic backtracking), in re's parse tree."""
    for op, value in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            unbounded = value[1] == UNBOUNDED
            if (unbounded and inside) or nests_repeats(value[2], inside or unbounded):
                return True
        elif name == "POSSESSIVE_REPEAT" and nests_repeats(value[2], inside):  # never backtracks into itself
            return True
        elif name == "SUBPATTERN" and nests_repeats(value[3], inside):
            return True
        elif name == "ATOMIC_GROUP" and nests_repeats(value, inside):
            return True
        elif name in ("ASSERT", "ASSERT_NOT") and nests_repeats(value[1], inside):  # lookarounds
            return True
        elif name == "BRANCH" and any(nests_repeats(branch, inside) for branch in value[1]):
            return True
    return False


RULE_SECONDS = 5.0  # the longest one rule pattern may search one line; past it, it backtracks without end


@functools.cache
def compiled(pattern: str, flags: int = re.IGNORECASE) -> regex.Pattern[str]:
    """A rule pattern compiled once for the run and kept: re's own cache holds 512, and past that
    every search compiled its pattern again (rule files can hold more, and each is searched per line).

    Compiled by the `regex` package (re's syntax and flags; dateparser needs it
    anyway), whose searches take a timeout: check_regex refuses nested
    repetitions on load, but not every pattern that backtracks without end
    (`^(a|aa)+$` on a run of a's), and a search of re's cannot be stopped.
    """
    return regex.compile(pattern, flags)


def search(pattern: str, text: str, flags: int = re.IGNORECASE) -> regex.Match[str] | None:
    """Search with a rule pattern, case-insensitive unless `flags` say otherwise; RuleTimeout past RULE_SECONDS."""
    try:
        return compiled(pattern, flags).search(text, timeout=RULE_SECONDS)
    except TimeoutError:
        raise RuleTimeout(too_slow(pattern, text)) from None


def substitute(pattern: str, replacement: str, text: str, flags: int = re.IGNORECASE) -> str:
    """re.sub with a rule pattern compiled once (see compiled); RuleTimeout past RULE_SECONDS."""
    try:
        return compiled(pattern, flags).sub(replacement, text, timeout=RULE_SECONDS)
    except TimeoutError:
        raise RuleTimeout(too_slow(pattern, text)) from None


def too_slow(pattern: str, text: str) -> str:
    """The one-line message of a rule pattern that ran over RULE_SECONDS."""
    return (
        f"rule pattern {pattern!r} ran over {RULE_SECONDS:g} s on one line of {len(text):,} characters: it backtracks "
        "without end there; make each part match one way only (e.g. (a|aa)+ -> a+)"
    )


Regex = Annotated[str, AfterValidator(check_regex)]
"""A string field holding a regular expression, checked when the rules load."""

Count = Annotated[int, Field(ge=0)]
"""A number of lines, words or documents: `-5` is refused on load, not met by every document failing."""
Size = Annotated[int, Field(ge=1)]
"""A length or threshold that must be at least 1."""
Share = Annotated[float, Field(ge=0, le=1)]
"""A share between 0 and 1 (0.3 = 30%)."""
Month = Annotated[int, Field(ge=1, le=12)]
"""A month's number, 1 to 12."""


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning syntax errors into a file:line RuleError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(path, None, f"cannot read rule file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise RuleError(path, None, "rule file is not UTF-8") from exc
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise RuleError(path, line, f"YAML syntax error: {problem}") from exc
    except YAMLError as exc:
        raise RuleError(path, None, f"YAML syntax error: {exc}") from exc
    except ValueError as exc:  # a date the calendar lacks (2015-13-01): ruamel's constructor raises it with no line
        value, line = impossible_date(text)
        problem = f"{value} is not a date" if value else "cannot read a value"
        raise RuleError(path, line, f"{problem} ({exc})") from None


def impossible_date(text: str) -> tuple[str | None, int | None]:
    """The first date-like scalar that cannot be built, and its 1-based line (None, None if none is found)."""
    yaml = YAML(typ="rt")
    pending = [yaml.compose(text)]  # a stack, children pushed last first: document order
    while pending:
        node = pending.pop()
        if isinstance(node, ScalarNode) and node.tag == TIMESTAMP:
            try:
                yaml.load(node.value)
            except ValueError:
                return node.value, node.start_mark.line + 1
        elif isinstance(node, MappingNode):
            pending.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, SequenceNode):
            pending.extend(reversed(node.value))
    return None, None


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the node that `loc` (a pydantic error location) points at."""
    line = None
    node = data
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(part, int) and isinstance(node, list):
                if lc is not None:
                    line = lc.item(part)[0] + 1
                node = node[part]
            elif isinstance(node, dict) and part in node:
                if lc is not None:
                    line = lc.key(part)[0] + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    if line is None and getattr(data, "lc", None) is not None:
        line = data.lc.line + 1
    return line


def entry_line(data: Any, loc: tuple[str | int, ...]) -> int | None:
    """The 1-based line of the key or item that `loc` names exactly; None when any part is missing."""
    line, node = None, data
    for part in loc:
        lc = getattr(node, "lc", None)
        if lc is None:
            return None
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            line = lc.item(part)[0] + 1
        elif isinstance(node, dict) and part in node:
            line = lc.key(part)[0] + 1
        else:
            return None
        node = node[part]
    return line


def unknown_key(error: ErrorDetails) -> bool:
    """Whether a pydantic error is a key the schema does not know: a model's, or one of a mapping whose keys are a fixed set."""
    return error["type"] == "extra_forbidden" or (error["type"] == "literal_error" and error["loc"][-1:] == ("[key]",))


def describe(error: ErrorDetails, model: type[BaseModel]) -> str:
    """One readable sentence for one pydantic error."""
    loc = error["loc"]
    if error["type"] == "extra_forbidden":
        parent = model_at(model, loc[:-1])
        expected = ", ".join(parent.model_fields) if parent else "?"
        return f"unknown key '{loc[-1]}' (expected one of: {expected})"
    if unknown_key(error):  # a key of a mapping whose keys are a fixed set (the relations of rules/dates.yml)
        expected = error["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
        return f"unknown key '{loc[-2]}' (expected one of: {expected})"
    where = ".".join(str(p) for p in loc)
    message = error["msg"][0].lower() + error["msg"][1:]
    if error["type"] == "missing":
        return f"missing required key '{loc[-1]}'"
    return f"'{where}': {message}" if where else message


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The nested model class that a location points into, to list its fields."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            current = inner_model(current)
            if isinstance(part, int):
                continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def inner_model(annotation: Any) -> Any:
    """Unwrap list[X], dict[str, X] and X | None down to a model class X."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = inner_model(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


def load_rule_file(path: Path | str, model: type[Model]) -> Model:
    """Read one rules/*.yml file and validate it against `model`."""
    path = Path(path)
    data = read_yaml(path)
    if data is None:
        data = {}
    try:
        rules = model.model_validate(data)
    except ValidationError as exc:
        # A misspelt key is also a missing one; naming the misspelling is what helps.
        errors = sorted(exc.errors(), key=lambda error: not unknown_key(error))
        first = errors[0]
        raise RuleError(path, line_of(data, first["loc"]), describe(first, model)) from exc
    if isinstance(rules, Strict):
        rules._lines = RuleLines(path, data)
    return rules


def packaged_rules_dir() -> Path:
    """The default rules shipped in the package, which `extract init` copies.

    They are the repository's rules/ itself: src/extract/starter/rules is a
    link to it, and building the package copies the files in (pyproject.toml).
    """
    return Path(str(resources.files("extract") / "starter" / "rules"))


def default_rules_dir() -> Path:
    """rules/ in the working directory (a project's own rules), else the packaged defaults."""
    here = Path("rules")
    return here if here.is_dir() else packaged_rules_dir()


def rules_label(rules_dir: Path) -> str:
    """How the first line of a run names its rules: `./rules`, a folder given with --rules, or the defaults."""
    if rules_dir == packaged_rules_dir():  # not resolved: in a source checkout the defaults are ./rules itself
        return "built-in defaults (extract init to copy them)"
    if rules_dir.is_absolute() or rules_dir.parts[:1] == ("..",):
        return rules_dir.as_posix()
    return f"./{rules_dir.as_posix()}"
