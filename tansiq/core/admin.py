from django.contrib import admin
from django.core.cache import cache
from modeltranslation.admin import TranslationAdmin

from tansiq.core.dashboard import SITE_CACHE_KEY
from tansiq.core.models import AuditEntry, HijriMonthStart, SiteIdentity


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the platform, never edited."""

    list_display = ["at", "actor_label", "action", "content_type", "object_repr", "from_state", "to_state"]
    list_filter = ["action", "content_type", "at"]
    search_fields = ["actor_label", "object_repr", "reason"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HijriMonthStart)
class HijriMonthStartAdmin(admin.ModelAdmin):
    list_display = ["region", "hijri_year", "hijri_month", "starts_on", "note"]
    list_filter = ["region", "hijri_year"]
    ordering = ["region", "-starts_on"]


@admin.register(SiteIdentity)
class SiteIdentityAdmin(TranslationAdmin):
    list_display = ["name"]

    def has_add_permission(self, request):
        return not SiteIdentity.objects.exists()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        cache.delete(SITE_CACHE_KEY)
