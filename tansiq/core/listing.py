"""What every list page shares: a filter form bound to the query string, and pagination."""

from __future__ import annotations

from django import forms
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet

PER_PAGE_CHOICES = (25, 50, 100)


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
