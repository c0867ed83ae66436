"""What every list page shares: a filter form, pagination, export. Views stay one short function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet

PER_PAGE_CHOICES = (25, 50, 100)


@dataclass
class Listing:
    page: Page
    filters: forms.Form
    total: int
    export_formats: tuple[str, ...] = ("csv", "xlsx")

    @property
    def is_filtered(self) -> bool:
        return (
            any(v not in (None, "", []) for v in self.filters.cleaned_data.values())
            if self.filters.is_bound and self.filters.is_valid()
            else False
        )


def paginate(request, queryset: QuerySet | list, *, per_page: int = 25) -> Page:
    try:
        size = int(request.GET.get("per_page", per_page))
    except ValueError:
        size = per_page
    size = size if size in PER_PAGE_CHOICES else per_page
    paginator = Paginator(queryset, size)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def filtered(request, queryset: QuerySet, form_class: type[forms.Form]) -> tuple[QuerySet, forms.Form]:
    """Bind ``form_class`` to the query string and let it narrow ``queryset`` (``form.apply(qs)``).

    An invalid filter value is shown as an error beside its field and ignored, never a 500.
    """
    form = form_class(request.GET or None)
    if form.is_bound and form.is_valid():
        queryset = form.apply(queryset)
    return queryset, form


def export_format(request) -> str | None:
    fmt = request.GET.get("export")
    return fmt if fmt in ("csv", "xlsx") else None


def listing_context(page: Page, form: forms.Form, **extra: Any) -> dict[str, Any]:
    return {"page_obj": page, "filter_form": form, "object_list": page.object_list, **extra}
