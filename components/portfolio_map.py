"""The Portfolio page's Map tab: countries coloured by the measure chosen (``?measure=`` in the URL),
from ``components.charts_portfolio.country_values``. Its plotly JavaScript loads only when the tab
is opened (the page's tabs run lazily)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts_portfolio
from components.frame import show_chart, url_bound, write_url

DEFAULT_MEASURE = "off_track_share"


def show(ctx, evaluation, project_countries: pd.DataFrame, countries) -> None:
    measures = charts_portfolio.MAP_MEASURES
    url_bound("map_measure", "measure", lambda raw: raw[-1] if raw[-1] in measures else None)
    st.session_state.setdefault("map_measure", DEFAULT_MEASURE)
    measure_key = (
        st.segmented_control(
            "Colour countries by", list(measures), format_func=lambda k: measures[k].label, key="map_measure"
        )
        or DEFAULT_MEASURE
    )
    write_url("measure", None if measure_key == DEFAULT_MEASURE else measure_key)
    measure = measures[measure_key]
    by_country = charts_portfolio.country_values(
        evaluation.projects, evaluation.flags, project_countries, measure_key, ctx.as_of, countries
    )
    show_chart(
        charts_portfolio.country_map(by_country, measure),
        how=measure.how.format(settings=ctx.settings),
        key="portfolio_map",
    )
