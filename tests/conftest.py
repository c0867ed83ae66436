"""Shared fixtures: three personae, factories, guard rails (no real network, no real mail)."""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django.utils import translation

from tests.factories import UserFactory
from tests.helpers import with_mfa
from tests.scaleout_servers import other_machine, redis_address, redis_cache, redis_client, s3_endpoint  # noqa: F401


@pytest.fixture(autouse=True)
def _no_network(monkeypatch, request):
    """A test that opens a connection to anything but this machine fails."""
    if request.node.get_closest_marker("e2e"):
        return
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")):
            return real_connect(self, address)
        raise RuntimeError(f"Tests must not open network connections (tried {address!r})")

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _fresh_caches():
    from django.core.cache import cache

    from tansiq.core import i18n

    cache.clear()
    i18n.clear_override_cache()
    # Every test starts in English, whatever the request before it left active in this thread (a
    # page under /ar/ leaves Arabic active); tests of other languages say so.
    translation.activate("en")
    yield
    translation.deactivate()
    mail.outbox = []


DATABASE_CACHE = {
    "default": {
        "BACKEND": "tansiq.core.cache.DatabaseCache",
        "LOCATION": "tansiq_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}


@pytest.fixture
def database_cache(db, settings):
    """The production cache (a table in the database) instead of the tests' in-memory one: its
    reads and writes are queries, and count against a page's budget."""
    from django.core.cache import cache
    from django.core.management import call_command

    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def member(db):
    """A signed-up, verified person with no role."""
    return UserFactory(display_name="فاطمة الزهراء", language="ar")


@pytest.fixture
def outsider(db):
    return UserFactory(display_name="Outsider", language="en")


@pytest.fixture
def secretariat(db):
    from django.contrib.auth.models import Group

    user = UserFactory(display_name="Siti Aisyah", language="ms", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    return with_mfa(user)


@pytest.fixture
def client_for(client):
    """``client_for(user)`` signs ``user`` in on the test client (MFA already satisfied)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
