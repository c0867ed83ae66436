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
                sections=(
                    "volunteers:edit_profile",
                    "volunteers:agreements",
                    "volunteers:guardian",
                    "volunteers:dashboard",
                    "volunteers:my_shifts",
                    "volunteers:my_hours",
                    "volunteers:calendar",
                ),
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

        # Applications: notification kinds, "needs my action", offers passed on when they lapse.
        import datetime as dt

        from django.db.models.signals import post_delete, post_save

        from tansiq.core import actions, notify, schedule
        from tansiq.volunteers.services import actions as application_actions
        from tansiq.volunteers.services.applications import pass_on_expired_offers

        notify.register_kind(
            "volunteers.applications",
            _("My volunteer applications and places offered"),
            templates=[f"volunteers/email/{name}" for name in ("application_decided", "place_offered")],
            object_key="application",
            order=300,
        )
        notify.register_kind(
            "volunteers.roster",
            _("Volunteer applications to my organisations"),
            templates=[
                f"volunteers/email/{name}"
                for name in ("application_received", "application_confirmed", "application_withdrawn", "offer_taken")
            ],
            object_key="application",
            order=310,
        )
        actions.register_provider(
            "volunteers.applications", application_actions.items_for, cache_keys=application_actions.cache_keys
        )
        for model in ("Application", "Booking"):
            for signal in (post_save, post_delete):
                signal.connect(
                    application_actions.forget_involved,
                    sender=f"volunteers.{model}",
                    dispatch_uid=f"tansiq-volunteers-involved-{model}-{signal is post_save}",
                )
        # Several passes a day, so that a lapsed offer reaches the next volunteer within hours.
        for hour in range(0, 24, 3):
            schedule.daily(f"volunteers.expired-offers-{hour:02d}", pass_on_expired_offers, at=dt.time(hour, 5))

        # Trainings, assignment runs and yearly achievements: notifications and the home page's figure.
        from tansiq.core import notify
        from tansiq.core.dashboard import register_card
        from tansiq.volunteers.dashboard import HOURS_KEY, hours_card

        notify.register_kind(
            "volunteers.trainings",
            _("Trainings completed"),
            templates=["volunteers/email/training_completed"],
            order=410,
        )
        notify.register_kind(
            "volunteers.assignments",
            _("Shifts given by an assignment"),
            templates=["volunteers/email/assignment_published"],
            order=420,
        )
        register_card("volunteers.hours", hours_card, order=40, cache_keys=lambda request: [HOURS_KEY])

        # The volunteering licence's expiry joins the registry's compliance reminders (30 and 7 days).
        from tansiq.network.services import compliance
        from tansiq.volunteers.queries.profiles import volunteering_licences_expiring

        compliance.register_source(volunteering_licences_expiring)

        # Hours, check-in, certificates, tiers and the volunteer's dashboard.
        from tansiq.volunteers import hours_registry

        hours_registry.register()
