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

        # Hours, check-in, certificates, tiers and the volunteer's dashboard.
        from tansiq.volunteers import hours_registry

        hours_registry.register()
