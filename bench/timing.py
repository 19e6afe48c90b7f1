"""What every bench script shares: timing a call, percentiles, and the one-line figure."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def median_ms(fn: Callable[[], object], repeat: int = 20) -> float:
    """The median wall time of fn over `repeat` calls, in milliseconds."""
    return statistics.median(samples_ms(fn, repeat))


def samples_ms(fn: Callable[[], object], repeat: int) -> list[float]:
    """The wall time of each of `repeat` calls of fn, in milliseconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) of the samples, by the nearest rank."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass(frozen=True)
class Figure:
    """One measured figure and its target: against a baseline measured in the same run (the
    target is then on the ratio), or on its own value.

    Printed as one line:
    `<figure>: <value> <unit> vs baseline <value> <unit> = <ratio>x (target <op> <target>x) ok|MISS`
    or, without a baseline, `<figure>: <value> <unit> (target <op> <target> <unit>) ok|MISS`.
    """

    name: str
    value: float
    unit: str
    op: str  # "<=" or ">="
    target: float
    baseline: float | None = None
    digits: int = 1
    # A target on the value even though a baseline is shown beside it (for context).
    absolute: bool = False

    def __post_init__(self) -> None:
        if ": " in self.name:  # the first ": " of the line ends the figure's name
            raise ValueError(f"a figure's name has no ': ' in it: {self.name!r}")

    @property
    def ratio(self) -> float | None:
        return None if self.baseline is None else self.value / self.baseline

    @property
    def ok(self) -> bool:
        measured = self.value if self.ratio is None or self.absolute else self.ratio
        return measured <= self.target if self.op == "<=" else measured >= self.target

    def __str__(self) -> str:
        verdict = "ok" if self.ok else "MISS"
        value = f"{self.value:.{self.digits}f} {self.unit}"
        target = (f"{self.target:g} {self.unit}" if self.baseline is None or self.absolute
                  else f"{self.target:g}x")
        if self.baseline is None:
            return f"{self.name}: {value} (target {self.op} {target}) {verdict}"
        return (f"{self.name}: {value} vs baseline {self.baseline:.{self.digits}f} {self.unit} = "
                f"{self.ratio:.2f}x (target {self.op} {target}) {verdict}")
