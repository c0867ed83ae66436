"""The secretariat's back office: causes, agreement versions, tiers and the networks' volunteering
policies; profiles and acceptances read-only."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from tansiq.volunteers.models import (
    Acceptance,
    Agreement,
    Cause,
    OrganisationSettings,
    Tier,
    VolunteeringPolicy,
    VolunteerProfile,
)


@admin.register(Cause)
class CauseAdmin(TranslationAdmin):
    list_display = ("name", "slug", "position")


@admin.register(Agreement)
class AgreementAdmin(TranslationAdmin):
    list_display = ("kind", "version", "published_at")
    list_filter = ("kind",)


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
    list_display = ("legal_name", "country", "city", "discoverable")
    list_filter = ("discoverable", "country")
    search_fields = ("legal_name", "name_arabic", "name_latin")
    exclude = ("identity_number_encrypted",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Acceptance)
class AcceptanceAdmin(admin.ModelAdmin):
    list_display = ("user", "agreement", "accepted_at")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OrganisationSettings)
class OrganisationSettingsAdmin(admin.ModelAdmin):
    list_display = ("organisation", "licence_number", "licence_expires_on", "hours_approvers")
    list_filter = ("hours_approvers",)


@admin.register(Tier)
class TierAdmin(TranslationAdmin):
    list_display = ("name", "network", "min_hours")
    list_filter = ("network",)


@admin.register(VolunteeringPolicy)
class VolunteeringPolicyAdmin(admin.ModelAdmin):
    list_display = ("network", "vets_opportunities", "offer_hours")
