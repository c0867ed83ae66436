"""The demo's volunteering opportunities: 200 from member organisations, in Arabic, English and
Malay, published, draft, in review and completed, with past and future shifts and the skills
they ask for.

Deterministic (a fixed seed; shift times are set from today so that "future" stays future) and
idempotent: loading twice adds nothing. ``load_at_scale`` adds 100 000 for the benchmarks.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from decimal import Decimal

OPPORTUNITIES = 200
BATCH = 5_000

# (sector, title ar/en/ms, description ar/en/ms, skills by language: ar, en, ms)
THEMES = [
    (
        "community",
        ("توزيع سلال رمضان", "Ramadan food baskets", "Agihan bakul makanan Ramadan"),
        (
            "تجهيز السلال الغذائية وتوزيعها على الأسر المتعففة في الحي.",
            "Pack food baskets and hand them out to families in need in the neighbourhood.",
            "Membungkus bakul makanan dan mengagihkannya kepada keluarga yang memerlukan di kejiranan.",
        ),
        ("تنظيم الفعاليات", "Event organisation", "Pengurusan acara"),
    ),
    (
        "education",
        ("نادي القراءة للأطفال", "Children's reading club", "Kelab membaca kanak-kanak"),
        (
            "قراءة القصص مع الأطفال في المكتبة العامة وتشجيعهم على حب القراءة.",
            "Read stories with children at the public library and help them love reading.",
            "Membaca cerita bersama kanak-kanak di perpustakaan awam dan memupuk minat membaca.",
        ),
        ("التدريس", "Teaching", "Mengajar"),
    ),
    (
        "health",
        ("حملة التبرع بالدم", "Blood donation drive", "Kempen derma darah"),
        (
            "استقبال المتبرعين وتنظيم الدور ومساندة الفريق الطبي في يوم التبرع.",
            "Welcome donors, keep the queue moving and support the medical team on the day.",
            "Menyambut penderma, mengurus barisan dan membantu pasukan perubatan pada hari kempen.",
        ),
        ("الإسعافات الأولية", "First aid", "Pertolongan cemas"),
    ),
    (
        "elderly",
        ("زيارة كبار السن", "Visiting the elderly", "Lawatan warga emas"),
        (
            "زيارات أسبوعية لكبار السن في دار الرعاية لمؤانستهم ومشاركتهم الأنشطة.",
            "Weekly visits to older people in a care home to keep them company and share activities.",
            "Lawatan mingguan ke rumah jagaan warga emas untuk menemani dan beraktiviti bersama mereka.",
        ),
        ("الإسعافات الأولية", "First aid", "Pertolongan cemas"),
    ),
    (
        "environment",
        ("تنظيف الشاطئ", "Beach clean-up", "Gotong-royong membersihkan pantai"),
        (
            "جمع النفايات من الشاطئ وفرزها للتدوير مع فريق البيئة.",
            "Collect litter on the beach and sort it for recycling with the environment team.",
            "Mengutip sampah di pantai dan mengasingkannya untuk dikitar semula bersama pasukan alam sekitar.",
        ),
        ("تنظيم الفعاليات", "Event organisation", "Pengurusan acara"),
    ),
    (
        "refugees",
        ("دروس اللغة للاجئين", "Language lessons for refugees", "Kelas bahasa untuk pelarian"),
        (
            "تعليم أساسيات اللغة للاجئين الجدد في مجموعات صغيرة.",
            "Teach the basics of the language to newly arrived refugees in small groups.",
            "Mengajar asas bahasa kepada pelarian yang baru tiba dalam kumpulan kecil.",
        ),
        ("الترجمة", "Translation", "Terjemahan"),
    ),
    (
        "children-youth",
        ("مخيم صيفي للشباب", "Youth summer camp", "Kem musim panas belia"),
        (
            "الإشراف على الأنشطة الرياضية والثقافية في المخيم الصيفي.",
            "Lead sports and cultural activities at the summer camp.",
            "Mengendalikan aktiviti sukan dan kebudayaan di kem musim panas.",
        ),
        ("التدريس", "Teaching", "Mengajar"),
    ),
    (
        "disaster-relief",
        ("فريق الاستجابة للطوارئ", "Emergency response team", "Pasukan tindakan kecemasan"),
        (
            "الاستعداد للمساندة عند الكوارث: التدريب والتجهيز وتوزيع المساعدات.",
            "Stand ready to help when disaster strikes: drills, kit and distributing aid.",
            "Bersedia membantu ketika bencana: latihan, kelengkapan dan agihan bantuan.",
        ),
        ("الإسعافات الأولية", "First aid", "Pertolongan cemas"),
    ),
    (
        "determination",
        ("مرافقة ذوي الإعاقة", "Accompanying people of determination", "Mengiringi orang kurang upaya"),
        (
            "مرافقة الأشخاص ذوي الإعاقة في زياراتهم وأنشطتهم الترفيهية.",
            "Accompany people of determination on outings and leisure activities.",
            "Mengiringi orang kurang upaya dalam lawatan dan aktiviti rekreasi.",
        ),
        ("الإسعافات الأولية", "First aid", "Pertolongan cemas"),
    ),
    (
        "culture",
        ("توثيق الفعاليات بالصور", "Photographing community events", "Merakam foto acara komuniti"),
        (
            "تصوير فعاليات الجمعية وإعداد ألبوم صور للتقرير السنوي.",
            "Photograph the association's events and prepare an album for the annual report.",
            "Merakam foto acara persatuan dan menyediakan album untuk laporan tahunan.",
        ),
        ("التصوير", "Photography", "Fotografi"),
    ),
    (
        "mentoring",
        ("إرشاد الطلاب عن بعد", "Mentoring students online", "Bimbingan pelajar dalam talian"),
        (
            "جلسات إرشاد أسبوعية عبر الإنترنت لطلاب المرحلة الثانوية.",
            "Weekly online mentoring sessions for secondary-school students.",
            "Sesi bimbingan mingguan dalam talian untuk pelajar sekolah menengah.",
        ),
        ("التدريس", "Teaching", "Mengajar"),
    ),
    (
        "women",
        ("ورشة تصميم للنساء", "Design workshop for women", "Bengkel reka bentuk untuk wanita"),
        (
            "تدريب النساء على أساسيات التصميم لمشاريعهن الصغيرة.",
            "Train women in the basics of design for their small businesses.",
            "Melatih wanita dalam asas reka bentuk untuk perniagaan kecil mereka.",
        ),
        ("التصميم", "Design", "Reka bentuk"),
    ),
]

# Places: (country, city ar/en/ms, latitude, longitude) by the organisation's country.
PLACES = {
    "QA": (("الدوحة", "Doha", "Doha"), 25.2854, 51.5310),
    "MY": (("كوالالمبور", "Kuala Lumpur", "Kuala Lumpur"), 3.1390, 101.6869),
    "TN": (("تونس", "Tunis", "Tunis"), 36.8065, 10.1815),
    "JO": (("عمّان", "Amman", "Amman"), 31.9539, 35.9106),
    "TR": (("إسطنبول", "Istanbul", "Istanbul"), 41.0082, 28.9784),
    "LB": (("بيروت", "Beirut", "Beirut"), 33.8938, 35.5018),
}
# Skill names in the language most volunteers of the place write them in.
SKILL_LANGUAGE = {"QA": 0, "MY": 2}
STATES = ["published"] * 7 + ["draft", "completed"]
QUESTIONS = {
    "ar": ["هل سبق لك التطوع في مجال مشابه؟"],
    "en": ["Have you volunteered in a similar field before?"],
    "ms": ["Pernahkah anda menjadi sukarelawan dalam bidang yang serupa?"],
}


def _organisations():
    """Member organisations, those the demo's people act for first (so their pages have some)."""
    from tansiq.network.models import Membership, NetworkMembership, Organisation

    acted = list(Organisation.objects.filter(pk__in=Membership.objects.values("organisation_id")).order_by("pk"))
    members = Organisation.objects.filter(
        pk__in=NetworkMembership.objects.admitted().values("organisation_id")
    ).exclude(pk__in=[o.pk for o in acted])
    return acted + list(members.order_by("pk")[:60])


def _opportunity(rng, organisation, theme_index: int, state: str, *, now, causes):
    from tansiq.volunteers.models import Opportunity

    sector, titles, descriptions, _skills = THEMES[theme_index]
    country = str(organisation.country or "QA")
    place = PLACES.get(country)
    remote = theme_index == 10 or rng.random() < 0.1
    city = place[0] if place else (organisation.city, organisation.city, organisation.city)
    ar, en, ms = (
        f"{titles[0]} — {city[0]}" if not remote else titles[0],
        f"{titles[1]} — {city[1]}" if not remote else titles[1],
        f"{titles[2]} — {city[2]}" if not remote else titles[2],
    )
    published = state in ("published", "completed", "full")
    return Opportunity(
        organisation=organisation,
        title=ar,
        title_ar=ar,
        title_en=en,
        title_ms=ms,
        description=descriptions[0],
        description_ar=descriptions[0],
        description_en=descriptions[1],
        description_ms=descriptions[2],
        sector=causes.get(sector),
        state=state,
        min_age=18 if theme_index in (2, 7) else (16 if theme_index == 6 else None),
        gender="female" if theme_index == 11 else "",
        languages=["ms", "en"] if country == "MY" else ["ar", "en"],
        remote=remote,
        country="" if remote else country,
        city="" if remote or not place else city[1] if country != "QA" else city[0],
        latitude=None if remote or not place else Decimal(str(round(place[1] + rng.uniform(-0.05, 0.05), 6))),
        longitude=None if remote or not place else Decimal(str(round(place[2] + rng.uniform(-0.05, 0.05), 6))),
        questions=QUESTIONS["ar" if country != "MY" else "ms"] if rng.random() < 0.5 else [],
        published_at=now - dt.timedelta(days=rng.randint(5, 120)) if published else None,
    )


def _shifts(rng, opportunity, *, now):
    """Weekly shifts: past ones for every opportunity, future ones for those still open."""
    from tansiq.volunteers.models import Shift

    hour = rng.choice([8, 9, 16, 18])
    first = (now - dt.timedelta(days=rng.randint(15, 40))).replace(hour=hour, minute=0, second=0, microsecond=0)
    weeks = range(0, 3) if opportunity.state == "completed" else range(0, rng.randint(6, 9))
    return [
        Shift(
            opportunity=opportunity,
            starts_at=first + dt.timedelta(weeks=week),
            ends_at=first + dt.timedelta(weeks=week, hours=rng.choice([2, 3, 4])),
            capacity=rng.choice([3, 5, 8, 12]),
            checkin_token=secrets.token_urlsafe(32),
        )
        for week in weeks
    ]


def load(*, domain: str, stdout=None) -> bool:
    """Create the demo opportunities once; return False when they are already there."""
    from django.utils import timezone

    from tansiq.volunteers.models import Cause, Opportunity, OpportunitySkill, Shift

    if Opportunity.objects.exists():
        return False
    organisations = _organisations()
    if not organisations:
        return False
    rng = random.Random(2026)
    now = timezone.now()
    causes = {cause.slug: cause for cause in Cause.objects.all()}
    opportunities = []
    for index in range(OPPORTUNITIES):
        organisation = organisations[index % len(organisations)]
        # The first few of the demo people's organisations: one in review for the secretariat.
        state = "in_review" if index in (3, 17) else STATES[rng.randrange(len(STATES))]
        opportunities.append(_opportunity(rng, organisation, index % len(THEMES), state, now=now, causes=causes))
    Opportunity.objects.bulk_create(opportunities)
    opportunities = list(Opportunity.objects.order_by("pk").select_related("organisation"))
    shifts, skills = [], []
    for index, opportunity in enumerate(opportunities):
        shifts.extend(_shifts(rng, opportunity, now=now))
        names = THEMES[index % len(THEMES)][3]
        language = SKILL_LANGUAGE.get(str(opportunity.organisation.country), 1)
        skills.append(OpportunitySkill(opportunity=opportunity, name=names[language], level="good", required=True))
    Shift.objects.bulk_create(shifts, batch_size=BATCH)
    OpportunitySkill.objects.bulk_create(skills, batch_size=BATCH)
    if stdout is not None:
        stdout.write(f"  {len(opportunities)} volunteering opportunities, {len(shifts)} shifts")
    return True


def load_at_scale(*, count: int = 100_000, stdout=None) -> int:
    """Published opportunities for the benchmarks (in batches), each with a weekly shift still to
    come; returns how many were added."""
    from django.utils import timezone

    from tansiq.volunteers.models import Cause, Opportunity, OpportunitySkill, Shift

    have = Opportunity.objects.count()
    if have >= count:
        return 0
    begun = time.monotonic()
    organisations = _organisations()
    rng = random.Random(100_000)
    now = timezone.now()
    causes = {cause.slug: cause for cause in Cause.objects.all()}
    added = 0
    while have + added < count:
        size = min(BATCH, count - have - added)
        batch = [
            _opportunity(
                rng,
                organisations[(added + i) % len(organisations)],
                (added + i) % len(THEMES),
                "published",
                now=now,
                causes=causes,
            )
            for i in range(size)
        ]
        created = Opportunity.objects.bulk_create(batch)
        if created[0].pk is None:
            created = list(Opportunity.objects.order_by("-pk")[:size])
        starts = [now + dt.timedelta(days=2, hours=rng.randrange(0, 24 * 7)) for _opportunity in created]
        Shift.objects.bulk_create(
            Shift(
                opportunity=opportunity,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=3),
                capacity=5,
                checkin_token=secrets.token_urlsafe(32),
            )
            for opportunity, start in zip(created, starts, strict=True)
        )
        OpportunitySkill.objects.bulk_create(
            OpportunitySkill(opportunity=opportunity, name=rng.choice(THEMES)[3][1], level="good", required=True)
            for opportunity in created
        )
        added += size
    if stdout is not None:
        stdout.write(f"  {added} more volunteering opportunities in {time.monotonic() - begun:.0f} s")
    return added


def load_volunteers_at_scale(*, domain: str, count: int = 1_000_000, stdout=None) -> int:
    """Volunteers for the benchmarks (``--scale large``): accounts and profiles with a language or
    two, a skill and two causes, in batches (the demo's names; no identity numbers). Returns how
    many were added; loading again adds none."""
    from tansiq.accounts.models import User
    from tansiq.demo.volunteers import NAMES, PLACES, SKILLS
    from tansiq.volunteers.models import AVAILABILITY_SLOTS, Cause, VolunteerLanguage, VolunteerProfile, VolunteerSkill

    have = VolunteerProfile.objects.filter(user__email__startswith="scale-").count()
    if have >= count:
        return 0
    started = time.monotonic()
    rng = random.Random(1_000_000)
    causes = list(Cause.objects.values_list("pk", flat=True))
    through = VolunteerProfile.causes.through
    languages = ("ar", "ar", "en", "ms")
    for first in range(have, count, BATCH):
        last = min(first + BATCH, count)
        users = []
        for index in range(first, last):
            language = languages[index % 4]
            names = NAMES[language]
            name = f"{rng.choice(names['given'])} {rng.choice(names['family'])}"
            users.append(User(email=f"scale-{index:07d}@{domain}", display_name=name, language=language, password="!"))
        User.objects.bulk_create(users)
        users = list(User.objects.filter(email__in=[user.email for user in users]).order_by("email"))
        profiles = []
        for user in users:
            country, cities, lat, lon = PLACES[rng.randrange(len(PLACES))]
            profiles.append(
                VolunteerProfile(
                    user=user,
                    legal_name=user.display_name,
                    name_latin=user.display_name if user.language != "ar" else "",
                    name_arabic=user.display_name if user.language == "ar" else "",
                    birth_date=dt.date(rng.randint(1960, 2009), rng.randint(1, 12), rng.randint(1, 28)),
                    gender=rng.choice(["female", "male", ""]),
                    nationality=country,
                    country=country,
                    city=rng.choice(cities),
                    latitude=Decimal(str(round(lat + rng.uniform(-0.3, 0.3), 6))),
                    longitude=Decimal(str(round(lon + rng.uniform(-0.3, 0.3), 6))),
                    availability=rng.sample(AVAILABILITY_SLOTS, rng.randint(1, 5)),
                    mode=rng.choice(["on_site", "remote", "both"]),
                    travel_km=rng.choice([10, 20, 40, 80]),
                    discoverable=rng.random() < 0.3,
                )
            )
        VolunteerProfile.objects.bulk_create(profiles)
        profiles = list(VolunteerProfile.objects.filter(user__in=users).values_list("pk", "user__language"))
        VolunteerLanguage.objects.bulk_create(
            VolunteerLanguage(profile_id=pk, language=code, level=rng.choice(["basic", "good", "fluent"]))
            for pk, language in profiles
            for code in ({language, "en"} if rng.random() < 0.6 else {language})
        )
        VolunteerSkill.objects.bulk_create(
            VolunteerSkill(
                profile_id=pk, name=rng.choice(SKILLS[language]), level=rng.choice(["basic", "good", "fluent"])
            )
            for pk, language in profiles
        )
        through.objects.bulk_create(
            through(volunteerprofile_id=pk, cause_id=cause)
            for pk, _language in profiles
            for cause in rng.sample(causes, 2)
        )
    if stdout is not None:
        stdout.write(f"  {count - have} more volunteers in {time.monotonic() - started:.0f} s")
    return count - have
