"""Platform-wide predicates. Apps combine them with their own in their ``rules.py``."""

import rules

is_secretariat = rules.is_superuser | rules.is_group_member("secretariat")
is_analyst = rules.is_group_member("analyst")
is_verifier = rules.is_group_member("verifier")
is_judge = rules.is_group_member("judge")

rules.add_perm("core.view_audit_log", is_secretariat)
rules.add_perm("core.export_audit_log", is_secretariat)

# The back office: the secretariat keeps the calendar and the site identity, reads the audit log
# and the task queue. Superusers keep everything else (Django's own permissions).
for codename in ("view", "add", "change", "delete"):
    rules.add_perm(f"core.{codename}_hijrimonthstart", is_secretariat)
rules.add_perm("core.view_siteidentity", is_secretariat)
rules.add_perm("core.change_siteidentity", is_secretariat)
rules.add_perm("core.view_auditentry", is_secretariat)
rules.add_perm("core.view_scheduledrun", is_secretariat)
rules.add_perm("django_tasks_database.view_dbtaskresult", is_secretariat)
