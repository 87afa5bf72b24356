"""Status badges carry words and shapes (never colour alone); table downloads hold the shown rows."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from components import badges, tables
from monitoring.finance import BURN_STATUSES, FORECAST_STATUSES


@pytest.mark.parametrize(
    ("status", "expected_label"),
    [
        ("achieved", "★ Achieved"),
        ("on_track", "● On track"),
        ("at_risk", "▲ At risk"),
        ("off_track", "✖ Off track"),
        ("no_data", "? No data"),
        ("not_due", "◷ Too early to judge"),
        ("not_assessable", "– Not assessable"),
        ("over_budget", "✖ Over budget"),
        ("underspending", "▼ Underspending"),
        ("high", "✖ High"),
        ("not_started", "◌ Not started"),
        ("undefined", "– Unknown: no budget or rate"),
        ("not_reported", "? Not reported"),
        ("no_register", "∅ No register"),
        ("no_open", "○ No open risks"),
        (None, "– Unknown"),
        (float("nan"), "– Unknown"),
        ("some_new_code", "• Some new code"),
    ],
)
def test_badge_label_has_symbol_and_words(status, expected_label):
    assert badges.label(status) == expected_label


def test_statuses_sharing_a_colour_differ_in_words_and_symbols():
    results = ["achieved", "on_track", "at_risk", "off_track", "no_data", "not_due", "not_assessable"]
    shown = [badges.badge(s) for s in results]
    assert len({b.text for b in shown}) == len(results)
    assert len({b.symbol for b in shown}) == len(results)


@pytest.mark.parametrize("statuses", [BURN_STATUSES, FORECAST_STATUSES])
def test_every_money_status_has_its_own_badge(statuses):
    assert all(s in badges.BADGES for s in statuses)
    assert len({badges.badge(s).symbol for s in statuses}) == len(statuses)


def test_markdown_badge_uses_colour_icon_and_text():
    assert badges.badge("at_risk").markdown == ":orange-badge[:material/warning: At risk]"


def test_labels_maps_a_column():
    out = badges.labels(pd.Series(["off_track", None]))
    assert out.tolist() == ["✖ Off track", "– Unknown"]


FRAME = pd.DataFrame(
    {
        "Project": ["PX.0001", "PX.0002"],
        "Note": ['=HYPERLINK("http://x")', "Zürich office"],
        "Burn": [0.3412, 1.05],
    }
)


def test_csv_download_neutralises_formulas_and_keeps_accents():
    text = tables.to_csv_bytes(FRAME).decode("utf-8-sig")
    assert text.splitlines() == [
        "Project,Note,Burn",
        'PX.0001,"\'=HYPERLINK(""http://x"")",0.3412',
        "PX.0002,Zürich office,1.05",
    ]


def test_excel_download_holds_the_rows_unrounded():
    book = openpyxl.load_workbook(io.BytesIO(tables.to_excel_bytes(FRAME, "flags: top/10")))
    sheet = book.active
    assert sheet.title == "flags_ top_10"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))  # rows 1-2: the title (test_components_excel)
    assert rows == [
        ("Project", "Note", "Burn"),
        ("PX.0001", '\'=HYPERLINK("http://x")', 0.3412),
        ("PX.0002", "Zürich office", 1.05),
    ]


def test_budget_card_shows_the_budget_when_no_started_project_reported_spending():
    """An IATI file of budgets only (IOM: USD 402.3M, no spending): the card never reads "USD 0"."""
    import dataclasses

    from components.kpis import portfolio_cards
    from monitoring.evaluate import PortfolioKpis

    base = {f.name: 0 for f in dataclasses.fields(PortfolioKpis)}
    k = PortfolioKpis(
        **{
            **base,
            "budget_usd": 0.0,
            "spent_usd": 0.0,
            "delivery_rate": None,
            "n_not_reported": 109,
            "budget_not_reported_usd": 402_300_000.0,
            "indicators_on_track_or_achieved_share": None,
            "missing_currencies": (),
        }
    )
    budget, delivery = portfolio_cards(k)[1:3]
    assert budget.value == "402.3M"
    assert budget.detail == "all projects in full; spending not reported (109 started projects)"
    assert (delivery.value, delivery.detail) == ("–", "spending not reported by 109 started projects")


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([0.3412, 1.05, None], [34.12, 105.0, None]),  # a missing share stays missing
        ([0, 1], [0.0, 100.0]),
    ],
)
def test_shares_are_shown_as_percentage_points(values, shown):
    frame = pd.DataFrame({"Burn": values, "Budget (USD)": [1.0] * len(values)})
    got = tables.as_displayed(frame, ["Burn", "Not a column"])
    assert got["Burn"].isna().tolist() == [v is None for v in shown]
    assert got["Burn"].fillna(-1).tolist() == pytest.approx([-1 if v is None else v for v in shown])
    assert got["Budget (USD)"].tolist() == [1.0] * len(values)  # only the shares change
    assert frame["Burn"].tolist()[:2] == values[:2]  # the caller's frame is untouched


def _long_table_script():
    import pandas as pd

    from components import tables

    frame = pd.DataFrame({"Project": [f"P{i}" for i in range(5)], "Burn": [0.1, 0.2, 0.3, 0.4, 0.5]})
    tables.show_table(frame, key="t", file_stem="t", shares=["Burn"], amounts=["Budget"], limit=3)


def test_one_entry_point_formats_shares_and_limits_long_tables():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_long_table_script).run()
    assert not at.exception
    assert at.caption[0].value == "The first 3 of 5 rows are shown; the downloads hold all 5."
    shown = at.dataframe[0].value
    assert shown["Project"].tolist() == ["P0", "P1", "P2"]
    assert shown["Burn"].tolist() == pytest.approx([10.0, 20.0, 30.0])
