"""The boundary checks every uploaded file passes before any parser sees it.

An upload is untrusted input: a renamed PDF, a truncated download, a zip bomb posing as a
workbook, an XML file that declares entities (billion laughs) or points at ``file:///etc/passwd``.
Each check raises :class:`UnsafeFile` (an ``InvalidInput``) with a sentence the user can act on;
nothing is parsed, evaluated or fetched before the checks pass.

Decisions:

* Size limit: ``DASHBOARD_IMPORT_MAX_MB`` (default 50 MB) per file, checked on the bytes before
  anything else. The largest real IATI file we know is 3 MB; a 10,000-project portfolio as CSV is
  about 40 MB in all, split over several files.
* The real type is sniffed from the content, never trusted from the name. When the name's
  extension says what the file should be (``.xlsx``, ``.csv``, ``.xml``) the content must agree
  ("not an Excel workbook"); an unknown extension is dispatched by content.
* Workbooks (zip): before openpyxl opens one, the declared uncompressed size of every member is
  added up (limit 20 x the size limit) and each large member's compression ratio is bounded
  (100:1). Python's zipfile never reads past a member's declared size, so declared sizes bound
  what the parser can inflate.
* XML: lxml with ``resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False``,
  and any document type declaration is refused outright: IATI files never need one, and a DTD is
  how entity expansion and external references get in.
* XML: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or what its
  declaration says; a declaration that does not match the bytes is refused
  (:func:`check_xml_encoding`).
* CSV text: UTF-8, with or without a byte-order mark. Anything else (Windows-1252 from an old "Save as
  CSV", UTF-16) is refused with the way to fix it, rather than guessed: a wrong guess silently
  changes names and places, which is worse than a clear refusal.
"""

from __future__ import annotations

import io
import math
import os
import re
import zipfile
from pathlib import PurePath
from typing import Literal

from lxml import etree

from data_access.errors import InvalidInput

FileType = Literal["xlsx", "csv", "xml"]

MB = 1024 * 1024
DEFAULT_MAX_MB = 50
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1 * MB  # small members (styles, rels) can compress well without harm
MAX_ZIP_MEMBERS = 10_000

_EXTENSIONS: dict[str, FileType] = {".xlsx": "xlsx", ".xlsm": "xlsx", ".csv": "csv", ".xml": "xml"}
_WHAT = {"xlsx": "an Excel workbook (.xlsx)", "csv": "a CSV file", "xml": "an XML file"}
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# encodings whose every byte is a character: a file written in UTF-8 reads without error, as mojibake
_SINGLE_BYTE = re.compile(r"^(iso[-_]?8859[-_]?\d+|latin[-_]?\d|l\d|(windows|cp)[-_]?125\d|ascii|us-ascii)$", re.I)


class UnsafeFile(InvalidInput):
    """A file refused at the boundary: too big, of the wrong type, damaged or hostile."""


def max_file_bytes() -> int:
    """The per-file size limit (``DASHBOARD_IMPORT_MAX_MB``, default 50).

    A value that is not a positive number is a setting error said as such (``InvalidInput``), not a
    silent fall-back to the default or a limit of 0 that refuses every file as too big.
    """
    raw = os.environ.get("DASHBOARD_IMPORT_MAX_MB", "").strip()
    if not raw:
        return DEFAULT_MAX_MB * MB
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = math.nan
    if not megabytes > 0 or math.isinf(megabytes):
        raise InvalidInput(
            f"DASHBOARD_IMPORT_MAX_MB is {raw!r}: set it to a size in MB above 0 "
            f"(e.g. 100), or leave it unset for {DEFAULT_MAX_MB} MB."
        )
    return int(megabytes * MB)


def check_size(data: bytes, file_name: str) -> None:
    if not data:
        raise UnsafeFile(f"{file_name}: the file is empty.")
    limit = max_file_bytes()
    if len(data) > limit:
        raise UnsafeFile(
            f"{file_name}: the file is {len(data) / MB:.1f} MB, above the {limit / MB:g} MB limit; "
            "split it (e.g. one CSV per table) or ask an administrator to raise DASHBOARD_IMPORT_MAX_MB."
        )


def sniff(data: bytes, file_name: str) -> FileType:
    """The real type of ``data``, checked against the extension of ``file_name`` when it has one."""
    check_size(data, file_name)
    content = _content_type(data, file_name)
    expected = _EXTENSIONS.get(PurePath(file_name).suffix.lower())
    if expected is not None and content != expected:
        raise UnsafeFile(
            f"{file_name}: not {_WHAT[expected]}; its content looks like {_WHAT[content]}. "
            "Check that you chose the right file, or rename it to match what it is."
            if content is not None
            else f"{file_name}: not {_WHAT[expected]}. {_unknown_hint(data)}"
        )
    if content is None:
        raise UnsafeFile(f"{file_name}: not an Excel workbook, CSV or IATI XML file. {_unknown_hint(data)}")
    return content


def _content_type(data: bytes, file_name: str) -> FileType | None:
    if data.startswith(b"PK\x03\x04"):
        return "xlsx" if _is_xlsx_zip(data, file_name) else None
    if data.startswith(_UTF16_BOMS):
        return "xml" if _utf16_head(data).startswith("<") else None  # UTF-16 CSV: refused with a hint
    if b"\x00" in data[:4096]:
        return None  # binary (PDF is caught below; images, old .xls land here)
    head = data[:4096].removeprefix(_UTF8_BOM).lstrip()
    if head.startswith(b"<"):
        return "xml"
    if head.startswith(b"%PDF"):
        return None
    return "csv"


def _is_xlsx_zip(data: bytes, file_name: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise UnsafeFile(
            f"{file_name}: the workbook is damaged or truncated (the zip container cannot be read); "
            "save it again from Excel and upload the new copy."
        ) from None
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _unknown_hint(data: bytes) -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "It is an old-style .xls workbook: open it in Excel and save it as .xlsx."
    if data.startswith(b"%PDF"):
        return "It is a PDF document."
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "It is UTF-16 text: save it as 'CSV UTF-8' instead."
    if data.startswith(b"PK\x03\x04"):
        return "It is a zip archive but not an Excel workbook (an OpenDocument or other archive?)."
    return "Upload the results-matrix workbook (.xlsx), CSV tables or IATI activity XML."


def check_zip(data: bytes, file_name: str) -> None:
    """Refuse a workbook whose members would inflate beyond the limits (zip bomb) before opening it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnsafeFile(f"{file_name}: the workbook is damaged or truncated; save it again from Excel.") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise UnsafeFile(
                f"{file_name}: the workbook has {len(members)} parts, more than any real workbook; refused."
            )
        total = sum(m.file_size for m in members)
        limit = 20 * max_file_bytes()
        if total > limit:
            raise UnsafeFile(
                f"{file_name}: the workbook would unpack to {total / MB:.0f} MB (limit {limit / MB:g} MB); "
                "it looks like a zip bomb and was not opened."
            )
        for member in members:
            if member.file_size >= RATIO_CHECK_MIN_BYTES:
                ratio = member.file_size / max(member.compress_size, 1)
                if ratio > MAX_COMPRESSION_RATIO:
                    raise UnsafeFile(
                        f"{file_name}: part {member.filename} is compressed {ratio:.0f}:1 "
                        f"(limit {MAX_COMPRESSION_RATIO}:1); it looks like a zip bomb and was not opened."
                    )


def malformed_xml_part(data: bytes) -> str | None:
    """The first XML part of a workbook (zip) that is not well-formed XML, or None.

    Only called once openpyxl has failed, to name the damaged part; the sizes were checked by
    :func:`check_zip` before, and the hardened parser neither expands entities nor fetches."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                if member.filename.endswith((".xml", ".rels")):
                    try:
                        etree.fromstring(archive.read(member), xml_parser())
                    except etree.XMLSyntaxError:
                        return member.filename
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    return None


def decode_text(data: bytes, file_name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); anything else is refused with how to fix it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsafeFile(f"{file_name}: the file is UTF-16 text; save it as 'CSV UTF-8 (comma delimited)'.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex().upper()
        raise UnsafeFile(
            f"{file_name}: not UTF-8 text (byte 0x{byte} on line {line}); in Excel choose "
            "'Save as → CSV UTF-8 (comma delimited)', or convert the file to UTF-8."
        ) from None
    if "\x00" in text:
        raise UnsafeFile(f"{file_name}: the file contains NUL bytes; it is binary, not CSV text.")
    return text


def xml_parser() -> etree.XMLParser:
    """The hardened lxml parser: no entity expansion, no network, no DTD loading, no huge trees.

    For ``etree.iterparse`` pass the same options (``resolve_entities=False, no_network=True,
    load_dtd=False, huge_tree=False``) and call :func:`refuse_doctype` on the result.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_pis=True,
    )


def refuse_doctype(tree: etree._ElementTree, file_name: str, data: bytes = b"") -> None:
    """A document type declaration is how entities and external references get in: refuse it.

    ``data`` (the raw bytes, optional) only sharpens the message: external entity, entity
    declarations, or an external DTD.
    """
    docinfo = tree.docinfo
    if not (docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None):
        return
    prolog = data[: data.find(b"]>") + 2 if b"]>" in data else 4096].upper()
    if b"<!ENTITY" in prolog and (b" SYSTEM " in prolog or b" PUBLIC " in prolog):
        what = "declares an external entity (a reference to another file or URL)"
    elif b"<!ENTITY" in prolog:
        what = "declares entities (the 'billion laughs' expansion attack uses them)"
    else:
        what = "declares a document type (DTD)"
    raise UnsafeFile(
        f"{file_name}: the XML {what}; entities and DTDs are never expanded or fetched, so the file "
        "is refused. IATI activity files do not need a DOCTYPE: remove it."
    )


def _utf16_head(data: bytes) -> str:
    codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
    return data[2:4096].decode(codec, errors="ignore").lstrip()


def check_xml_encoding(data: bytes, file_name: str) -> None:
    """Refuse XML whose bytes are not in the encoding its declaration names.

    UTF-16 with a byte-order mark and UTF-8 (with or without one) are read as they are. Two
    mistakes are common and otherwise silent or cryptic: a file declared ``ISO-8859-1`` (or
    Windows-1252) but written in UTF-8 would be read as mojibake (``MigraciÃ³n``) without a word,
    since every byte is a character in those encodings; it is refused when its non-ASCII bytes are
    valid UTF-8 (real Latin-1 text almost never is). A file declared UTF-8 (or declaring nothing,
    which means UTF-8) that holds other bytes is refused naming the first one and its line."""
    if data.startswith(_UTF16_BOMS):
        return
    body = data.removeprefix(_UTF8_BOM)
    match = _DECLARED_ENCODING.match(body.lstrip()[:200])
    declared = match.group(1).decode("ascii") if match else "UTF-8"
    if declared.lower().replace("_", "-") in ("utf-8", "utf8"):
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as error:
            line = body[: error.start].count(b"\n") + 1
            byte = body[error.start : error.start + 1].hex().upper()
            raise UnsafeFile(
                f"{file_name}: the XML declares the encoding {declared} but byte 0x{byte} on line {line} is "
                "not UTF-8; the file was saved in another encoding (Windows-1252 or ISO-8859-1?). Save it as "
                "UTF-8, or correct the encoding in its first line, and upload it again."
            ) from None
    elif _SINGLE_BYTE.match(declared) and not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return  # really single-byte text
        raise UnsafeFile(
            f"{file_name}: the XML declares the encoding {declared} but is written in UTF-8; read as "
            f"{declared} its accented letters would be stored garbled. Change its first line to "
            '<?xml version="1.0" encoding="UTF-8"?> and upload it again.'
        )


def safe_parse_xml(data: bytes, file_name: str = "file.xml") -> etree._ElementTree:
    """Parse untrusted XML bytes with the hardened parser; a clear ``UnsafeFile`` on any problem.

    Elements keep ``sourceline`` so importers can point the user at a line.
    """
    check_size(data, file_name)
    if data.startswith(_UTF16_BOMS):
        head_is_xml = _utf16_head(data).startswith("<")
    else:
        head_is_xml = data[:4096].removeprefix(_UTF8_BOM).lstrip().startswith(b"<")
    if not head_is_xml:
        raise UnsafeFile(f"{file_name}: not an XML file (it does not start with '<').")
    check_xml_encoding(data, file_name)
    try:
        tree = etree.parse(io.BytesIO(data), xml_parser())
    except etree.XMLSyntaxError as error:
        raise UnsafeFile(_syntax_message(file_name, data, error)) from None
    refuse_doctype(tree, file_name, data)
    return tree


def _syntax_message(file_name: str, data: bytes, error: etree.XMLSyntaxError) -> str:
    line = error.lineno or "?"
    text = str(error.msg or error).split(", line ")[0]
    lowered = text.lower()
    if "entity" in lowered:
        return (
            f"{file_name}: the XML uses an entity that is not defined (line {line}: {text}); entities "
            "are never expanded or fetched. Replace it with the text it stands for."
        )
    if "premature end" in lowered or "end of data" in lowered:
        return (
            f"{file_name}: the XML ends early at line {line} ({text}); the file is truncated or "
            "damaged. Download or export it again."
        )
    return f"{file_name}: the XML is not well-formed at line {line}: {text}. Correct or re-export the file."
