"""Benchmarks: synthetic data at city-to-province scale, timed scenarios and a crash test.

Run by ``make bench`` (see BENCHMARKS.md); a small-scale smoke run and a short crash test are
part of ``make test``. Nothing here is used by the application itself.
"""
