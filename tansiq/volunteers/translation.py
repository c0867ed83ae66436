"""Reference data written in Arabic, English and Malay (modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from tansiq.volunteers.models import Agreement, Cause


@register(Cause)
class CauseTranslation(TranslationOptions):
    fields = ("name",)


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("text",)
