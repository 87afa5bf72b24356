"""Downloads people can use and printing that keeps pages whole (issue 13 item 4), in a real browser.

The Excel button of the Portfolio page's projects table is clicked with a country filter in the URL,
and the file the browser receives is read back with openpyxl: the title line names the table, the
view and the as-of date, the second line the filter, the header is frozen, shares are fractions
formatted as percentages. The page is then printed to PDF (print media, as the browser's print) with
"Tables on paper" on (``?print=1``) and the PDF's text must hold the KPI labels unbroken and the
table's header and rows from the plain copy that replaces the canvas grid on paper; without it, the
paper says how to get the copies. The PDFs are kept beside the screenshots.
"""

from __future__ import annotations

import openpyxl
import pytest
from pypdf import PdfReader

from tests.e2e.pages import error_texts, wait_until_idle

pytestmark = pytest.mark.e2e


@pytest.fixture
def portfolio(browser, sample_server):
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{sample_server.url}/?country=AFG", wait_until="domcontentloaded")
    wait_until_idle(page)
    yield page
    context.close()


def test_the_excel_download_has_a_title_formats_and_a_frozen_header(portfolio, tmp_path):
    assert error_texts(portfolio) == []
    with portfolio.expect_download(timeout=120_000) as download:
        portfolio.locator('[data-testid="stDownloadButton"] button', has_text="Excel").first.click()
    path = tmp_path / "portfolio-projects.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value.startswith("Portfolio projects · Leadership (whole organisation) · as of ")
    assert sheet["A2"].value == "Filters: Country: Afghanistan (AFG)"
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["Project", "Results", "Finance", "Burn"]
    assert sheet.freeze_panes == "A4"
    burn = sheet.cell(row=4, column=header.index("Burn") + 1)
    assert isinstance(burn.value, float) and 0 <= burn.value <= 5 and burn.number_format == "0.0%"


def test_printing_keeps_labels_whole_and_prints_the_table(portfolio, sample_server, screenshots):
    portfolio.goto(f"{sample_server.url}/?country=AFG&print=1", wait_until="domcontentloaded")  # "Tables on paper"
    wait_until_idle(portfolio)
    pdf = screenshots / "print-portfolio.pdf"
    portfolio.pdf(path=str(pdf), format="A4")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    for label in ("Active projects", "Budget (USD)", "Delivery", "On track", "Flagged high"):
        assert label in text  # a label broken mid-word would read "Deliver y"
    assert "Project Results Finance Burn Elapsed" in " ".join(text.split())  # the table's header, whole
    assert "View as" not in text  # the sidebar (view as, filters) is not printed


def test_without_tables_on_paper_the_print_says_how_to_get_them(portfolio, screenshots):
    pdf = screenshots / "print-portfolio-no-copies.pdf"
    portfolio.pdf(path=str(pdf), format="A4")
    text = " ".join("\n".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "switch on “Tables on paper”" in text and "in the sidebar and print again" in text
    assert "Active projects" in text
