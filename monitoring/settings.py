"""Every threshold of DOMAIN.md in one typed place, with its default and its reason.

A threshold is never a literal in the logic: functions take a :class:`Settings`. Defaults are
DOMAIN.md's; an organisation overrides them in ``settings.toml`` (path from ``DASHBOARD_SETTINGS`` or
the repository root), e.g.::

    on_track_min = 0.9
    underspending_below_pp = -20

Each field's ``help`` text is what the README's settings table must document (a test checks it).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Literal


def _s(default, help: str):
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """The thresholds in force. Invalid combinations (bands that cross, a zero-month average) are
    refused at construction, so a bad ``settings.toml`` fails on load, not halfway through a page."""

    # -- indicator status (DOMAIN.md 2.1) --
    on_track_min: float = _s(
        0.85,
        "Ratio of progress to expected progress at or above which an indicator is on track (TolaActivity ±15% band).",
    )
    off_track_below: float = _s(
        0.60, "Ratio below which an indicator is off track (Global Fund B2 'inadequate' below 60%)."
    )
    over_achievement_above: float = _s(
        1.15, "Ratio above which over-achievement is shown as a target-setting question (never a problem)."
    )
    expected_path: Literal["linear", "none"] = _s(
        "linear",
        "Expected progress without milestones: 'linear' pro-rates by elapsed time; 'none' makes such "
        "indicators not due until the end date.",
    )
    reporting_grace_days: int = _s(
        30,
        "Days after a period ends before its report is due: expected progress is judged at the later of "
        "(as-of date − this) and the end of the latest reported period, and a report missing after it is overdue.",
    )
    min_expected_to_judge: float = _s(
        0.10,
        "Expected progress below which an indicator is 'too early to judge' (not due): a ratio of two tiny "
        "shares swings wildly in a project's first months.",
    )
    # -- project results status (DOMAIN.md 2.1) --
    project_off_track_share: float = _s(
        0.25, "A project is off track when at least this share of its assessable indicators is off track."
    )
    project_on_track_share: float = _s(
        0.75, "A project is on track when at least this share of its assessable indicators is on track or achieved."
    )
    # -- money (DOMAIN.md 3) --
    underspending_below_pp: float = _s(
        -15.0, "Burn variance (percentage points) below which a project is underspending."
    )
    overspending_above_pp: float = _s(10.0, "Burn variance (percentage points) above which a project is overspending.")
    forecast_low_below: float = _s(0.85, "Forecast delivery below which funds are likely returned to the donor.")
    forecast_high_above: float = _s(
        1.00, "Forecast delivery above which the project is forecast to overspend its budget."
    )
    forecast_months: int = _s(3, "Calendar months of recent expenditure averaged for the forecast at close.")
    results_vs_spend_gap_pp: float = _s(
        25.0,
        "Gap (percentage points) between burn and results progress that raises spend-ahead-of-results or "
        "results-ahead-of-spend.",
    )
    me_budget_min_share: float = _s(
        0.03, "Minimum share of the budget on monitoring & evaluation lines (IOM Monitoring Policy: 3-6%)."
    )
    # -- risks (DOMAIN.md 4) --
    risk_high_min: int = _s(15, "Risk score (likelihood x impact) at or above which a risk is high.")
    risk_medium_min: int = _s(8, "Risk score at or above which a risk is medium (below: low).")
    # -- flags (DOMAIN.md 5) --
    no_data_grace_days: int = _s(
        30, "A target period that ended more than this many days ago with no actual raises INDICATORS_NO_DATA."
    )
    ending_soon_days: int = _s(183, "A project whose (revised) end date is within this many days is 'ending soon'.")
    ending_soon_min_delivery: float = _s(
        0.70, "Burn or results progress below which an ending-soon project is flagged."
    )
    risk_review_max_days: int = _s(
        90, "An open high risk last reviewed more than this many days ago (or never) raises HIGH_RISK_UNMITIGATED."
    )
    results_framework_due_days: int = _s(
        30,
        "A project with no indicators more than this many days after its start raises NO_RESULTS_FRAMEWORK "
        "(results monitoring framework due in the first month).",
    )
    monitoring_visit_max_days: int = _s(
        183,
        "A high-risk project (high-risk context or an open high risk) with no monitoring visit for more "
        "than this many days (counted from the start when never visited) raises NO_RECENT_MONITORING_VISIT.",
    )
    stale_data_days: int = _s(
        90,
        "An active project with indicators and no actual reported for more than this many days (counted "
        "from the start when nothing was ever reported) raises STALE_DATA.",
    )
    data_quality_max_share: float = _s(
        0.20, "Share of a project's indicators with data-quality issues above which DATA_QUALITY is raised."
    )
    past_end_grace_days: int = _s(
        30,
        "A project still active more than this many days after its (revised) end date raises PAST_END_DATE "
        "(close it or record the extension).",
    )
    audit_recommendation_max_days: int = _s(
        365, "Audit recommendations with no due date are overdue this many days after issue."
    )
    # -- follow-up (DOMAIN.md 9) --
    visit_due_soon_days: int = _s(
        30,
        "A high-risk project whose next monitoring visit is due within this many days (counted against "
        "monitoring_visit_max_days) is 'due soon' on the Visits page.",
    )
    recommendation_due_soon_days: int = _s(
        30,
        "An open recommendation due within this many days (the as-of day included) is 'falling due' on the "
        "register and in the alerts digest.",
    )

    def __post_init__(self) -> None:
        problems = []
        if self.expected_path not in ("linear", "none"):
            problems.append(f"expected_path must be 'linear' or 'none', not {self.expected_path!r}")
        if not self.off_track_below <= self.on_track_min:
            problems.append("off_track_below must not exceed on_track_min")
        if not self.underspending_below_pp <= 0 <= self.overspending_above_pp:
            problems.append("underspending_below_pp must be <= 0 <= overspending_above_pp")
        if not self.forecast_low_below <= self.forecast_high_above:
            problems.append("forecast_low_below must not exceed forecast_high_above")
        if not 0 <= self.min_expected_to_judge < 1:
            problems.append("min_expected_to_judge must be at least 0 and below 1")
        if self.reporting_grace_days < 0 or self.past_end_grace_days < 0:
            problems.append("reporting_grace_days and past_end_grace_days must not be negative")
        if self.forecast_months < 1:
            problems.append("forecast_months must be at least 1")
        if not 1 <= self.risk_medium_min <= self.risk_high_min <= 25:
            problems.append("risk bands need 1 <= risk_medium_min <= risk_high_min <= 25")
        if problems:
            raise ValueError("invalid settings: " + "; ".join(problems))


def setting_help() -> dict[str, str]:
    """Name → help text of every setting (what the README must document)."""
    return {f.name: f.metadata["help"] for f in fields(Settings)}


def default_settings_path() -> Path:
    return Path(os.environ.get("DASHBOARD_SETTINGS", Path(__file__).resolve().parent.parent / "settings.toml"))


def _checked(path: Path, name: str, value, default):
    """``value`` as the type of ``default``: an int where an int is expected (a float like 2.5 for a
    number of months is refused), a float where a float is (7 is read as 7.0), text where text is."""
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) and isinstance(default, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float))
        value = float(value) if ok else value
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ValueError(f"{path}: setting {name} = {value!r} is not a {type(default).__name__}")
    return value


def load_settings(path: Path | None = None) -> Settings:
    """Defaults overridden by a TOML file when it exists; an unknown key or wrong type is an error."""
    path = path or default_settings_path()
    if not path.exists():
        return Settings()
    with path.open("rb") as fh:
        overrides = tomllib.load(fh)
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        raise ValueError(f"{path}: unknown setting(s) {', '.join(unknown)}")
    checked = {name: _checked(path, name, value, known[name].default) for name, value in overrides.items()}
    return replace(Settings(), **checked)
