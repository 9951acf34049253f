"""Benchmarks on a generated city-scale dataset: ``make bench`` or ``python -m benchmarks``.

Each benchmark measures our code and a baseline in the same run, on the same
data, and prints the ratio, so a number means something on any machine.
"""
