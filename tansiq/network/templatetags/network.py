from django import template

from tansiq.core.countries import country_name

register = template.Library()


@register.simple_tag
def country(value) -> str:
    """A country's name in the reader's language (Malay and Arabic from the vendored lists)."""
    return country_name(getattr(value, "code", value) or "")
