"""Pages of volunteers' work: the coordinator's check-in page for a shift, the volunteer's own
check-in by the shift's code, hours (the volunteer's and the organisation's), certificates, the
volunteer's dashboard and the calendar of their shifts."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tansiq.core import certificates
from tansiq.core.certificates.pdf import qr_svg
from tansiq.core.charts import Bar, column_chart
from tansiq.core.errors import TansiqError
from tansiq.core.exports import export_format, export_response
from tansiq.core.ical import Event, calendar
from tansiq.core.listing import filtered, paginate
from tansiq.core.templatetags.tansiq import num
from tansiq.network.views.errors import form_error, message_error
from tansiq.volunteers.forms.hours import (
    AttendanceForm,
    BulkApproveForm,
    CertificateForm,
    CodeForm,
    DeclineForm,
    HoursFilterForm,
    ReportHoursForm,
    RevokeForm,
)
from tansiq.volunteers.queries import hours as queries
from tansiq.volunteers.queries import profiles as profile_queries
from tansiq.volunteers.services import hours as services

PAGE_SIZE = 25


# --- The coordinator's side ----------------------------------------------------------------------------


@login_required
@require_GET
def organisation_shifts(request, slug):
    organisation = queries.organisation_for(request.user, slug)
    missing = request.GET.get("missing") == "1"
    page = paginate(request, queries.shifts_of(organisation, missing_only=missing), per_page=PAGE_SIZE)
    return render(
        request,
        "volunteers/hours/organisation_shifts.html",
        {
            "organisation": organisation,
            "page_obj": page,
            "missing": missing,
            "may_approve": request.user.has_perm("volunteers.approve_hours", organisation),
        },
    )


def _check_in_url(request, shift) -> str:
    return request.build_absolute_uri(reverse("volunteers:self_check_in", args=[shift.checkin_token]))


@login_required
def shift_check_in(request, uuid, pk):
    """The coordinator's phone page: scan (or type) volunteers' codes, show the shift's own code,
    record attendance."""
    shift = queries.shift_for(request.user, uuid, pk)
    form = CodeForm(request.POST or None, initial={"direction": "in"})
    if request.method == "POST" and form.is_valid():
        act = services.check_in if form.cleaned_data["direction"] == "in" else services.check_out
        try:
            booking = act(shift, form.cleaned_data["code"], by=request.user)
        except TansiqError as error:
            form_error(form, error)
        else:
            name = booking.application.profile.display_name
            if form.cleaned_data["direction"] == "in":
                messages.success(request, _("%(name)s is checked in.") % {"name": name})
            else:
                messages.success(request, _("%(name)s is checked out; their hours wait for approval.") % {"name": name})
            return redirect("volunteers:shift_check_in", uuid, pk)
    return render(
        request,
        "volunteers/hours/shift_check_in.html",
        {
            "shift": shift,
            "organisation": shift.opportunity.organisation,
            "may_approve": request.user.has_perm("volunteers.approve_hours", shift.opportunity.organisation),
            "form": form,
            "roster": queries.roster_of(shift),
            "shift_qr": qr_svg(_check_in_url(request, shift)),
            "attendance_choices": AttendanceForm.base_fields["attendance"].choices,
            "started": timezone.now() >= shift.starts_at,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def rotate_code(request, uuid, pk):
    shift = queries.shift_for(request.user, uuid, pk)
    services.rotate_checkin_token(shift, by=request.user)
    messages.success(request, _("The shift has a new code; the old one no longer works."))
    return redirect("volunteers:shift_check_in", uuid, pk)


@login_required
@require_POST
def attendance(request, uuid, pk):
    shift = queries.shift_for(request.user, uuid, pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        booking = queries.booking_on(shift, form.cleaned_data["booking"])
        try:
            services.record_attendance(booking, form.cleaned_data["attendance"], by=request.user)
        except TansiqError as error:
            message_error(request, error)
        else:
            messages.success(request, _("Attendance recorded."))
    else:
        messages.error(request, _("Choose attended or did not come."))
    return redirect("volunteers:shift_check_in", uuid, pk)


def _hours_rows(entries):
    for entry in entries:
        yield (
            entry.date,
            entry.profile.display_name if entry.profile else _("Erased volunteer"),
            str(entry.opportunity) if entry.opportunity else "",
            entry.hours,
            entry.get_source_display(),
            entry.get_state_display(),
            entry.note,
            entry.decline_reason,
        )


def _headers():
    return [_("Date"), _("Volunteer"), _("Opportunity"), _("Hours"), _("Source"), _("State"), _("Note"), _("Reason")]


@login_required
def organisation_hours(request, slug):
    """The organisation's volunteers' hours: filters, pagination, exports, bulk approval."""
    organisation = queries.organisation_for(request.user, slug, "volunteers.approve_hours")
    entries, filter_form = filtered(request, queries.hours_of_organisation(organisation), HoursFilterForm)
    fmt = export_format(request)
    if fmt:
        return export_response(fmt, name=f"hours-{organisation.slug}", headers=_headers(), rows=_hours_rows(entries))
    if request.method == "POST":
        ids = request.POST.getlist("entries")
        form = BulkApproveForm(request.POST, choices=[int(pk) for pk in ids if pk.isdigit()])
        if form.is_valid():
            try:
                entries = [
                    entry
                    for entry in queries.hours_entries_for(request.user, form.cleaned_data["entries"])
                    if entry.organisation_id == organisation.pk
                ]
                approved = services.approve_hours(entries, by=request.user)
            except TansiqError as error:
                message_error(request, error)
            else:
                messages.success(
                    request,
                    _("%(count)s entries approved. You may now issue certificates for them.")
                    % {"count": len(approved)},
                )
                return redirect("volunteers:organisation_certificates", organisation.slug)
        else:
            messages.error(request, _("Tick the hours to approve."))
        return redirect(request.get_full_path())
    page = paginate(request, entries, per_page=PAGE_SIZE)
    return render(
        request,
        "volunteers/hours/organisation_hours.html",
        {"organisation": organisation, "page_obj": page, "filter_form": filter_form, "may_approve": True},
    )


@login_required
@require_POST
def decline_hours(request, slug, pk):
    organisation = queries.organisation_for(request.user, slug, "volunteers.approve_hours")
    entry = queries.hours_entry_for(request.user, pk)
    if entry.organisation_id != organisation.pk:
        raise Http404
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why these hours are declined."))
    else:
        try:
            services.decline_hours(entry, by=request.user, reason=form.cleaned_data["reason"])
        except TansiqError as error:
            message_error(request, error)
        else:
            messages.success(request, _("The hours are declined; they stay on record."))
    return redirect(reverse("volunteers:organisation_hours", args=[organisation.slug]) + "?state=pending")


@login_required
@require_GET
def organisation_certificates(request, slug):
    organisation = queries.organisation_for(request.user, slug, "volunteers.approve_hours")
    return render(
        request,
        "volunteers/hours/organisation_certificates.html",
        {
            "organisation": organisation,
            "page_obj": paginate(request, queries.volunteers_to_certify(organisation), per_page=PAGE_SIZE),
            "issued": queries.certificates_of_organisation(organisation)[:5],
            "may_approve": True,
        },
    )


@login_required
@require_GET
def issued_certificates(request, slug):
    """Every certificate of hours the organisation issued, newest first, with revoking; exports."""
    organisation = queries.organisation_for(request.user, slug, "volunteers.approve_hours")
    issued = queries.certificates_of_organisation(organisation)
    fmt = export_format(request)
    if fmt:
        rows = (
            (
                certificates.format_code(certificate.code),
                certificate.holder_name,
                certificate.facts.get("hours"),
                certificate.facts.get("start"),
                certificate.facts.get("end"),
                certificate.issued_at,
                certificate.revoked_at,
            )
            for certificate in issued
        )
        headers = [_("Code"), _("Volunteer"), _("Hours"), _("From"), _("To"), _("Issued on"), _("Revoked on")]
        return export_response(fmt, name=f"certificates-{organisation.slug}", headers=headers, rows=rows)
    return render(
        request,
        "volunteers/hours/issued_certificates.html",
        {"organisation": organisation, "page_obj": paginate(request, issued, per_page=PAGE_SIZE), "may_approve": True},
    )


@login_required
def issue_certificate(request, slug, uuid):
    organisation = queries.organisation_for(request.user, slug, "volunteers.approve_hours")
    profile = queries.certified_volunteer(organisation, uuid)
    initial = {
        "start": profile.first_day,
        "end": min(profile.last_day, timezone.localdate()),
        "signatory_name": request.user.display_name,
    }
    form = CertificateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.issue_hours_certificate(organisation, profile, by=request.user, **form.cleaned_data)
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Certificate %(code)s issued.") % {"code": certificates.format_code(certificate.code)}
            )
            return redirect("volunteers:organisation_certificates", organisation.slug)
    return render(
        request,
        "volunteers/hours/issue_certificate.html",
        {"organisation": organisation, "profile": profile, "form": form, "may_approve": True},
    )


@login_required
@require_POST
def revoke_certificate(request, slug, code):
    organisation = queries.organisation_for(request.user, slug, "volunteers.approve_hours")
    certificate = queries.certificate_of_organisation(organisation, code)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the certificate is revoked."))
    else:
        try:
            certificates.revoke(certificate, by=request.user, reason=form.cleaned_data["reason"])
        except TansiqError as error:
            message_error(request, error)
        else:
            messages.success(request, _("The certificate is revoked; it now verifies as revoked."))
    return redirect("volunteers:issued_certificates", organisation.slug)


# --- The volunteer's side -----------------------------------------------------------------------------------


def hours_chart(request, profile):
    """The volunteer's approved hours of the last twelve months, numbers in the reader's digits."""
    context = {"request": request}
    bars = [
        Bar(
            label=formats.date_format(month, "M"),
            value=float(total),
            text=num(context, total),
        )
        for month, total in queries.hours_by_month(profile)
    ]
    return column_chart(bars, title=_("Approved hours by month"), rtl=get_language_bidi())


@login_required
@require_GET
def dashboard(request):
    profile = profile_queries.own_profile(request.user)
    if profile is None:
        return redirect("volunteers:profile")
    return render(
        request,
        "volunteers/hours/dashboard.html",
        {
            "profile": profile,
            "upcoming": queries.upcoming_shifts(request.user, limit=5),
            "chart": hours_chart(request, profile),
            "tier": queries.tier_of(profile),
            "certificates": queries.own_certificates(request.user)[:20],
            "pending": queries.own_hours(request.user).filter(state="pending").count(),
        },
    )


@login_required
@require_GET
def my_shifts(request):
    page = paginate(request, queries.own_shifts(request.user).order_by("-shift__starts_at", "pk"), per_page=PAGE_SIZE)
    now = timezone.now()
    rows = [
        (booking, qr_svg(booking.code) if booking.shift.ends_at >= now and booking.checked_out_at is None else "")
        for booking in page
    ]
    return render(request, "volunteers/hours/my_shifts.html", {"page_obj": page, "rows": rows})


@login_required
def my_hours(request):
    profile = profile_queries.own_profile(request.user)
    if profile is None:
        return redirect("volunteers:profile")
    entries = queries.own_hours(request.user)
    fmt = export_format(request)
    if fmt:
        return export_response(fmt, name="my-hours", headers=_headers(), rows=_hours_rows(entries))
    form = ReportHoursForm(request.POST or None, opportunities=queries.opportunities_to_report(profile))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_hours(profile, by=request.user, **form.cleaned_data)
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your hours are reported; the organisation will approve them."))
            return redirect("volunteers:my_hours")
    return render(
        request,
        "volunteers/hours/my_hours.html",
        {"form": form, "page_obj": paginate(request, entries, per_page=PAGE_SIZE), "profile": profile},
        status=422 if form.errors else 200,
    )


@login_required
def self_check_in(request, token):
    """The page the shift's QR code opens on the volunteer's phone: check in, later check out."""
    try:
        shift = services.shift_for_token(token)
    except TansiqError:
        raise Http404 from None
    booking = queries.own_booking_on(request.user, shift)
    if request.method == "POST":
        act = (
            services.check_out_with_shift_code
            if request.POST.get("direction") == "out"
            else services.check_in_with_shift_code
        )
        try:
            act(token, by=request.user)
        except TansiqError as error:
            message_error(request, error)
        else:
            messages.success(request, _("Thank you: recorded."))
        return redirect("volunteers:self_check_in", token)
    return render(request, "volunteers/hours/self_check_in.html", {"shift": shift, "booking": booking})


@login_required
def calendar_settings(request):
    """The secret address of my calendar of shifts (renew, remove) and a one-off download."""
    if request.GET.get("download") == "ics":
        return _calendar_response(request, request.user, download=True)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            services.revoke_calendar_feed(request.user, by=request.user)
            messages.success(request, _("The calendar address is removed; it no longer works."))
        else:
            services.renew_calendar_feed(request.user, by=request.user)
            messages.success(request, _("Your calendar has a new address; the previous one no longer works."))
        return redirect("volunteers:calendar")
    feed = queries.calendar_feed_of(request.user)
    url = request.build_absolute_uri(reverse("volunteers:calendar_feed", args=[feed.token])) if feed else ""
    return render(request, "volunteers/hours/calendar.html", {"feed_url": url})


def _calendar_response(request, user, *, download: bool) -> HttpResponse:
    events = []
    for booking in queries.own_shifts(user).filter(shift__ends_at__gte=timezone.now() - dt.timedelta(days=90)):
        shift, opportunity = booking.shift, booking.shift.opportunity
        events.append(
            Event(
                uid=f"booking-{booking.pk}-{booking.created_at:%Y%m%d%H%M%S}@tansiq",
                starts_at=shift.starts_at,
                ends_at=shift.ends_at,
                summary=f"{opportunity.title} · {opportunity.organisation.name}",
                location=shift.place or opportunity.address or opportunity.city,
                cancelled=shift.cancelled,
            )
        )
    response = HttpResponse(
        calendar(events, name=_("My volunteering shifts")), content_type="text/calendar; charset=utf-8"
    )
    if download:
        response["Content-Disposition"] = 'attachment; filename="my-shifts.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def calendar_feed(request, token):
    """The calendar app's subscription: anyone holding the secret address; 404 otherwise."""
    user = queries.feed_user(token)
    if user is None:
        raise Http404
    return _calendar_response(request, user, download=False)
