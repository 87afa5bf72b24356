"""Exchange rates: the latest rate on or before the as-of date, USD = 1, missing is never 0."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from monitoring.fx import MissingExchangeRate, convert, convert_amount, rates_as_of, to_usd, usd_rate

D = dt.date

RATES = pd.DataFrame(
    [
        ("EUR", D(2023, 1, 1), 1.05),
        ("EUR", D(2023, 6, 1), 1.10),
        ("EUR", D(2023, 9, 1), 1.20),
        ("CHF", D(2023, 3, 1), 1.12),
        ("XOF", D(2024, 1, 1), 0.0016),
    ],
    columns=["currency", "rate_date", "usd_rate"],
)


@pytest.mark.parametrize(
    ("currency", "as_of", "expected"),
    [
        ("USD", D(2020, 1, 1), 1.0),  # USD needs no rate
        ("EUR", D(2023, 5, 31), 1.05),  # before the June rate
        ("EUR", D(2023, 6, 1), 1.10),  # a rate dated on D is used
        ("EUR", D(2023, 8, 31), 1.10),  # the September rate is not yet known
        ("EUR", D(2024, 2, 1), 1.20),  # latest of all
        ("CHF", D(2023, 3, 1), 1.12),
    ],
)
def test_usd_rate_is_the_latest_on_or_before_as_of(currency, as_of, expected):
    assert usd_rate(RATES, currency, as_of) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("currency", "as_of"),
    [("EUR", D(2022, 12, 31)), ("XOF", D(2023, 12, 31)), ("GBP", D(2024, 1, 1))],
)
def test_missing_rate_is_a_clear_error_naming_currency_and_date(currency, as_of):
    with pytest.raises(MissingExchangeRate) as error:
        usd_rate(RATES, currency, as_of)
    assert currency in str(error.value)
    assert f"{as_of.day} {as_of:%b %Y}" in str(error.value)  # as people read a date
    assert error.value.currency == currency


def test_rates_as_of_lists_known_currencies_with_usd():
    rates = rates_as_of(RATES, D(2023, 7, 1))
    assert rates.to_dict() == {"CHF": 1.12, "EUR": 1.10, "USD": 1.0}


def test_to_usd_returns_nan_and_the_missing_currencies():
    amounts = pd.Series([100.0, 200.0, 300.0, 50.0], index=[10, 11, 12, 13])
    currencies = pd.Series(["USD", "EUR", "XOF", "GBP"], index=[10, 11, 12, 13])
    usd, missing = to_usd(amounts, currencies, RATES, D(2023, 7, 1))
    assert usd[10] == 100.0
    assert usd[11] == pytest.approx(220.0)  # 200 EUR x 1.10
    assert math.isnan(usd[12]) and math.isnan(usd[13])  # never a silent 0
    assert missing == ["GBP", "XOF"]
    assert list(usd.index) == [10, 11, 12, 13]


@pytest.mark.parametrize(
    ("amount", "source", "target", "as_of", "expected"),
    [
        (110.0, "USD", "EUR", D(2023, 7, 1), 100.0),  # 110 / 1.10
        (100.0, "EUR", "CHF", D(2023, 7, 1), 100.0 * 1.10 / 1.12),  # through USD
        (100.0, "XOF", "XOF", D(2020, 1, 1), 100.0),  # same currency: no rate needed
        (100.0, "USD", "XOF", D(2023, 7, 1), math.nan),  # XOF unknown before 2024
    ],
)
def test_convert_through_usd(amount, source, target, as_of, expected):
    out, missing = convert(pd.Series([amount]), pd.Series([source]), pd.Series([target]), RATES, as_of)
    if math.isnan(expected):
        assert math.isnan(out[0]) and missing == [target]
    else:
        assert out[0] == pytest.approx(expected) and missing == []


@pytest.mark.parametrize(
    ("amount", "source", "target", "expected"),
    [(110.0, "USD", "EUR", 100.0), (100.0, "EUR", "CHF", 100.0 * 1.10 / 1.12), (7.0, "GBP", "GBP", 7.0)],
)
def test_convert_amount(amount, source, target, expected):
    assert convert_amount(amount, source, target, RATES, D(2023, 7, 1)) == pytest.approx(expected)


def test_convert_amount_raises_for_the_missing_side():
    with pytest.raises(MissingExchangeRate, match="XOF") as error:
        convert_amount(100.0, "EUR", "XOF", RATES, D(2023, 7, 1))
    assert error.value.as_of == D(2023, 7, 1)
