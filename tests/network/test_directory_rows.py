"""The directory's rows are written in one pass (views.directory._member_rows): the same markup as
the template that drew them row by row, with every text escaped."""

import pytest
from django.template import engines
from django.utils import translation

from tansiq.network.models import NetworkMembership
from tansiq.network.views.directory import _member_rows
from tests.network.factories import NetworkMembershipFactory, OrganisationFactory

# The row template the page used before (network/_directory_rows.html), kept as the reference.
REFERENCE = """{% load i18n network %}{% for membership in memberships %}{% with organisation=membership.organisation %}
      <tr>
        <td class="stack-title"><a href="{% url 'network:organisation' organisation.slug %}"><bdi>{{ organisation.name }}</bdi></a>{% if organisation.acronym %} <bdi class="text-body-secondary small">({{ organisation.acronym }})</bdi>{% endif %}</td>
        <td data-label="{% translate 'Country' %}">{% country organisation.country %}</td>
        <td data-label="{% translate 'City' %}"><bdi>{{ organisation.city }}</bdi></td>
        <td data-label="{% translate 'Type' %}">{{ organisation.get_type_display }}</td>
        <td data-label="{% translate 'Category' %}">{{ membership.get_category_display }}</td>
        {% if staff %}<td data-label="{% translate 'Status' %}">{{ membership.get_status_display }}</td>{% endif %}
      </tr>
    {% endwith %}{% endfor %}"""  # noqa: E501


@pytest.fixture
def memberships(network, org, other_org):
    tricky = OrganisationFactory(
        slug="tricky",
        name_en='<b>Bread & "Salt"</b>',
        name_ar="خبز <و> ملح",
        acronym="B&S",
        city="Kuala <Lumpur>",
        country="MY",
        type="foundation",
    )
    NetworkMembershipFactory(network=network, organisation=tricky, category="associate")
    return list(NetworkMembership.objects.filter(network=network).select_related("organisation").order_by("pk"))


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
@pytest.mark.parametrize("staff", [False, True])
def test_rows_are_what_the_template_wrote(memberships, language, staff):
    with translation.override(language):
        expected = engines["django"].from_string(REFERENCE).render({"memberships": memberships, "staff": staff})
        assert str(_member_rows(memberships, staff=staff)) == expected
    assert "&lt;b&gt;" in expected or "&lt;و&gt;" in expected  # the tricky name is there, escaped


def test_the_page_shows_the_rows_escaped(client, memberships):
    html = client.get("/en/networks/uniw/members/").content.decode()
    assert "<bdi>&lt;b&gt;Bread &amp; &quot;Salt&quot;&lt;/b&gt;</bdi>" in html
    assert "<bdi>Kuala &lt;Lumpur&gt;</bdi>" in html and 'href="/en/organisations/tricky/"' in html
    assert "<b>Bread" not in html
