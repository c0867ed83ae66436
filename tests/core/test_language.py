"""Numbers, dates and codes as an Arabic or Malay reader expects them."""

import datetime as dt
import re

from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.utils import formats, translation

from tansiq.core import audit
from tansiq.core.models import AuditEntry
from tests.workflow_app.models import Petition


def _render(rf, source: str, language: str, **context) -> str:
    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override(language):
        return Template(source).render(Context({"request": request, **context}))


def test_arabic_indic_numbers_group_with_the_arabic_thousands_separator(rf):
    assert _render(rf, "{% num 1173 %}", "ar") == "١٬١٧٣"
    assert _render(rf, "{% num 1234567.5 1 %}", "ar") == "١٬٢٣٤٬٥٦٧٫٥"
    assert _render(rf, "{% num 1173 %}", "en") == "1,173"
    assert _render(rf, "{% num 1173 %}", "ms") == "1,173"


def test_arabic_date_times_put_the_day_first():
    moment = dt.datetime(2026, 12, 8, 14, 5)
    with translation.override("ar"):
        short = formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        long = formats.date_format(moment, "DATETIME_FORMAT")
    assert re.sub(r"\D", " ", short).split()[:3] == ["08", "12", "2026"], short
    assert long.startswith("8 ديسمبر"), long


def test_audit_log_names_states_and_fields_instead_of_showing_codes(client, secretariat):
    petition = Petition.objects.create(title="A petition", owner=secretariat)
    audit.record("transition", by=secretariat, obj=petition, from_state="submitted", to_state="rejected")
    audit.record("update", by=secretariat, obj=secretariat, changes={"fields": ["show_hijri", "display_name"]})
    client.force_login(secretariat)
    html = client.get("/en/audit/").content.decode()
    assert "Submitted" in html and "Rejected" in html
    assert "show_hijri" not in html and "display_name" not in html
    assert str(type(secretariat)._meta.get_field("show_hijri").verbose_name) in html
    entry = AuditEntry.objects.get(action="update")
    with translation.override("ar"):
        assert "show_hijri" not in entry.changed_fields_text
        assert "،" in entry.changed_fields_text
    export = client.get("/en/audit/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "Rejected" in export and ",rejected" not in export


def test_audit_arrow_is_hidden_from_assistive_technology_not_labelled(client, secretariat):
    petition = Petition.objects.create(title="A petition", owner=secretariat)
    audit.record("transition", by=secretariat, obj=petition, from_state="draft", to_state="submitted")
    client.force_login(secretariat)
    html = client.get("/ar/audit/").content.decode()
    assert re.search(r"<i [^>]*aria-label", html) is None
    assert 'class="bi bi-arrow-right flip-rtl" aria-hidden="true"' in html


def test_validation_messages_with_numbers_use_the_readers_digits(rf):
    from django import forms

    class NameForm(forms.Form):
        name = forms.CharField(min_length=10)

    form = NameForm(data={"name": "short"})
    assert not form.is_valid()
    html = _render(rf, '{% include "core/forms/form.html" %}', "ar", form=form)
    error = re.search(r'class="invalid-feedback[^>]*>(.*?)</div>', html, re.S).group(1)
    assert "١٠" in error and "10" not in error


def test_arabic_counts_agree_with_their_noun_in_all_six_plural_forms():
    from django.utils.translation import ngettext

    def countries(n):
        return ngettext("from %(shown)s country", "from %(shown)s countries", n) % {"shown": n}

    with translation.override("ar"):
        assert countries(1) == "من بلد واحد"
        assert countries(2) == "من بلدين"
        assert countries(5) == "من 5 بلدان"
        assert countries(65) == "من 65 بلدًا"
        assert countries(100) == "من 100 بلد"
        members = ngettext("%(shown)s member", "%(shown)s members", 333) % {"shown": "٣٣٣"}
        assert members == "٣٣٣ عضوًا"
    with translation.override("ms"):
        assert countries(65) == "dari 65 negara"


def test_english_account_pages_use_sentence_case(client, db):
    html = client.get("/en/accounts/login/").content.decode()
    assert "Sign in" in html and "Remember me" in html
    assert "Sign In" not in html and "Remember Me" not in html
    assert "Sign Up" not in client.get("/en/accounts/signup/").content.decode()


def test_malay_says_create_an_account_for_sign_up_everywhere(client, db):
    html = client.get("/ms/accounts/signup/").content.decode()
    assert "Cipta akaun" in html and ">Daftar<" not in html and "Daftar\n" not in html
