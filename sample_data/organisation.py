"""Regions, countries, country offices, donors and monthly exchange rates of the sample portfolio."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reference.places import REGIONS
from sample_data.arrays import month_first_day, names_from, stream, to_timestamps
from sample_data.reference import COUNTRIES, CURRENCIES, DONORS, FIRST_NAMES, LAST_NAMES


def build_organisation(seed: int, people_needed: int) -> tuple[list[str], dict[str, pd.DataFrame]]:
    """Fictional people and the ``regions``, ``countries``, ``country_offices``, ``donors`` frames.

    ``len(COUNTRIES) + people_needed`` distinct names are drawn once: chiefs of mission take the
    first ones (office i, country i), managers the rest, so that nobody is both by accident.
    """
    rng = stream(seed, "organisation")
    region_index = {code: i for i, (code, _) in enumerate(REGIONS)}
    people = names_from(rng, len(COUNTRIES) + people_needed, FIRST_NAMES, LAST_NAMES)
    n_countries = len(COUNTRIES)
    frames = {
        "regions": pd.DataFrame(
            {"id": np.arange(1, len(REGIONS) + 1), "code": [r[0] for r in REGIONS], "name": [r[1] for r in REGIONS]}
        ),
        "countries": pd.DataFrame(
            {
                "id": np.arange(1, n_countries + 1),
                "iso3": [c.iso3 for c in COUNTRIES],
                "name": [c.name for c in COUNTRIES],
                "region_id": [region_index[c.region] + 1 for c in COUNTRIES],
            }
        ),
        # one office per country, same id as the country: office i manages country i
        "country_offices": pd.DataFrame(
            {
                "id": np.arange(1, n_countries + 1),
                "country_id": np.arange(1, n_countries + 1),
                "name": [f"Country Office {c.name}" for c in COUNTRIES],
                "chief_of_mission": people[:n_countries],
            }
        ),
        "donors": pd.DataFrame(
            {
                "id": np.arange(1, len(DONORS) + 1),
                "name": [d.name for d in DONORS],
                "donor_type": [d.donor_type for d in DONORS],
            }
        ),
    }
    return people, frames


@dataclass(frozen=True)
class FxTable:
    """Monthly USD rates: ``rates[currency][k]`` is the rate of month ``first_month + k``."""

    first_month: np.datetime64
    rates: dict[str, np.ndarray]

    def at(self, currencies: np.ndarray, months: np.ndarray) -> np.ndarray:
        """USD value of one unit of each currency in each month (clamped to the table's range)."""
        out = np.ones(len(currencies))
        for code, series in self.rates.items():
            mask = currencies == code
            if mask.any():
                k = (months[mask].astype("datetime64[M]") - self.first_month).astype(int)
                out[mask] = series[np.clip(k, 0, len(series) - 1)]
        return out


def build_fx_rates(seed: int, first_month: np.datetime64, last_month: np.datetime64) -> tuple[FxTable, pd.DataFrame]:
    """A random walk per currency around its real level, one rate per month (first day).

    USD is listed too, at 1.0, so that a conversion is one join for every currency.
    """
    rng = stream(seed, "fx_rates")
    months = np.arange(first_month, last_month + 1, dtype="datetime64[M]")
    rates: dict[str, np.ndarray] = {}
    rows = []
    for code, (level, volatility) in CURRENCIES.items():
        walk = np.exp(np.cumsum(rng.normal(0.0, volatility, len(months))) if volatility else np.zeros(len(months)))
        series = np.round(level * walk, 6 if level < 0.01 else 4)
        rates[code] = series
        rows.append(
            pd.DataFrame({"currency": code, "rate_date": to_timestamps(month_first_day(months)), "usd_rate": series})
        )
    frame = pd.concat(rows, ignore_index=True)
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return FxTable(first_month, rates), frame
