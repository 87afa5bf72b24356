"""Everything that touches the database: models, engine, migrations, scoped queries, importers, CLI.

The only package that imports sqlalchemy (see ../shared/ARCHITECTURE.md).
"""
