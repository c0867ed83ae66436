from tansiq.core.models import AuditEntry


def audit_log_for(user):
    """The audit log the user may read: all of it for the secretariat, nothing for anyone else."""
    if not user.has_perm("core.view_audit_log"):
        return AuditEntry.objects.none()
    return AuditEntry.objects.select_related("content_type")


def inbox_of(user):
    """The person's own notifications (nobody sees anyone else's)."""
    from tansiq.core.models import Notification

    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def notification_of(user, uuid):
    """One of the person's own notifications, or 404 (another's is as unknown as a missing one)."""
    from django.core.exceptions import ValidationError
    from django.http import Http404

    try:
        return inbox_of(user).get(uuid=uuid)
    except (ValueError, ValidationError, inbox_of(user).model.DoesNotExist):
        raise Http404 from None
