from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationAdmin

from tansiq.core.admin import RulesAdmin
from tansiq.network.models import (
    Application,
    Committee,
    CommitteeSeat,
    Contact,
    FocusArea,
    Invitation,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Reference,
    Unit,
)


@admin.register(Network)
class NetworkAdmin(RulesAdmin, TranslationAdmin):
    list_display = ["name", "slug", "position", "referees_required", "notice_period_days"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Unit)
class UnitAdmin(RulesAdmin, TranslationAdmin):
    list_display = ["name", "network", "kind", "parent", "archived_at"]
    list_filter = ["network", "kind", ("archived_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["archived_at"]
    filter_horizontal = ["admins"]
    autocomplete_fields = ["parent"]
    search_fields = ["name_ar", "name_en", "name_ms"]


@admin.register(FocusArea)
class FocusAreaAdmin(RulesAdmin, TranslationAdmin):
    list_display = ["name", "slug", "kind", "position"]
    list_filter = ["kind"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Contact)
class ContactAdmin(RulesAdmin):
    list_display = ["name", "organisation", "role", "visibility"]
    list_filter = ["visibility"]
    search_fields = ["name", "email", "organisation__name_en", "organisation__name_ar"]
    autocomplete_fields = ["organisation"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(RulesAdmin, TranslationAdmin):
    list_display = ["name", "acronym", "type", "country", "city", "updated_at"]
    list_filter = ["type", "country"]
    search_fields = ["name_ar", "name_en", "name_ms", "legal_name", "acronym", "slug"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["focus_areas"]
    readonly_fields = ["annual_return_due", "version", "updated_at"]
    inlines = [ContactInline, MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        # A back-office save also makes any open profile form stale.
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(RulesAdmin):
    list_display = ["organisation", "network", "unit", "category", "status", "admitted_on"]
    list_filter = ["network", "status", "category"]
    search_fields = ["organisation__name_ar", "organisation__name_en", "organisation__acronym"]
    autocomplete_fields = ["organisation", "representative", "alternate"]
    list_select_related = ["organisation", "network", "unit"]

    def get_readonly_fields(self, request, obj=None):
        # Once recorded, the status moves only through the workflow (audited, with a reason).
        return ["status", "status_changed_on", "status_reason"] if obj else []


@admin.register(Membership)
class MembershipAdmin(RulesAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organisation__name_ar", "organisation__name_en"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(RulesAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    fields = ["email", "organisation", "role", "language", "invited_by", "created_at", "expires_at", "accepted_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        # Invitations carry a secret link: they are sent from the organisation's people page.
        return False


class CommitteeSeatInline(admin.TabularInline):
    model = CommitteeSeat
    extra = 0
    autocomplete_fields = ["organisation", "representative"]


@admin.register(Committee)
class CommitteeAdmin(RulesAdmin, TranslationAdmin):
    list_display = ["name", "network", "kind", "term_start", "term_end"]
    list_filter = ["network", "kind"]
    search_fields = ["name_ar", "name_en", "name_ms", "slug"]
    autocomplete_fields = ["chair", "vice_chair"]
    inlines = [CommitteeSeatInline]


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(RulesAdmin):
    list_display = ["committee", "organisation", "representative", "since"]
    list_filter = ["committee__network", "committee"]
    autocomplete_fields = ["committee", "organisation", "representative"]
    search_fields = ["organisation__name_en", "organisation__name_ar"]


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    can_delete = False
    fields = ["organisation", "state", "reason", "answered_by", "answered_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(RulesAdmin):
    """Read-only here: every step goes through the admission workflow, where it is checked and audited."""

    list_display = ["organisation", "network", "state", "submitted_at", "notice_ends_on"]
    list_filter = ["network", "state"]
    search_fields = ["organisation__name_ar", "organisation__name_en", "organisation__name_ms"]
    inlines = [ReferenceInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
