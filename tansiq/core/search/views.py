from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tansiq.core.errors import TansiqError
from tansiq.core.search import queries
from tansiq.core.search.forms import SearchForm
from tansiq.core.search.parsing import MAX_QUERY_LENGTH

PER_PAGE = 20


class _Counted:
    """What a Paginator needs of a result list it never holds: its length."""

    def __init__(self, total: int) -> None:
        self.total = total

    def count(self) -> int:
        return self.total


@require_GET
def search(request):
    """Everything the reader may see, in one list; typing in the box refreshes the results (htmx)."""
    form = SearchForm(request.GET or None)
    results = page_obj = None
    # A keystroke in the box asks for the results only; the last word is read as a prefix.
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    typing = partial and request.htmx.trigger_name == "q"
    if form.is_valid() and form.cleaned_data["q"]:
        try:
            results, page_obj = _search_page(request, form.cleaned_data, as_you_type=typing)
        except TansiqError as error:
            form.add_error(error.field, error.message)
    template = "search/_results.html" if partial else "search/search.html"
    context = {"form": form, "results": results, "page_obj": page_obj, "max_length": MAX_QUERY_LENGTH}
    return render(request, template, context)


def _search_page(request, data: dict, *, as_you_type: bool) -> tuple[queries.Results, Page]:
    try:
        number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        number = 1
    limit = queries.CANDIDATES  # the deepest result a reader can page to
    number = min(number, limit // PER_PAGE)

    def run(number: int) -> queries.Results:
        return queries.search(
            data["q"],
            user=request.user,
            filters={"kind": data["kind"], "country": data["country"]},
            limit=PER_PAGE,
            offset=(number - 1) * PER_PAGE,
            as_you_type=as_you_type,
        )

    results = run(number)
    paginator = Paginator(_Counted(min(results.total, limit)), PER_PAGE)
    if number > paginator.num_pages and results.total:
        number = paginator.num_pages
        results = run(number)
    return results, Page(results.hits, number, paginator)
