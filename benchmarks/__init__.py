"""Benchmark of handover-kit against bare sphinx-needs and plain Sphinx builds.

``python -m benchmarks.generate`` writes a synthetic package (and its bare and plain
twins) of a given size; ``python -m benchmarks.run`` builds them side by side and
reports medians and ratios against the budget of docs/benchmark.md.
"""
