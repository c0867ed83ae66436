from __future__ import annotations

from html import escape

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from tansiq.core import i18n
from tansiq.core.countries import country_name
from tansiq.core.errors import TansiqError
from tansiq.core.exports import build_dataset, export_format, export_response
from tansiq.core.listing import paginate
from tansiq.core.templatetags.tansiq import num
from tansiq.core.workflow import allowed_targets
from tansiq.network import caching, search, worldmap
from tansiq.network.forms.registry import (
    DirectoryFilterForm,
    OrganisationForm,
    SeatForm,
    StatusChangeForm,
)
from tansiq.network.models import NetworkMembership, Organisation
from tansiq.network.queries import admission as admission_queries
from tansiq.network.queries import directory as queries
from tansiq.network.services import committees as committees_services
from tansiq.network.services import registry as services
from tansiq.network.views.errors import form_error


def default_directory(request):
    slug = queries.default_network_slug()
    if slug is None:
        raise Http404
    return redirect("network:directory", slug)


def _members_by_place(request, network) -> dict:
    """Where the admitted members are, cached per network, language and digits: the members-by-
    country map and its table, or, for a national council (every member in one country), a table
    by state or region (the organisations' ``region``) and no map."""

    context = {"request": request}
    key = caching.world_map_key(request, network)
    cached = cache.get(key)
    if cached is None:
        admitted = NetworkMembership.objects.admitted().filter(network=network)
        rows = admitted.values_list("organisation__country").annotate(members=Count("pk"))
        counts = {str(code): members for code, members in rows if code}
        if len(counts) == 1:
            cached = {"svg": "", "rows": _by_region(context, admitted), "country": country_name(next(iter(counts)))}
        else:
            cached = _world_map(context, counts)
        cache.set(key, cached, caching.WORLD_MAP_SECONDS)
    return {**cached, "svg": mark_safe(cached["svg"])}  # noqa: S308 - every text in it is escaped


def _by_region(context, admitted) -> list[tuple[str, str]]:
    """(state or region, members shown in the reader's digits), most members first; the members
    that give none last."""
    counts: dict[str, int] = {}
    for region, members in admitted.values_list("organisation__region").annotate(members=Count("pk")):
        name = " ".join((region or "").split())
        counts[name] = counts.get(name, 0) + members
    named = sorted(
        ((name, members) for name, members in counts.items() if name),
        key=lambda row: (-row[1], i18n.collation_key(row[0])),
    )
    rows = [(name, num(context, members)) for name, members in named]
    if counts.get(""):
        rows.append((str(_("State or region not given")), num(context, counts[""])))
    return rows


def _world_map(context, counts: dict[str, int]) -> dict:
    breaks = worldmap.class_breaks(counts)
    table = sorted(
        ((country_name(code), num(context, members), code) for code, members in counts.items()),
        key=lambda row: (-counts[row[2]], i18n.collation_key(row[0])),
    )
    titles = {
        code: ngettext("%(country)s: %(count)s member", "%(country)s: %(count)s members", counts[code])
        % {"country": name, "count": shown}
        for name, shown, code in table
    }
    labels = worldmap.Labels(
        title=_("Members by country"),
        description=i18n.join_list(titles[code] for _name, _shown, code in table[:10]),
        legend_title=_("Members"),
        ranges=[num(context, lo) if lo == hi else f"{num(context, lo)}–{num(context, hi)}" for lo, hi in breaks],
        empty=_("No members"),
        countries=titles,
    )
    svg = worldmap.render(counts, breaks=breaks, labels=labels, rtl=translation.get_language_bidi())
    return {"svg": svg, "rows": [(name, shown) for name, shown, _code in table], "country": ""}


def network_home(request, slug):
    network = queries.network_for(request.user, slug)
    caching.prime_network_home(request, network)
    stats = queries.network_stats(network)
    categories = [(label, stats.by_category[value]) for value, label in NetworkMembership.Category.choices]
    return render(
        request,
        "network/network_home.html",
        {
            "network": network,
            "stats": stats,
            "categories": categories,
            "committees": queries.committees_of(network),
            # Archived units are history kept for the register, not part of the network's face.
            "units": network.units.filter(parent=None, archived_at=None),
            "world_map": _members_by_place(request, network),
            "may_apply": admission_queries.organisations_that_may_apply(request.user, network),
        },
    )


def directory(request, slug):
    network = queries.network_for(request.user, slug)
    staff = queries.may_see_all_statuses(request.user)
    choices_vary, results_key = caching.prime_directory(request, network, staff=staff)
    form = DirectoryFilterForm(request.GET or None, network=network, staff=staff)

    def members() -> queries.MemberList:
        # With a search, the index finds (and ranks) what the reader may see; the filters narrow that.
        return queries.MemberList(request.user, network, form.filters(), see_all_statuses=staff)

    fmt = request.GET.get("export")
    if fmt == "hxl":
        return _hxl_export(network, members())
    if export_format(request):
        return _export(export_format(request), network, members(), staff=staff)
    context = {"network": network, "filter_form": form, "staff": staff, "choices_vary": choices_vary}
    results = cache.get(results_key) if results_key else None
    if results is None:
        found = members()
        page = paginate(request, found, per_page=25)
        results_context = {
            **context,
            "page_obj": page,
            "member_rows": _member_rows(page.object_list, staff=staff),
            "searched": found.searched,
            "more_than": search.WINDOW if found.matches and found.matches.more else None,
        }
        results = render_to_string("network/_directory_rows.html", results_context, request)
        if results_key:
            cache.set(results_key, results, caching.VISITOR_RESULTS_SECONDS)
    else:
        # A visitor's results as rendered under the registry's current version; the page itself is
        # read only if something asks for it (nothing in the templates does).
        page = SimpleLazyObject(lambda: paginate(request, members(), per_page=25))
    # The results were rendered from escaped texts (the template, and _member_rows).
    context.update(page_obj=page, results=mark_safe(results))  # noqa: S308
    template = "network/_directory_results.html" if request.htmx else "network/directory.html"
    return render(request, template, context)


def _member_rows(memberships, *, staff: bool) -> SafeString:
    """The directory's table rows, written in one pass (docs/decisions/0016).

    Drawn through the template engine the 25 rows took most of the page's time (a ``{% with %}``,
    an address reversed, five labels translated and three choices looked up per row). Here the
    address is reversed and the labels translated once; each choice is translated once per request.
    Every text is escaped with the standard library's ``html.escape``, which is what Django's
    ``escape`` calls; the markup is what the template wrote.
    """
    address = escape(reverse("network:organisation", args=["-"])[:-2])
    language = translation.get_language()
    label = {name: escape(_(name)) for name in ("Country", "City", "Type", "Category", "Status")}
    types, categories, statuses = (
        {value: escape(str(text)) for value, text in choices}
        for choices in (Organisation.Type.choices, NetworkMembership.Category.choices, NetworkMembership.Status.choices)
    )
    countries: dict[str, str] = {}
    rows = []
    for membership in memberships:
        organisation = membership.organisation
        code = str(organisation.country or "")
        if code not in countries:
            countries[code] = escape(country_name(code, language))
        acronym = organisation.acronym
        rows.append(
            "\n      <tr>\n"
            f'        <td class="stack-title"><a href="{address}{escape(organisation.slug)}/">'
            f"<bdi>{escape(organisation.name)}</bdi></a>"
            + (f' <bdi class="text-body-secondary small">({escape(acronym)})</bdi>' if acronym else "")
            + "</td>\n"
            f'        <td data-label="{label["Country"]}">{countries[code]}</td>\n'
            f'        <td data-label="{label["City"]}"><bdi>{escape(organisation.city)}</bdi></td>\n'
            f'        <td data-label="{label["Type"]}">{types.get(organisation.type, escape(organisation.type))}</td>\n'
            f'        <td data-label="{label["Category"]}">'
            f"{categories.get(membership.category, escape(membership.category))}</td>\n"
            + "        "
            + (
                f'<td data-label="{label["Status"]}">{statuses.get(membership.status, escape(membership.status))}</td>'
                if staff
                else ""
            )
            + "\n      </tr>\n    "
        )
    # Every text above went through escape().
    return SafeString("".join(rows))


def _export_rows(members: queries.MemberList, *, staff: bool):
    for membership in members:
        organisation = membership.organisation
        row = [
            organisation.name,
            organisation.legal_name,
            organisation.acronym,
            organisation.get_type_display(),
            organisation.country.code,
            country_name(organisation.country.code),
            organisation.region,
            organisation.city,
            "; ".join(area.name for area in organisation.focus_areas.all()),
            organisation.website,
            membership.get_category_display(),
        ]
        if staff:
            row.append(membership.get_status_display())
        yield row


def _export(fmt: str, network, memberships, *, staff: bool) -> HttpResponse:
    # Public fields only, whoever downloads: the list is the directory, not the register.
    headers = [
        _("Name"),
        _("Legal name"),
        _("Acronym"),
        _("Type"),
        _("Country code"),
        _("Country"),
        _("State or province"),
        _("City"),
        _("Focus areas"),
        _("Website"),
        _("Category"),
    ]
    if staff:
        headers.append(_("Status"))
    return export_response(
        fmt, name=f"{network.slug}-members", headers=headers, rows=_export_rows(memberships, staff=staff)
    )


HXL_COLUMNS = [
    (gettext_lazy("Name"), "#org+name"),
    (gettext_lazy("Acronym"), "#org+acronym"),
    (gettext_lazy("Type"), "#org+type"),
    (gettext_lazy("Country code"), "#country+code"),
    (gettext_lazy("State or province"), "#adm1+name"),
    (gettext_lazy("Focus areas"), "#sector"),
]


def _hxl_export(network, memberships) -> HttpResponse:
    """The directory as HXL-tagged CSV (humanitarian exchange language): headers, then tags."""

    def rows():
        yield [tag for _label, tag in HXL_COLUMNS]
        for row in _export_rows(memberships, staff=False):
            yield [row[0], row[2], row[3], row[4], row[6], row[8]]

    data = build_dataset([label for label, _tag in HXL_COLUMNS], rows())
    response = HttpResponse("\ufeff" + data.export("csv"), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-members-hxl-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def organisation_profile(request, slug):
    organisation, editable = queries.organisation_for(request.user, slug)
    private = request.user.is_authenticated and rules.has_perm(
        "network.view_private_details", request.user, organisation
    )
    memberships = [
        (membership, allowed_targets(membership, request.user) if private else [])
        for membership in organisation.network_memberships.select_related("network", "unit")
        if private or membership.status == NetworkMembership.Status.ADMITTED
    ]
    return render(
        request,
        "network/organisation.html",
        {
            "organisation": organisation,
            "editable": editable,
            "private": private,
            "manages_people": private and rules.has_perm("network.manage_people", request.user, organisation),
            "applies": rules.has_perm("network.apply_for_membership", request.user, organisation),
            "contacts": queries.contacts_visible_to(request.user, organisation),
            "focus_areas": organisation.focus_areas.all(),
            "memberships": memberships,
            "country": country_name(organisation.country.code),
        },
    )


@login_required
def organisation_edit(request, slug):
    organisation, editable = queries.organisation_for(request.user, slug)
    if not editable:
        raise Http404
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                Organisation.objects.get(pk=organisation.pk),
                by=request.user,
                version=form.cleaned_data["version"],
                focus_areas=form.cleaned_data["focus_areas"],
                **form.profile_values(),
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect("network:organisation", organisation.slug)
    return render(request, "network/organisation_edit.html", {"organisation": organisation, "form": form})


@login_required
@require_POST
def membership_status(request, uuid):
    membership, targets = queries.network_membership_for(request.user, uuid)
    if not targets:
        raise Http404
    form = StatusChangeForm(request.POST, targets=targets)
    if form.is_valid():
        try:
            services.change_membership_status(
                membership,
                to=form.cleaned_data["to"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
            )
        except TansiqError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The membership status has been changed."))
    else:
        messages.error(request, _("Choose the new status and give the date and the reason."))
    return redirect("network:organisation", membership.organisation.slug)


def committee(request, slug, committee_slug):
    network = queries.network_for(request.user, slug)
    committee, manageable = queries.committee_for(request.user, network, committee_slug)
    form = SeatForm(request.POST or None, committee=committee) if manageable else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                committees_services.add_committee_seat(
                    committee, by=request.user, organisation=form.cleaned_data["organisation"]
                )
            except TansiqError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The seat has been added."))
                return redirect("network:committee", network.slug, committee.slug)
    return render(
        request,
        "network/committee.html",
        {
            "network": network,
            "committee": committee,
            "seats": queries.seats_visible_to(request.user, committee),
            "show_representatives": queries.may_see_representatives(request.user, network),
            "form": form,
        },
    )
