import rules


@rules.predicate
def is_token_owner(user, token) -> bool:
    return token is not None and token.user_id == user.pk


rules.add_perm("accounts.revoke_token", rules.is_authenticated & is_token_owner)
