"""Performance benchmarks: `seed` fills a separate PostgreSQL database with a community-scale
data set, `run` measures it and prints one table. Never part of the test suite (see README)."""
