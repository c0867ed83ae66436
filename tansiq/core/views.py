from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tansiq.core import notify, queries
from tansiq.core.dashboard import card_cache_keys, cards_for
from tansiq.core.exports import export_response
from tansiq.core.forms import AuditFilterForm, InboxFilterForm
from tansiq.core.listing import export_format, filtered, paginate
from tansiq.core.permissions import require_rule


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
                    e.from_state,
                    e.to_state,
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
    """Liveness and readiness for a load balancer: the database answers, the task queue moves."""
    checks: dict[str, dict] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # the point is to report any failure, not to raise it
        healthy = False
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    checks["tasks"] = _task_queue_health()
    checks["schedule"] = _schedule_health()
    # Only a failing database makes this web process unfit to serve (503, so a load balancer takes it
    # out); a stalled task queue is "degraded": alert on it, but keep serving pages.
    if not healthy:
        status = "error"
    elif not (checks["tasks"]["ok"] and checks["schedule"]["ok"]):
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "checks": checks, "time": timezone.now().isoformat()}, status=200 if healthy else 503
    )


def _task_queue_health() -> dict:
    from django.conf import settings

    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return {"ok": True, "backend": backend.rsplit(".", 1)[-1]}
    try:
        from django.db.models import Q
        from django_tasks_db.models import DBTaskResult, get_date_max

        # A task due for more than 15 minutes means no worker is running (or it is stuck).
        stale = timezone.now() - dt.timedelta(minutes=15)
        due = DBTaskResult.objects.ready()
        overdue = due.filter(enqueued_at__lt=stale).filter(Q(run_after=get_date_max()) | Q(run_after__lt=stale)).count()
        return {
            "ok": overdue == 0,
            "backend": "database",
            "due": due.count(),
            "failed": DBTaskResult.objects.failed().count(),
            "overdue": overdue,
        }
    except Exception as exc:
        return {"ok": False, "backend": "database", "error": exc.__class__.__name__}


def _schedule_health() -> dict:
    """Daily jobs that have run before but not yesterday or today: the scheduler has stopped."""
    from tansiq.core import schedule

    try:
        last = schedule.last_runs()
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    late = sorted(name for name, day in last.items() if day is not None and day < yesterday)
    jobs = {name: day.isoformat() if day else None for name, day in last.items()}
    return {"ok": not late, "jobs": jobs, "late": late}


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def error_500(request):
    return render(request, "500.html", status=500)
