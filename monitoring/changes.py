"""What changed between two sets of review figures, and why: pure logic over
:class:`monitoring.review.ReviewFigures` and the stored changes of the data between them.

**What counts as a change** (:func:`comparable`): an indicator's status (turned off track,
recovered, achieved, other), a project's results status and burn status, a flag raised, cleared
or changed severity, a project entering or leaving the scope, every KPI of the Portfolio page, and
the USD totals (budget, spent, delivery, projects) of every region and country. A project that
entered or left the scope is one row: its indicators and flags are not listed again.

**Every change carries its cause, found, not guessed** (:func:`changes`):

* *data*: the stored changes between the two data versions (``data_access`` reads them from the
  row history and the actual versions), each named by :func:`cause_of_event` (the table below),
  gathered per project (:func:`causes_by_project`). A change of a project takes the causes of that
  project that can move it (:data:`FAMILY`: a results status is not moved by spending; when none of
  the project's causes is of the family, all of them are given);
* *settings*: when the settings in force differ, the figures of the later data are computed a
  second time with the earlier settings (``middle``); a change between the earlier figures and
  ``middle`` has data causes, one between ``middle`` and the later figures is "settings changed"
  (both when both moved it). Between two snapshots ``middle`` cannot be computed (the earlier data
  are gone): every change then also says "settings changed" when the settings differ;
* *time*: when the as-of date moved and no stored change of the project explains a change, an
  indicator whose milestone to date moved says "milestone fell due", a project whose start date
  passed "project started", anything else "time passed";
* *scope*: "project entered the scope" / "project left the scope";
* KPI and group rows take the causes of the changed projects (of the group, for a group), kept to
  the family of the figure.

The list of the issue (new actual reported, actual corrected, milestone fell due, target or
baseline changed, budget revised, spending reported, project started / closed / extended, project
entered or left the scope, settings changed) is complete for the figures it names; flags also move
with the risk register, monitoring visits, recommendations and exchange rates, so those have causes
of their own (:data:`EVENT_CAUSES`) rather than being called something they are not.
"""

from __future__ import annotations

import pandas as pd

from monitoring.review import ReviewFigures

NEW_ACTUAL = "new actual reported"
ACTUAL_CORRECTED = "actual corrected"
MILESTONE_DUE = "milestone fell due"
TARGET_CHANGED = "target or baseline changed"
BUDGET_REVISED = "budget revised"
SPENDING_REPORTED = "spending reported"
PROJECT_STARTED = "project started"
PROJECT_CLOSED = "project closed"
PROJECT_EXTENDED = "project extended"
ENTERED_SCOPE = "project entered the scope"
LEFT_SCOPE = "project left the scope"
SETTINGS_CHANGED = "settings changed"
FRAMEWORK_CHANGED = "results framework changed"
RISKS_UPDATED = "risk register updated"
VISIT_RECORDED = "monitoring visit recorded"
RECOMMENDATION_UPDATED = "recommendation updated"
FX_CHANGED = "exchange rate changed"
PROJECT_DETAILS = "project details changed"
TIME_PASSED = "time passed"
UNEXPLAINED = "no stored change explains it"

CHANGE_COLUMNS = ("kind", "project_code", "indicator_code", "flag_code", "item", "before", "after", "cause")
KEY = ["kind", "project_code", "indicator_code", "flag_code", "item"]

# (table, field or None for any) -> cause; actuals come as the actions "new" / "corrected"
EVENT_CAUSES: dict[tuple[str, str | None], str] = {
    ("targets", None): TARGET_CHANGED,
    ("indicators", "baseline"): TARGET_CHANGED,
    ("indicators", "baseline_text"): TARGET_CHANGED,
    ("indicators", "end_target"): TARGET_CHANGED,
    ("indicators", "end_target_text"): TARGET_CHANGED,
    ("indicators", None): FRAMEWORK_CHANGED,
    ("results", None): FRAMEWORK_CHANGED,
    ("budget_lines", None): BUDGET_REVISED,
    ("budget_revisions", None): BUDGET_REVISED,
    ("spending_plans", None): BUDGET_REVISED,
    ("expenditures", None): SPENDING_REPORTED,
    ("projects", "end_date"): PROJECT_EXTENDED,
    ("projects", "revised_end_date"): PROJECT_EXTENDED,
    ("projects", "start_date"): PROJECT_STARTED,
    ("risks", None): RISKS_UPDATED,
    ("monitoring_visits", None): VISIT_RECORDED,
    ("recommendations", None): RECOMMENDATION_UPDATED,
    ("evaluations", None): RECOMMENDATION_UPDATED,
    ("fx_rates", None): FX_CHANGED,
}
_RESULTS = {NEW_ACTUAL, ACTUAL_CORRECTED, MILESTONE_DUE, TARGET_CHANGED, FRAMEWORK_CHANGED, PROJECT_EXTENDED}
_MONEY = {BUDGET_REVISED, SPENDING_REPORTED, FX_CHANGED, PROJECT_EXTENDED}
_LIFECYCLE = {PROJECT_STARTED, PROJECT_CLOSED, PROJECT_EXTENDED, ENTERED_SCOPE, LEFT_SCOPE}
_ALWAYS = {SETTINGS_CHANGED, TIME_PASSED, PROJECT_STARTED, PROJECT_CLOSED}
# the causes that can move a figure of each family (``None``: any cause)
FAMILY: dict[str, set[str] | None] = {
    "results": _RESULTS | _ALWAYS,
    "money": _MONEY | _ALWAYS,
    "lifecycle": _LIFECYCLE | _ALWAYS,
    "risks": {RISKS_UPDATED, VISIT_RECORDED} | _ALWAYS,
    "recommendations": {RECOMMENDATION_UPDATED} | _ALWAYS,
    "details": {PROJECT_DETAILS} | _ALWAYS,
    "any": None,
}
# the family of the causes that can raise or clear each flag (DOMAIN.md 5); the two flags that weigh
# results against money (ANY_CAUSE_FLAGS) take any cause
ANY_CAUSE_FLAGS = ("SPEND_AHEAD_OF_RESULTS", "ENDING_SOON_LOW_DELIVERY")
FLAG_FAMILY: dict[str, str] = {
    **dict.fromkeys(ANY_CAUSE_FLAGS, "any"),
    **dict.fromkeys(
        ("RESULTS_OFF_TRACK", "INDICATORS_NO_DATA", "STALE_DATA", "DATA_QUALITY", "NO_RESULTS_FRAMEWORK"), "results"
    ),
    **dict.fromkeys(
        (
            "UNDERSPENDING",
            "OVERSPENDING",
            "OVER_BUDGET",
            "FORECAST_UNDERSPEND",
            "FORECAST_OVERSPEND",
            "EXPENDITURE_NOT_REPORTED",
            "ME_BUDGET_LOW",
        ),
        "money",
    ),
    **dict.fromkeys(("HIGH_RISK_UNMITIGATED", "NO_RISK_REGISTER", "NO_RECENT_MONITORING_VISIT"), "risks"),
    "RECOMMENDATIONS_OVERDUE": "recommendations",
    "PAST_END_DATE": "lifecycle",
    **dict.fromkeys(("GENDER_MARKER_MISSING", "AAP_GAPS"), "details"),
}
BAD_STATUSES = ("off_track", "at_risk", "no_data")
GOOD_STATUSES = ("on_track", "achieved")
GROUP_COLUMNS = ("n_projects", "budget_usd", "spent_usd", "delivery")


def cause_of_event(table: str, field: str | None, action: str, new: str | None = None) -> str:
    """The cause a stored change of the data gives (``action``: ``insert``/``update`` of the row
    history, ``new``/``corrected`` for an actual's version)."""
    if table == "actuals":
        return ACTUAL_CORRECTED if action == "corrected" else NEW_ACTUAL
    if table == "projects" and field == "status":
        return {"active": PROJECT_STARTED, "closed": PROJECT_CLOSED}.get(new or "", PROJECT_DETAILS)
    if table == "projects" and action == "insert":
        return ENTERED_SCOPE
    for key in ((table, field), (table, None)):
        if key in EVENT_CAUSES:
            return EVENT_CAUSES[key]
    return PROJECT_DETAILS


def causes_by_project(events: pd.DataFrame) -> tuple[dict[str, set[str]], set[str]]:
    """``events`` (project_code, table, field, action, new) → (causes per project code, causes of
    organisation-wide changes: exchange rates)."""
    per_project: dict[str, set[str]] = {}
    general: set[str] = set()
    for code, table, field, action, new in events[["project_code", "table", "field", "action", "new"]].itertuples(
        index=False
    ):
        cause = cause_of_event(table, None if pd.isna(field) else field, action, None if pd.isna(new) else new)
        if pd.isna(code):
            if cause == FX_CHANGED:
                general.add(cause)
            continue
        per_project.setdefault(code, set()).add(cause)
    return per_project, general


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


def comparable(figures: ReviewFigures) -> pd.DataFrame:
    """One row per compared figure: the key columns and ``value`` (text; None when unknown)."""
    p, i, f = figures.projects, figures.indicators, figures.flags
    parts = [
        pd.DataFrame({"kind": "project", "project_code": p["project_code"], "value": "in scope"}),
        pd.DataFrame({"kind": "results", "project_code": p["project_code"], "value": p["results_status"]}),
        pd.DataFrame({"kind": "burn", "project_code": p["project_code"], "value": p["burn_status"]}),
        pd.DataFrame(
            {
                "kind": "indicator",
                "project_code": i["project_code"],
                "indicator_code": i["indicator_code"],
                "value": i["status"],
            }
        ),
        pd.DataFrame(
            {"kind": "flag", "project_code": f["project_code"], "flag_code": f["code"], "value": f["severity"]}
        ),
        pd.DataFrame({"kind": "kpi", "item": list(figures.kpis), "value": [_text(v) for v in figures.kpis.values()]}),
    ]
    g = figures.groups
    for column in GROUP_COLUMNS:
        if column in g.columns:
            items = g["group_kind"].astype(str) + ":" + g["group"].astype(str) + " " + column
            parts.append(pd.DataFrame({"kind": "group", "item": items, "value": [_text(v) for v in g[column]]}))
    table = pd.concat([x for x in parts if len(x)], ignore_index=True)
    for column in KEY:
        if column not in table.columns:
            table[column] = None
    table = table[[*KEY, "value"]].astype(object)
    return table.where(table.notna(), None)


def _kind_name(kind: str, before, after) -> str:
    if kind == "indicator":
        if before is None:
            return "indicator added"
        if after is None:
            return "indicator removed"
        if after == "achieved":
            return "indicator achieved"
        if after == "off_track":
            return "indicator turned off track"
        if before in BAD_STATUSES and after in GOOD_STATUSES:
            return "indicator recovered"
        return "indicator status changed"
    if kind == "flag":
        return "flag raised" if before is None else "flag cleared" if after is None else "flag severity changed"
    if kind == "project":
        return "project entered the scope" if before is None else "project left the scope"
    return {
        "results": "results status changed",
        "burn": "burn status changed",
        "kpi": "KPI moved",
        "group": "group total moved",
    }[kind]


# the project columns whose movement can move a KPI or a group total, by what the figure counts
FIGURE_FIELDS: dict[str, tuple[str, ...]] = {
    "budget": ("budget_usd", "budget", "status", "start_date", "expenditure_reported", "managing_country"),
    "spent": ("spent_usd", "status", "start_date", "expenditure_reported", "managing_country"),
    "indicators": ("n_assessable", "n_on_track", "n_achieved"),
    "flags": ("flags", "n_flags_high"),
    "delivery": ("budget_usd", "spent_usd", "budget", "status", "start_date", "expenditure_reported"),
    "projects": ("status", "start_date", "managing_country"),
}


def figure_kind(item: str) -> str:
    """What a KPI or group total counts (a key of :data:`FIGURE_FIELDS`), from its name."""
    name = item.rsplit(" ", 1)[-1]
    if "indicator" in name:
        return "indicators"
    if "flag" in name:
        return "flags"
    if "delivery" in name:
        return "delivery"
    if "spent" in name:
        return "spent"
    if any(w in name for w in ("budget", "usd", "currencies")):
        return "budget"
    return "projects"


def _family(kind: str, item: str | None) -> str:
    """The family of causes that can move a figure (:data:`FAMILY`); ``item`` is the KPI or group
    total, or the flag code of a flag."""
    if kind == "flag":
        return FLAG_FAMILY.get(item or "", "any")
    if kind in ("indicator", "results"):
        return "results"
    if kind == "burn":
        return "money"
    if kind in ("kpi", "group"):
        return {"indicators": "results", "budget": "money", "spent": "money", "delivery": "money", "flags": "any"}.get(
            figure_kind(item or ""), "lifecycle"
        )
    return "any"


def _moved_projects(before: ReviewFigures, after: ReviewFigures) -> dict[str, set[str]]:
    """Figure kind (:data:`FIGURE_FIELDS`) → codes of the projects whose columns for it moved
    (projects in one set of figures only count as moved)."""
    b = before.projects.set_index("project_code")
    a = after.projects.set_index("project_code")
    both = b.index.intersection(a.index)
    only = set(b.index.symmetric_difference(a.index))
    moved: dict[str, set[str]] = {}
    for kind, columns in FIGURE_FIELDS.items():
        codes = set(only)
        for column in columns:
            if column in b.columns and column in a.columns:
                x, y = b.loc[both, column], a.loc[both, column]
                differs = ~((x == y) | (x.isna() & y.isna()))
                codes |= set(both[differs.to_numpy()])
        moved[kind] = codes
    return moved


def _within_family(causes: set[str], family: str) -> set[str]:
    allowed = FAMILY[family]
    if allowed is None:
        return set(causes)
    kept = causes & allowed
    return kept or set(causes)


SEP = "\x1f"  # joins the key columns into one text key (never in a code)


def _keyed(table: pd.DataFrame) -> pd.Series:
    """``value`` indexed by one text key made of the key columns (a join on one column of text is
    what keeps comparing 200,000 indicators quick)."""
    parts = [table[c].fillna("").astype(str) for c in KEY]
    key = parts[0].str.cat(parts[1:], sep=SEP)
    return pd.Series(table["value"].to_numpy(), index=key.to_numpy())


def _merged(left: pd.Series, right: pd.Series) -> pd.DataFrame:
    """Keys of ``left`` and ``right`` with their two values (``value_a``, ``value_b``; None when absent)."""
    keys = left.index.union(right.index)
    table = pd.DataFrame({"value_a": left.reindex(keys).to_numpy(), "value_b": right.reindex(keys).to_numpy()})
    table = table.astype(object).where(table.notna(), None)
    table.index = keys
    return table


def _differs(table: pd.DataFrame) -> pd.Series:
    """Rows whose two values differ (two unknowns are equal)."""
    a, b = table["value_a"], table["value_b"]
    return ~((a == b) | (a.isna() & b.isna()))


def _key_of(text: str) -> tuple:
    return tuple(part or None for part in text.split(SEP))


def _moved_milestones(before: ReviewFigures, after: ReviewFigures) -> set[tuple[str, str]]:
    """(project, indicator) whose milestone to date differs between the two sets of figures."""
    columns = ["project_code", "indicator_code", "milestone_to_date"]
    if "milestone_to_date" not in before.indicators.columns or "milestone_to_date" not in after.indicators.columns:
        return set()
    both = before.indicators[columns].merge(after.indicators[columns], on=columns[:2], suffixes=("_a", "_b"))
    a, b = both["milestone_to_date_a"], both["milestone_to_date_b"]
    moved = both[~((a == b) | (a.isna() & b.isna()))]
    return set(zip(moved["project_code"], moved["indicator_code"], strict=True))


def _started_between(after: ReviewFigures, first, last) -> set[str]:
    start = pd.to_datetime(after.projects["start_date"])
    between = (start > pd.Timestamp(first)) & (start <= pd.Timestamp(last))
    return set(after.projects.loc[between, "project_code"])


def _group_members(figures: list[ReviewFigures]) -> dict[str, set[str]]:
    """Group key ("region:ROAP") → project codes managed there (before or after)."""
    members: dict[str, set[str]] = {}
    for f in figures:
        for group_kind, column in (("region", "region"), ("country", "managing_country")):
            for code, group in zip(f.projects["project_code"], f.projects[column], strict=True):
                members.setdefault(f"{group_kind}:{group}", set()).add(code)
    return members


def changes(
    before: ReviewFigures,
    after: ReviewFigures,
    events: pd.DataFrame,
    *,
    settings_changed: bool,
    middle: ReviewFigures | None = None,
) -> pd.DataFrame:
    """Every compared figure that differs between ``before`` and ``after``, with its cause(s)
    (joined by "; "), sorted by kind, project, indicator, flag and item.

    ``events``: the stored changes of the data between the two (project_code, table, field,
    action, new). ``middle``: the later data evaluated with the earlier settings, when the settings
    differ and that can be computed (see the module docstring)."""
    b, a = _keyed(comparable(before)), _keyed(comparable(after))
    m = _keyed(comparable(middle)) if middle is not None else a
    rows = _merged(b, a)
    rows = rows[_differs(rows)]
    keys = pd.DataFrame([_key_of(k) for k in rows.index], columns=KEY, index=rows.index, dtype=object)
    rows = pd.concat([keys, rows], axis=1)
    data_moved = _merged(b, m)
    data_moved = {_key_of(k) for k in data_moved.index[_differs(data_moved).to_numpy()]}
    settings_moved = _merged(m, a)
    settings_moved = {_key_of(k) for k in settings_moved.index[_differs(settings_moved).to_numpy()]}
    per_project, general = causes_by_project(events)
    entered = set(rows.loc[(rows["kind"] == "project") & rows["value_a"].isna(), "project_code"])
    left = set(rows.loc[(rows["kind"] == "project") & rows["value_b"].isna(), "project_code"])
    moved_in_scope = entered | left
    rows = rows[(rows["kind"] == "project") | ~rows["project_code"].isin(moved_in_scope)]
    time_moved = before.as_of != after.as_of
    milestones = _moved_milestones(before, middle or after) if time_moved else set()
    started = _started_between(after, before.as_of, after.as_of) if time_moved and before.as_of < after.as_of else set()

    def project_causes(code: str, kind: str, indicator: str | None, flag: str | None) -> set[str]:
        """The project's stored causes of the figure's family; else what time did; else all of
        the project's causes (a figure no family rule foresaw still names what happened)."""
        own = per_project.get(code, set())
        allowed = FAMILY[_family(kind, flag)]
        found = set(own) if allowed is None else own & allowed
        if found:
            return found
        if kind == "burn" and general:
            return set(general)
        if not time_moved:
            return set(own)
        if code in started:
            return {PROJECT_STARTED}
        if kind == "indicator" and (code, indicator) in milestones:
            return {MILESTONE_DUE}
        return {TIME_PASSED}

    moved = _moved_projects(before, middle or after)
    members = _group_members([before, after])
    out = []
    for key, before_value, after_value in zip(
        map(tuple, rows[KEY].to_numpy()), rows["value_a"], rows["value_b"], strict=True
    ):
        kind, code, indicator, _flag, item = key
        causes: set[str] = set()
        if key in data_moved or middle is None:
            if kind == "project":
                causes = {ENTERED_SCOPE if before_value is None else LEFT_SCOPE}
            elif code is not None:
                causes = project_causes(code, kind, indicator, key[3])
            else:
                group = item.split(" ")[0] if kind == "group" else None
                codes = moved[figure_kind(item)]
                codes = codes if group is None else codes & members.get(group, set())
                family = _family(kind, item)
                pooled = (
                    set().union(*(_within_family(per_project.get(c, set()), family) for c in codes)) if codes else set()
                )
                pooled |= {ENTERED_SCOPE for c in codes if c in entered} | {LEFT_SCOPE for c in codes if c in left}
                pooled |= general
                causes = _within_family(pooled, _family(kind, item))
                if not causes and time_moved:
                    causes = {TIME_PASSED}
        if key in settings_moved and middle is not None:
            causes.add(SETTINGS_CHANGED)
        if settings_changed and middle is None:
            causes.add(SETTINGS_CHANGED)
        out.append(
            (
                _kind_name(kind, before_value, after_value),
                code,
                indicator,
                key[3],
                item,
                before_value,
                after_value,
                "; ".join(sorted(causes)) or UNEXPLAINED,
            )
        )
    table = pd.DataFrame(out, columns=list(CHANGE_COLUMNS))
    return table.sort_values(
        ["kind", "project_code", "indicator_code", "flag_code", "item"], kind="stable", na_position="first"
    ).reset_index(drop=True)
