"""The CI gate: thresholds kept in the repo (TOML), and comparison with an earlier report.

[thresholds]            # metric = minimum
citation_validity = 1.0
[maxima]                # metric = maximum
latency_p95_ms = 500
"""

from pathlib import Path
import tomllib
from typing import Any


def load_thresholds(path: Path) -> tuple[dict[str, float], dict[str, float]]:
    data = tomllib.loads(path.read_text())
    unknown = set(data) - {"thresholds", "maxima"}
    if unknown:
        raise ValueError(f"{path}: unknown tables {sorted(unknown)}; use [thresholds] and [maxima]")
    return data.get("thresholds", {}), data.get("maxima", {})


def failures(
    metrics: dict[str, float], minima: dict[str, float], maxima: dict[str, float]
) -> list[str]:
    """One line per threshold that does not hold (a metric the run lacks fails too)."""
    lines = []
    for name, bound in minima.items():
        value = metrics.get(name)
        if value is None or value < bound:
            lines.append(f"{name} = {value} is below its threshold {bound}")
    for name, bound in maxima.items():
        value = metrics.get(name)
        if value is None or value > bound:
            lines.append(f"{name} = {value} is above its maximum {bound}")
    return lines


def regressions(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Case by case, what got worse since an earlier report (same case ids), and each metric
    that changed; latencies are left out (they differ from run to run)."""
    before = {case["id"]: case for case in old["cases"]}
    lines = []
    for case in new["cases"]:
        previous = before.get(case["id"])
        if previous is None:
            continue
        for name, value in case["scores"].items():
            was = previous["scores"].get(name)
            if was is not None and value < was - 1e-9:
                lines.append(f"{case['id']}: {name} {was:.3f} -> {value:.3f}")
        if case.get("error") and not previous.get("error"):
            lines.append(f"{case['id']}: now fails: {case['error']}")
    for name, value in new["metrics"].items():
        if name.startswith("latency"):
            continue
        was = old["metrics"].get(name)
        if was is not None and value != was:
            lines.append(f"metric {name}: {was} -> {value}")
    return lines
