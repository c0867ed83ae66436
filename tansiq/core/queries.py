from tansiq.core.models import AuditEntry


def audit_log_for(user):
    """The audit log the user may read: all of it for the secretariat, nothing for anyone else."""
    if not user.has_perm("core.view_audit_log"):
        return AuditEntry.objects.none()
    return AuditEntry.objects.select_related("content_type")
