"""The domain logic of DOMAIN.md as pure functions over plain values and DataFrames.

No streamlit, no sqlalchemy: everything here is computed from ``monitoring.frames.PortfolioFrames``
and an explicit as-of date, so "the portfolio as of 30 June" is reproducible.
"""
