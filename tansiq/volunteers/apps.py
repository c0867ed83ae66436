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
