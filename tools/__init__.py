"""Tools around the portal, never imported by it: the benchmark, the load test, the synthetic corpus and the
live-server helper they share with the tests. A small Django app only so that ``manage.py synth_corpus`` exists."""
