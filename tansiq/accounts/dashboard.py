from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from tansiq.core.dashboard import Card, register_card

CACHE_SECONDS = 120
PEOPLE_KEY = "tansiq:card:people"


def _count_people() -> dict:
    from tansiq.accounts.models import User

    return User.objects.filter(is_active=True).aggregate(
        people=Count("pk"), languages=Count("language", distinct=True), staff=Count("pk", filter=Q(is_staff=True))
    )


def _people(request):
    # A full count of the people table on every home-page view grows with the network; two
    # minutes of staleness in a headline figure is fine.
    counts = cache.get_or_set(PEOPLE_KEY, _count_people, CACHE_SECONDS)
    return Card(
        title=_("People with accounts"),
        value=counts["people"],
        icon="people",
        caption=_("working in %(count)s languages") % {"count": counts["languages"]},
    )


def register() -> None:
    register_card("accounts.people", _people, order=10, cache_keys=lambda request: [PEOPLE_KEY])
