"""mypy checks src/ with the settings in pyproject.toml ([tool.mypy]), so a type error fails `make test` and CI."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def mypy(*args: str) -> subprocess.CompletedProcess[str]:
    """mypy run from the repository root, where it reads pyproject.toml."""
    return subprocess.run([sys.executable, "-m", "mypy", *args], cwd=ROOT, capture_output=True, text=True)


def test_src_has_no_type_error() -> None:
    result = mypy("src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_settings_still_report_errors(tmp_path: Path) -> None:
    """The project's settings let neither a wrong type nor an unknown import through: no blanket ignore."""
    module = tmp_path / "wrong.py"
    module.write_text("import not_a_module_anywhere\n\ncount: int = 'three'\n", encoding="utf-8")
    result = mypy(str(module))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[import-not-found]" in result.stdout
    assert "[assignment]" in result.stdout
