from tansiq.accounts.models import PersonalAccessToken


def tokens_of(user):
    return PersonalAccessToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def token_of(user, token_uuid):
    """The user's own token, or None: another user's token id is indistinguishable from a wrong one."""
    return PersonalAccessToken.objects.filter(user=user, uuid=token_uuid).first()
