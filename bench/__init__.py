"""Benchmark tools: a corpus generator (``bench.generate``) and the benchmark (``bench.run``)."""
