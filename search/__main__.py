"""Let `python -m search` do what the policy-search command does."""

from search.cli import entry

entry()
