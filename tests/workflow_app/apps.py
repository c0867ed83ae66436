"""The test app registers a certificate kind, as a domain app does from its ``ready()``."""

from django.apps import AppConfig
from django.utils.functional import lazy
from django.utils.translation import get_language

PARTICIPATION = "workflow_app.participation"


def _said(en: str, ar: str, ms: str) -> str:
    """A label in the active language (the test app has no message catalogue)."""
    return lazy(lambda: {"ar": ar, "ms": ms}.get((get_language() or "en")[:2], en), str)()


def is_organiser(user, certificate) -> bool:
    """Besides the secretariat and the holder: the organisers (here, the verifier group)."""
    return user.groups.filter(name="verifier").exists()


class WorkflowAppConfig(AppConfig):
    name = "tests.workflow_app"
    label = "workflow_app"

    def ready(self) -> None:
        from tansiq.core import certificates
        from tansiq.core.certificates import Fact

        certificates.register_kind(
            PARTICIPATION,
            _said("Certificate of participation", "شهادة مشاركة", "Sijil Penyertaan"),
            body_template="workflow_app/certificate_body.html",
            facts={
                "event": Fact(_said("Event", "الفعالية", "Acara")),
                "hours": Fact(_said("Hours", "الساعات", "Jam"), "number"),
                "start": Fact(_said("From", "من", "Dari"), "date"),
                "end": Fact(_said("To", "إلى", "Hingga"), "date"),
            },
            can_issue=is_organiser,
            can_download=is_organiser,
            can_revoke=is_organiser,
        )
