"""Getting data in: results-matrix workbooks, CSV tables and IATI XML, validated, all or nothing.

Flow: ``uploads.read_uploads`` (or ``workbook.read_file`` per file) sniffs each file with
``safety`` and reads it (``workbook`` for xlsx and CSV, ``iati.parse_iati`` for IATI XML) into a
:class:`~data_access.importers.tables.ParsedImport` of canonical tables; ``validate`` checks every
row against its ``schemas`` model and the rules across rows, files and the database into a
``report.ValidationReport``; ``writer.import_files`` has ``store`` write everything in one
transaction or nothing, and logs every attempt in ``import_batches`` (``writer.preview`` shows what
would change without writing). ``template`` builds the workbook users fill; ``export`` writes the
stored data back as the same CSV tables.
"""
