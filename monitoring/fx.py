"""Currency conversion with the dated exchange-rate table (``fx_rates``: USD value of one unit).

Which rate: the latest rate dated **on or before the as-of date**, for every amount, whatever month
it was spent in. A review meeting looks at one snapshot of the portfolio "as of 30 June"; converting
each month's spending at its own month's rate would make the USD total move when only the rate
table changes, and would make budget (a future amount) and spending (past amounts) incomparable.
One rate per currency per as-of date keeps every USD figure on a page consistent and reproducible.
A rate dated after the as-of date is never used (it was not known then).

USD itself is always 1. A currency with no rate on or before the as-of date is *missing*, never 0:

* :func:`usd_rate` and :func:`convert_amount` raise :class:`MissingExchangeRate` naming the
  currency and the date, for callers that cannot proceed without it;
* :func:`to_usd` and :func:`convert` are vectorised for portfolio totals: they return ``NaN`` where
  a rate is missing plus the sorted list of missing currencies, so a total can say how many
  projects it excludes instead of silently under-counting them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from monitoring.dates import date_text

USD = "USD"


class MissingExchangeRate(LookupError):
    """No rate for ``currency`` dated on or before ``as_of``: a clear error, never a silent 0."""

    def __init__(self, currency: str, as_of: dt.date) -> None:
        self.currency = currency
        self.as_of = as_of
        super().__init__(
            f"no exchange rate for {currency} on or before {date_text(as_of)}; add one to the fx_rates table"
        )


def rates_as_of(fx_rates: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """USD per unit by currency: the latest rate dated on or before ``as_of``; USD is always 1."""
    day = pd.Timestamp(as_of)
    known = fx_rates.loc[pd.to_datetime(fx_rates["rate_date"]) <= day, ["currency", "rate_date", "usd_rate"]]
    known = known.assign(rate_date=pd.to_datetime(known["rate_date"])).sort_values("rate_date")
    rates = known.groupby("currency", sort=True)["usd_rate"].last().astype(float)
    rates[USD] = 1.0
    rates.index = rates.index.astype(object)
    return rates


def usd_rate(fx_rates: pd.DataFrame, currency: str, as_of: dt.date) -> float:
    """The rate of one currency, raising :class:`MissingExchangeRate` when there is none."""
    rates = rates_as_of(fx_rates, as_of)
    if currency not in rates.index:
        raise MissingExchangeRate(currency, as_of)
    return float(rates[currency])


def convert_amount(amount: float, source: str, target: str, fx_rates: pd.DataFrame, as_of: dt.date) -> float:
    """One amount from ``source`` into ``target`` currency through USD, for a caller that needs the
    answer (a form, a single project's figure): a missing rate raises :class:`MissingExchangeRate`."""
    if source == target:
        return float(amount)
    return float(amount) * usd_rate(fx_rates, source, as_of) / usd_rate(fx_rates, target, as_of)


def _rate_of(currencies: pd.Series, rates: pd.Series) -> pd.Series:
    return pd.Series(currencies, copy=False).astype(object).map(rates).astype(float)


def _missing(currencies: pd.Series, rate: pd.Series) -> list[str]:
    absent = pd.Series(currencies, copy=False)[rate.isna().to_numpy()]
    return sorted({str(c) for c in absent.dropna()})


def to_usd(
    amounts: pd.Series, currencies: pd.Series, fx_rates: pd.DataFrame, as_of: dt.date
) -> tuple[pd.Series, list[str]]:
    """Amounts in USD (``NaN`` where the currency has no rate) and the currencies that had none."""
    rate = _rate_of(currencies, rates_as_of(fx_rates, as_of))
    rate.index = amounts.index
    return amounts.astype(float) * rate, _missing(currencies, rate)


def convert(
    amounts: pd.Series,
    from_currencies: pd.Series,
    to_currencies: pd.Series,
    fx_rates: pd.DataFrame,
    as_of: dt.date,
) -> tuple[pd.Series, list[str]]:
    """Amounts from one currency into another through USD (same currency: unchanged, no rate needed).

    Returns the converted amounts (``NaN`` where either rate is missing) and the missing currencies.
    """
    rates = rates_as_of(fx_rates, as_of)
    src = _rate_of(from_currencies, rates)
    dst = _rate_of(to_currencies, rates)
    same = (
        pd.Series(from_currencies, copy=False).astype(object).to_numpy()
        == pd.Series(to_currencies, copy=False).astype(object).to_numpy()
    )
    factor = np.where(same, 1.0, src.to_numpy() / dst.to_numpy())
    converted = pd.Series(amounts.astype(float).to_numpy() * factor, index=amounts.index)
    missing = sorted(
        set(_missing(pd.Series(from_currencies)[~same], src[~same]))
        | set(_missing(pd.Series(to_currencies)[~same], dst[~same]))
    )
    return converted, missing
