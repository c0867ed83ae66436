from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from tansiq.accounts.models import PersonalAccessToken, User
from tansiq.core.admin import RulesAdmin

# The platform's roles are groups named in code (migration 0002); the back office names them in the
# reader's language.
ROLE_NAMES = {
    "secretariat": _("Secretariat"),
    "analyst": _("Analyst"),
    "verifier": _("Verifier"),
    "judge": _("Judge"),
}


class RoleFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        return [(pk, str(ROLE_NAMES.get(name, name))) for pk, name in choices]


@admin.register(User)
class UserAdmin(RulesAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "language", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", ("groups", RoleFilter), "language"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "language", "time_zone", "show_hijri", "hijri_region", "digits"]}),
        (_("Roles"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})]
    filter_horizontal = ["groups"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Seen read-only, the password field offers a link to a form this reader may not open.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(RulesAdmin):
    """Staff can see and revoke tokens, never read or set their value."""

    list_display = ["name", "user", "scope", "hint", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "user__email"]
    readonly_fields = ["user", "name", "scope", "hint", "created_at", "last_used_at", "expires_at"]
    fields = ["user", "name", "scope", "hint", "created_at", "last_used_at", "expires_at", "revoked_at"]

    def has_add_permission(self, request):
        return False
