"""Code that relies on whoosh's private API (whoosh-reloaded 2.7.5)."""
