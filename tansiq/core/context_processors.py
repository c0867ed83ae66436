from django.conf import settings
from django.utils import translation

from tansiq.core.dashboard import nav_for, site_identity


def site(request) -> dict:
    language = translation.get_language() or settings.LANGUAGE_CODE
    links = nav_for(request)
    return {
        "tansiq_site": site_identity(),
        "nav_links": [link for link in links if not link["manage"]],
        "manage_links": [link for link in links if link["manage"]],
        "manage_active": any(link["active"] for link in links if link["manage"]),
        "LANGUAGE_DIR": "rtl" if translation.get_language_bidi() else "ltr",
        "IS_RTL": translation.get_language_bidi(),
        "LANGUAGE_CODE": language,
    }
