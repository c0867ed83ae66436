from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from tansiq.core.dashboard import Card, register_card


def _people(request):
    from tansiq.accounts.models import User

    counts = User.objects.filter(is_active=True).aggregate(
        people=Count("pk"), languages=Count("language", distinct=True), staff=Count("pk", filter=Q(is_staff=True))
    )
    return Card(
        title=_("People with accounts"),
        value=counts["people"],
        icon="people",
        caption=_("working in %(count)s languages") % {"count": counts["languages"]},
    )


def register() -> None:
    register_card("accounts.people", _people, order=10)
