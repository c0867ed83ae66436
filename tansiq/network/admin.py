from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from tansiq.core.admin import RulesAdmin
from tansiq.core.errors import TansiqError
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
from tansiq.network.services import committees


class VacatesOfficesOnDelete:
    """Deleting rows that carry committee seats (the seats themselves, memberships, organisations)
    may leave a chair or vice-chair without a seat: the office becomes vacant, audited, and the
    secretariat is told (``committees.vacate_offices``), in the deletion's transaction."""

    office_cause = committees.SEAT_CHANGED

    def seats_behind(self, queryset):
        raise NotImplementedError

    def _deleting(self, request, queryset, delete) -> None:
        with transaction.atomic():
            at_stake, people = committees.offices_at_stake(self.seats_behind(queryset))
            at_stake = list(at_stake.values_list("pk", flat=True))
            delete()
            committees.vacate_offices(
                Committee.objects.filter(pk__in=at_stake), people=people, by=request.user, cause=self.office_cause
            )

    def delete_model(self, request, obj):
        self._deleting(
            request,
            type(obj).objects.filter(pk=obj.pk),
            lambda: super(VacatesOfficesOnDelete, self).delete_model(request, obj),
        )

    def delete_queryset(self, request, queryset):
        self._deleting(
            request, queryset, lambda: super(VacatesOfficesOnDelete, self).delete_queryset(request, queryset)
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
class OrganisationAdmin(VacatesOfficesOnDelete, RulesAdmin, TranslationAdmin):
    list_display = ["name", "acronym", "type", "country", "city", "updated_at"]
    list_filter = ["type", "country"]
    search_fields = ["name_ar", "name_en", "name_ms", "legal_name", "acronym", "slug"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["focus_areas"]
    readonly_fields = ["annual_return_due", "version", "updated_at"]
    inlines = [ContactInline, MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    office_cause = committees.MEMBERSHIP_ENDED

    def seats_behind(self, queryset):
        return CommitteeSeat.objects.filter(organisation__in=queryset.values("pk"))

    def save_model(self, request, obj, form, change):
        # A back-office save also makes any open profile form stale.
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(VacatesOfficesOnDelete, RulesAdmin):
    list_display = ["organisation", "network", "unit", "category", "status", "admitted_on"]
    list_filter = ["network", "status", "category"]
    search_fields = ["organisation__name_ar", "organisation__name_en", "organisation__acronym"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation", "network", "unit"]
    office_cause = committees.MEMBERSHIP_ENDED

    def seats_behind(self, queryset):
        memberships = queryset.filter(organisation=OuterRef("organisation"), network=OuterRef("committee__network"))
        return CommitteeSeat.objects.filter(Exists(memberships))

    def get_readonly_fields(self, request, obj=None):
        # Representatives are named on the member's representatives page (or its API), where the
        # person is checked to act for the organisation and the seats and offices follow.
        named = ["representative", "alternate"]
        # Once recorded, the status moves only through the workflow (audited, with a reason).
        return [*named, "status", "status_changed_on", "status_reason"] if obj else named


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


class CommitteeForm(forms.ModelForm):
    """The chair and the vice-chair are chosen among the committee's seated representatives
    (``committees.check_offices``): the lists offer only them (and whoever holds the office now,
    so that a holder who lost their seat is shown and refused rather than silently dropped)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        holders = [pk for pk in (self.instance.chair_id, self.instance.vice_chair_id) if pk]
        seated = committees.qualifying_seats(self.instance).values("representative_id")
        people = get_user_model().objects.filter(Q(pk__in=seated) | Q(pk__in=holders)).order_by("display_name", "email")
        for office in committees.OFFICES:
            if office in self.fields:
                self.fields[office].queryset = people
                self.fields[office].error_messages["invalid_choice"] = _(
                    "Choose one of the representatives seated on this committee, or leave the office vacant."
                )

    def clean(self):
        data = super().clean()
        network = data.get("network")
        if network is None or any(office in self.errors for office in committees.OFFICES):
            return data
        # The seats as saved; a change to the seats in the same form is weighed by the seats' formset.
        candidate = Committee(pk=self.instance.pk, network=network)
        try:
            committees.check_offices(candidate, chair=data.get("chair"), vice_chair=data.get("vice_chair"))
        except TansiqError as error:
            self.add_error(error.field, error.message)
        return data


class CommitteeSeatFormSet(BaseInlineFormSet):
    """Seats removed or given to someone else in the committee's form must not take the seat of
    the chair or vice-chair the same form keeps or names."""

    def clean(self):
        super().clean()
        committee = self.instance
        if not getattr(committee, "_offices_pending", False) or any(self.errors):
            return  # the committee's own form is invalid: nothing is saved, its errors are shown
        removed, added = [], []
        for form in self.forms:
            deleted = self.can_delete and self._should_delete_form(form)
            if not (deleted or form.has_changed()):
                continue
            if form.instance.pk is not None:
                removed.append(form.instance.pk)
            organisation, person = form.cleaned_data.get("organisation"), form.cleaned_data.get("representative")
            if not deleted and organisation is not None and person is not None:
                added.append((organisation.pk, person.pk))
        if not (removed or added):
            return
        try:
            committees.check_offices(
                committee,
                chair=committee.chair,
                vice_chair=committee.vice_chair,
                seats_removed=removed,
                seats_added=added,
            )
        except TansiqError as error:
            raise ValidationError(str(error.message)) from None


class CommitteeSeatInline(admin.TabularInline):
    model = CommitteeSeat
    formset = CommitteeSeatFormSet
    extra = 0
    autocomplete_fields = ["organisation", "representative"]


@admin.register(Committee)
class CommitteeAdmin(RulesAdmin, TranslationAdmin):
    """Offices are checked with the seats, in the admin's transaction (``committees.check_offices``
    locks what it read until the save commits)."""

    form = CommitteeForm
    list_display = ["name", "network", "kind", "chair", "vice_chair", "term_start", "term_end"]
    list_filter = ["network", "kind"]
    list_select_related = ["network", "chair", "vice_chair"]
    search_fields = ["name_ar", "name_en", "name_ms", "slug"]
    inlines = [CommitteeSeatInline]

    def save_form(self, request, form, change):
        committee = super().save_form(request, form, change)
        # Read by the seats' formset, validated next against the offices this form names.
        committee._offices_pending = True
        return committee


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(VacatesOfficesOnDelete, RulesAdmin):
    """A seat given to someone else here vacates an office its former representative held."""

    list_display = ["committee", "organisation", "representative", "since"]
    list_filter = ["committee__network", "committee"]
    autocomplete_fields = ["committee", "organisation", "representative"]
    search_fields = ["organisation__name_en", "organisation__name_ar"]

    def seats_behind(self, queryset):
        return queryset

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = CommitteeSeat.objects.none()
            if change:
                before = CommitteeSeat.objects.select_for_update().filter(pk=obj.pk)
            at_stake, people = committees.offices_at_stake(before)
            at_stake = list(at_stake.values_list("pk", flat=True))
            super().save_model(request, obj, form, change)
            committees.vacate_offices(
                Committee.objects.filter(pk__in=at_stake), people=people, by=request.user, cause=committees.SEAT_CHANGED
            )


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
