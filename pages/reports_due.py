"""Reports due (programme managers, chiefs of mission): which reports are due soon or overdue?

Counts → every reporting period ended by the as-of date whose report is not in, most overdue first,
with its due date (``monitoring.reporting.reports_due``; rendering in ``components.reports_due_view``).
"""

from __future__ import annotations

from components import reports_due_view
from components.frame import page_context

ctx = page_context()
ctx.heading("Reports due")
reports_due_view.show(ctx)
