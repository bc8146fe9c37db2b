"""CPU time the server spent, read from /proc: a measure the other load of a shared
machine barely moves, unlike requests per second.

The server is gunicorn's process tree plus, on PostgreSQL, the database's backends
serving the bench database (their command line names it).
"""

import os
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> tuple[int, float] | None:
    """Return (parent pid, CPU seconds) of a process, or None if it is gone."""
    try:
        text = (PROC / pid / "stat").read_text()
    except OSError:
        return None
    # The command name, in parentheses, may hold spaces: split after its last ")".
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _cmdline(pid: str) -> str:
    try:
        return (PROC / pid / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def server_processes(root_pid: int, database: str | None = None) -> dict[int, float]:
    """Return the CPU seconds used so far by each of `root_pid`'s process tree and the
    PostgreSQL backends whose command line names `database`, by pid."""
    stats = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (found := _stat(entry.name)) is not None:
            stats[int(entry.name)] = found
    tree = {root_pid}
    # Children often, not always, have higher pids than their parents: repeat to a fixpoint.
    changed = True
    while changed:
        changed = False
        for pid, (parent, _) in stats.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                changed = True
    if database:
        tree |= {
            pid for pid in stats if f" {database} " in f" {_cmdline(str(pid))} " and pid not in tree
        }
    return {pid: stats[pid][1] for pid in tree if pid in stats}


def used_between(before: dict[int, float], after: dict[int, float]) -> float:
    """Return the CPU seconds used between two readings: a process that appeared counts in
    full; one that ended is left out (its last figure is unknown)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def server_seconds(root_pid: int, database: str | None = None) -> float:
    """Return the CPU seconds used so far by the server's processes (see server_processes)."""
    return sum(server_processes(root_pid, database).values())
