"""A progress bar on a terminal (stderr) for long management commands."""

import sys
import time


class ProgressBar:
    """Draw `done of total` as a bar with the rate, redrawn in place; a line when finished."""

    WIDTH = 30

    def __init__(self, what: str, total: int | None = None, stream=None):
        self.what = what
        self.total = total
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.done = 0

    def update(self, done: int) -> None:
        self.done = done
        self.stream.write("\r" + self._line())
        self.stream.flush()

    def finish(self) -> float:
        """End the bar's line; return the seconds it took."""
        self.stream.write("\r" + self._line() + "\n")
        self.stream.flush()
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-9)

    def _line(self) -> str:
        counted = f"{self.done:,} {self.what}"
        if self.total:
            filled = min(self.WIDTH, self.WIDTH * self.done // self.total)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            counted = f"[{bar}] {self.done:,} of {self.total:,} {self.what}"
        return f"{counted}, {self.rate:,.0f}/s"
