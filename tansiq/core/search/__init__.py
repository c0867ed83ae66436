"""Search: one index of documents from every app, on SQLite FTS5 or PostgreSQL.

The Python API (imported lazily, so that apps can import this package from ``AppConfig.ready()``)::

    index_document(kind, key, *, title, body, language=None, url="", visibility="public", **facets)
    remove_document(kind, key)
    search(query, *, user=None, kinds=None, filters=None, limit=20, offset=0) -> Results
    register(kind, model, *, build, queryset=None, key=None, label=None)
    register_audience_provider(func)   # func(user) -> (network_ids, organisation_ids)

See docs/decisions/0011-search.md.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "index_document": "services",
    "index_documents": "services",
    "remove_document": "services",
    "search": "queries",
    "Results": "queries",
    "Hit": "queries",
    "register": "registry",
    "unregister": "registry",
    "register_audience_provider": "registry",
    "unregister_audience_provider": "registry",
    "QueryTooLong": "parsing",
    "MAX_QUERY_LENGTH": "parsing",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
