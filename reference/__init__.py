"""Vocabularies and reference data: the codes the organisation uses and the places it works in.

Why a package of its own, at the bottom of the layers: the same facts are needed by the database
models (CHECK constraints), the importers (validation, template dropdowns), ``monitoring`` (rules
that read codes), ``components`` (labels) and the sample generator. ``monitoring`` may not import
``data_access`` (it would pull in sqlalchemy) and ``data_access`` should not depend on the sample
generator, so the one place all of them may import is a package that itself imports nothing but
the standard library (the architecture test checks it). Plain tuples and dicts only: no pandas,
no I/O.

* :mod:`reference.vocabulary`: code lists (statuses, measures, marker schemes, AAP commitments,
  evidence sources and their labels...).
* :mod:`reference.currencies`: the ISO 4217 currency codes offered in the workbooks' dropdowns.
* :mod:`reference.places`: the nine regional offices and every ISO 3166 country with the regional
  office that covers it (the one country → region table).
"""
