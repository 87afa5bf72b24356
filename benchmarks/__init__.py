"""Benchmark scripts (``python -m benchmarks.bench_...``): timings and memory written to README.md.

Scripts, not tests: timings are never asserted (they depend on the machine and on who else is
using its cores); each script prints the numbers its README section quotes.
"""
