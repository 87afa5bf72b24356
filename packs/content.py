"""What a review pack says, as plain data: :func:`build_pack` turns review figures (a snapshot's or
today's, :class:`monitoring.review.ReviewFigures`) and the changes since an earlier snapshot into a
:class:`Pack` of sections, tables and charts, every number already written for people. The
PowerPoint and PDF writers (:mod:`packs.pptx`, :mod:`packs.pdf`) only lay it out, so both files say
the same thing and a test reads the words here without opening either.

Decisions:

* **For people, never raw fractions**: percentages ("62%"), money in USD with thousands, millions or
  billions ("USD 45.9M"), counts with thousands separators, dates as everywhere in the app,
  "31 Oct 2026" (``monitoring.dates.date_text``: the title page too, one convention), codes as
  words (``components.labels``). Imported text (titles, reasons, risk descriptions) is data, never
  markup (ARCHITECTURE.md 17): the writers put it in text runs and cells as it is.
* **Only the figures given**: a pack reads nothing but ``figures`` and ``changes``, both computed
  for the reader's scope, so nothing outside the scope can appear.
* **Ranked and cut**: each table shows the first rows by what matters (money at stake, risk score)
  and says how many there are in all; the dashboard and ``report`` have the full lists.
* **Money at stake** of a problem project is its current approved budget in USD: what the
  organisation answers for to the donor if results or spending go wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from components.charts_project import money, pct
from components.labels import AAP_COMMITMENT_LABELS, code_label, flag_label, marker_code_meaning
from monitoring.dates import date_text
from monitoring.review import GENDER_SCHEME, ReviewFigures

TOP = 12
PROBLEM_FLAGS_SEVERITY = "high"
# the longest text a table cell holds (the writers wrap it; beyond this it is cut with "…")
WIDTH = {"title": 70, "name": 70, "what": 70, "reason": 220, "comment": 160, "message": 160, "description": 90}


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""  # "Top 12 of 40 ..."


@dataclass(frozen=True)
class Chart:
    """A bar chart: one bar per category and series (values as shares when ``percent``)."""

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    percent: bool = False
    stacked: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...] = ()
    table: Table | None = None
    chart: Chart | None = None


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    detail: str


@dataclass(frozen=True)
class Pack:
    title: str
    subtitle: str
    kpis: tuple[Kpi, ...]
    sections: tuple[Section, ...]

    def text(self) -> str:
        """Every word of the pack, one line each (what a reader of either file can find)."""
        out = [self.title, self.subtitle]
        out += [f"{k.label} {k.value} {k.detail}" for k in self.kpis]
        for s in self.sections:
            out += [s.title, *s.lines]
            if s.table:
                out += [" ".join(s.table.columns), *(" ".join(r) for r in s.table.rows), s.table.note]
        return "\n".join(out)


def count(n) -> str:
    return f"{int(n):,}"


def usd(amount) -> str:
    return money(None if amount is None else float(amount), "USD")


def share(value) -> str:
    return pct(None if value is None or pd.isna(value) else float(value))


def words(code) -> str:
    """A status code in words ("off_track" → "Off track"); missing → "–"."""
    if code is None or (isinstance(code, float) and pd.isna(code)) or code is pd.NA or code == "":
        return "–"
    return str(code).replace("_", " ").capitalize()


def cut(text, width: int) -> str:
    text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _note(shown: int, total: int, what: str) -> str:
    return f"The first {shown} of {total:,} {what}." if total > shown else ""


def _tabled(
    title: str, lines: tuple[str, ...], table: Table, empty: str, chart: Chart | None = None, *, keep: bool = False
) -> Section:
    """The section with its table, or, when the table has no row, a sentence saying so in place of
    an empty table (``keep``: with the lines, when they still say something without rows). A chart
    with no bar is left out: PowerPoint cannot draw one and the PDF drew a title over nothing."""
    if chart is not None and not chart.categories:
        chart = None
    if table.rows:
        return Section(title, lines, table, chart)
    return Section(title, (lines if keep else ()) + (empty,), None, chart)


def _tally(label: str, counts, then: str = "") -> str:
    """ "Forecast: on target 12; underspending 3 projects; largest money gap first.", or "Forecast:
    no project." when nothing was counted (an empty portfolio printed "Forecast:  projects;")."""
    counted = "; ".join(f"{words(status)} {int(n):,}" for status, n in counts)
    return f"{label}: {counted} projects{then}." if counted else f"{label}: no project."


# ---- sections ------------------------------------------------------------------------------------
def kpi_cards(k: dict) -> tuple[Kpi, ...]:
    budget = k.get("budget_usd")
    return (
        Kpi("Active projects", count(k.get("active_projects", 0)), f"of {count(k.get('projects', 0))} in scope"),
        Kpi("Budget", usd(budget), "started projects reporting spending"),
        Kpi("Spent", usd(k.get("spent_usd")), f"delivery {share(k.get('delivery_rate'))}"),
        Kpi(
            "Indicators on track",
            share(k.get("indicators_on_track_or_achieved_share")),
            f"{count(k.get('indicators_on_track_or_achieved', 0))} on track or achieved "
            f"of {count(k.get('assessable_indicators', 0))} assessable",
        ),
        Kpi("Projects with a high flag", count(k.get("projects_with_high_flag", 0)), "need attention"),
        Kpi("Flags", count(k.get("flags", 0)), "early-warning signals raised"),
    )


KIND_ORDER = (
    "project entered the scope",
    "project left the scope",
    "indicator turned off track",
    "flag raised",
    "results status changed",
    "burn status changed",
    "indicator achieved",
    "indicator recovered",
    "flag cleared",
    "indicator status changed",
    "flag severity changed",
    "indicator added",
    "indicator removed",
    "KPI moved",
    "group total moved",
)
KPI_WORDS = {
    "active_projects": "Active projects",
    "budget_usd": "Budget (USD)",
    "spent_usd": "Spent (USD)",
    "delivery_rate": "Delivery",
    "indicators_on_track_or_achieved_share": "Indicators on track",
    "projects_with_high_flag": "Projects with a high flag",
    "flags": "Flags",
}


def _kpi_value(item: str, value) -> str:
    if value is None or value == "":
        return "–"
    if item.endswith("_share") or item.endswith("delivery") or item == "delivery_rate":
        return share(float(value))
    if "usd" in item:
        return usd(float(value))
    try:
        return count(float(value))
    except ValueError:
        return str(value)


def _change_row(r, names: dict) -> tuple[str, ...]:
    what = (flag_label(r.flag_code) if r.flag_code else None) or r.item or ""
    if r.indicator_code:
        what = f"{r.indicator_code} {names.get((r.project_code, r.indicator_code), '')}"
    if r.kind == "KPI moved":
        what = KPI_WORDS.get(r.item, words(r.item))
        before, after = _kpi_value(r.item, r.before), _kpi_value(r.item, r.after)
    elif r.kind == "group total moved":
        before, after = _kpi_value(r.item, r.before), _kpi_value(r.item, r.after)
    else:
        before, after = words(r.before), words(r.after)
    return (
        r.kind[0].upper() + r.kind[1:],
        r.project_code or "–",
        cut(what, WIDTH["what"]),
        f"{before} → {after}",
        r.cause,
    )


def changes_section(changes: pd.DataFrame | None, since: str | None, figures: ReviewFigures) -> Section:
    title = "What changed and why"
    if changes is None:
        return Section(title, ("No earlier snapshot of this scope to compare with: freeze one for the next review.",))
    if changes.empty:
        return Section(title, (f"Nothing changed since {since}.",))
    table = changes.astype(object).where(changes.notna(), None)
    kpis = table[(table["kind"] == "KPI moved") & table["item"].isin(list(KPI_WORDS))]
    detail = table[~table["kind"].isin(["KPI moved", "group total moved"])]
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    budget = dict(zip(figures.projects["project_code"], figures.projects["budget_usd"], strict=True))
    detail = detail.assign(
        _o=detail["kind"].map(order).fillna(len(order)), _b=detail["project_code"].map(budget).fillna(0).astype(float)
    ).sort_values(["_o", "_b", "project_code"], ascending=[True, False, True])
    i = figures.indicators
    names = dict(zip(zip(i["project_code"], i["indicator_code"], strict=True), i["name"], strict=True))
    shown = pd.concat([kpis, detail]).head(TOP)
    causes = table["cause"].str.split("; ").explode().value_counts()
    lines = (
        f"Since {since}: {count(len(detail))} changes to projects, indicators and flags, "
        f"{count((table['kind'] == 'KPI moved').sum())} KPI movements; the largest budgets first.",
        "By cause: " + "; ".join(f"{cause} {n:,}" for cause, n in causes.items()) + ".",
    )
    rows = tuple(_change_row(r, names) for r in shown.itertuples(index=False))
    note = _note(len(shown), len(kpis) + len(detail), "changes (python -m data_access changes --since lists them all)")
    return Section(title, lines, Table(("Change", "Project", "What", "Before → after", "Cause"), rows, note))


def problems_section(f: ReviewFigures) -> Section:
    p = f.projects
    high = set(f.flags.loc[f.flags["severity"] == PROBLEM_FLAGS_SEVERITY, "project_code"])
    problems = p[(p["results_status"] == "off_track") | p["project_code"].isin(high)]
    problems = problems.sort_values("budget_usd", ascending=False, na_position="last")
    high_flags = (
        f.flags[f.flags["severity"] == PROBLEM_FLAGS_SEVERITY]
        .groupby("project_code")["code"]
        .agg(lambda codes: ", ".join(flag_label(c) for c in sorted(codes)))
    )
    rows = tuple(
        (
            r.project_code,
            cut(r.title, WIDTH["title"]),
            usd(r.budget_usd),
            words(r.results_status),
            words(r.burn_status),
            cut(high_flags.get(r.project_code, "–"), WIDTH["message"]),
        )
        for r in problems.head(TOP).itertuples(index=False)
    )
    at_stake = problems["budget_usd"].sum()
    lines = (
        f"{count(len(problems))} projects with results off track or a high flag, "
        f"{usd(at_stake)} of budget at stake; largest budget first.",
    )
    columns = ("Project", "Title", "Budget", "Results", "Burn", "High flags")
    return _tabled(
        "Problems ranked by money at stake",
        lines,
        Table(columns, rows, _note(len(rows), len(problems), "projects")),
        "No project has results off track or a high flag.",
    )


def off_track_section(f: ReviewFigures) -> Section:
    """Off-track indicators with the reason for their status and, beside it, the latest comment the
    programme manager reported with a period of the indicator (``monitoring.comments``; frozen in
    the snapshot, so a pack of a snapshot says what was said then). A snapshot frozen before
    comments were kept has none to show, like an indicator nobody commented: "–"."""
    i = f.indicators
    if "comment" not in i.columns:
        i = i.assign(comment=None)
    off = i[i["status"] == "off_track"].merge(f.projects[["project_code", "budget_usd"]], on="project_code", how="left")
    off = off.sort_values(["budget_usd", "project_code", "indicator_code"], ascending=[False, True, True])
    assessable = int(i["status"].isin(["achieved", "on_track", "at_risk", "off_track"]).sum())
    rows = tuple(
        (
            r.project_code,
            r.indicator_code,
            cut(r.name, WIDTH["name"]),
            share(r.progress),
            share(r.expected_progress),
            cut(r.reason, WIDTH["reason"]),
            cut(r.comment, WIDTH["comment"]) or "–",
        )
        for r in off.head(TOP).itertuples(index=False)
    )
    commented = int(off["comment"].notna().sum())
    lines = (
        f"{count(len(off))} of {count(assessable)} assessable indicators are off track; "
        "projects with the largest budget first.",
        f"Beside each reason, the latest comment reported with the indicator ({count(commented)} of the "
        f"{count(len(off))} have one).",
    )
    columns = ("Project", "Indicator", "Name", "Progress", "Expected", "Reason", "Latest comment")
    return _tabled(
        "Off-track indicators and why",
        lines,
        Table(columns, rows, _note(len(rows), len(off), "indicators")),
        f"None of the {count(assessable)} assessable indicators is off track.",
    )


BURN_ORDER = ("underspending", "on_pace", "overspending", "over_budget", "not_started", "not_reported")


def _projects_here(managed: object, shared: object) -> str:
    """ "3", "3 + 2 shared" or "2 shared": projects managed here, and those managed elsewhere with a share here."""
    managed, shared = (int(n) if pd.notna(n) else 0 for n in (managed, shared))
    if not shared:
        return count(managed)
    return f"{count(shared)} shared" if not managed else f"{count(managed)} + {count(shared)} shared"


def money_section(f: ReviewFigures) -> Section:
    k, p = f.kpis, f.projects
    groups = f.groups
    kind = "country" if groups["group_kind"].eq("country").sum() <= 12 and len(groups) else "region"
    rows_table = groups[groups["group_kind"] == kind].sort_values("budget_usd", ascending=False, na_position="last")
    # a multi-country project counts under its managing country and shares its money among its
    # countries (DOMAIN.md 1): a partner country shows its money, and the projects sharing it, not "0"
    rows_table = rows_table.assign(n_shared=rows_table.get("n_shared", 0))  # a snapshot frozen before it had none
    rows = tuple(
        (str(r.group), _projects_here(r.n_projects, r.n_shared), usd(r.budget_usd), usd(r.spent_usd), share(r.delivery))
        for r in rows_table.head(TOP).itertuples(index=False)
    )
    burn = p["burn_status"].fillna("not_reported").value_counts()
    categories = tuple(s for s in BURN_ORDER if s in burn.index) + tuple(s for s in burn.index if s not in BURN_ORDER)
    chart = Chart(
        "Projects by burn against plan",
        tuple(words(c) for c in categories),
        (("Projects", tuple(float(burn[c]) for c in categories)),),
    )
    lines = (
        f"Budget {usd(k.get('budget_usd'))}, spent {usd(k.get('spent_usd'))}: delivery {share(k.get('delivery_rate'))} "
        "of started projects that report spending. A multi-country project counts under its managing "
        'country; its money is shared among its countries ("shared": managed elsewhere, with money here).',
        _tally("Burn against plan", ((c, int(burn[c])) for c in categories)),
    )
    columns = ("Country" if kind == "country" else "Region", "Projects", "Budget", "Spent", "Delivery")
    return _tabled(
        "Money: burn against plan",
        lines,
        Table(columns, rows, _note(len(rows), len(rows_table), "countries" if kind == "country" else "regions")),
        "No project money to total by place.",
        chart,
        keep=True,
    )


def forecast_section(f: ReviewFigures) -> Section:
    p = f.projects
    off = p[
        p["forecast_status"].notna()
        & ~p["forecast_status"].isin(["on_target", "not_started", "not_reported", "undefined"])
    ]
    off = off.assign(gap=(off["forecast_delivery"] - 1).abs() * off["budget_usd"].fillna(0))
    off = off.sort_values("gap", ascending=False)
    rows = tuple(
        (
            r.project_code,
            cut(r.title, WIDTH["title"]),
            usd(r.budget_usd),
            share(r.burn),
            share(r.planned_burn),
            share(r.forecast_delivery),
            words(r.forecast_status),
        )
        for r in off.head(TOP).itertuples(index=False)
    )
    statuses = p["forecast_status"].value_counts()
    lines = (
        "Forecast at close = spent + average monthly spending of the last three months × months remaining.",
        _tally("Forecast", statuses.items(), "; largest money gap first"),
    )
    columns = ("Project", "Title", "Budget", "Burn", "Planned", "Forecast", "Status")
    return _tabled(
        "Money: forecast at close",
        lines,
        Table(columns, rows, _note(len(rows), len(off), "projects")),
        "No project is forecast to close away from its budget.",
        keep=True,
    )


def reviewed_by(value, as_of: dt.date) -> str:
    """A risk's last review as of the pack's date: "–" when none is known on or before it. Figures
    frozen since ``data_access.snapshots.reviews_by`` hold no later review; a snapshot frozen
    before it does (today's register read for an earlier date), and those are not shown either."""
    return "–" if pd.isna(value) or pd.Timestamp(value) > pd.Timestamp(as_of) else date_text(value)


def risks_section(f: ReviewFigures) -> Section:
    r = f.risks
    open_risks = r[r["status"] == "open"].sort_values(["score", "project_code"], ascending=[False, True])
    high = open_risks[open_risks["level"] == "high"]
    rows = tuple(
        (
            x.project_code,
            str(x.risk_code),
            cut(x.description, WIDTH["description"]),
            code_label("RISK_CATEGORIES", x.category),
            count(x.score),
            reviewed_by(x.last_reviewed, f.as_of),
            "yes" if isinstance(x.mitigation, str) and x.mitigation.strip() else "none",
        )
        for x in open_risks.head(TOP).itertuples(index=False)
    )
    lines = (
        f"{count(len(high))} open high risks in {count(high['project_code'].nunique())} projects, "
        f"{count(len(open_risks))} open risks in all; highest score first.",
        f"Last reviewed: the last review on or before {date_text(f.as_of)} (“–”: none recorded by then).",
    )
    columns = ("Project", "Risk", "Description", "Category", "Score", "Last reviewed", "Mitigation")
    return _tabled(
        "Risks",
        lines,
        Table(columns, rows, _note(len(rows), len(open_risks), "open risks")),
        "No open risk in the register.",
    )


def recommendations_section(f: ReviewFigures) -> Section:
    overdue = f.flags[f.flags["code"] == "RECOMMENDATIONS_OVERDUE"].sort_values("project_code")
    rows = tuple((x.project_code, cut(x.message, WIDTH["message"])) for x in overdue.head(TOP).itertuples(index=False))
    lines = (f"{count(len(overdue))} projects with evaluation or audit recommendations open past their due date.",)
    return _tabled(
        "Overdue recommendations",
        lines,
        Table(("Project", "Overdue recommendations"), rows, _note(len(rows), len(overdue), "projects")),
        "No evaluation or audit recommendation is open past its due date.",
    )


def quality_section(f: ReviewFigures) -> Section:
    q = f.quality.sort_values("n", ascending=False)
    rows = tuple(
        (code_label("QUALITY_ISSUES", x.issue), words(x.level), count(x.n)) for x in q.head(TOP).itertuples(index=False)
    )
    completeness = f.projects["completeness"].mean() if "completeness" in f.projects else None
    lines = (f"Average completeness of the projects' results data: {share(completeness)}.",)
    return _tabled(
        "Data quality",
        lines,
        Table(("Issue", "Level", "Count"), rows, _note(len(rows), len(q), "kinds of issue")),
        "No data-quality issue found.",
        keep=True,
    )


def coverage_section(f: ReviewFigures) -> Section:
    m = f.markers
    gender = m[m["marker"] == GENDER_SCHEME]
    rows = tuple(
        (
            marker_code_meaning(GENDER_SCHEME, x.code),
            count(x.n_projects),
            share(x.share_projects),
            share(x.share_budget),
        )
        for x in gender.itertuples(index=False)
    )
    aap = m[m["marker"].str.startswith("AAP:")]
    commitments = tuple(dict.fromkeys(aap["marker"]))
    ratings = ("met", "partly", "not_met")
    series = tuple(
        (
            words(rating).replace("Partly", "Partly met"),
            tuple(
                float(aap.loc[(aap["marker"] == c) & (aap["code"] == rating), "share_projects"].sum())
                for c in commitments
            ),
        )
        for rating in ratings
    )
    labels = tuple(AAP_COMMITMENT_LABELS.get(c.split(":", 1)[1], words(c.split(":", 1)[1])) for c in commitments)
    lines = ("Gender marker (IOM): projects and budget by code. AAP: share of projects meeting each commitment.",)
    return _tabled(
        "Coverage of gender and AAP",
        lines,
        Table(("Gender marker", "Projects", "Share of projects", "Share of budget"), rows),
        "No project carries the IOM gender marker.",
        Chart("AAP commitments: share of projects", labels, series, percent=True, stacked=True),
        keep=True,
    )


def build_pack(
    figures: ReviewFigures,
    changes: pd.DataFrame | None,
    *,
    scope_label: str,
    snapshot: str | None,
    since: str | None,
) -> Pack:
    """The pack of ``figures`` (the reader's scope) with ``changes`` since the snapshot described
    by ``since`` (``None``: no earlier snapshot). ``snapshot`` describes the snapshot the figures
    come from ("snapshot 12 “Q3 2026 review”"), ``None`` for today's data."""
    source = snapshot or "today's data (not a frozen snapshot)"
    return Pack(
        title=f"Portfolio review: {scope_label}",
        subtitle=f"As of {date_text(figures.as_of)} · {source}",
        kpis=kpi_cards(figures.kpis),
        sections=(
            changes_section(changes, since, figures),
            problems_section(figures),
            off_track_section(figures),
            money_section(figures),
            forecast_section(figures),
            risks_section(figures),
            recommendations_section(figures),
            quality_section(figures),
            coverage_section(figures),
        ),
    )
