from functools import partial

from django.conf import settings
from django.utils import translation

from tansiq.core import notify
from tansiq.core.dashboard import nav_for, site_identity


def site(request) -> dict:
    language = translation.get_language() or settings.LANGUAGE_CODE
    links = nav_for(request)
    return {
        "tansiq_site": site_identity(),
        "nav_links": [link for link in links if not (link["manage"] or link["account"])],
        "account_links": [link for link in links if link["account"]],
        "manage_links": [link for link in links if link["manage"]],
        "manage_active": any(link["active"] for link in links if link["manage"]),
        "LANGUAGE_DIR": "rtl" if translation.get_language_bidi() else "ltr",
        "IS_RTL": translation.get_language_bidi(),
        "LANGUAGE_CODE": language,
        # Called by the template only where it is shown (the header, for a signed-in person).
        "unread_count": partial(notify.unread_count, getattr(request, "user", None)),
    }
