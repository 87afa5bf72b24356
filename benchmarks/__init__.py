"""Benchmark scripts (``python -m benchmarks.bench_...``): timings and memory written to docs/speed.md
(the summary in README.md's speed table).

Scripts, not tests: timings are never asserted (they depend on the machine and on who else is
using its cores); each script prints the numbers its section of docs/speed.md quotes.
"""
