"""Benchmarks behind ``make bench``: every number is a ratio against a baseline measured in the same run."""
