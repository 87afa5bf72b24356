"""Getting data in: results-matrix workbooks, CSV tables and IATI XML, validated, all or nothing.

Flow: a reader (``workbook.read_workbook`` / ``workbook.read_csv`` / ``iati.parse_iati``) turns a
file into a :class:`~data_access.importers.tables.ParsedImport` of canonical tables; ``schemas``
validates every row and the cross-row rules into a ``report.ValidationReport``; ``writer`` writes
everything in one transaction or nothing, and logs every attempt in ``import_batches``.
``safety`` guards the boundary (size, real file type, zip bombs, hardened XML parsing).
"""
