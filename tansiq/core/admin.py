import json

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from tansiq.core.dashboard import SITE_CACHE_KEY
from tansiq.core.errors import TansiqError
from tansiq.core.models import AuditEntry, Certificate, HijriMonthStart, ScheduledRun, SiteIdentity


class RulesAdmin(admin.ModelAdmin):
    """Back-office pages ask the same ``rules`` predicates as the rest of the platform.

    Django shows an app in the back office only to users with a model permission stored in the
    database; with rules the permission is a predicate, so module access follows the model's.
    """

    def has_module_permission(self, request):
        return (
            request.user.is_active
            and request.user.is_staff
            and (super().has_module_permission(request) or self.has_view_or_change_permission(request))
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(RulesAdmin):
    """Read-only: the log is written by the platform, never edited."""

    list_display = ["at", "actor_label", "action", "content_type", "object_repr", "from_state_shown", "to_state_shown"]
    list_filter = ["action", "content_type", "at"]
    search_fields = ["actor_label", "object_repr", "reason"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]
    # States by the names the model's choices give them in the reader's language (the stored values
    # are code); the changes as the data they are.
    exclude = ["from_state", "to_state", "changes"]
    readonly_fields = ["from_state_shown", "to_state_shown", "changes_shown"]

    @admin.display(description=_("from"))
    def from_state_shown(self, entry) -> str:
        return entry.from_state_label

    @admin.display(description=_("to"))
    def to_state_shown(self, entry) -> str:
        return entry.to_state_label

    @admin.display(description=_("changes"))
    def changes_shown(self, entry) -> str:
        return format_html("<code>{}</code>", json.dumps(entry.changes or {}, ensure_ascii=False))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScheduledRun)
class ScheduledRunAdmin(RulesAdmin):
    """Read-only: which daily job was queued on which day (``tansiq.core.schedule``)."""

    list_display = ["day", "job", "enqueued_at", "task_id"]
    list_filter = ["job"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HijriMonthStart)
class HijriMonthStartAdmin(RulesAdmin):
    list_display = ["region", "hijri_year", "hijri_month", "starts_on", "note"]
    list_filter = ["region", "hijri_year"]
    ordering = ["region", "-starts_on"]


@admin.register(SiteIdentity)
class SiteIdentityAdmin(RulesAdmin, TranslationAdmin):
    list_display = ["name"]

    def has_add_permission(self, request):
        return not SiteIdentity.objects.exists()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        cache.delete(SITE_CACHE_KEY)


class RevokedFilter(admin.SimpleListFilter):
    title = _("revoked")
    parameter_name = "revoked"

    def lookups(self, request, model_admin):
        return [("no", _("Valid")), ("yes", _("Revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.revoked()
        if self.value() == "no":
            return queryset.valid()
        return queryset


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        from tansiq.core import certificates

        return [(kind.name, kind.label) for kind in certificates.kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Certificate)
class CertificateAdmin(RulesAdmin):
    """Certificates are issued by the apps' services and never edited; revoking goes through the
    service (``tansiq.core.certificates.revoke``), which checks the rule and writes the audit log."""

    list_display = ["holder_name", "kind", "organisation_name", "language", "issued_at", "revoked_at"]
    list_filter = [KindFilter, RevokedFilter, "language", "issued_at"]
    search_fields = ["holder_name", "organisation_name", "=code"]
    date_hierarchy = "issued_at"
    actions = ["revoke"]
    readonly_fields = [
        "printed_code",
        "kind",
        "holder",
        "holder_name",
        "organisation_name",
        "signatory_name",
        "signatory_title",
        "facts",
        "language",
        "issued_at",
        "issued_by",
        "revoked_at",
        "revoked_reason",
        "revoked_by",
    ]
    fields = readonly_fields

    @admin.display(description=_("code"))
    def printed_code(self, certificate):
        from tansiq.core.certificates import format_code

        return format_code(certificate.code)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        # Django offers an action only to users with a change permission; revoking has its own rule.
        actions = super().get_actions(request)
        if not request.user.has_perm("core.view_certificate"):
            actions.pop("revoke", None)
        return actions

    @admin.action(description=_("Revoke the selected certificates"))
    def revoke(self, request, queryset):
        from tansiq.core import certificates

        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for certificate in queryset.valid():
                try:
                    certificates.revoke(certificate, by=request.user, reason=form.cleaned_data["reason"])
                    done += 1
                except TansiqError as error:
                    self.message_user(request, f"{certificate}: {error.message}", messages.ERROR)
            self.message_user(
                request,
                ngettext("%(count)d certificate revoked.", "%(count)d certificates revoked.", done) % {"count": done},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revoke certificates"),
            "opts": self.model._meta,
            "form": form,
            "certificates": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/core/certificate/revoke.html", context)


# The task queue's own admin, opened to the secretariat through the same rules.
def _open_task_admin_to_rules() -> None:
    from django_tasks_db.models import DBTaskResult

    registered = admin.site._registry.get(DBTaskResult)
    if registered is not None and not isinstance(registered, RulesAdmin):
        admin.site.unregister(DBTaskResult)
        admin.site.register(DBTaskResult, type("TaskResultAdmin", (RulesAdmin, registered.__class__), {}))


_open_task_admin_to_rules()
