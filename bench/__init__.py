"""The benchmark: how fast policy-search is, how big its index gets, as the corpus grows,
beside the naive recipe and two anchors (tantivy + jieba, SQLite FTS5 trigram).

    python -m bench                  # synthetic 1k and 30k passages, a few minutes
    python -m bench --laws           # also the real laws replicated to 30k passages
    python -m bench --large          # also 300k synthetic, 30k and 300k real-law passages (slow)
    python -m bench --huge           # --large and 1M real-law passages (hours)
    python -m bench --sizes 200      # any synthetic sizes, in passages (--laws 60k: real-law ones)
    python -m bench --publish        # also copy the results into bench/ (committed)

One run writes (or reuses) each corpus, builds every side's index (bench/sides.py) each in
a fresh process, times the same queries (bench/queries.py) on every side, on the real-law
corpora times adding, changing and removing one document through the CLI
(bench/updates.py), measures the server's idle memory per corpus, times a cold
``policy-search query`` process and the web server on loopback, and writes results.json,
results.md and chart.png into bench/out/.
"""
