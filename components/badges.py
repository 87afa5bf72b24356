"""Status labels that never rely on colour alone: a shape-distinct symbol AND words.

Every status of DOMAIN.md (indicator and project results status, burn and forecast status, risk
level, flag severity) maps to one :class:`Badge`: a symbol for tables (plain text, readable when
printed in black and white or read by a screen reader), a Material icon and a colour name for
``st.badge``/markdown. Colour only reinforces the words; two statuses never differ by colour only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Badge:
    symbol: str  # a text symbol whose *shape* differs per meaning
    text: str
    icon: str  # a Streamlit material icon
    color: str  # a Streamlit markdown colour name

    @property
    def label(self) -> str:
        """``"▲ At risk"``: for tables and chart hover text."""
        return f"{self.symbol} {self.text}"

    @property
    def markdown(self) -> str:
        """``":orange-badge[:material/warning: At risk]"``: for st.markdown."""
        return f":{self.color}-badge[{self.icon} {self.text}]"


_GOOD, _WATCH, _BAD, _GREY, _BLUE = "green", "orange", "red", "gray", "blue"

BADGES: dict[str, Badge] = {
    # indicator and project results status (DOMAIN.md 2.1)
    "achieved": Badge("★", "Achieved", ":material/verified:", _GOOD),
    "on_track": Badge("●", "On track", ":material/check_circle:", _GOOD),
    "at_risk": Badge("▲", "At risk", ":material/warning:", _WATCH),
    "off_track": Badge("✖", "Off track", ":material/cancel:", _BAD),
    "no_data": Badge("?", "No data", ":material/help:", _GREY),
    "not_due": Badge("◷", "Too early to judge", ":material/schedule:", _BLUE),
    "not_assessable": Badge("–", "Not assessable", ":material/remove:", _GREY),
    # burn status (DOMAIN.md 3)
    "on_pace": Badge("●", "On pace", ":material/check_circle:", _GOOD),
    "underspending": Badge("▼", "Underspending", ":material/trending_down:", _WATCH),
    "overspending": Badge("▲", "Overspending", ":material/trending_up:", _WATCH),
    "over_budget": Badge("✖", "Over budget", ":material/cancel:", _BAD),
    # forecast status (DOMAIN.md 3)
    "on_target": Badge("●", "Forecast on target", ":material/check_circle:", _GOOD),
    "underspend": Badge("▼", "Forecast underspend", ":material/trending_down:", _WATCH),
    "overspend": Badge("▲", "Forecast overspend", ":material/trending_up:", _WATCH),
    # burn and forecast status: no budget (or no rate) to divide by, or nothing due before the start
    "undefined": Badge("–", "Unknown: no budget or rate", ":material/remove:", _GREY),
    "not_started": Badge("◌", "Not started", ":material/hourglass_empty:", _GREY),
    # burn and forecast status: no expenditure row at all (spending unknown, never shown as 0%)
    "not_reported": Badge("?", "Not reported", ":material/help:", _WATCH),
    # risk level / flag severity (DOMAIN.md 4 and 5)
    "high": Badge("✖", "High", ":material/error:", _BAD),
    "medium": Badge("▲", "Medium", ":material/warning:", _WATCH),
    "low": Badge("●", "Low", ":material/info:", _BLUE),
    "none": Badge("○", "None", ":material/check:", _GOOD),
    # risk level of a project without an open risk: never recorded (a gap) vs all closed
    "no_register": Badge("∅", "No register", ":material/block:", _GREY),
    "no_open": Badge("○", "No open risks", ":material/check:", _GOOD),
}

UNKNOWN = Badge("–", "Unknown", ":material/remove:", _GREY)

# for sorting: worst first
RESULTS_ORDER = ("off_track", "at_risk", "no_data", "on_track", "achieved", "not_due", "not_assessable")


def badge(status: object) -> Badge:
    """The badge of a status code; ``Unknown`` for a missing value, the code itself if unlisted."""
    if status is None or (isinstance(status, float) and pd.isna(status)):
        return UNKNOWN
    key = str(status)
    return BADGES.get(key, Badge("•", key.replace("_", " ").capitalize(), ":material/circle:", _GREY))


def label(status: object) -> str:
    return badge(status).label


def labels(statuses: pd.Series) -> pd.Series:
    """Vectorised :func:`label` for a table column (object dtype: symbols and words).

    Each distinct status is labelled once and the column mapped through a dictionary, so a
    100,000-row column (the Off-track list at the benchmark scale) costs a lookup per row.
    """
    values = statuses.astype(object)
    present = values.notna()
    known = {v: label(v) for v in pd.unique(values[present])}
    return values.map(known).where(present, label(None)).astype(object)
