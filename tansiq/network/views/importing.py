"""The secretariat's member-list import: upload, dry run with every row's errors, then confirm.

Between the dry run and the confirmation the file waits in private storage (never under a URL),
named by a random token that only this session knows; confirming starts a background job that
re-reads and re-checks it, imports it and deletes it, while the page shows its progress. A file
never confirmed is deleted the next day (``importing.delete_stale_uploads``).
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tansiq.core import jobs
from tansiq.core.errors import TansiqError
from tansiq.core.models import BackgroundJob
from tansiq.core.validators import MaxUploadSize
from tansiq.network.documents import private_storage
from tansiq.network.queries import directory as queries
from tansiq.network.services import importing

SESSION_KEY = "tansiq_member_imports"
ERRORS_SHOWN = 500


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Member list (CSV or XLSX)"),
        validators=[FileExtensionValidator(["csv", "xlsx", "txt", "tsv"]), MaxUploadSize()],
        help_text=gettext_lazy("Column headers may be in Arabic, English or Malay. CSV: UTF-8 or Windows-1256."),
    )


@login_required
def import_members(request, slug):
    network = queries.network_for(request.user, slug)
    if not request.user.has_perm("network.import_members", network):
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, network)
    form = ImportForm(request.POST or None, request.FILES or None)
    plan, token = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            plan = importing.dry_run(network, content=content, filename=upload.name)
        except TansiqError as error:
            form.add_error("file", str(error.message))
        else:
            if not plan.errors:
                token = _keep(request, network, content, upload.name)
    return render(
        request,
        "network/import.html",
        {
            "network": network,
            "form": form,
            "plan": plan,
            "summary": plan.summary if plan else None,
            "errors": plan.errors[:ERRORS_SHOWN] if plan else [],
            "token": token,
            "columns": [(importing.field_label(name), synonyms) for name, synonyms in importing.COLUMNS.items()],
        },
    )


def _keep(request, network, content: bytes, filename: str) -> str:
    """Store the checked file until it is confirmed; a session keeps one pending file per network."""
    storage = private_storage()
    pending = request.session.get(SESSION_KEY, {})
    for token, entry in list(pending.items()):
        if entry["network"] == network.pk:
            storage.delete(entry["path"])
            del pending[token]
    token = uuid.uuid4().hex
    extension = filename.rsplit(".", 1)[-1].lower()
    path = storage.save(f"imports/{token}.{extension}", ContentFile(content))
    pending[token] = {"network": network.pk, "path": path, "filename": filename[:200]}
    request.session[SESSION_KEY] = pending
    return token


def _confirm(request, network):
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    storage = private_storage()
    if entry is None or entry["network"] != network.pk or not storage.exists(entry["path"]):
        messages.info(request, _("This import has already been run or has expired. Upload the file again if needed."))
        return redirect("network:directory", network.slug)
    # The import runs in the background (a large file takes a while); its page shows the progress.
    job = jobs.start(
        importing.JOB_KIND,
        owner=request.user,
        subject=f"network:{network.pk}",
        arguments={"network": network.pk, "path": entry["path"], "filename": entry["filename"], "token": token},
        task=importing.run_member_import,
    )
    return redirect("network:import_progress", network.slug, job.pk)


@login_required
def import_progress(request, slug, job_id):
    """The import's progress, polled by htmx every second until it is done; then its outcome."""
    network = queries.network_for(request.user, slug)
    job = get_object_or_404(
        BackgroundJob, pk=job_id, kind=importing.JOB_KIND, subject=f"network:{network.pk}", owner=request.user
    )
    template = "network/_import_progress.html" if request.htmx else "network/import_progress.html"
    return render(request, template, {"network": network, "job": job, "summary": job.result})
