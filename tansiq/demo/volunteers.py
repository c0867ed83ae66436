"""The demo's national volunteer network (like Qatar's "Tam" network): volunteers with Arabic,
English and Malay names, their profiles, and the privacy notice and charter they accept.

Deterministic (a fixed seed) and idempotent: loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random

from django.apps import apps

from tansiq.demo import volunteering_applications, volunteering_hours, volunteering_opportunities, volunteering_train

VOLUNTEERS = 2500

# (country, cities) where the demo's volunteers live; most in Qatar, where the network works.
PLACES = [
    ("QA", ["الدوحة", "الريان", "الوكرة", "الخور", "أم صلال"], 25.2854, 51.5310),
    ("MY", ["Kuala Lumpur", "Shah Alam", "Johor Bahru"], 3.1390, 101.6869),
    ("TN", ["Tunis", "Sfax"], 36.8065, 10.1815),
]
NATIONALITIES = ["QA", "QA", "QA", "MY", "EG", "SD", "JO", "TN", "PK", "ID", "PH", "SY"]

NAMES = {
    "ar": {
        "given": ["محمد", "أحمد", "عبدالله", "جاسم", "حمد", "فاطمة", "مريم", "نورة", "العنود", "خالد", "سارة", "هند"],
        "family": ["الكواري", "المري", "السليطي", "الهاجري", "النعيمي", "المهندي", "الدوسري", "العطية"],
        "latin_given": [
            "Mohammed",
            "Ahmed",
            "Abdullah",
            "Jassim",
            "Hamad",
            "Fatima",
            "Maryam",
            "Noora",
            "Al Anoud",
            "Khalid",
            "Sara",
            "Hind",
        ],
        "latin_family": [
            "Al Kuwari",
            "Al Marri",
            "Al Sulaiti",
            "Al Hajri",
            "Al Naimi",
            "Al Muhannadi",
            "Al Dosari",
            "Al Attiyah",
        ],
    },
    "ms": {
        "given": ["Nur Aisyah", "Muhammad Hafiz", "Siti Khadijah", "Amirul", "Farah", "Iskandar", "Syafiqah"],
        "family": ["binti Ismail", "bin Othman", "binti Yusof", "bin Salleh", "binti Kassim", "bin Hamzah"],
    },
    "en": {
        "given": ["Yusuf", "Amina", "Bilal", "Safiya", "Idris", "Leyla", "Omar", "Hannah", "Tariq", "Zainab"],
        "family": ["Rahman", "Hussain", "Abdi", "Okafor", "Malik", "Qureshi", "Diallo", "Ibrahim"],
    },
}
SKILLS = {
    "ar": ["الإسعافات الأولية", "التصوير", "الترجمة", "تنظيم الفعاليات", "التدريس", "التصميم"],
    "en": ["First aid", "Photography", "Translation", "Event organisation", "Teaching", "Design"],
    "ms": ["Pertolongan cemas", "Fotografi", "Terjemahan", "Pengurusan acara", "Mengajar", "Reka bentuk"],
}

AGREEMENTS = {
    "privacy": (
        "نحفظ بياناتك لربطك بالفرص التطوعية فقط، ولا تراها أي منظمة إلا إذا تقدّمت إليها أو اخترت أن تجدك "
        "المنظمات. يُحفظ رقم هويتك مشفّرًا، ويمكنك تنزيل بياناتك أو حذفها في أي وقت.",
        "We keep your data only to connect you with volunteering opportunities. No organisation sees it unless you "
        "apply to it or choose to be found. Your identity number is stored encrypted; you may download or delete "
        "your data at any time.",
        "Kami menyimpan data anda hanya untuk menghubungkan anda dengan peluang sukarelawan. Tiada pertubuhan "
        "melihatnya kecuali anda memohon kepadanya atau memilih untuk boleh dicari. Nombor pengenalan anda disimpan "
        "secara tersulit; anda boleh memuat turun atau memadam data anda pada bila-bila masa.",
    ),
    "charter": (
        "أتطوّع بإخلاص ودون مقابل، وأحترم المستفيدين وخصوصيتهم، وألتزم بالمواعيد التي أختارها، وأتّبع تعليمات "
        "المنظمة التي أخدم معها في السلامة والسلوك.",
        "I volunteer in good faith and without pay, respect the people I serve and their privacy, keep the shifts I "
        "choose, and follow the safety and conduct rules of the organisation I serve with.",
        "Saya menjadi sukarelawan dengan ikhlas dan tanpa bayaran, menghormati orang yang saya bantu dan privasi "
        "mereka, menepati syif yang saya pilih, dan mematuhi peraturan keselamatan serta tatalaku pertubuhan.",
    ),
}


def _ensure_causes() -> None:
    # The demo also loads into databases built without migrations (the test suite's).
    from tansiq.volunteers.models import Cause

    if not Cause.objects.exists():
        importlib.import_module("tansiq.volunteers.migrations.0002_seed_causes").seed(apps, None)


def load(*, domain: str, stdout=None) -> bool:
    """Create the demo volunteers once; return False when they are already there."""
    from tansiq.accounts.models import User
    from tansiq.volunteers.identity import encrypt_identity_number
    from tansiq.volunteers.models import (
        AVAILABILITY_SLOTS,
        Acceptance,
        Agreement,
        Cause,
        Level,
        VolunteerLanguage,
        VolunteerProfile,
        VolunteerSkill,
    )

    _ensure_causes()
    volunteering_opportunities.load(domain=domain, stdout=stdout)
    if VolunteerProfile.objects.filter(user__email__startswith="volunteer").exists():
        return False
    rng = random.Random(1434)
    in_force = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    agreements = [
        Agreement.objects.create(
            kind=kind, version=1, text=ar, text_ar=ar, text_en=en, text_ms=ms, published_at=in_force
        )
        for kind, (ar, en, ms) in AGREEMENTS.items()
    ]
    causes = list(Cause.objects.all())
    today = dt.date(2026, 1, 15)
    users, profiles = [], []
    for index in range(VOLUNTEERS):
        language = ("ar", "ar", "en", "ms")[index % 4]
        names = NAMES[language]
        given, family = rng.randrange(len(names["given"])), rng.randrange(len(names["family"]))
        legal = f"{names['given'][given]} {names['family'][family]}"
        if language == "ar":
            arabic, latin = legal, f"{names['latin_given'][given]} {names['latin_family'][family]}"
        else:
            arabic, latin = "", legal
        country, cities, lat, lon = PLACES[0] if index % 5 else PLACES[1 + index % 2]
        users.append(
            User(email=f"volunteer{index:04d}@{domain}", display_name=latin or arabic, language=language, password="!")
        )
        age = rng.choice([16, 19, 22, 25, 31, 38, 45, 52, 63])
        number = f"{rng.randrange(10**10, 10**11)}"
        profiles.append(
            VolunteerProfile(
                legal_name=legal,
                name_arabic=arabic,
                name_latin=latin,
                birth_date=dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28)),
                gender=rng.choice(["female", "male", ""]),
                nationality=country if country != "QA" else rng.choice(NATIONALITIES),
                country=country,
                city=rng.choice(cities),
                latitude=round(lat + rng.uniform(-0.08, 0.08), 6),
                longitude=round(lon + rng.uniform(-0.08, 0.08), 6),
                availability=sorted(rng.sample(AVAILABILITY_SLOTS, rng.randint(2, 6))),
                mode=rng.choice(list(VolunteerProfile.Mode.values)),
                travel_km=rng.choice([5, 10, 20, 40]),
                identity_number_encrypted=encrypt_identity_number(number),
                identity_number_last=number[-4:],
                discoverable=index % 3 != 0,
            )
        )
    User.objects.bulk_create(users)
    users = {user.email: user for user in User.objects.filter(email__startswith="volunteer")}
    for index, profile in enumerate(profiles):
        profile.user = users[f"volunteer{index:04d}@{domain}"]
    VolunteerProfile.objects.bulk_create(profiles)
    profiles = list(VolunteerProfile.objects.filter(user__in=users.values()).select_related("user"))
    links, languages, skills, acceptances = [], [], [], []
    for profile in profiles:
        rng_for = random.Random(profile.user.email)
        for cause in rng_for.sample(causes, 2):
            links.append(VolunteerProfile.causes.through(volunteerprofile=profile, cause=cause))
        spoken = ["ar", "en"] if profile.user.language != "ms" else ["ms", "en"]
        for code in spoken:
            languages.append(VolunteerLanguage(profile=profile, language=code, level=rng_for.choice(Level.values)))
        skill = rng_for.randrange(len(SKILLS["en"]))
        skills.append(VolunteerSkill(profile=profile, name=SKILLS[profile.user.language][skill], level=Level.GOOD))
        # Adults have accepted both texts; minors wait for their guardian's consent.
        if profile.age(today) >= 18:
            acceptances.extend(
                Acceptance(user=profile.user, agreement=agreement, accepted_at=in_force) for agreement in agreements
            )
    VolunteerProfile.causes.through.objects.bulk_create(links)
    VolunteerLanguage.objects.bulk_create(languages)
    VolunteerSkill.objects.bulk_create(skills)
    Acceptance.objects.bulk_create(acceptances)
    if stdout is not None:
        stdout.write(f"  {len(profiles)} volunteers")
    volunteering_applications.load(domain=domain, stdout=stdout)
    volunteering_train.load(domain=domain, stdout=stdout)
    volunteering_hours.load(domain=domain, stdout=stdout)
    return True
