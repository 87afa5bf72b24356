"""Breakdown categories that are conventions rather than code lists.

Stored breakdown categories are free text (IATI publishes many age bands: "Age (-18/18+)", "Edad"),
so these are defaults, not CHECK lists: the age bands the Project page offers for a sex-and-age
indicator that has no age breakdown yet, and that the sample portfolio reports.
"""

from __future__ import annotations

AGE_BANDS = ("0-17", "18-59", "60+")
