"""Pages where unit admins keep a network's units, which only the back office could change before.

Every page asks the same ``rules`` predicates as the services and the API (through
``queries/units.py``, which answers 404 to anyone who may not act); every write is a function of
``services/units.py``.
"""

from __future__ import annotations

from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tansiq.core.errors import TansiqError
from tansiq.core.listing import paginate
from tansiq.core.rules import is_secretariat
from tansiq.core.templatetags.tansiq import digits
from tansiq.network.forms.units import (
    MoveUnitForm,
    NewUnitForm,
    UnitAdminForm,
    UnitMembersFilterForm,
    UnitNamesForm,
    UnitVersionForm,
)
from tansiq.network.queries import units as found
from tansiq.network.services import units as manage
from tansiq.network.views.errors import form_error, htmx_error_row, message_error, refuse_if_forbidden

# --- Units --------------------------------------------------------------------------------------


@login_required
def default_units(request):
    slug = found.default_units_network(request.user)
    if slug is None:
        raise Http404
    return redirect("network:units", slug)


def _unit_or_none(network, slug):
    if not slug:
        return None
    unit = network.units.filter(slug=slug).first()
    if unit is None:
        raise Http404
    return unit


@login_required
def units(request, slug):
    """The network's units as a tree; the secretariat and unit admins add units where they may."""
    network = found.network_with_units_for(request.user, slug)
    archived = request.GET.get("archived") == "1"
    secretariat = is_secretariat(request.user)
    nodes = found.unit_tree(request.user, network, archived=archived)
    places = found.units_to_place_under(request.user, network, nodes=nodes)
    form = None
    if places or secretariat:
        form = NewUnitForm(
            request.POST or None, places=places, top=secretariat, initial={"parent": request.GET.get("parent", "")}
        )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                unit = manage.add_unit(
                    network,
                    by=request.user,
                    parent=_unit_or_none(network, form.cleaned_data["parent"]),
                    kind=form.cleaned_data["kind"],
                    **form.names(),
                )
            except TansiqError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The unit has been added."))
                return redirect("network:unit", network.slug, unit.slug)
    return render(
        request,
        "network/manage/units.html",
        {
            "network": network,
            "nodes": nodes,
            "rows": _tree_rows(request, network, nodes),
            "archived": archived,
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


ARROW = '<i class="bi bi-arrow-return-right flip-rtl" aria-hidden="true"></i> '
GREY_ROW = '<tr class="text-body-secondary">'


def _tree_rows(request, network, nodes) -> SafeString:
    """The tree's table rows, written in one pass.

    A network keeps a couple of hundred units; drawn row by row through the template engine (or
    even ``format_html``) they took most of the page's time. Every text is escaped with the standard
    library's ``html.escape``, which is what Django's ``escape`` calls. The markup is what the
    template wrote.
    """
    # One address reversed for the whole tree, not one per row.
    address = escape(reverse("network:unit", args=[network.slug, "-"])[:-2])
    badge = f' <span class="badge text-bg-secondary">{escape(gettext("Archived"))}</span>'
    context = {"request": request}
    rows = []
    for node in nodes:
        name = escape(node.name)
        if node.may_add or node.may_change:
            name = f'<a href="{address}{escape(node.unit.slug)}/">{name}</a>'
        archived = node.unit.archived_at is not None
        admins = "".join(f'<li class="list-inline-item"><bdi>{escape(admin)}</bdi></li>' for admin in node.admins)
        rows.append(
            (GREY_ROW if archived else "<tr>")
            + f'<td><span class="d-inline-block ps-{node.indent}">{ARROW if node.depth else ""}{name}'
            + (badge if archived else "")
            + f"</span></td><td>{escape(node.kind)}</td><td>{escape(digits(context, node.members))}</td>"
            + (f'<td><ul class="list-inline mb-0">{admins}</ul></td></tr>' if admins else "<td>—</td></tr>")
        )
    # Every text above went through escape().
    return SafeString("\n".join(rows))


def _unit_page(request, network, unit, *, forms=None, status=200, children=None):
    """The unit's page: names, place in the tree, admins, and the organisations in it.

    The choice of a new place in the tree (every unit the user keeps) is not on the page: it comes
    with the move form, on demand (``unit_move``), only when someone moves this unit.
    """
    forms = forms or {}
    if children is None:
        children = list(unit.children.filter(archived_at=None).order_by("name", "pk"))
    may_change = request.user.has_perm("network.manage_unit", unit)
    may_add = request.user.has_perm("network.add_subunit_to_open_unit", unit)
    members_filter = UnitMembersFilterForm(request.GET or None)
    here = members_filter.here()
    members = found.members_for_unit(request.user, unit, here=here)
    if members_filter.is_bound and members_filter.is_valid():
        members = members_filter.apply(members)
    page = paginate(request, members.order_by("organisation__name", "pk"))
    context = {
        "network": network,
        "unit": unit,
        "may_change": may_change,
        "may_add": may_add,
        "here": here,
        "page_obj": page,
        "filter_form": members_filter,
        "children": children,
    }
    if request.htmx and request.method == "GET":
        return render(request, "network/manage/_unit_members.html", context)
    if may_change:
        context["names_form"] = forms.get("names") or UnitNamesForm(unit=unit)
        context["move_form"] = forms.get("move")
        context["archive_form"] = forms.get("archive") or UnitVersionForm(initial={"version": unit.version})
        context["admin_form"] = forms.get("admin") or UnitAdminForm()
    if may_add:
        context["subunit_form"] = forms.get("subunit") or NewUnitForm(
            places=[(unit.slug, str(unit.name))], top=False, initial={"parent": unit.slug}
        )
    return render(request, "network/manage/unit.html", context, status=status)


@login_required
def unit(request, slug, unit_slug):
    unit, children = found.unit_page_for(request.user, slug, unit_slug)
    return _unit_page(request, unit.network, unit, children=children)


def _unit_action(request, slug, unit_slug):
    network = found.network_with_units_for(request.user, slug)
    return network, found.unit_for(request.user, network, unit_slug)


@login_required
@require_POST
def unit_rename(request, slug, unit_slug):
    network, unit = _unit_action(request, slug, unit_slug)
    form = UnitNamesForm(request.POST)
    if form.is_valid():
        try:
            manage.rename_unit(
                unit,
                by=request.user,
                version=form.cleaned_data["version"] or 0,
                kind=form.cleaned_data["kind"],
                **form.names(),
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The unit has been saved."))
            return redirect("network:unit", network.slug, unit.slug)
    return _unit_page(request, network, unit, forms={"names": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def unit_move(request, slug, unit_slug):
    """Move a unit: the form lists every place the user may put it (htmx loads it into the unit's
    page; without JavaScript it is a page of its own)."""
    network, unit = _unit_action(request, slug, unit_slug)
    if request.method == "GET" and not request.user.has_perm("network.manage_unit", unit):
        # Those who may not move it get no list of places (a move they post is refused by the service).
        raise Http404
    form = MoveUnitForm(
        request.POST or None,
        unit=unit,
        places=found.units_to_place_under(request.user, network, moving=unit),
        top=is_secretariat(request.user),
    )
    if request.method == "GET":
        context = {"network": network, "unit": unit, "move_form": form}
        if request.htmx:
            return render(request, "network/manage/_unit_move.html", context)
        return render(request, "network/manage/unit_move.html", context)
    if form.is_valid():
        try:
            manage.move_unit(
                unit,
                by=request.user,
                version=form.cleaned_data["version"],
                parent=_unit_or_none(network, form.cleaned_data["parent"]),
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The unit has been moved."))
            return redirect("network:unit", network.slug, unit.slug)
    return _unit_page(request, network, unit, forms={"move": form}, status=400)


@login_required
@require_POST
def unit_archive(request, slug, unit_slug):
    network, unit = _unit_action(request, slug, unit_slug)
    restoring = unit.archived_at is not None
    form = UnitVersionForm(request.POST)
    if form.is_valid():
        try:
            if restoring:
                manage.restore_unit(unit, by=request.user, version=form.cleaned_data["version"])
            else:
                manage.archive_unit(
                    unit, by=request.user, version=form.cleaned_data["version"], reason=form.cleaned_data["reason"]
                )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("The unit has been restored.") if restoring else _("The unit has been archived.")
            )
            return redirect("network:unit", network.slug, unit.slug)
    else:
        form.add_error(None, _("Reload the page and try again."))
    return _unit_page(request, network, unit, forms={"archive": form}, status=400)


@login_required
@require_POST
def unit_add_subunit(request, slug, unit_slug):
    network, unit = _unit_action(request, slug, unit_slug)
    form = NewUnitForm(request.POST, places=[(unit.slug, str(unit.name))], top=False)
    if form.is_valid():
        try:
            child = manage.add_unit(
                network, by=request.user, parent=unit, kind=form.cleaned_data["kind"], **form.names()
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The unit has been added."))
            return redirect("network:unit", network.slug, child.slug)
    return _unit_page(request, network, unit, forms={"subunit": form}, status=400)


@login_required
@require_POST
def unit_add_admin(request, slug, unit_slug):
    network, unit = _unit_action(request, slug, unit_slug)
    form = UnitAdminForm(request.POST)
    if form.is_valid():
        try:
            person = manage.add_unit_admin(unit, by=request.user, email=form.cleaned_data["email"])
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(person)s is now an admin of the unit.") % {"person": person})
            return redirect("network:unit", network.slug, unit.slug)
    return _unit_page(request, network, unit, forms={"admin": form}, status=400)


@login_required
@require_POST
def unit_remove_admin(request, slug, unit_slug, person):
    network, unit = _unit_action(request, slug, unit_slug)
    user = found.admin_of(unit, person)
    try:
        manage.remove_unit_admin(unit, by=request.user, user=user)
    except TansiqError as error:
        message_error(request, error)
    else:
        messages.success(request, _("%(person)s is no longer an admin of the unit.") % {"person": user})
    return redirect("network:unit", network.slug, unit.slug)


@login_required
@require_POST
def unit_place_member(request, slug, unit_slug, membership):
    network, unit = _unit_action(request, slug, unit_slug)
    membership = found.membership_in_network(unit, membership)
    if not request.user.has_perm("network.move_member", membership):
        raise Http404
    try:
        manage.place_member(membership, by=request.user, unit=unit)
    except TansiqError as error:
        refuse_if_forbidden(error)
        if request.htmx:
            return htmx_error_row(error, columns=5)
        messages.error(request, error.message)
    else:
        if request.htmx:
            return HttpResponse("")
        messages.success(
            request, _("%(organisation)s is now in this unit.") % {"organisation": membership.organisation.name}
        )
    return redirect(reverse("network:unit", args=[network.slug, unit.slug]) + "?where=elsewhere")
