from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tansiq.core import health, notify, queries
from tansiq.core.dashboard import card_cache_keys, cards_for, sections_for
from tansiq.core.exports import export_format, export_response
from tansiq.core.forms import AuditFilterForm, InboxFilterForm
from tansiq.core.listing import filtered, paginate
from tansiq.core.rules import require_rule


def home(request):
    """Visitors: the network in figures. A signed-in person: what waits for their action, first."""
    from tansiq.core import actions

    today = timezone.localdate()
    # What the figures and the providers keep in the cache, read in one statement before they run.
    keys = card_cache_keys(request) + actions.cache_keys_for(request.user)
    if len(keys) > 1:
        cache.get_many(keys)
    context = {"today": today}
    if request.user.is_authenticated:
        context["actions"] = [(item, item.status(today)) for item in actions.items_for(request.user)]
        context["sections"] = sections_for(request)
    context["cards"] = cards_for(request)
    return render(request, "core/home.html", context)


@login_required
@require_GET
def inbox(request):
    notifications, form = filtered(request, queries.inbox_of(request.user), InboxFilterForm)
    page = paginate(request, notifications, per_page=25)
    kinds = {kind.name: kind.label for kind in notify.kinds()}
    template = "core/_inbox_rows.html" if request.htmx else "core/inbox.html"
    return render(request, template, {"page_obj": page, "filter_form": form, "kinds": kinds})


@login_required
@require_POST
def inbox_mark_read(request, uuid):
    notify.mark_read(request.user, queries.notification_of(request.user, uuid))
    return redirect(_back_to_inbox(request))


@login_required
@require_POST
def inbox_mark_all_read(request):
    if notify.mark_read(request.user):
        messages.success(request, _("All your messages are marked as read."))
    return redirect(_back_to_inbox(request))


def _back_to_inbox(request) -> str:
    """Back to the inbox page the person was on (its filters and page), never to another site."""
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts=None) and back.startswith("/"):
        return back
    return reverse("core:inbox")


@require_rule("core.view_audit_log")
def audit_log(request):
    entries, form = filtered(request, queries.audit_log_for(request.user), AuditFilterForm)
    fmt = export_format(request)
    if fmt and not request.user.has_perm("core.export_audit_log"):
        raise PermissionDenied
    if fmt:
        return export_response(
            fmt,
            name="audit-log",
            headers=[_("When"), _("Who"), _("Action"), _("Object type"), _("Object"), _("From"), _("To"), _("Reason")],
            rows=(
                (
                    e.at,
                    e.actor_label,
                    e.get_action_display(),
                    str(e.content_type) if e.content_type else "",
                    e.object_repr,
                    e.from_state_label,
                    e.to_state_label,
                    e.reason or e.event_label,
                )
                for e in entries.iterator(chunk_size=2000)
            ),
        )
    page = paginate(request, entries, per_page=50)
    template = "core/_audit_rows.html" if request.htmx else "core/audit_log.html"
    return render(request, template, {"page_obj": page, "filter_form": form})


@never_cache
@require_GET
def healthz(request):
    """Each component the site needs (tansiq.core.health); 503 when any of them is red."""
    healthy, checks = health.report()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks, "time": timezone.now().isoformat()},
        status=200 if healthy else 503,
    )


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def error_500(request):
    """A database fault (locked past the busy timeout, disk full, read-only) is the service being
    unavailable for a while: 503 with Retry-After. API paths answer the API's JSON error shape."""
    import sys

    from django.db import DatabaseError

    unavailable = isinstance(sys.exc_info()[1], DatabaseError)
    status = 503 if unavailable else 500
    if request.path == "/healthz":  # whatever failed before the view, monitoring gets its JSON
        checks = {"database": {"ok": False, "error": type(sys.exc_info()[1]).__name__}}
        return JsonResponse({"status": "error", "checks": checks, "time": timezone.now().isoformat()}, status=503)
    if request.path.startswith("/api/"):
        message = (
            _("The service is unavailable for a moment. Please try again shortly.")
            if unavailable
            else _("An error on our side stopped this request. It has been reported.")
        )
        code = "unavailable" if unavailable else "server_error"
        response = JsonResponse({"error": {"code": code, "message": str(message), "fields": {}}}, status=status)
    elif unavailable:
        # Without the request: its user and session would go to the database that just failed.
        from django.http import HttpResponse
        from django.template.loader import render_to_string

        try:
            response = HttpResponse(render_to_string("500.html"), status=status)
        except DatabaseError:
            response = HttpResponse(str(_("Something went wrong")), status=status, content_type="text/plain")
    else:
        response = render(request, "500.html", status=status)
    if unavailable:
        response["Retry-After"] = "30"
    return response
