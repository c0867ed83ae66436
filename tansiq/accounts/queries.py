from tansiq.accounts.models import PersonalAccessToken


def tokens_of(user):
    return PersonalAccessToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def token_of(user, token_uuid):
    """The user's own token, or None: another user's token id is indistinguishable from a wrong one."""
    return PersonalAccessToken.objects.filter(user=user, uuid=token_uuid).first()


def has_verified_email(user, email: str) -> bool:
    """``user`` has confirmed that they receive mail at ``email`` (any of their addresses)."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email.strip(), verified=True).exists()
