"""Background re-indexing: the index follows saves and deletes of registered models.

Scheduled after commit by the registry's signal handlers; they take the kind and a primary key or
document key as strings, and running one twice changes nothing twice.
"""

from __future__ import annotations

from tansiq.core.tasks import background


@background()
def refresh_document(kind: str, pk: str) -> None:
    """Index the object ``pk`` of ``kind`` as it is now, or drop its document if it is not searchable."""
    from tansiq.core.search import services

    services.refresh(kind, pk)


@background()
def refresh_documents(kind: str, pks: list[str]) -> int:
    """Index many objects of ``kind`` as they are now (after a bulk write, such as an import)."""
    from tansiq.core.search import services

    return services.refresh_many(kind, pks)


@background()
def drop_document(kind: str, key: str) -> None:
    """Remove the document of a deleted object."""
    from tansiq.core.search import services

    services.remove_document(kind, key)
