"""make bench: measure the portal on corpora of growing size and write docs/BENCHMARKS.md (see __main__)."""
