"""The benchmark: how fast policy-search is, how big its index gets, as the corpus grows.

    python -m bench                  # 1k and 30k passages, about ten minutes
    python -m bench --large          # also 300k passages (slow)
    python -m bench --sizes 200      # any sizes, in passages
    python -m bench --publish        # also copy the results into bench/ (committed)

One run generates (or reuses) each corpus, builds policy-search's index and the naive
recipe's index (bench/naive.py) each in a fresh process, times the same queries
(bench/queries.py) on both, times a cold ``policy-search query`` process and the web
server on loopback, and writes results.json, results.md and chart.png into bench/out/.
"""
