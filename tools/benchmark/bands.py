"""The frequency bands and term lengths of the query procedure (tools/benchmark/terms.py); no Django, so the
report can read them too."""

from __future__ import annotations

import math
from dataclasses import dataclass

LENGTHS = range(1, 9)
COMPOSED_LENGTHS = range(3, 9)  # two-term, exclusion and OR queries and the export set use terms of 3 to 8 characters


@dataclass(frozen=True)
class Band:
    """A frequency band: its target share of the corpus and the shares of the counts it accepts."""

    name: str
    share: float
    low: float
    high: float

    def accepts(self, hits: int, total: int) -> bool:
        if self.low == 0:  # the rare band: at least one hit, at most 0.01 % of the corpus (one reply when smaller)
            return 1 <= hits <= max(1, math.floor(total * self.high))
        return total * self.low <= hits <= total * self.high


BANDS = (Band("≤0.01%", 0.0001, 0, 0.0001), Band("~1%", 0.01, 0.01 / 1.5, 0.015),
         Band("10%", 0.10, 0.10 / 1.5, 0.15), Band("25%", 0.25, 0.20, 0.3125), Band("40%", 0.40, 0.32, 0.50))
BAND_BY_NAME = {band.name: band for band in BANDS}
