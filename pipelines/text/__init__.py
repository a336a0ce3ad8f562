"""Plain text-processing library: decoding, document structure, quantity extraction.

No Dagster or DuckDB imports here, so tests and benchmarks call it directly.
"""
