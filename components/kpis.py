"""The KPI row: a few numbers, each with what it counts and the rule behind it (``help``).

:class:`Kpi` is plain data so a page (or a test) can build the row from
``monitoring.evaluate.portfolio_kpis`` without Streamlit; :func:`kpi_row` renders it as bordered
``st.metric`` cards in one row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    help: str
    detail: str | None = None  # a second line under the value (e.g. "of USD 12.3M budget")


def kpi_row(kpis: Sequence[Kpi]) -> None:
    for column, kpi in zip(st.columns(len(kpis)), kpis, strict=True):
        column.metric(kpi.label, kpi.value, help=kpi.help, border=True)
        if kpi.detail:
            column.caption(kpi.detail)
