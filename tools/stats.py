"""Latency figures shared by the benchmark and the load test, so both report the same percentile."""

from __future__ import annotations

import math


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1): the smallest value with at least ``share`` of them at or below
    it; 0.0 for no values (a kind that never answered 200)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = math.ceil(round(share * len(ordered), 9))  # round: 0.95 * 60 must be rank 57, not 57.000000000000004
    return ordered[max(0, min(len(ordered), rank) - 1)]


def percentiles_ms(seconds: list[float], shares: tuple[int, ...] = (50, 95)) -> dict[str, float]:
    """``p50_ms``, ``p95_ms`` (or the given percentiles) of durations in seconds, in milliseconds."""
    return {f"p{share}_ms": round(percentile(seconds, share / 100) * 1000, 1) for share in shares}


def milliseconds(seconds: list[float]) -> dict:
    """p50 and p95 in milliseconds and ``n``, how many durations they were taken from."""
    return {**percentiles_ms(seconds), "n": len(seconds)}
