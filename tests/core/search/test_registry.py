"""Apps register what they make searchable; saves and deletes re-index after commit through a task;
``tansiq reindex`` rebuilds."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tansiq.core.search import register, search, unregister
from tansiq.core.search.models import SearchDocument
from tests.workflow_app.models import Petition


def build(petition: Petition):
    if petition.state == Petition.State.REJECTED:
        return None  # a rejected petition is not found
    return {
        "title": petition.title,
        "body": f"Petisyen oleh {petition.owner.display_name}",
        "language": "ms",
        "url": f"/petitions/{petition.pk}/",
        "visibility": "public",
        "country": "MY",
    }


@pytest.fixture
def petitions(db):
    register(
        "petition",
        Petition,
        build=build,
        queryset=lambda: Petition.objects.exclude(state="draft").select_related("owner"),
        label="Petitions",
    )
    yield
    unregister("petition")


def found(query: str) -> list[str]:
    return [hit.key for hit in search(query).hits]


def test_a_saved_object_is_indexed_after_commit(petitions, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        petition = Petition.objects.create(title="Kerjasama belia", owner=member, state="submitted")
    assert found("kerjasama") == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert found("kerjasama") == [str(petition.pk)]
    assert search("kerjasama").hits[0].url == f"/petitions/{petition.pk}/"


def test_an_edit_is_reindexed_through_the_task(petitions, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        petition = Petition.objects.create(title="Kerjasama belia", owner=member, state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        petition.title = "Penyelarasan wanita"
        petition.save()
    assert found("kerjasama") == []
    assert found("selaras") == [str(petition.pk)]


def test_an_object_leaving_the_queryset_or_refused_by_build_is_dropped(
    petitions, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft_later = Petition.objects.create(title="Kerjasama satu", owner=member, state="submitted")
        rejected_later = Petition.objects.create(title="Kerjasama dua", owner=member, state="submitted")
    assert len(found("kerjasama")) == 2
    with django_capture_on_commit_callbacks(execute=True):
        Petition.objects.filter(pk=draft_later.pk).update(state="draft")
        draft_later.refresh_from_db()
        draft_later.save()
        rejected_later.state = "rejected"
        rejected_later.save()
    assert found("kerjasama") == []


def test_a_deleted_object_is_removed(petitions, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        petition = Petition.objects.create(title="Kerjasama belia", owner=member, state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        petition.delete()
    assert found("kerjasama") == []
    assert not SearchDocument.objects.filter(kind="petition").exists()


def test_the_task_is_idempotent(petitions, member):
    from tansiq.core.search.tasks import refresh_document

    petition = Petition.objects.create(title="Kerjasama belia", owner=member, state="submitted")
    refresh_document.call("petition", str(petition.pk))
    refresh_document.call("petition", str(petition.pk))
    refresh_document.call("no-such-kind", "1")
    assert SearchDocument.objects.filter(kind="petition").count() == 1


def test_many_objects_written_in_bulk_are_refreshed_at_once(petitions, member, django_assert_max_num_queries):
    """After a bulk write that sent no signals (an import): the searchable are indexed, those that
    are no longer searchable lose their documents, in a handful of statements for the lot."""
    from tansiq.core.search.tasks import refresh_documents

    created = Petition.objects.bulk_create(
        Petition(title=f"Kerjasama {number}", owner=member, state="submitted") for number in range(30)
    )
    assert found("kerjasama") == []
    with django_assert_max_num_queries(12):
        assert refresh_documents.call("petition", [str(petition.pk) for petition in created]) == 30
    assert len(search("kerjasama", limit=50).hits) == 30
    Petition.objects.filter(pk__in=[petition.pk for petition in created[:10]]).update(state="rejected")
    Petition.objects.filter(pk=created[10].pk).update(state="draft")
    assert refresh_documents.call("petition", [str(petition.pk) for petition in created]) == 19
    assert SearchDocument.objects.filter(kind="petition").count() == 19
    assert refresh_documents.call("no-such-kind", ["1"]) == 0


def test_reindex_rebuilds_a_kind_and_drops_documents_of_objects_gone(petitions, member):
    for number in range(3):
        Petition.objects.create(title=f"Kerjasama {number}", owner=member, state="submitted")
    Petition.objects.create(title="Kerjasama draf", owner=member, state="draft")
    from tansiq.core.search import index_document

    index_document("petition", "999", title="Kerjasama lama")  # an object deleted while tasks were down
    index_document("news", "1", title="Kerjasama berita")  # another kind: untouched
    out = io.StringIO()
    call_command("reindex", "--kind", "petition", stdout=out)
    assert "petition: 3 indexed" in out.getvalue()
    assert SearchDocument.objects.filter(kind="petition").count() == 3
    assert not SearchDocument.objects.filter(kind="petition", key="999").exists()
    assert SearchDocument.objects.filter(kind="news").exists()


def test_reindex_without_a_kind_rebuilds_every_registered_kind(petitions, member):
    Petition.objects.create(title="Kerjasama", owner=member, state="submitted")
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert "petition: 1 indexed" in out.getvalue()


def test_reindex_shows_a_progress_bar_on_a_terminal(petitions, member):
    from tansiq.core.search.management.commands.reindex import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    from django.core.management.base import OutputWrapper

    out = OutputWrapper(Terminal())
    bar = ProgressBar(out, "petition", interactive=True)
    bar.update(5, 10)
    bar.finish(10, 0.5)
    assert "[###############...............]  5 / 10" in out._out.getvalue()


def test_reindex_of_an_unknown_kind_says_which_kinds_exist(petitions):
    with pytest.raises(CommandError, match="petition"):
        call_command("reindex", "--kind", "nonsense")


def test_a_kind_belongs_to_one_model(petitions):
    from tansiq.core.models import SiteIdentity

    with pytest.raises(ValueError):
        register("petition", SiteIdentity, build=lambda obj: None)
