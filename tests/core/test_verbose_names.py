"""The back office names every app and model in the reader's language, third-party ones included."""

import re

import pytest
from django.contrib import admin
from django.utils import translation

ARABIC = re.compile("[\u0600-\u06ff]")
# Malay words that are spelt as in English.
SAME_IN_MALAY = {"Platform", "unit"}


def _names():
    for model in admin.site._registry:
        meta = model._meta
        yield meta.label, meta.app_config.verbose_name
        yield meta.label, meta.verbose_name
        yield meta.label, meta.verbose_name_plural


def test_every_app_and_model_in_the_back_office_has_an_arabic_name():
    with translation.override("ar"):
        untranslated = {(label, str(name)) for label, name in _names() if not ARABIC.search(str(name))}
    assert not untranslated


def test_every_app_and_model_in_the_back_office_has_a_malay_name():
    with translation.override("en"):
        english = [(label, str(name)) for label, name in _names()]
    with translation.override("ms"):
        malay = [str(name) for _label, name in _names()]
    untranslated = {
        (label, name) for (label, name), translated in zip(english, malay, strict=True) if name == translated
    } - {(label, word) for label, _name in english for word in SAME_IN_MALAY}
    assert not untranslated


@pytest.mark.django_db
def test_the_back_office_index_shows_no_package_names(admin_client):
    html = admin_client.get("/ar/admin/").content.decode()
    assert "Tasks Database Backend" not in html and "Task Results" not in html
