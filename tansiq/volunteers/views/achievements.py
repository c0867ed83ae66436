"""The network's yearly achievements in volunteering: a public page of aggregates with SVG charts,
its PDF (WeasyPrint, in the reader's language) and a CSV/XLSX download."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tansiq.core.exports import export_format, export_response
from tansiq.network.queries.directory import network_for
from tansiq.volunteers.forms.achievements import YearForm
from tansiq.volunteers.queries import achievements as queries


def achievements(request, slug):
    """A chosen year; by default the last full year, beside the current year to date."""
    network = network_for(request.user, slug)
    form = YearForm(request.GET or None)
    chosen = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
    figures = queries.achievements(network, chosen or queries.default_year())
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt,
            name=f"{network.slug}-volunteering-{figures.year}",
            headers=[_("Section"), _("Name"), _("Value")],
            rows=figures.rows(),
        )
    if request.GET.get("format") == "pdf":
        return _pdf(network, figures)
    context = {
        "network": network,
        "figures": figures,
        "form": form,
        "years": queries.years_with_figures(),
        "to_date": None if chosen else queries.achievements(network, queries.default_year() + 1),
    }
    return render(request, "volunteers/achievements/page.html", context)


def _pdf(network, figures) -> HttpResponse:
    from tansiq.core.certificates.pdf import font_urls, pdf_of_html

    html = render_to_string(
        "volunteers/achievements/pdf.html",
        {
            "network": network,
            "figures": figures,
            "fonts": font_urls(),
            "LANGUAGE_BIDI": translation.get_language_bidi(),
            "LANGUAGE_CODE": translation.get_language(),
        },
    )
    response = HttpResponse(pdf_of_html(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{network.slug}-volunteering-{figures.year}-{translation.get_language()}.pdf"'
    )
    return response
