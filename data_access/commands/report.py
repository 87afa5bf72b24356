"""``report``: the dashboard's figures on the command line, from the same code path as the pages.

``python -m data_access report {indicators,projects,flags,markers,quality,recommendations,visits}
--as-of YYYY-MM-DD [--format csv|table] [--scope SCOPE] [--output FILE]``

``report recommendations``: the recommendations register of ``monitoring.recommendations`` (every
evaluation and audit recommendation in scope, closed projects included, most urgent first), the
same rows as the Recommendations page. ``report visits``: every project against the monitoring-visit
policy (``monitoring.visits.policy``: high-risk, last visit, days since, next due, overdue or due
soon, visits by type in the policy window, open follow-ups), the Visits page's table.

``report due``: the reporting periods whose report is due soon (within the reporting grace) or overdue
as of the date, per project and indicator, with the due date and days overdue, most overdue first
(``monitoring.reporting.reports_due``): a programme manager's to-do list, narrowed by ``--scope``.

``report history --project CODE [--field NAME]``: every recorded change of one project, newest first
(``data_access.history.project_history``: when, which import, who, which files, what, which row,
the field, before and after), the same table as the Project page's History tab.

The frames come from ``data_access.queries.load_portfolio`` and every figure from
``monitoring.evaluate.evaluate_portfolio`` — exactly what the pages call — so a number can be
checked, diffed between dates or loaded into a spreadsheet without trusting a screenshot.

* CSV (the default) is unrounded (Python's shortest exact repr of each float) with empty cells for
  unknown values: ``budget_usd`` is empty, never 0, when the currency has no exchange rate, and
  ``spent``, ``burn`` and ``forecast`` are empty when ``expenditure_reported`` is False (no
  expenditure row up to the as-of date: spending unknown; ``burn_status`` reads ``not_reported``).
* ``table`` rounds to 4 decimals for reading on a terminal only.
* Who is asking: without ``--as`` the server's administrator (the whole organisation);
  ``--as EMAIL`` a person of ``people`` (their scope, exactly what they see signed in);
  ``--scope`` narrows the administrator's view to ``region:ROAP``, ``country:KEN,UGA`` or
  ``projects:PX.0001,PX.0002``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys

import pandas as pd
from sqlalchemy import Engine

from data_access import db, models, people
from data_access.errors import InvalidInput
from data_access.formula_text import neutralise_frame
from data_access.history import project_history
from data_access.queries import load_portfolio, place_names, unknown_scope_codes
from data_access.scope import ADMINISTRATOR, PortfolioFilter, Scope, place_label
from monitoring.evaluate import INDICATOR_DEFINITION, PortfolioEvaluation, evaluate_portfolio
from monitoring.frames import PortfolioFrames
from monitoring.markers import aap_coverage, marker_distribution
from monitoring.recommendations import register
from monitoring.reporting import reports_due
from monitoring.settings import Settings, load_settings
from monitoring.visits import policy

HELP = (
    "print indicator, project, flag, marker, data-quality, recommendation or visit figures as of a date, the "
    "reports due or overdue, or a project's history of changes (CSV or a table)"
)
REPORTS = ("indicators", "projects", "flags", "markers", "quality", "recommendations", "visits", "due", "history")

INDICATOR_COLUMNS = (
    "project_code",
    *INDICATOR_DEFINITION,
    "actual_to_date",
    "progress",
    "expected_progress",
    "cutoff",
    "ratio",
    "status",
    "reason",
    "reports_due",
    "reports_overdue",
    "has_actual",
    "last_period_end",
    "actual_female",
    "status_female",
    "actual_male",
    "status_male",
)
PROJECT_COLUMNS = (
    "project_code",
    "title",
    "status",
    "managing_country",
    "region",
    "start_date",
    "end_date",
    "revised_end_date",
    "n_indicators",
    "n_assessable",
    "results_progress",
    "results_status",
    "results_status_female",
    "results_status_male",
    "currency",
    "budget",
    "expenditure_reported",
    "spent",
    "budget_usd",
    "spent_usd",
    "at_stake_usd",
    "burn",
    "elapsed",
    "planned_burn",
    "planned_basis",
    "burn_variance_pp",
    "burn_status",
    "avg_monthly_spend",
    "months_remaining",
    "forecast",
    "forecast_delivery",
    "forecast_status",
    "results_vs_spend",
    "me_share",
    "n_risks",
    "max_risk_score",
    "n_high_open",
    "completeness",
    "flags",
    "n_flags_high",
    "missing_rates",
    "finance_note",
)
FLAG_COLUMNS = ("project_code", "code", "severity", "message", "rule")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("report", choices=REPORTS, help="which figures to print")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        help="the date the figures are computed at (YYYY-MM-DD, default today)",
    )
    parser.add_argument(
        "--format",
        choices=("csv", "table"),
        default="csv",
        help="csv (unrounded, default) or an aligned table rounded for reading",
    )
    add_identity_arguments(parser)
    parser.add_argument("--output", "-o", help="write to this file instead of standard output")
    parser.add_argument("--project", help="history: the project code whose changes are listed")
    parser.add_argument("--field", help="history: only this field (e.g. title, status, amount, donors)")


def add_identity_arguments(parser: argparse.ArgumentParser, *, without: str | None = None) -> None:
    """``--as EMAIL`` or ``--scope SCOPE``: who the command acts as (``report``, ``import``...).

    Without either option a command acts as the server's administrator (the whole organisation),
    unless it says otherwise in ``without`` (``template``: the blank template): then ``args.scope``
    stays None when neither option is given, so the command can tell "nobody named" from an explicit
    ``--scope organisation``."""
    default = "the server's administrator (the whole organisation)" if without is None else without
    who = parser.add_mutually_exclusive_group()
    who.add_argument(
        "--as",
        dest="as_email",
        metavar="EMAIL",
        help="act as this person of the people table (their scope; imports are recorded under the email); "
        f"default: {default}",
    )
    who.add_argument(
        "--scope",
        default="organisation" if without is None else None,
        help="the administrator narrowed to: organisation"
        + (" (default)" if without is None else "")
        + ", region:CODES, country:ISO3S or projects:CODES (codes separated by commas)",
    )


def identity_argument(args: argparse.Namespace, engine: Engine) -> Scope:
    """The scope of ``--as EMAIL`` (``InvalidInput`` when they have no active access) or of ``--scope``."""
    if args.as_email:
        scope = people.resolve(engine, args.as_email)
        if scope is None:
            raise InvalidInput(
                f"--as {args.as_email!r}: no active person with this email in the people table; "
                "add them (people sheet or people.csv, imported without --as) or check the spelling"
            )
        return scope
    return scope_argument(args.scope, engine)


def scope_argument(text: str, engine: Engine) -> Scope:
    """``--scope`` as a :class:`Scope` whose every code names something stored (``InvalidInput``
    otherwise: a typo must not read as an empty portfolio). A view of places is labelled with their
    names, as the app labels it ("Chief of mission, Kenya"): the label titles packs and snapshots."""
    scope = parse_scope(text)
    unknown = unknown_scope_codes(engine, scope)
    if unknown:
        kind = text.partition(":")[0].strip().lower().rstrip("s")
        raise InvalidInput(f"--scope {text!r}: no {kind} {', '.join(unknown)} in the database; check the code")
    if not scope.place_bound:
        return scope
    part = "regions" if scope.regions else "countries"
    names = place_names(engine, scope)
    return dataclasses.replace(scope, label=place_label(part, [names[c] for c in getattr(scope, part)]))


def parse_scope(text: str) -> Scope:
    """``organisation`` or ``kind:CODE,CODE`` → the administrator's :class:`Scope` narrowed to
    those codes; anything else is ``InvalidInput``."""
    kind, _, codes = text.partition(":")
    kind = kind.strip().lower()
    if kind == "organisation" and not codes:
        return Scope.whole_organisation(ADMINISTRATOR)
    values = tuple(c.strip() for c in codes.split(",") if c.strip())
    parts = {"region": "regions", "country": "countries", "projects": "projects"}
    if kind not in parts or not values:
        raise InvalidInput(f"--scope {text!r}: use organisation, region:CODES, country:ISO3S or projects:CODES")
    return Scope(ADMINISTRATOR, **{parts[kind]: values})


def _present(table: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """The listed columns that the evaluation provides, in that order."""
    return table[[c for c in columns if c in table.columns]]


def markers_table(frames: PortfolioFrames, evaluation: PortfolioEvaluation) -> pd.DataFrame:
    """Projects and USD budget by marker code (every scheme in use) and by AAP commitment rating."""
    projects = evaluation.projects
    budget = projects[["project_id", "budget_usd"]]
    used = set(frames.markers["scheme"]) | {"IOM_GM"}
    parts = []
    for scheme in (s for s in models.MARKER_SCHEMES if s in used):
        table = marker_distribution(
            frames.markers, projects, budget, scheme, None, project_countries=frames.project_countries
        )
        parts.append(table.rename(columns={"code": "value"}).assign(kind="marker", item=scheme))
    aap = aap_coverage(frames.aap, projects, budget, None, project_countries=frames.project_countries)
    parts.append(aap.rename(columns={"commitment": "item", "rating": "value"}).assign(kind="aap"))
    out = pd.concat(parts, ignore_index=True)
    first = ["kind", "item", "value"]
    return out[first + [c for c in out.columns if c not in first]]


def quality_table(evaluation: PortfolioEvaluation) -> pd.DataFrame:
    """Data-quality issues (indicator and project level) with the project and indicator codes in front."""
    projects = evaluation.projects[["project_id", "project_code"]]
    indicators = evaluation.indicators[["indicator_id", "indicator_code"]]
    table = (
        evaluation.quality.merge(projects, on="project_id", how="left")
        .merge(indicators, on="indicator_id", how="left")
        .sort_values(["project_code", "level", "indicator_code", "issue"], kind="stable", na_position="first")
    )
    first = ["project_code", "indicator_code", "level", "issue", "message"]
    return table[first + [c for c in table.columns if c not in first]]


def build_report(
    name: str, frames: PortfolioFrames, evaluation: PortfolioEvaluation, settings: Settings | None = None
) -> pd.DataFrame:
    """The table of one report (sorted by project code, then the item's own code; the
    recommendations register most urgent first, as on its page)."""
    if name == "indicators":
        return _present(evaluation.indicators, INDICATOR_COLUMNS).sort_values(
            ["project_code", "indicator_code"], kind="stable"
        )
    if name == "projects":
        return _present(evaluation.projects, PROJECT_COLUMNS).sort_values("project_code", kind="stable")
    if name == "flags":
        return _present(evaluation.flags, FLAG_COLUMNS)
    if name == "markers":
        return markers_table(frames, evaluation)
    if name == "quality":
        return quality_table(evaluation)
    if name == "recommendations":
        table = register(frames.recommendations, frames.projects, evaluation.as_of, settings or Settings())
        return table.drop(columns="project_id")
    if name == "visits":
        table = policy(frames.projects, frames.visits, frames.risks, evaluation.as_of, settings or Settings())
        return table.drop(columns="project_id")
    raise InvalidInput(f"unknown report {name!r}; choose one of {', '.join(REPORTS)}")


def render(table: pd.DataFrame, fmt: str) -> str:
    """CSV unrounded (empty cells for unknowns) or a table rounded to 4 decimals."""
    if fmt == "csv":
        return neutralise_frame(table).to_csv(index=False, lineterminator="\n")
    if table.empty:
        return "(no rows)\n"
    return table.to_string(index=False, float_format=lambda x: f"{x:.4f}", na_rep="") + "\n"


def settings():
    """``settings.toml`` applied; a bad file is a user error (one line), not a traceback."""
    try:
        return load_settings()
    except (ValueError, OSError) as error:
        raise InvalidInput(f"settings: {error}") from error


def history_report(engine: Engine, scope: Scope, project: str | None, field: str | None) -> pd.DataFrame:
    """``report history``: :func:`data_access.history.project_history` of one project."""
    if not project:
        raise InvalidInput("report history needs --project CODE (the project whose changes are listed)")
    with engine.connect() as connection:
        return project_history(connection, scope, project, field)


def due_report(frames: PortfolioFrames, as_of: dt.date, settings: Settings) -> pd.DataFrame:
    """``report due``: :func:`monitoring.reporting.reports_due` without the internal ids."""
    table = reports_due(
        frames.indicators, frames.targets, frames.actuals, frames.projects, as_of, settings.reporting_grace_days
    )
    return table.drop(columns=["project_id", "indicator_id"])


def run(args: argparse.Namespace) -> int:
    engine = db.get_engine(create=False)
    scope = identity_argument(args, engine)
    if args.report == "history":
        table = history_report(engine, scope, args.project, args.field)
    elif args.report == "due":  # no evaluation needed: the periods, actuals and project dates say it
        frames = load_portfolio(engine, scope, PortfolioFilter(as_of=args.as_of))
        table = due_report(frames, args.as_of, settings())
    else:
        frames = load_portfolio(engine, scope, PortfolioFilter(as_of=args.as_of))
        settings_in_force = settings()
        evaluation = evaluate_portfolio(frames, args.as_of, settings_in_force)
        table = build_report(args.report, frames, evaluation, settings_in_force)
    text = render(table.reset_index(drop=True), args.format)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0
