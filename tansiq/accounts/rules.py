import rules

from tansiq.core.rules import is_secretariat


@rules.predicate
def is_token_owner(user, token) -> bool:
    return token is not None and token.user_id == user.pk


rules.add_perm("accounts.revoke_token", rules.is_authenticated & is_token_owner)

# The secretariat sees who has an account and which tokens exist; changing roles stays with
# superusers, so nobody can raise their own rights.
rules.add_perm("accounts.view_user", is_secretariat)
rules.add_perm("accounts.view_personalaccesstoken", is_secretariat)
