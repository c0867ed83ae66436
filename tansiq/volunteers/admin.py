"""The secretariat's back office: causes, agreement versions, qualifications and trainings, tiers
and the networks' volunteering policies; profiles and acceptances read-only."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from tansiq.volunteers.models import (
    Acceptance,
    Agreement,
    Cause,
    OrganisationSettings,
    Qualification,
    Tier,
    Training,
    TrainingSession,
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


# Trainings and the qualifications they grant (or that an organisation records from a document).


@admin.register(Qualification)
class QualificationAdmin(TranslationAdmin):
    list_display = ("name", "slug", "kind", "valid_days")
    list_filter = ("kind",)
    search_fields = ("slug", "name_ar", "name_en", "name_ms")


class TrainingSessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0


@admin.register(Training)
class TrainingAdmin(TranslationAdmin):
    list_display = ("title", "organisation", "kind", "grants", "capacity", "remote")
    list_filter = ("kind", "remote")
    search_fields = ("title_ar", "title_en", "title_ms")
    inlines = [TrainingSessionInline]


@admin.register(Tier)
class TierAdmin(TranslationAdmin):
    list_display = ("name", "network", "min_hours")
    list_filter = ("network",)


@admin.register(VolunteeringPolicy)
class VolunteeringPolicyAdmin(admin.ModelAdmin):
    list_display = ("network", "vets_opportunities", "offer_hours")
