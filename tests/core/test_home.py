import pytest

from tansiq.core.dashboard import Card, cards_for, register_card
from tests.factories import UserFactory


def test_home_shows_live_figures_from_registered_cards(client, member, outsider):
    response = client.get("/en/")
    titles = [str(card.title) for card in response.context["cards"]]
    assert "People with accounts" in titles
    people = next(card for card in response.context["cards"] if str(card.title) == "People with accounts")
    assert people.value == 2


def test_secretariat_only_cards_are_hidden_from_visitors(client, secretariat):
    assert "Changes recorded" not in [str(c.title) for c in client.get("/en/").context["cards"]]
    client.force_login(secretariat)
    assert "Changes recorded" in [str(c.title) for c in client.get("/en/").context["cards"]]


def test_a_card_provider_may_decline(rf, db):
    from django.contrib.auth.models import AnonymousUser

    register_card("test.none", lambda request: None)
    register_card("test.one", lambda request: Card(title="x", value=1), order=-1)
    request = rf.get("/")
    request.user = AnonymousUser()
    cards = cards_for(request)
    assert cards[0].title == "x"
    from tansiq.core import dashboard

    dashboard._cards.pop("test.none")
    dashboard._cards.pop("test.one")


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
def test_home_page_query_budget(client, db, language, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert ('dir="rtl"' in html) == (language == "ar")


def test_home_shows_today_in_two_calendars_in_arabic(client, db):
    html = client.get("/ar/").content.decode()
    assert 'class="hijri' in html


def test_pages_stay_within_the_query_budget_for_staff(client, secretariat, django_assert_max_num_queries):
    from tansiq.core import audit

    for n in range(120):
        audit.record("update", by=secretariat, obj=secretariat, reason=f"change {n}")
    # The deployment-wide cached entries (site identity, default network, figures; who has volunteer
    # applications to act on, the opportunities awaiting review) are warm in any running deployment:
    # a visitor's and anyone signed in's visits fill them; what is measured is this person's pages.
    client.get("/ar/")
    client.force_login(UserFactory())
    client.get("/ar/")
    client.force_login(secretariat)
    for url in ["/ar/", "/ar/audit/", "/ar/audit/?page=3", "/ar/accounts/profile/", "/ar/accounts/tokens/"]:
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200, url
