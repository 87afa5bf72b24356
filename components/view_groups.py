"""Which countries and regions a page may list as rows, for the scope and filters in force.

A chief of mission also sees multi-country projects *implemented* in the country but managed
elsewhere (``data_access.scope``). Those projects are in the view, but a table "by country" built
from them would show rows for the other countries they work in (their share of the money) or
manage them from. Decision: group rows are limited to the countries (regions) inside the view —
the scope's own countries, narrowed by the sidebar's country and region filters. The totals of the
page still include the whole of every visible project; only the rows of other places are not shown.
A programme manager's scope (a list of projects) and leadership have no place limit (``None``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_access.scope import PortfolioFilter, Scope


@dataclass(frozen=True)
class PlacesInView:
    countries: frozenset[str] | None  # None: every country may be listed
    regions: frozenset[str] | None

    def keep(self, table: pd.DataFrame, column: str, by: str) -> pd.DataFrame:
        """Rows of ``table`` whose ``column`` (a country or region code, per ``by``) is in view."""
        allowed = self.countries if by == "managing_country" else self.regions
        if allowed is None:
            return table
        return table.loc[table[column].isin(allowed)].reset_index(drop=True)


def country_regions(projects: pd.DataFrame, project_countries: pd.DataFrame) -> dict[str, str]:
    """ISO3 → region code of every country the frames mention."""
    mapping = dict(zip(project_countries["country"], project_countries["region"], strict=True))
    mapping.update(zip(projects["managing_country"], projects["region"], strict=True))
    return {k: v for k, v in mapping.items() if isinstance(k, str) and isinstance(v, str)}


def place_names(projects: pd.DataFrame, project_countries: pd.DataFrame) -> dict[str, str]:
    """ISO3 → country name of every country the frames mention (a project's managing country wins)."""
    names = dict(zip(project_countries["country"], project_countries["country_name"], strict=True))
    names.update(zip(projects["managing_country"], projects["managing_country_name"], strict=True))
    return names


def money_place(codes: tuple[str, ...] | None, names: dict[str, str]) -> str | None:
    """How the money cards name the countries money is attributed to ("Kenya", "Kenya and Uganda",
    "8 countries in view"); ``None`` when the view has no country boundary (projects count in full).
    The Portfolio and Finance cards say it alike: a chief of mission's Budget is the country's share
    of its projects, less than the sum of the whole budgets the tables list."""
    if codes is None:
        return None
    if len(codes) <= 2:
        return " and ".join(str(names.get(c, c)) for c in codes) or "no country"
    return f"{len(codes)} countries in view"


def places_in_view(scope: Scope, flt: PortfolioFilter, region_of: dict[str, str]) -> PlacesInView:
    """The countries and regions that may appear as rows (see the module docstring)."""
    countries: set[str] | None = None
    if scope.place_bound:
        countries = set(scope.countries) | {c for c, r in region_of.items() if r in scope.regions}
    if flt.regions:
        in_regions = {c for c, r in region_of.items() if r in flt.regions}
        countries = in_regions if countries is None else countries & in_regions
    if flt.countries:
        countries = set(flt.countries) if countries is None else countries & set(flt.countries)
    if countries is None:
        return PlacesInView(None, None)
    regions = {region_of[c] for c in countries if c in region_of}
    return PlacesInView(frozenset(countries), frozenset(regions))
