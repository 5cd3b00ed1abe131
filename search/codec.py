"""The codec's old import path, kept only so that indexes built before search/_whoosh/ open.

A segment remembers its codec by module path, and builds made before the move name
``search.codec.Codec``. Any build or update by this version writes the new path
(``search._whoosh.codec.Codec``); remove this module with the next ANALYZER_VERSION
change, which rebuilds every index.
"""

from search._whoosh.codec import Codec  # noqa: F401 (unpickled by this name)
