import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tansiq.core import i18n
from tansiq.core.models import HijriMonthStart


def test_umm_al_qura_date_of_a_known_day():
    # 1 Ramadan 1445 was Monday 11 March 2024 in Umm al-Qura.
    assert i18n.to_hijri(dt.date(2024, 3, 11)) == (1445, 9, 1)


def test_tabular_variant_round_trips():
    assert i18n.tabular_to_gregorian(*i18n.tabular_from_gregorian(dt.date(2026, 11, 23))) == dt.date(2026, 11, 23)


@given(st.dates(min_value=dt.date(700, 1, 1), max_value=dt.date(2300, 12, 31)))
def test_tabular_round_trip_for_any_day(day):
    hijri = i18n.tabular_from_gregorian(day)
    assert 1 <= hijri.month <= 12 and 1 <= hijri.day <= 30
    assert i18n.tabular_to_gregorian(*hijri) == day


def test_dates_outside_umm_al_qura_fall_back_to_tabular():
    assert i18n.calculated(dt.date(1900, 1, 1)) == i18n.tabular_from_gregorian(dt.date(1900, 1, 1))


def test_month_names_in_three_languages():
    day = i18n.HijriDate(1447, 9, 1)
    assert day.format("ar") == "1 رمضان 1447 هـ"
    assert day.format("ms") == "1 Ramadan 1447 H"
    assert day.format("en") == "1 Ramadan 1447 AH"


class TestAnnouncedMonthStarts:
    # Umm al-Qura starts Ramadan 1447 on 18 February 2026; suppose Malaysia announces 19 February.
    rows = [(dt.date(2026, 2, 19), 1447, 9)]

    def test_announced_start_moves_the_days_of_that_month(self):
        assert i18n.calculated(dt.date(2026, 2, 18)) == (1447, 9, 1)
        assert i18n.to_hijri(dt.date(2026, 2, 18), overrides=self.rows) == (1447, 8, 30)
        assert i18n.to_hijri(dt.date(2026, 2, 19), overrides=self.rows) == (1447, 9, 1)
        assert i18n.to_hijri(dt.date(2026, 3, 1), overrides=self.rows) == (1447, 9, 11)

    def test_the_announced_month_lasts_29_or_30_days(self):
        after = i18n.to_hijri(dt.date(2026, 3, 25), overrides=self.rows)
        assert after.month == 10

    def test_other_regions_are_unaffected(self, db):
        HijriMonthStart.objects.create(region="my", hijri_year=1447, hijri_month=9, starts_on=dt.date(2026, 2, 19))
        assert i18n.to_hijri(dt.date(2026, 2, 19), region="MY") == (1447, 9, 1)
        assert i18n.to_hijri(dt.date(2026, 2, 19), region="SA") == i18n.calculated(dt.date(2026, 2, 19))

    def test_saving_an_announcement_takes_effect_at_once(self, db):
        assert i18n.to_hijri(dt.date(2026, 2, 19), region="MY") == i18n.calculated(dt.date(2026, 2, 19))
        HijriMonthStart.objects.create(region="MY", hijri_year=1447, hijri_month=9, starts_on=dt.date(2026, 2, 19))
        assert i18n.to_hijri(dt.date(2026, 2, 19), region="MY") == (1447, 9, 1)


def test_arabic_indic_digits():
    assert i18n.arabic_indic("2026-11-23") == "٢٠٢٦-١١-٢٣"


@pytest.mark.parametrize(
    ("language", "expected_hijri"),
    [("ar", "جمادى الآخرة"), ("ms", "Jamadilakhir"), ("en", None)],
)
def test_date_tag_shows_hijri_beside_gregorian_in_arabic_and_malay(rf, language, expected_hijri):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template
    from django.utils import translation

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override(language):
        html = Template("{% hdate day %}").render(Context({"day": dt.date(2026, 11, 23), "request": request}))
    assert 'datetime="2026-11-23"' in html
    if expected_hijri:
        assert expected_hijri in html
    else:
        assert "hijri" not in html
    if language == "ar":
        assert "٢٠٢٦" in html  # Arabic-Indic digits by default on Arabic pages


def test_user_preferences_change_calendar_and_digits(rf, db):
    from django.template import Context, Template
    from django.utils import translation

    from tests.factories import UserFactory

    request = rf.get("/")
    request.user = UserFactory(show_hijri="always", digits="latin")
    with translation.override("en"):
        english = Template("{% hdate day %}").render(Context({"day": dt.date(2026, 11, 23), "request": request}))
    with translation.override("ar"):
        arabic = Template("{% hdate day %}").render(Context({"day": dt.date(2026, 11, 23), "request": request}))
    assert "Jumada al-Akhirah" in english
    assert "2026" in arabic and "٢٠٢٦" not in arabic


def test_number_tag_groups_in_the_readers_digits(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template
    from django.utils import translation

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("ar"):
        arabic = Template("{% num 12345 %}").render(Context({"request": request}))
    with translation.override("en"):
        english = Template("{% num 12345 %}").render(Context({"request": request}))
    assert english == "12,345"
    assert "١٢" in arabic and "٣٤٥" in arabic


def test_two_announced_months_in_a_row_never_make_a_31st_day():
    rows = [(dt.date(2026, 2, 19), 1447, 9), (dt.date(2026, 3, 21), 1447, 10)]
    assert i18n.to_hijri(dt.date(2026, 3, 20), overrides=rows) == (1447, 9, 30)
    assert i18n.to_hijri(dt.date(2026, 3, 21), overrides=rows) == (1447, 10, 1)


@given(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)))
def test_announcements_keep_every_day_between_1_and_30(day):
    rows = [(dt.date(2026, 2, 19), 1447, 9), (dt.date(2026, 3, 21), 1447, 10), (dt.date(2026, 5, 18), 1447, 12)]
    assert 1 <= i18n.to_hijri(day, overrides=rows).day <= 30
