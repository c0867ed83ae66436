"""The public verification pages and the holder's PDF."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tansiq.core import certificates
from tansiq.core.apitools import RateLimit
from tansiq.core.certificates.pdf import render_pdf
from tansiq.core.forms import CertificateCodeForm

_limit = RateLimit("TANSIQ_CERTIFICATE_RATE", "TANSIQ_CERTIFICATE_RATE", scope="certificates")


def _page(request, form, *, certificate=None, status=200, **context):
    if certificate is not None:
        context.update(
            certificate=certificate,
            kind=certificates.kind_of(certificate),
            facts=certificates.printed_facts(certificate),
            code=certificates.format_code(certificate.code),
            may_download=certificates.may_download(request.user, certificate),
        )
    return render(request, "certificates/verify.html", {"form": form, **context}, status=status)


def _too_many(request, form):
    response = _page(request, form, status=429)
    response["Retry-After"] = str(max(1, int(_limit.wait() or 1)))
    return response


@require_GET
def verify(request):
    """The form to type a code; a known code goes to its certificate's page."""
    if "code" not in request.GET:
        return _page(request, CertificateCodeForm())
    form = CertificateCodeForm(request.GET)
    if not form.is_valid():
        return _page(request, form)
    if not _limit.allow_request(request):
        form.add_error("code", _("Too many requests. Please wait and try again."))
        return _too_many(request, form)
    certificate = certificates.verify(form.cleaned_data["code"])
    if certificate is None:
        return _page(request, form, not_found=True, status=404)
    return redirect("certificates:certificate", code=certificate.code)


@require_GET
def certificate(request, code):
    """Valid or revoked, and what the certificate prints; nothing else about anyone."""
    form = CertificateCodeForm(initial={"code": code})
    if not _limit.allow_request(request):
        form = CertificateCodeForm({"code": code})
        form.is_valid()
        form.add_error("code", _("Too many requests. Please wait and try again."))
        return _too_many(request, form)
    found = certificates.verify(code)
    if found is None:
        return _page(request, form, not_found=True, status=404)
    if found.code != code:  # typed with dashes or in lower case: the one address of the certificate
        return redirect("certificates:certificate", code=found.code)
    form = CertificateCodeForm(initial={"code": certificates.format_code(found.code)})
    return _page(request, form, certificate=found)


@require_GET
def certificate_pdf(request, code):
    """The PDF, to the holder and to whom the kind allows; anyone else gets the same 404 as for a
    code that does not exist."""
    found = certificates.verify(code)
    if found is None or found.code != code or not certificates.may_download(request.user, found):
        raise Http404
    with translation.override(found.language):  # the page in the language the certificate speaks
        verify_url = request.build_absolute_uri(reverse("certificates:certificate", kwargs={"code": found.code}))
    response = HttpResponse(render_pdf(found, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{found.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
