from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "tansiq.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteering")

    def ready(self) -> None:
        from tansiq.core.dashboard import NavLink, register_nav
        from tansiq.volunteers import rules  # noqa: F401

        register_nav(
            "volunteers.profile",
            NavLink(
                label=_("Volunteering"),
                url_name="volunteers:profile",
                order=40,
                visible=lambda request: request.user.is_authenticated,
                sections=("volunteers:edit_profile", "volunteers:agreements", "volunteers:guardian"),
            ),
        )
        # Opportunities: notices, the secretariat's review in "needs my action", places and matching.
        from tansiq.core import actions, notify
        from tansiq.core.cache import read_on_every_request
        from tansiq.volunteers import caching, signals
        from tansiq.volunteers.queries.opportunities import review_cache_keys, review_items

        notify.register_kind(
            "volunteers.opportunities",
            _("Opportunities I applied to"),
            templates=["volunteers/email/opportunity_cancelled", "volunteers/email/shift_cancelled"],
        )
        notify.register_kind(
            "volunteers.opportunity_review",
            _("Review of volunteering opportunities"),
            templates=["volunteers/email/opportunity_submitted", "volunteers/email/opportunity_reviewed"],
        )
        actions.register_provider("volunteers.opportunity_review", review_items, cache_keys=review_cache_keys)
        signals.connect()
        read_on_every_request(caching.matching_keys_of_request)
        register_nav(
            "volunteers.opportunities",
            NavLink(
                label=_("Volunteering"),
                url_name="volunteers:opportunities",
                order=40,
                visible=lambda request: not request.user.is_authenticated,
                sections=("volunteers:opportunity",),
            ),
        )
