"""Small numpy helpers the generator is built from: random streams, group expansion, month arithmetic.

The 10,000-project portfolio has ~2 million period and month rows, too many for per-row Python;
these helpers let each table be built as whole arrays instead.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

DAY = np.timedelta64(1, "D")


def stream(seed: int, name: str, block: int = 0) -> np.random.Generator:
    """An independent random stream per (seed, component name, block of projects).

    Separate streams keep components apart: adding a draw to the risks does not change the
    indicators. ``crc32`` (not ``hash``) keeps the stream identical across processes. Block 0 keeps
    the stream it had before portfolios were generated in blocks (``generator.BLOCK_PROJECTS``), so
    a portfolio of one block is unchanged; each later block draws from a stream of its own.
    """
    key = [seed, zlib.crc32(name.encode())]
    return np.random.default_rng(key if block == 0 else [*key, block])


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ``counts[i]`` children of each parent ``i``: (parent index, position 0..count-1) per child."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    position = np.arange(int(counts.sum())) - np.repeat(starts, counts)
    return owner, position


def weighted_choice(rng: np.random.Generator, weights, size: int) -> np.ndarray:
    """Indices drawn with probability proportional to ``weights``."""
    weights = np.asarray(weights, dtype=float)
    return rng.choice(len(weights), size=size, p=weights / weights.sum())


def row_choice(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One index per row of a (rows x options) probability matrix (rows need not be normalised)."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative /= cumulative[:, -1:]
    u = rng.random(len(probabilities))[:, None]
    return np.minimum((u > cumulative).sum(axis=1), probabilities.shape[1] - 1)


def month_first_day(months: np.ndarray) -> np.ndarray:
    """First day (``datetime64[D]``) of each ``datetime64[M]`` month."""
    return months.astype("datetime64[M]").astype("datetime64[D]")


def month_last_day(months: np.ndarray) -> np.ndarray:
    """Last day (``datetime64[D]``) of each ``datetime64[M]`` month."""
    return (months.astype("datetime64[M]") + 1).astype("datetime64[D]") - DAY


def to_timestamps(days: np.ndarray) -> np.ndarray:
    """``datetime64[ns]`` for a DataFrame column (NaT stays NaT)."""
    return np.asarray(days).astype("datetime64[ns]")


def group_cummax(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Running maximum of ``values`` within consecutive runs of equal ``groups``."""
    return pd.Series(values).groupby(groups, sort=False).cummax().to_numpy()


def group_shift(values: np.ndarray, position: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """The previous element within each group (rows sorted by group, ``position`` 0 starts a group)."""
    shifted = np.empty_like(values)
    shifted[1:] = values[:-1]
    shifted[position == 0] = fill
    return shifted


def names_from(rng: np.random.Generator, count: int, first: tuple[str, ...], last: tuple[str, ...]) -> list[str]:
    """``count`` distinct fictional full names (first x last combinations, drawn without repeats).

    When more names are needed than there are combinations (portfolios of ~100,000 projects need
    ~29,000 managers), every name gets a middle initial (first x A-Z x last); smaller portfolios
    draw exactly as before."""
    total = len(first) * len(last)
    if count <= total:
        picks = rng.choice(total, size=count, replace=False)
        return [f"{first[p // len(last)]} {last[p % len(last)]}" for p in picks]
    initials = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    per_first = len(initials) * len(last)
    if count > len(first) * per_first:
        raise ValueError(f"only {len(first) * per_first} distinct names available, {count} requested")
    picks = rng.choice(len(first) * per_first, size=count, replace=False)
    return [f"{first[p // per_first]} {initials[p % per_first // len(last)]}. {last[p % len(last)]}" for p in picks]
