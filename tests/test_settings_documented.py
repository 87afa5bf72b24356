"""Every setting is documented (README table, settings.toml.example) and settings.toml really applies.

Pattern of datasette's ``test_docs.py``: the documentation is parsed, not trusted.
"""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from monitoring.settings import Settings, load_settings, setting_help

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^\|\s*`(?P<name>[a-z_]+)`\s*\|\s*`(?P<default>[^`]*)`\s*\|\s*(?P<help>.+?)\s*\|\s*$")


def _section(text: str, heading: str) -> str:
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + len(heading))
    return text[start:] if end == -1 else text[start:end]


def readme_table() -> dict[str, tuple[str, str]]:
    section = _section((ROOT / "README.md").read_text(encoding="utf-8"), "## Settings")
    rows = {}
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            rows[match["name"]] = (match["default"], match["help"])
    return rows


def _toml_literal(value) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


@pytest.mark.parametrize("field", fields(Settings), ids=lambda f: f.name)
def test_every_setting_is_in_the_readme_table_with_default_and_help(field):
    table = readme_table()
    assert field.name in table, f"README '## Settings' table lacks `{field.name}`"
    default, help_text = table[field.name]
    assert default == _toml_literal(field.default)
    assert help_text == setting_help()[field.name]


def test_readme_documents_no_setting_that_does_not_exist():
    assert set(readme_table()) == {f.name for f in fields(Settings)}


def test_example_file_lists_every_setting_at_its_default():
    example = ROOT / "settings.toml.example"
    assert load_settings(example) == Settings()
    text = example.read_text(encoding="utf-8")
    for field in fields(Settings):
        assert re.search(rf"^{field.name} = ", text, re.MULTILINE), field.name


def test_overrides_are_applied(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(
        'on_track_min = 0.9\nexpected_path = "none"\nforecast_months = 6\nunderspending_below_pp = -20\n',
        encoding="utf-8",
    )
    loaded = load_settings(path)
    assert loaded.on_track_min == 0.9
    assert loaded.expected_path == "none"
    assert loaded.forecast_months == 6
    assert loaded.underspending_below_pp == -20.0 and isinstance(loaded.underspending_below_pp, float)
    assert loaded.off_track_below == Settings().off_track_below  # untouched


def test_environment_variable_points_at_the_file(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.toml"
    path.write_text("risk_high_min = 16\n", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_SETTINGS", str(path))
    assert load_settings().risk_high_min == 16


def test_no_file_means_defaults(tmp_path):
    assert load_settings(tmp_path / "absent.toml") == Settings()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("on_track_mni = 0.9\n", "unknown setting(s) on_track_mni"),
        ("forecast_months = 2.5\n", "forecast_months = 2.5 is not a int"),
        ('on_track_min = "high"\n', "on_track_min = 'high' is not a float"),
        ("expected_path = 1\n", "expected_path = 1 is not a str"),
        ("stale_data_days = true\n", "stale_data_days = True is not a int"),
        ('expected_path = "milestones"\n', "expected_path must be 'linear' or 'none'"),
        ("off_track_below = 0.9\n", "off_track_below must not exceed on_track_min"),
        ("forecast_months = 0\n", "forecast_months must be at least 1"),
        ("risk_medium_min = 16\n", "risk bands need"),
    ],
)
def test_bad_settings_are_refused(tmp_path, content, message):
    path = tmp_path / "settings.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as error:
        load_settings(path)
    assert message in str(error.value)
