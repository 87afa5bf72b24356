"""``template OUT.xlsx``: write the results-matrix workbook users fill and import.

The same workbook the Data page offers for download (``data_access/importers/template.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data_access.importers.template import write_template

HELP = "write the results-matrix workbook template (instructions, one sheet per table, dropdowns)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("output", type=Path, metavar="OUT.xlsx", help="where to write the workbook")


def run(args: argparse.Namespace) -> int:
    if args.output.suffix.lower() != ".xlsx":
        print("error: the template is an Excel workbook; give a file name ending in .xlsx", file=sys.stderr)
        return 1
    write_template(args.output)
    print(f"Wrote the results-matrix template to {args.output}.")
    return 0
