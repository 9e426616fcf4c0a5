"""How the commands print: tables and progress through rich, JSON for scripts, one line for
an error. Every command writes its result to `out` (stdout, or a buffer in tests) and its
progress and errors to stderr."""
import json
import sys
import time

__all__ = ["Output", "human_bytes"]


def human_bytes(n):
    """`n` bytes as a short readable size (1,024-based: KiB, MiB, ...)."""
    n = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


class Output:
    """One command's output: `out` for results, stderr for progress (only on a terminal,
    and never with --quiet or --json)."""

    def __init__(self, out=None, *, json_mode=False, quiet=False):
        from rich.console import Console
        self.out = out or sys.stdout
        self.json_mode = json_mode
        self.quiet = quiet
        interactive = self.out is sys.stdout and sys.stdout.isatty()
        self.console = Console(file=self.out, highlight=False, soft_wrap=False,
                               force_terminal=interactive or None,
                               width=None if interactive else 200)
        self._err = Console(stderr=True, highlight=False)

    def line(self, text=""):
        """A line of text (not in JSON mode)."""
        if not self.json_mode:
            self.console.print(text, markup=False)

    def table(self, title, columns, rows, *, right=()):
        """A table: `columns` names, `rows` of values; the columns named in `right` are
        right-aligned (numbers)."""
        if self.json_mode:
            return
        from rich import box
        from rich.table import Table
        t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False)
        for c in columns:
            t.add_column(c, justify="right" if c in right else "left", overflow="fold")
        for r in rows:
            t.add_row(*[str(v) for v in r])
        self.console.print(t)

    def json(self, obj):
        """The command's result as JSON (JSON mode only)."""
        if self.json_mode:
            self.out.write(json.dumps(obj, indent=2, default=str) + "\n")

    def progress(self, total, description):
        """A `RowProgress` for `total` rows: a bar with rows/s and ETA on stderr, shown only
        on a terminal, after the first second, and never in quiet or JSON mode."""
        show = not (self.quiet or self.json_mode) and self._err.is_terminal
        return RowProgress(self._err if show else None, total, description)


class RowProgress:
    """Progress of a run over rows; call it with the rows done so far. Appears after one
    second (a short run shows none); a context manager."""

    DELAY = 1.0

    def __init__(self, console, total, description):
        self._console = console
        self._total = total
        self._description = description
        self._start = time.perf_counter()
        self._bar = None
        self._task = None

    def __enter__(self):
        return self

    def __call__(self, done):
        if self._console is None:
            return
        if self._bar is None:
            if time.perf_counter() - self._start < self.DELAY:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]} rows/s"), TimeRemainingColumn(),
                                 console=self._console, transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self._description, total=self._total, rate="-")
        elapsed = max(time.perf_counter() - self._start, 1e-9)
        self._bar.update(self._task, completed=done, rate=f"{done / elapsed:,.0f}")

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()
