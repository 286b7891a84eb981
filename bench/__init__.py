"""Benchmarks: each prints its result with the machine and the commit (see docs/benchmarks.md)."""
