"""What an identifier (a project, result, indicator, budget line, risk, evaluation or recommendation
code) may contain, and which characters no text may contain: the one definition the importers,
the template's help and the documentation (docs/importing.md) read.

Why codes are restricted: a code is how people and files name a row, and two codes that look the
same must be the same code. Right-to-left overrides and zero-width characters make a code display
differently from what it is, a letter of another alphabet (Cyrillic ``Р`` for Latin ``P``) makes a
second project that looks like the first, and a control character (ESC, BEL, backspace) changes
what a terminal or a log shows. The allowed set is what real codes use: ASCII letters and digits,
single spaces inside (IATI identifiers published with spaces), and the punctuation found in
project codes, IATI identifiers and the budget lines the IATI reader names (``2024-01-01/2024-12-31
USD``): ``. - _ / : ( ) + # &``. ``;`` is not allowed: it separates the codes of a list
(``project_codes``).

Codes are compared without regard to letter case (:func:`code_identity`): ``px.0001`` is the stored
``PX.0001``, never a second project.

Text (titles, statements, comments) may hold any printable character of any alphabet, tabs and line
breaks, but no other control character (Unicode category Cc: C0 controls such as ESC, BEL and
backspace, DEL, and the C1 controls U+0080 to U+009F).
"""

from __future__ import annotations

import re
import unicodedata

CODE_PUNCTUATION = ".-_/:()+#&"
CODE_RULE = f"codes use the letters A-Z, digits, single spaces and {' '.join(CODE_PUNCTUATION)}"
_CODE = re.compile(rf"[A-Za-z0-9](?:[A-Za-z0-9{re.escape(CODE_PUNCTUATION)}]| (?! ))*")
# every control character but tab, line feed and carriage return
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def character_name(char: str) -> str:
    """``'\\x1b'`` -> ``U+001B (ESCAPE)``: how a refused character is named to people."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "a control character")
    return f"U+{ord(char):04X} ({name})"


_CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "VERTICAL TAB",
    0x0C: "FORM FEED",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
}


def code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid identifier, or None when it is."""
    if _CODE.fullmatch(code):
        return None
    for char in code:
        if not (char.isascii() and (char.isalnum() or char in CODE_PUNCTUATION or char == " ")):
            return f"the character {character_name(char)} is not allowed in a code; {CODE_RULE}"
    if "  " in code:
        return f"two spaces in a row in a code; {CODE_RULE}"
    return f"a code starts with a letter or digit; {CODE_RULE}"


def control_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored (a control character), or None."""
    found = CONTROL.search(text)
    if found is None:
        return None
    return (
        f"the text contains the control character {character_name(found.group())}, which is not "
        "shown and changes what terminals and logs display; remove it"
    )


def code_identity(code: str) -> str:
    """The form two codes are compared in: ``px.0001`` and ``PX.0001`` are one code."""
    return code.casefold()
