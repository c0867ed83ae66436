"""Platform-wide predicates. Apps combine them with their own in their ``rules.py``."""

import rules

is_secretariat = rules.is_superuser | rules.is_group_member("secretariat")
is_analyst = rules.is_group_member("analyst")
is_verifier = rules.is_group_member("verifier")
is_judge = rules.is_group_member("judge")

rules.add_perm("core.view_audit_log", is_secretariat)
rules.add_perm("core.export_audit_log", is_secretariat)
