"""``check``: a data-quality summary of the whole database, for the person who loads the data.

It prints the rows in every table (an import that silently wrote nothing shows as zeros) and the
projects that have no indicator at all (no results framework: nothing can be assessed). When the
monitoring package provides ``monitoring.quality.summary_lines(frames, as_of, settings)``
(DOMAIN.md section 8: lines of text), they are printed too, so the command line and the app
report the same issues.

Exit code 0 whenever the summary could be produced: finding issues is the point of the command,
not a failure. A missing or outdated schema is an error (run ``init``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util

from sqlalchemy import Connection, exists, func, select

from data_access import db
from data_access import models as m

HELP = "print a data-quality summary: rows per table, projects without indicators, quality issues"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        help="date the quality rules are evaluated at (YYYY-MM-DD, default today)",
    )
    parser.add_argument(
        "--list",
        type=int,
        default=10,
        metavar="N",
        help="list at most N project codes per issue (default 10)",
    )


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows per table, in dependency order (parents first)."""
    return {
        table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
        for table in m.Base.metadata.sorted_tables
    }


def projects_without_indicators(connection: Connection) -> list[str]:
    """Codes of projects with no indicator, sorted."""
    has_indicator = exists().where(m.Indicator.project_id == m.Project.id)
    return list(connection.execute(select(m.Project.code).where(~has_indicator).order_by(m.Project.code)).scalars())


def _listing(codes: list[str], limit: int) -> str:
    shown = ", ".join(codes[:limit])
    more = f" and {len(codes) - limit} more" if len(codes) > limit else ""
    return f" ({shown}{more})" if codes else ""


def _monitoring_quality_lines(as_of: dt.date) -> list[str]:
    """The section-8 summary from ``monitoring.quality`` when that module offers one."""
    if importlib.util.find_spec("monitoring.quality") is None:
        return []
    quality = importlib.import_module("monitoring.quality")
    summarise = getattr(quality, "summary_lines", None)
    if summarise is None:
        return []
    from data_access import queries
    from data_access.scope import ADMINISTRATOR, PortfolioFilter, Scope
    from monitoring.settings import load_settings

    frames = queries.load_portfolio(
        db.get_engine(), Scope.whole_organisation(ADMINISTRATOR), PortfolioFilter(as_of=as_of)
    )
    return list(summarise(frames, as_of, load_settings()))


def run(args: argparse.Namespace) -> int:
    engine = db.get_engine()
    db.require_current_schema(engine)
    with engine.connect() as connection:
        counts = row_counts(connection)
        missing = projects_without_indicators(connection)
    print(f"Database {db.describe(engine)} (schema {db.current_revision(engine)})")
    print("Rows per table:")
    width = max(len(name) for name in counts)
    for name, count in counts.items():
        print(f"  {name:<{width}}  {count:>10,}")
    print(f"Projects without indicators: {len(missing)}{_listing(missing, args.list)}")
    for line in _monitoring_quality_lines(args.as_of):
        print(line)
    return 0
