"""Reference data names, written by the secretariat in Arabic, English and Malay (modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from tansiq.network.models import Committee, FocusArea, Network, Organisation, Unit


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Unit)
class UnitTranslation(TranslationOptions):
    fields = ("name",)


@register(FocusArea)
class FocusAreaTranslation(TranslationOptions):
    fields = ("name",)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Committee)
class CommitteeTranslation(TranslationOptions):
    fields = ("name", "mandate")
