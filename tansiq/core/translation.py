from modeltranslation.translator import TranslationOptions, register

from tansiq.core.models import SiteIdentity


@register(SiteIdentity)
class SiteIdentityTranslation(TranslationOptions):
    fields = ("name", "tagline")
