"""The deterministic sample portfolio (demo database, tests, benchmarks). Pure: no database here.

``generator.generate`` is the entry point; it assembles the tables from builder modules, each with
the decisions it embodies in its docstring: ``projects`` (dates, statuses, budgets, latent
performance and spending pace), ``results`` (results matrices, targets, actuals), ``finance``
(budget lines, revisions, spending, funding), ``markers`` (gender/AAP/other markers, strategic tags),
``oversight`` (risks, visits, evaluations), ``organisation`` (regions, countries, offices, donors,
exchange rates). Reference lists are in ``reference`` and ``themes``, sentences in ``vocabulary``,
numpy helpers in ``arrays``.
"""
