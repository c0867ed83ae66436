"""Names the back office shows for the installed packages' apps and models, in the three languages.

An app's name is set here when the package's own is an untranslated string ("Tasks Database
Backend"). A model the package names with a translatable msgid keeps it, and our catalogue (first in
``LOCALE_PATHS``) translates it; ``PACKAGE_MSGIDS`` keeps those msgids in our catalogue. A model the
package leaves unnamed (Django derives "authenticator" from the class) is named in ``MODEL_NAMES``;
its ``_meta`` is set, not its ``Meta``, so the package's migrations do not change.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

APP_NAMES = {
    "django_tasks_database": _("Background tasks"),
}

PACKAGE_MSGIDS = (
    # django_tasks_db.DBTaskResult, its fields and django_tasks' statuses
    _("Task Result"),
    _("Task Results"),
    *(_("status"), _("enqueued at"), _("started at"), _("finished at"), _("args kwargs"), _("priority")),
    *(_("task path"), _("worker id"), _("queue name"), _("backend name"), _("run after"), _("return value")),
    *(_("exception class path"), _("traceback")),
    *(pgettext_lazy("Task", "Ready"), pgettext_lazy("Task", "Running"), pgettext_lazy("Task", "Failed")),
    pgettext_lazy("Task", "Successful"),
    # django.contrib.auth.Group: Django's Malay "kumpulan-kumpulan" is not how Malay writes a plural
    _("groups"),
)

MODEL_NAMES = {
    "mfa.Authenticator": (_("authenticator"), _("authenticators")),
}


def name_apps() -> None:
    for label, name in APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for label, (singular, plural) in MODEL_NAMES.items():
        try:
            meta = apps.get_model(label)._meta
        except LookupError:
            continue
        meta.verbose_name, meta.verbose_name_plural = singular, plural
