"""Fixtures for search tests: memberships through an audience provider, platform staff by group."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory


@pytest.fixture
def memberships():
    """``memberships[user.pk] = ([network ids], [organisation ids])``, as the network app will say."""
    from tansiq.core.search import register_audience_provider, unregister_audience_provider

    table: dict[int, tuple[list[int], list[int]]] = {}

    def provider(user):
        return table.get(user.pk, ([], []))

    register_audience_provider(provider)
    yield table
    unregister_audience_provider(provider)


@pytest.fixture
def analyst(db):
    """Platform staff by role (the analyst group), without back-office access."""
    from django.contrib.auth.models import Group

    user = UserFactory(display_name="Analyst", language="en")
    user.groups.add(Group.objects.get_or_create(name="analyst")[0])
    return user
