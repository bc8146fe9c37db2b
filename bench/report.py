"""The benchmark's tables: one per run, and each run's ratios side by side."""

import statistics
from dataclasses import dataclass

from bench.scenarios import Scenario
from bench.wrk import WrkResult

BASE = "healthz"
FLAG = "  !!"


@dataclass(frozen=True)
class Outcome:
    """One scenario of one run: wrk's figures, and why they cannot be trusted, if so."""

    scenario: Scenario
    result: WrkResult | None
    problem: str | None = None
    # Server CPU (gunicorn's processes, and PostgreSQL's backends) per request, in ms.
    cpu_ms: float | None = None

    @property
    def failed(self) -> bool:
        return self.problem is not None or self.result is None or self.result.errors > 0


def ratio(outcome: Outcome, run: list[Outcome]) -> float | None:
    """Return the scenario's req/s over the same run's /healthz req/s."""
    base = next((o for o in run if o.scenario.name == BASE), None)
    if base is None or base.failed or outcome.failed or not base.result.rps:
        return None
    return outcome.result.rps / base.result.rps


def cpu_ratio(outcome: Outcome, run: list[Outcome]) -> float | None:
    """Return /healthz's server CPU per request over the scenario's: the throughput ratio
    on cores of its own, which the rest of a shared machine's load barely moves."""
    base = next((o for o in run if o.scenario.name == BASE), None)
    if base is None or base.failed or outcome.failed or not base.cpu_ms or not outcome.cpu_ms:
        return None
    return base.cpu_ms / outcome.cpu_ms


def _number(figure: float | None, width: int, digits: int) -> str:
    return f"{figure:>{width}.{digits}f}" if figure is not None else f"{'-':>{width}}"


def run_table(run: list[Outcome]) -> str:
    """Return scenario, req/s, p50, p99, ratio to /healthz and errors, one row each."""
    lines = [
        f"{'scenario':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'/healthz':>10}{'errors':>8}"
        f"{'cpu ms':>9}{'cpu ratio':>10}"
    ]
    for outcome in run:
        result = outcome.result
        row = (
            f"{outcome.scenario.label:<28}"
            + _number(result.rps if result else None, 9, 1)
            + _number(result.p50_ms if result else None, 9, 2)
            + _number(result.p99_ms if result else None, 9, 2)
            + _number(ratio(outcome, run), 10, 3)
            + (f"{result.errors:>8}" if result else f"{'-':>8}")
            + _number(outcome.cpu_ms, 9, 3)
            + _number(cpu_ratio(outcome, run), 10, 3)
        )
        lines.append(row + (FLAG if outcome.failed else ""))
    return "\n".join(lines)


def problems(run: list[Outcome]) -> list[str]:
    """Return one line for each scenario whose figure is not to be trusted, and why."""
    found = []
    for outcome in run:
        if not outcome.failed:
            continue
        why = outcome.problem
        if why is None and outcome.result is not None:
            result = outcome.result
            why = f"{result.non_2xx} responses not 2xx, {result.socket_errors} socket errors" + (
                f"; first: {result.first_error}" if result.first_error else ""
            )
        found.append(f"{outcome.scenario.label}: {why}")
    return found


def ratios_table(runs: list[list[Outcome]], of=ratio, title: str = "ratio to /healthz") -> str:
    """Return each run's ratio to /healthz per scenario, with the median of the runs."""
    header = f"{title:<28}" + "".join(f"{f'run {i}':>9}" for i in range(1, len(runs) + 1))
    lines = [header + f"{'median':>9}"]
    for index, outcome in enumerate(runs[0]):
        figures = [of(run[index], run) for run in runs]
        known = [f for f in figures if f is not None]
        median = statistics.median(known) if known else None
        lines.append(
            f"{outcome.scenario.label:<28}"
            + "".join(_number(f, 9, 3) for f in figures)
            + _number(median, 9, 3)
        )
    return "\n".join(lines)
