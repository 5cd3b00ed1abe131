"""policy-search: full-text search for Chinese government policy documents."""
