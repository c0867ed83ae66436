"""The floor: a one-file plain-Django page that renders 25 organisations as a right-to-left table.

It is what Django itself costs for a page like the members directory, on the same settings (the
same middleware, database, cache and installed apps: everything of ``tansiq.settings``) but none of
Tansiq's page code: one query, one small template with a loop, no context processors, no base
layout. ``benchmarks/throughput.py`` serves it with gunicorn beside ``tansiq serve`` and compares
throughputs. It is served exactly as Tansiq is, by ``tansiq serve`` (the same gunicorn options and
WSGI application), only with this module as the settings::

    DJANGO_SETTINGS_MODULE=benchmarks._floor tansiq serve

This module is at once the settings, the URLconf and the view.
"""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path

from tansiq.settings import *  # noqa: F403 - the floor runs on Tansiq's own settings

ROOT_URLCONF = __name__
ROWS = 25

TEMPLATE = """<!doctype html>
<html lang="{{ LANGUAGE_CODE }}" dir="rtl">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<main>
<h1>{{ title }}</h1>
<table class="table table-hover align-middle">
<thead><tr>
<th scope="col">Name</th><th scope="col">Country</th><th scope="col">City</th><th scope="col">Type</th>
</tr></thead>
<tbody>
{% for organisation in organisations %}<tr>
<td><a href="/{{ LANGUAGE_CODE }}/organisations/{{ organisation.slug }}/"><bdi>{{ organisation.name }}</bdi></a>
{% if organisation.acronym %}<bdi>({{ organisation.acronym }})</bdi>{% endif %}</td>
<td>{{ organisation.country.name }}</td>
<td><bdi>{{ organisation.city }}</bdi></td>
<td>{{ organisation.get_type_display }}</td>
</tr>{% endfor %}
</tbody>
</table>
</main>
</body>
</html>
"""
_compiled = None


def organisations(request):
    global _compiled  # compiled once per process, as Django's cached loader does
    from django.template import engines
    from django.utils.translation import get_language

    from tansiq.network.models import Organisation

    if _compiled is None:
        _compiled = engines["django"].from_string(TEMPLATE)
    rows = Organisation.objects.only("slug", "name", "acronym", "country", "city", "type").order_by("pk")[:ROWS]
    context = {"organisations": rows, "title": "Organisations", "LANGUAGE_CODE": get_language()}
    return HttpResponse(_compiled.render(context))


def healthz(request):
    from tansiq.core.views import healthz as tansiq_healthz

    return tansiq_healthz(request)  # the benchmark waits for it before measuring


urlpatterns = [path("healthz", healthz), *i18n_patterns(path("floor/", organisations))]
