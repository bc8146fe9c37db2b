"""Run mutation testing with mutmut 3 over the targets of mutation/targets.toml.

mutmut reads its settings from pyproject.toml in the folder it runs in and writes its
mutants there, so each target runs in its own work folder, var/mutation/<target>/: links
to the project's files and a pyproject.toml whose [tool.mutmut] names the target's
modules and tests. A run starts afresh unless `--keep` is given.

Print killed/total for each module, equivalent mutants (mutation/equivalent.txt) left
out of both, then the mutants that survived; exit 1 when a module is below `--threshold`.

    python -m mutation.run [TARGET ...] [--jobs 1] [--threshold 90] [--keep]
"""

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "mutation" / "targets.toml"
EQUIVALENT = ROOT / "mutation" / "equivalent.txt"
WORK = ROOT / "var" / "mutation"
# Project entries a work folder never links: its own pyproject.toml and mutmut's output.
_NOT_LINKED = {"pyproject.toml", "mutants", "var", "build", ".venv", ".git"}
# mutmut's exit codes, by what they say of a mutant (mutmut.stats.status_by_exit_code).
_KILLED = {1, 3, 36, 24, -24, 152, 255}  # a test failed, or the mutant hung (timeout)
_SURVIVED = {0}
_NO_TESTS = {5, 33}


@dataclass
class Equivalent:
    """A mutant that behaves as the original: no test can kill it."""

    name: str
    change: str
    reason: str


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help="targets of mutation/targets.toml (all)")
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once")
    parser.add_argument("--threshold", type=float, default=90.0, help="percent killed")
    parser.add_argument("--keep", action="store_true", help="reuse the previous run's results")
    args = parser.parse_args(argv)
    targets = tomllib.loads(TARGETS.read_text())
    unknown = set(args.targets) - set(targets)
    if unknown:
        parser.error(f"unknown target {sorted(unknown)[0]!r}: use {', '.join(targets)}")
    equivalents = _equivalents()
    below = []
    for name in args.targets or list(targets):
        work = _work_folder(name, targets[name], keep=args.keep)
        _mutmut(work, "run", f"--max-children={args.jobs}")
        results = _results(work, targets[name]["modules"])
        excluded = _check_equivalents(work, results, equivalents)
        below += _report(name, results, excluded, args.threshold)
    return 1 if below else 0


def _equivalents() -> dict[str, Equivalent]:
    """Return the equivalent mutants listed as `name | changed line | reason` lines."""
    listed = {}
    for line in EQUIVALENT.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, change, reason = (part.strip() for part in line.split("|", 2))
        listed[name] = Equivalent(name, change, reason)
    return listed


def _work_folder(name: str, target: dict, *, keep: bool) -> Path:
    """Return the target's work folder: links to the project, and its own pyproject.toml."""
    work = WORK / name
    if work.exists() and not keep:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    for entry in _project_entries():
        link = work / entry.name
        if not link.exists():
            link.symlink_to(entry)
    table = "\n".join(f"{key} = {json.dumps(value)}" for key, value in _settings(target).items())
    pyproject = (ROOT / "pyproject.toml").read_text()
    (work / "pyproject.toml").write_text(f"{pyproject}\n[tool.mutmut]\n{table}\n")
    return work


def _project_entries() -> list[Path]:
    """Return the project's files and folders a work folder links to."""
    return [
        entry
        for entry in sorted(ROOT.iterdir())
        if entry.name not in _NOT_LINKED and not entry.name.endswith(".egg-info")
    ]


def _settings(target: dict) -> dict:
    """Return the [tool.mutmut] settings of a target."""
    packages = sorted({module.split("/")[0] for module in target["modules"]})
    copied = [
        entry.name + ("/" if entry.is_dir() else "")
        for entry in _project_entries()
        if entry.name not in {*packages, "tests"} and not entry.name.startswith(".")
    ]
    return {
        "source_paths": [f"{package}/" for package in packages],
        "only_mutate": target["modules"],
        "also_copy": copied,
        "pytest_add_cli_args_test_selection": target["tests"],
        "pytest_add_cli_args": ["-p", "no:randomly", "-p", "mutation.pytest_plugin"],
        "use_git_change_detection": False,
    }


def _mutmut(work: Path, *args: str) -> str:
    """Run mutmut in the work folder on SQLite (mutants are pure logic: one database will do)."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.setdefault("TEST_SQLITE_PATH", str(WORK / "test.sqlite3"))
    mutmut = Path(sys.executable).with_name("mutmut")
    capture = args[0] != "run"
    done = subprocess.run(
        [str(mutmut), *args], cwd=work, env=env, capture_output=capture, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"mutmut {' '.join(args)} failed in {work} (exit {done.returncode})")
    return done.stdout if capture else ""


def _results(work: Path, modules: list[str]) -> dict[str, dict[str, int | None]]:
    """Return each mutated module's mutants and their exit codes, read from mutmut's files."""
    results = {}
    for meta in sorted((work / "mutants").rglob("*.py.meta")):
        path = meta.relative_to(work / "mutants").as_posix().removesuffix(".meta")
        if any(fnmatch.fnmatch(path, module) for module in modules):
            results[path] = json.loads(meta.read_text())["exit_code_by_key"]
    return results


def _check_equivalents(
    work: Path, results: dict[str, dict[str, int | None]], listed: dict[str, Equivalent]
) -> set[str]:
    """Return the listed equivalents of these results whose change is still the one listed.

    Mutants are numbered within their function: after an edit a number may name another
    mutant, so an entry whose changed line no longer matches is reported, not excluded.
    """
    names = {name for codes in results.values() for name in codes}
    excluded = set()
    for equivalent in listed.values():
        if equivalent.name not in names:
            continue
        shown = _mutmut(work, "show", equivalent.name)
        added = [line[1:].strip() for line in shown.splitlines() if re.match(r"\+(?!\+\+)", line)]
        if equivalent.change in added:
            excluded.add(equivalent.name)
        else:
            print(f"stale entry in {EQUIVALENT.name}: {equivalent.name} no longer adds")
            print(f"    {equivalent.change}\n    but {added}")
    return excluded


def _report(
    target: str, results: dict[str, dict[str, int | None]], excluded: set[str], threshold: float
) -> list[str]:
    """Print killed/total per module and the survivors; return the modules below threshold."""
    below = []
    print(f"\n{target}: killed/total (equivalent mutants excluded)")
    for path, codes in results.items():
        if not codes:
            continue
        killed = sum(1 for name, code in codes.items() if name not in excluded and code in _KILLED)
        equivalent = len(excluded & set(codes))
        total = len(codes) - equivalent
        percent = 100.0 * killed / total if total else 100.0
        print(f"  {path}: {killed}/{total} killed ({percent:.1f}%), {equivalent} equivalent")
        for name, code in codes.items():
            if name not in excluded and code not in _KILLED:
                print(f"      {_status(code)}: {name}")
        if percent < threshold:
            below.append(path)
    return below


def _status(code: int | None) -> str:
    if code in _SURVIVED:
        return "survived"
    return "no tests" if code in _NO_TESTS else f"exit {code}"


if __name__ == "__main__":
    sys.exit(main())
