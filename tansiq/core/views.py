from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tansiq.core import queries
from tansiq.core.dashboard import cards_for
from tansiq.core.exports import export_format, export_response
from tansiq.core.forms import AuditFilterForm
from tansiq.core.listing import filtered, paginate
from tansiq.core.rules import require_rule


def home(request):
    return render(request, "core/home.html", {"cards": cards_for(request), "today": timezone.localdate()})


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
