"""Reference data written in Arabic, English and Malay (modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from tansiq.volunteers.models import Agreement, Cause, Opportunity, Qualification, Tier, Training


@register(Cause)
class CauseTranslation(TranslationOptions):
    fields = ("name",)


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("text",)


@register(Qualification)
class QualificationTranslation(TranslationOptions):
    fields = ("name",)


@register(Training)
class TrainingTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Opportunity)
class OpportunityTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Tier)
class TierTranslation(TranslationOptions):
    fields = ("name",)
