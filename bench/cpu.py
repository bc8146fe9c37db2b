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


def server_seconds(root_pid: int, database: str | None = None) -> float:
    """Return the CPU seconds used so far by `root_pid` and its descendants, plus the
    PostgreSQL backends whose command line names `database`."""
    stats = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (found := _stat(entry.name)) is not None:
            stats[int(entry.name)] = found
    tree, total = {root_pid}, 0.0
    # Children appear after their parents in pid order often, not always: repeat to a fixpoint.
    changed = True
    while changed:
        changed = False
        for pid, (parent, _) in stats.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                changed = True
    for pid in tree:
        if pid in stats:
            total += stats[pid][1]
    if database:
        for pid, (_, seconds) in stats.items():
            if pid not in tree and f" {database} " in f" {_cmdline(str(pid))} ":
                total += seconds
    return total
