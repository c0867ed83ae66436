"""The demo registry: a union of about 350 NGOs from 65 countries and a Malaysian council in ten clusters.

Names are built from per-language patterns (an association for education in Konya is "Konya Eğitim
Derneği" in its registration, "جمعية التعليم في قونية" in Arabic), never placeholders.
Deterministic and idempotent: nothing is created when the union already exists.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from django.utils.text import slugify

TOPICS = [
    # (key, English, Arabic, focus-area slug)
    ("education", "Education", "التعليم", "education"),
    ("relief", "Relief", "الإغاثة", "relief"),
    ("orphans", "Orphan Care", "رعاية الأيتام", "orphans"),
    ("women", "Women's", "المرأة", "women"),
    ("youth", "Youth", "الشباب", "youth"),
    ("dakwah", "Dawah", "الدعوة", "dakwah"),
    ("health", "Health", "الصحة", "health"),
    ("rights", "Human Rights", "حقوق الإنسان", "human-rights"),
    ("family", "Family", "الأسرة", "family"),
    ("culture", "Culture", "الثقافة", "culture"),
]
TOPIC_KEYS = [key for key, *_rest in TOPICS]

# Per language: the topic words and the name patterns an organisation registers under.
LOCAL = {
    "ar": (
        [
            "التعليم",
            "الإغاثة",
            "رعاية الأيتام",
            "المرأة",
            "الشباب",
            "الدعوة",
            "الصحة",
            "حقوق الإنسان",
            "الأسرة",
            "الثقافة",
        ],
        ["جمعية {t} في {c}", "مؤسسة {t} الخيرية {bi_c}", "الهيئة الأهلية {li_t} في {c}"],
    ),
    "en": (
        [
            "Education",
            "Relief",
            "Orphan Care",
            "Women's",
            "Youth",
            "Dawah",
            "Health",
            "Human Rights",
            "Family",
            "Culture",
        ],
        ["{c} {t} Association", "{t} Foundation of {c}", "{c} Muslim {t} Trust"],
    ),
    "fr": (
        [
            "l'éducation",
            "le secours",
            "les orphelins",
            "la femme",
            "la jeunesse",
            "la da'wa",
            "la santé",
            "les droits humains",
            "la famille",
            "la culture",
        ],
        ["Association pour {t} de {c}", "Fondation islamique pour {t} – {c}", "ONG {c} pour {t}"],
    ),
    "tr": (
        [
            "Eğitim",
            "Yardımlaşma",
            "Yetimler",
            "Kadın",
            "Gençlik",
            "İlim ve Davet",
            "Sağlık",
            "İnsan Hakları",
            "Aile",
            "Kültür",
        ],
        ["{c} {t} Derneği", "{t} Vakfı {c}", "{c} {t} ve Dayanışma Derneği"],
    ),
    "ms": (
        [
            "Pendidikan",
            "Kebajikan",
            "Anak Yatim",
            "Wanita",
            "Belia",
            "Dakwah",
            "Kesihatan",
            "Hak Asasi",
            "Keluarga",
            "Kebudayaan",
        ],
        ["Persatuan {t} Islam {c}", "Yayasan {t} {c}", "Pertubuhan {t} {c}"],
    ),
    "id": (
        [
            "Pendidikan",
            "Peduli Umat",
            "Yatim",
            "Perempuan",
            "Pemuda",
            "Dakwah",
            "Kesehatan",
            "HAM",
            "Keluarga",
            "Budaya",
        ],
        ["Yayasan {t} {c}", "Perkumpulan {t} Islam {c}", "Lembaga {t} {c}"],
    ),
    "ru": (
        [
            "просвещения",
            "помощи",
            "сирот",
            "женщин",
            "молодёжи",
            "даавата",
            "здоровья",
            "прав человека",
            "семьи",
            "культуры",
        ],
        ["Фонд {t} «{c}»", "Общественное объединение {t}, {c}", "Ассоциация {t} г. {c}"],
    ),
    "bs": (
        [
            "obrazovanje",
            "pomoć",
            "siročad",
            "žene",
            "mlade",
            "da'wu",
            "zdravlje",
            "ljudska prava",
            "porodicu",
            "kulturu",
        ],
        ["Udruženje za {t} {c}", "Fondacija za {t} {c}", "Humanitarna organizacija za {t}, {c}"],
    ),
    "fa": (
        ["آموزش", "امداد", "حمایت از ایتام", "زنان", "جوانان", "دعوت", "سلامت", "حقوق بشر", "خانواده", "فرهنگ"],
        ["انجمن {t} {c}", "بنیاد {t} {c}", "مؤسسه خیریه {t} {c}"],
    ),
    "de": (
        [
            "Bildung",
            "Nothilfe",
            "Waisenhilfe",
            "Frauen",
            "Jugend",
            "Dawa",
            "Gesundheit",
            "Menschenrechte",
            "Familie",
            "Kultur",
        ],
        ["Verein für {t} {c} e.V.", "Islamischer Verein für {t} {c} e.V.", "Stiftung {t} {c}"],
    ),
    "so": (
        [
            "Waxbarashada",
            "Gargaarka",
            "Agoonta",
            "Haweenka",
            "Dhallinyarada",
            "Dacwada",
            "Caafimaadka",
            "Xuquuqda",
            "Qoyska",
            "Dhaqanka",
        ],
        ["Ururka {t} ee {c}", "Hay'adda {t} ee {c}", "Xarunta {t} {c}"],
    ),
}
ARABIC_PATTERNS = ["جمعية {t} في {c}", "مؤسسة {t} في {c}", "هيئة {t} في {c}"]
ENGLISH_PATTERNS = ["{t} Association of {c}", "{t} Foundation, {c}", "{c} {t} Society"]

# (ISO code, registration language, [(city in the local script, in English, in Arabic)])
COUNTRIES = [
    ("TR", "tr", [("İstanbul", "Istanbul", "إسطنبول"), ("Konya", "Konya", "قونية"), ("Ankara", "Ankara", "أنقرة")]),
    ("MY", "ms", [("Kuala Lumpur", "Kuala Lumpur", "كوالالمبور"), ("Shah Alam", "Shah Alam", "شاه علم")]),
    (
        "ID",
        "id",
        [
            ("Jakarta", "Jakarta", "جاكرتا"),
            ("Bandung", "Bandung", "باندونغ"),
            ("Yogyakarta", "Yogyakarta", "يوغياكارتا"),
        ],
    ),
    ("PK", "en", [("Lahore", "Lahore", "لاهور"), ("Karachi", "Karachi", "كراتشي")]),
    ("BD", "en", [("Dhaka", "Dhaka", "دكا"), ("Chittagong", "Chittagong", "شيتاغونغ")]),
    ("EG", "ar", [("القاهرة", "Cairo", "القاهرة"), ("الإسكندرية", "Alexandria", "الإسكندرية")]),
    ("SA", "ar", [("الرياض", "Riyadh", "الرياض"), ("جدة", "Jeddah", "جدة")]),
    ("JO", "ar", [("عمّان", "Amman", "عمّان"), ("إربد", "Irbid", "إربد")]),
    ("PS", "ar", [("غزة", "Gaza", "غزة"), ("نابلس", "Nablus", "نابلس")]),
    ("LB", "ar", [("بيروت", "Beirut", "بيروت"), ("طرابلس", "Tripoli", "طرابلس")]),
    ("SY", "ar", [("دمشق", "Damascus", "دمشق"), ("حلب", "Aleppo", "حلب")]),
    ("IQ", "ar", [("بغداد", "Baghdad", "بغداد"), ("الموصل", "Mosul", "الموصل")]),
    ("YE", "ar", [("صنعاء", "Sanaa", "صنعاء"), ("عدن", "Aden", "عدن")]),
    ("KW", "ar", [("الكويت", "Kuwait City", "الكويت")]),
    ("QA", "ar", [("الدوحة", "Doha", "الدوحة")]),
    ("BH", "ar", [("المنامة", "Manama", "المنامة")]),
    ("AE", "ar", [("الشارقة", "Sharjah", "الشارقة"), ("دبي", "Dubai", "دبي")]),
    ("OM", "ar", [("مسقط", "Muscat", "مسقط")]),
    ("SD", "ar", [("الخرطوم", "Khartoum", "الخرطوم"), ("بورتسودان", "Port Sudan", "بورتسودان")]),
    ("LY", "ar", [("طرابلس", "Tripoli", "طرابلس"), ("بنغازي", "Benghazi", "بنغازي")]),
    ("TN", "ar", [("تونس", "Tunis", "تونس"), ("صفاقس", "Sfax", "صفاقس")]),
    ("DZ", "ar", [("الجزائر", "Algiers", "الجزائر"), ("قسنطينة", "Constantine", "قسنطينة")]),
    ("MA", "ar", [("الرباط", "Rabat", "الرباط"), ("فاس", "Fez", "فاس")]),
    ("MR", "ar", [("نواكشوط", "Nouakchott", "نواكشوط")]),
    ("SO", "so", [("Muqdisho", "Mogadishu", "مقديشو"), ("Hargeysa", "Hargeisa", "هرجيسا")]),
    ("DJ", "fr", [("Djibouti", "Djibouti", "جيبوتي")]),
    ("KM", "fr", [("Moroni", "Moroni", "موروني")]),
    ("SN", "fr", [("Dakar", "Dakar", "داكار"), ("Touba", "Touba", "طوبى")]),
    ("ML", "fr", [("Bamako", "Bamako", "باماكو")]),
    ("NE", "fr", [("Niamey", "Niamey", "نيامي")]),
    ("TD", "fr", [("N'Djamena", "N'Djamena", "انجامينا")]),
    ("BF", "fr", [("Ouagadougou", "Ouagadougou", "واغادوغو")]),
    ("GN", "fr", [("Conakry", "Conakry", "كوناكري")]),
    ("CI", "fr", [("Abidjan", "Abidjan", "أبيدجان")]),
    ("CM", "fr", [("Maroua", "Maroua", "ماروا")]),
    ("BJ", "fr", [("Porto-Novo", "Porto-Novo", "بورتو نوفو")]),
    ("NG", "en", [("Kano", "Kano", "كانو"), ("Lagos", "Lagos", "لاغوس"), ("Abuja", "Abuja", "أبوجا")]),
    ("GH", "en", [("Accra", "Accra", "أكرا")]),
    ("SL", "en", [("Freetown", "Freetown", "فريتاون")]),
    ("GM", "en", [("Banjul", "Banjul", "بانجول")]),
    ("KE", "en", [("Mombasa", "Mombasa", "مومباسا"), ("Nairobi", "Nairobi", "نيروبي")]),
    ("TZ", "en", [("Zanzibar", "Zanzibar", "زنجبار"), ("Dar es Salaam", "Dar es Salaam", "دار السلام")]),
    ("UG", "en", [("Kampala", "Kampala", "كمبالا")]),
    ("ET", "en", [("Addis Ababa", "Addis Ababa", "أديس أبابا")]),
    ("ZA", "en", [("Cape Town", "Cape Town", "كيب تاون"), ("Durban", "Durban", "ديربان")]),
    ("MZ", "en", [("Maputo", "Maputo", "مابوتو")]),
    ("AF", "fa", [("کابل", "Kabul", "كابل"), ("هرات", "Herat", "هراة")]),
    ("IR", "fa", [("تهران", "Tehran", "طهران")]),
    ("AZ", "tr", [("Bakı", "Baku", "باكو")]),
    ("KZ", "ru", [("Алматы", "Almaty", "ألماتي")]),
    ("KG", "ru", [("Бишкек", "Bishkek", "بيشكك")]),
    ("UZ", "ru", [("Ташкент", "Tashkent", "طشقند")]),
    ("TJ", "ru", [("Душанбе", "Dushanbe", "دوشنبه")]),
    ("RU", "ru", [("Казань", "Kazan", "قازان"), ("Махачкала", "Makhachkala", "محج قلعة")]),
    ("BA", "bs", [("Sarajevo", "Sarajevo", "سراييفو"), ("Mostar", "Mostar", "موستار")]),
    ("XK", "bs", [("Prishtina", "Pristina", "بريشتينا")]),
    ("AL", "bs", [("Tirana", "Tirana", "تيرانا")]),
    ("MK", "bs", [("Skopje", "Skopje", "سكوبيه")]),
    ("DE", "de", [("Köln", "Cologne", "كولونيا"), ("Berlin", "Berlin", "برلين")]),
    ("AT", "de", [("Wien", "Vienna", "فيينا")]),
    ("FR", "fr", [("Paris", "Paris", "باريس"), ("Lyon", "Lyon", "ليون")]),
    ("BE", "fr", [("Bruxelles", "Brussels", "بروكسل")]),
    ("GB", "en", [("London", "London", "لندن"), ("Birmingham", "Birmingham", "برمنغهام")]),
    ("LK", "en", [("Colombo", "Colombo", "كولومبو")]),
    ("IN", "en", [("Hyderabad", "Hyderabad", "حيدر آباد"), ("Kozhikode", "Kozhikode", "كاليكوت")]),
]
# Countries where more members are registered (the union's largest delegations).
LARGE = {"TR": 28, "MY": 16, "ID": 18, "PK": 12, "BD": 10, "EG": 10, "NG": 10, "PS": 9, "SO": 6, "SN": 7, "DE": 6}
BASE_PER_COUNTRY = 4

MY_STATES = [
    ("Selangor", "Shah Alam"),
    ("Wilayah Persekutuan Kuala Lumpur", "Kuala Lumpur"),
    ("Johor", "Johor Bahru"),
    ("Kelantan", "Kota Bharu"),
    ("Terengganu", "Kuala Terengganu"),
    ("Pulau Pinang", "George Town"),
    ("Perak", "Ipoh"),
    ("Kedah", "Alor Setar"),
    ("Pahang", "Kuantan"),
    ("Sabah", "Kota Kinabalu"),
]
MY_CITY_AR = {
    "Shah Alam": "شاه علم",
    "Kuala Lumpur": "كوالالمبور",
    "Johor Bahru": "جوهور بهرو",
    "Kota Bharu": "كوتا بهارو",
    "Kuala Terengganu": "كوالا ترينغانو",
    "George Town": "جورج تاون",
    "Ipoh": "إيبوه",
    "Alor Setar": "ألور ستار",
    "Kuantan": "كوانتان",
    "Kota Kinabalu": "كوتا كينابالو",
}

COMMISSIONS = [
    (
        "culture-education",
        "لجنة الثقافة والتعليم",
        "Culture and Education Commission",
        "Suruhanjaya Kebudayaan dan Pendidikan",
        "education",
    ),
    (
        "women-family-youth",
        "لجنة المرأة والأسرة والشباب",
        "Women, Family and Youth Commission",
        "Suruhanjaya Wanita, Keluarga dan Belia",
        "women",
    ),
    (
        "human-rights",
        "لجنة حقوق الإنسان والحريات",
        "Human Rights and Freedoms Commission",
        "Suruhanjaya Hak Asasi Manusia dan Kebebasan",
        "rights",
    ),
    (
        "finance-administration",
        "لجنة الشؤون المالية والإدارية",
        "Financial and Administrative Affairs Commission",
        "Suruhanjaya Hal Ehwal Kewangan dan Pentadbiran",
        None,
    ),
    (
        "social-humanitarian",
        "لجنة الشؤون الاجتماعية والإنسانية والتضامن",
        "Social and Humanitarian Affairs and Solidarity Commission",
        "Suruhanjaya Hal Ehwal Sosial, Kemanusiaan dan Solidariti",
        "relief",
    ),
    (
        "research-development",
        "لجنة البحث والتطوير",
        "Research and Development Commission",
        "Suruhanjaya Penyelidikan dan Pembangunan",
        "culture",
    ),
]

CLUSTERS = [
    ("pendidikan", "عنقود التعليم", "Education cluster", "Kluster Pendidikan", "education"),
    ("dakwah", "عنقود الدعوة", "Dakwah cluster", "Kluster Dakwah", "dakwah"),
    ("kebajikan", "عنقود الرعاية الاجتماعية", "Welfare cluster", "Kluster Kebajikan", "orphans"),
    ("wanita-keluarga", "عنقود المرأة والأسرة", "Women and family cluster", "Kluster Wanita dan Keluarga", "women"),
    ("belia-mahasiswa", "عنقود الشباب والطلاب", "Youth and students cluster", "Kluster Belia dan Mahasiswa", "youth"),
    ("kesihatan", "عنقود الصحة", "Health cluster", "Kluster Kesihatan", "health"),
    ("ekonomi", "عنقود الاقتصاد", "Economy cluster", "Kluster Ekonomi", "family"),
    (
        "kemanusiaan",
        "عنقود العمل الإنساني الدولي",
        "International humanitarian cluster",
        "Kluster Kemanusiaan Antarabangsa",
        "relief",
    ),
    ("media", "عنقود الإعلام", "Media cluster", "Kluster Media", "culture"),
    (
        "hak-asasi",
        "عنقود القانون وحقوق الإنسان",
        "Law and human rights cluster",
        "Kluster Undang-undang dan Hak Asasi",
        "rights",
    ),
]

# Demo people who act for organisations: (e-mail local part, country, role).
ACTING = [
    ("fatimah.zahra", "TN", "owner"),
    ("ahmad.kamal", "MY", "owner"),
    ("omar.farouk", "JO", "admin"),
    ("nurul.huda", "MY", "owner"),
    ("aylin.demir", "TR", "editor"),
    ("yusuf.abdi", "SO", "owner"),
    ("mariam.alkuwari", "QA", "owner"),
    ("hafiz.rahman", "MY", "admin"),
    ("layla.haddad", "LB", "editor"),
    ("ibrahim.sow", "SN", "owner"),
]


def arabic_prefixed(preposition: str, word: str) -> str:
    """An attached Arabic preposition (ب or ل) written onto the word as Arabic spells it: ل + الثقافة
    is "للثقافة" (the alif of the article drops), ب + القاهرة is "بالقاهرة"; never "لـالثقافة"."""
    if preposition == "ل" and word.startswith("ال"):
        return "لل" + word[2:]
    return preposition + word


def _names(code: str, language: str, city: tuple[str, str, str], topic: int, variant: int) -> tuple[str, str, str]:
    words, patterns = LOCAL[language]
    local = patterns[variant % len(patterns)].format(
        t=words[topic],
        c=city[0],
        li_t=arabic_prefixed("ل", words[topic]),
        bi_c=arabic_prefixed("ب", city[0]),
    )
    _key, english, arabic, _focus = TOPICS[topic]
    arabic_name = local if language == "ar" else ARABIC_PATTERNS[variant % 3].format(t=arabic, c=city[2])
    english_name = local if language == "en" else ENGLISH_PATTERNS[variant % 3].format(t=english, c=city[1])
    return local, arabic_name, english_name


def load(*, domain: str, stdout=None) -> bool:
    """Create the demo registry once; return False when it is already there."""
    from tansiq.accounts.models import User
    from tansiq.network.models import (
        Committee,
        CommitteeSeat,
        FocusArea,
        Membership,
        Network,
        NetworkMembership,
        Organisation,
        Unit,
    )

    if Network.objects.filter(slug="uniw").exists():
        return False
    rng = random.Random(2005)
    focus = {area.slug: area for area in FocusArea.objects.all()}
    today = dt.date(2026, 1, 15)

    union = Network.objects.create(
        slug="uniw",
        position=0,
        name_ar="اتحاد المنظمات الأهلية في العالم الإسلامي",
        name_en="Union of NGOs of the Islamic World",
        name_ms="Kesatuan Pertubuhan Bukan Kerajaan Dunia Islam",
        description_ar="تأسس الاتحاد في إسطنبول عام 2005 للتعاون والتنسيق بين المنظمات الأهلية في العالم الإسلامي.",
        description_en="Founded in Istanbul in 2005 for cooperation and coordination among NGOs of the Islamic world.",
        description_ms="Ditubuhkan di Istanbul pada 2005 untuk kerjasama dan penyelarasan antara NGO dunia Islam.",
        referees_required=2,
        min_years_since_founding=1,
        notice_period_days=15,
    )
    council = Network.objects.create(
        slug="maim",
        position=1,
        name_ar="المجلس الإسلامي للعمل الخيري في ماليزيا",
        name_en="Islamic Charity Council of Malaysia (MAIM)",
        name_ms="Majlis Amal Islami Malaysia (MAIM)",
        description_ms="Menyelaras pertubuhan amal Islam di Malaysia melalui kluster, muktamar dan meja bulat.",
        description_en="Coordinates Islamic charities in Malaysia through clusters, congresses and round tables.",
        description_ar="ينسّق بين المنظمات الخيرية الإسلامية في ماليزيا عبر العناقيد والمؤتمرات والموائد المستديرة.",
    )

    # --- Organisations of the union ---------------------------------------------------------------
    organisations: list[Organisation] = []
    topics_of: list[int] = []
    slugs: set[str] = set()
    for code, language, cities in COUNTRIES:
        for index in range(LARGE.get(code, BASE_PER_COUNTRY)):
            city = cities[index % len(cities)]
            topic = (index * 3 + len(code) + ord(code[0])) % len(TOPICS)
            local, arabic, english = _names(code, language, city, topic, index // len(cities))
            slug = base = slugify(f"{english}")[:70] or f"{code.lower()}-{index}"
            counter = 2
            while slug in slugs:
                slug, counter = f"{base}-{counter}", counter + 1
            slugs.add(slug)
            words = [w for w in english.replace(",", "").split() if w[:1].isupper() and w not in ("Of",)]
            founded = 1975 + rng.randrange(48)
            organisations.append(
                Organisation(
                    slug=slug,
                    legal_name=local,
                    name=arabic,
                    name_ar=arabic,
                    name_en=english,
                    name_ms=english if language not in ("ms", "id") else local,
                    acronym="".join(w[0] for w in words)[:8].upper(),
                    type=_type_for(TOPIC_KEYS[topic], rng),
                    country=code,
                    city=city[1] if language not in ("ar", "fa", "ru") else city[0],
                    year_founded=founded,
                    website=f"https://{slug[:40]}.example.org",
                    working_languages=sorted(
                        {language, "ar", "en"} & {"ar", "en", "ms", "id", "tr", "fr", "ru", "bs", "fa", "de", "so"}
                    ),
                    staff_count=rng.randrange(2, 120),
                    volunteer_count=rng.randrange(10, 2000),
                    agm_date=today - dt.timedelta(days=rng.randrange(30, 400)),
                    registry=_registry(code),
                    registration_number=f"{code}-{founded}-{rng.randrange(1000, 99999)}",
                )
            )
            topics_of.append(topic)
    for organisation in organisations:
        organisation.annual_return_due = Organisation.return_due(organisation.agm_date)
    Organisation.objects.bulk_create(organisations, batch_size=500)
    organisations = list(Organisation.objects.filter(slug__in=slugs).order_by("pk"))
    by_slug = {o.slug: o for o in organisations}

    # Focus areas: the topic's sector, a related SDG and sometimes a second sector.
    Focus = Organisation.focus_areas.through
    links = []
    sdg_for = {
        "education": 4,
        "relief": 1,
        "orphans": 10,
        "women": 5,
        "youth": 8,
        "dakwah": 16,
        "health": 3,
        "rights": 16,
        "family": 3,
        "culture": 11,
    }
    ordered = [by_slug[o.slug] for o in organisations]
    for organisation, topic in zip(ordered, topics_of, strict=False):
        key, _en, _ar, sector = TOPICS[topic]
        wanted = {
            sector,
            f"sdg-{sdg_for[key]:02d}",
            rng.choice(["community", "disaster", "water", "research", "media"]),
        }
        links.extend(Focus(organisation_id=organisation.pk, focusarea_id=focus[s].pk) for s in wanted if s in focus)
    Focus.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)

    # Country representations for the largest delegations.
    units = {}
    for code, name_ar, name_en, name_ms in [
        ("TR", "ممثلية تركيا", "Türkiye representation", "Perwakilan Turki"),
        ("MY", "ممثلية ماليزيا", "Malaysia representation", "Perwakilan Malaysia"),
        ("ID", "ممثلية إندونيسيا", "Indonesia representation", "Perwakilan Indonesia"),
        ("NG", "ممثلية نيجيريا", "Nigeria representation", "Perwakilan Nigeria"),
    ]:
        units[code] = Unit.objects.create(
            network=union,
            kind=Unit.Kind.COUNTRY,
            slug=code.lower(),
            name_ar=name_ar,
            name_en=name_en,
            name_ms=name_ms,
            name=name_ar,
        )

    memberships = []
    for index, organisation in enumerate(ordered):
        if index < 24:
            category = NetworkMembership.Category.FOUNDING
        elif index % 9 == 0:
            category = NetworkMembership.Category.ASSOCIATE
        else:
            category = NetworkMembership.Category.FULL
        memberships.append(
            _union_membership(
                union,
                index,
                today,
                years=20,
                organisation=organisation,
                unit=units.get(str(organisation.country)),
                category=category,
            )
        )
    NetworkMembership.objects.bulk_create(memberships, batch_size=500)

    commissions = []
    for position, (slug, ar, en, ms, _topic) in enumerate(COMMISSIONS):
        commissions.append(
            Committee(
                network=union,
                slug=slug,
                kind=Committee.Kind.COMMISSION,
                position=position,
                name=ar,
                name_ar=ar,
                name_en=en,
                name_ms=ms,
                term_start=dt.date(2024, 1, 1),
                term_end=dt.date(2026, 12, 31),
            )
        )
    Committee.objects.bulk_create(commissions)
    commissions = list(Committee.objects.filter(network=union).order_by("position"))
    admitted = [m.organisation for m in memberships if m.status == NetworkMembership.Status.ADMITTED]
    seats = []
    for committee, (_slug, _ar, _en, _ms, topic) in zip(commissions, COMMISSIONS, strict=True):
        pool = [
            o for o, t in zip(ordered, topics_of, strict=False) if topic and TOPICS[t][0] == topic and o in admitted
        ]
        pool = pool[:14] + rng.sample(admitted, 8)
        for organisation in dict.fromkeys(pool):
            seats.append(CommitteeSeat(committee=committee, organisation=organisation, since=dt.date(2024, 1, 1)))
    CommitteeSeat.objects.bulk_create(seats, ignore_conflicts=True)

    # --- The Malaysian council ----------------------------------------------------------------------
    maim_unit = Unit.objects.create(
        network=council,
        kind=Unit.Kind.COUNCIL,
        slug="maim",
        name="وحدة المجلس الإسلامي للعمل الخيري",
        name_ar="وحدة المجلس الإسلامي للعمل الخيري",
        name_en="MAIM unit",
        name_ms="Unit MAIM",
    )
    women_unit = Unit.objects.create(
        network=council,
        kind=Unit.Kind.COUNCIL,
        slug="mpwim",
        name="المجلس الاستشاري للمرأة المسلمة في ماليزيا",
        name_ar="المجلس الاستشاري للمرأة المسلمة في ماليزيا",
        name_en="Malaysian Islamic Women's Consultative Council (MPWIM)",
        name_ms="Majlis Perundingan Wanita Islam Malaysia (MPWIM)",
    )
    Unit.objects.create(
        network=council,
        kind=Unit.Kind.INTERNATIONAL,
        slug="antarabangsa",
        name="الوحدة الدولية",
        name_ar="الوحدة الدولية",
        name_en="International unit",
        name_ms="Unit Antarabangsa",
    )
    malaysian = [o for o in ordered if str(o.country) == "MY"]
    extra = []
    for index in range(100 - len(malaysian)):
        state, city = MY_STATES[index % len(MY_STATES)]
        topic = index % len(TOPICS)
        local, arabic, english = _names("MY", "ms", (city, city, MY_CITY_AR[city]), topic, index // 10)
        slug = slugify(f"{english}-{state}")[:70]
        if slug in slugs:
            slug = f"{slug[:60]}-{index}"
        slugs.add(slug)
        founded = 1970 + rng.randrange(52)
        extra.append(
            Organisation(
                slug=slug,
                legal_name=local,
                name=arabic,
                name_ar=arabic,
                name_en=english,
                name_ms=local,
                acronym="".join(w[0] for w in local.split() if w[:1].isupper())[:8],
                country="MY",
                region=state,
                city=city,
                type=_type_for(TOPIC_KEYS[topic], rng),
                year_founded=founded,
                registry=f"ROS {state}",
                registration_number=f"PPM-{rng.randrange(1, 999):03d}-{rng.randrange(10, 16)}-{founded}",
                working_languages=["ms", "en"],
                staff_count=rng.randrange(1, 40),
                volunteer_count=rng.randrange(5, 800),
                agm_date=today - dt.timedelta(days=rng.randrange(30, 400)),
                annual_return_due=None,
                licence_expiry=today + dt.timedelta(days=rng.randrange(-30, 700)),
            )
        )
        extra[-1].annual_return_due = Organisation.return_due(extra[-1].agm_date)
    Organisation.objects.bulk_create(extra, batch_size=500)
    extra = list(Organisation.objects.filter(slug__in=[o.slug for o in extra]).order_by("pk"))
    Focus.objects.bulk_create(
        [
            Focus(organisation_id=o.pk, focusarea_id=focus[TOPICS[i % len(TOPICS)][3]].pk)
            for i, o in enumerate(extra)
            if TOPICS[i % len(TOPICS)][3] in focus
        ],
        ignore_conflicts=True,
    )
    council_members = malaysian + extra
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(
                network=council,
                organisation=o,
                unit=women_unit if "Wanita" in o.legal_name else maim_unit,
                category=NetworkMembership.Category.FOUNDING if i < 10 else NetworkMembership.Category.FULL,
                status=NetworkMembership.Status.APPLICANT if i % 33 == 32 else NetworkMembership.Status.ADMITTED,
                admitted_on=dt.date(2010 + i % 15, 1 + i % 12, 1),
            )
            for i, o in enumerate(council_members)
        ]
    )
    Committee.objects.bulk_create(
        [
            Committee(
                network=council,
                slug=slug,
                kind=Committee.Kind.CLUSTER,
                position=position,
                name=ar,
                name_ar=ar,
                name_en=en,
                name_ms=ms,
            )
            for position, (slug, ar, en, ms, _topic) in enumerate(CLUSTERS)
        ]
    )
    clusters = {c.slug: c for c in Committee.objects.filter(network=council)}
    cluster_for_topic = {topic: slug for slug, _ar, _en, _ms, topic in CLUSTERS}
    seats = []
    for i, organisation in enumerate(council_members):
        if i % 33 == 32:
            continue  # applicants sit on no cluster
        legal = organisation.legal_name
        topic = next((key for key, _en, _ar, _f in TOPICS if LOCAL["ms"][0][TOPIC_KEYS.index(key)] in legal), "family")
        slug = cluster_for_topic.get(topic) or CLUSTERS[i % len(CLUSTERS)][0]
        seats.append(CommitteeSeat(committee=clusters[slug], organisation=organisation, since=dt.date(2023, 3, 1)))
    CommitteeSeat.objects.bulk_create(seats, ignore_conflicts=True)

    # --- Demo people acting for organisations ---------------------------------------------------------
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{domain}")}
    taken: set[int] = set()
    acting = []
    acts_for: dict[str, Organisation] = {}
    for local, code, role in ACTING:
        user = people.get(local)
        candidates = [o for o in admitted if str(o.country) == code and o.pk not in taken]
        if user is None or not candidates:
            continue
        organisation = candidates[0]
        taken.add(organisation.pk)
        acts_for[local] = organisation
        acting.append(Membership(user=user, organisation=organisation, role=role))
        if role != "owner":
            # Every organisation keeps an owner: the first demo member of the country owns it too.
            owner = people.get("fatimah.zahra")
            if owner is not None:
                acting.append(Membership(user=owner, organisation=organisation, role="owner"))
    Membership.objects.bulk_create(acting, ignore_conflicts=True)
    if "nurul.huda" in people:
        women_unit.admins.add(people["nurul.huda"])
    if "aylin.demir" in people:
        units["TR"].admins.add(people["aylin.demir"])
    _elect(
        Committee.objects.get(network=union, slug="human-rights"),
        {"chair": "omar.farouk", "vice_chair": "yusuf.abdi"},
        people=people,
        acts_for=acts_for,
    )
    # The women's council's member chairs the cluster its organisation sits on in the council.
    seat = CommitteeSeat.objects.filter(committee__network=council, organisation=acts_for.get("nurul.huda")).first()
    if seat is not None:
        _elect(seat.committee, {"chair": "nurul.huda"}, people=people, acts_for=acts_for)
    if stdout is not None:
        stdout.write(
            f"  Registry: {len(ordered)} organisations in {len(COUNTRIES)} countries (union), "
            f"{len(council_members)} in the Malaysian council."
        )
    return True


def _elect(committee, officers: dict[str, str], *, people: dict, acts_for: dict) -> None:
    """Elect demo people to a committee's offices ({office: person}) as the statute has it: each is
    first named its organisation's representative in the network and on its seat on the committee,
    then ``committees.check_offices`` (the back office's rule) must accept them."""
    from tansiq.network.models import Committee, CommitteeSeat, NetworkMembership
    from tansiq.network.services import committees

    elected = {}
    for office, local in officers.items():
        person, organisation = people.get(local), acts_for.get(local)
        if person is None or organisation is None:
            continue
        membership = NetworkMembership.objects.filter(
            network=committee.network_id,
            organisation=organisation,
            status__in=NetworkMembership.REPRESENTED_STATUSES,
            representative__isnull=True,
        )
        if not membership.update(representative=person):
            continue
        seat, _made = CommitteeSeat.objects.get_or_create(
            committee=committee,
            organisation=organisation,
            defaults={"since": committee.term_start or dt.date(2024, 1, 1)},
        )
        CommitteeSeat.objects.filter(pk=seat.pk).update(representative=person)
        elected[office] = person
    committees.check_offices(committee, chair=elected.get("chair"), vice_chair=elected.get("vice_chair"))
    Committee.objects.filter(pk=committee.pk).update(**elected)


def _union_membership(union, number: int, today: dt.date, *, years: int, **member):
    """The ``number``-th member's place in the union: most admitted, a few applying, suspended or
    withdrawn, spread evenly so every filter and status has something to show."""
    from tansiq.network.models import NetworkMembership

    status = NetworkMembership.Status.ADMITTED
    if number % 47 == 5:
        status = NetworkMembership.Status.APPLICANT
    elif number % 97 == 11:
        status = NetworkMembership.Status.SUSPENDED
    elif number % 131 == 13:
        status = NetworkMembership.Status.WITHDRAWN
    return NetworkMembership(
        network=union,
        status=status,
        admitted_on=None if status == "applicant" else dt.date(2005 + number % years, 1 + number % 12, 1),
        status_changed_on=today if status in ("suspended", "withdrawn") else None,
        status_reason="" if status in ("admitted", "applicant") else "Demo: annual dues unpaid for two years.",
        **member,
    )


def _type_for(topic: str, rng: random.Random) -> str:
    from tansiq.network.models import Organisation

    Type = Organisation.Type
    preferred = {
        "women": Type.WOMEN,
        "youth": Type.STUDENT_YOUTH,
        "dakwah": Type.DAKWAH,
        "education": Type.ACADEMIC,
        "orphans": Type.FOUNDATION,
    }.get(topic)
    if preferred and rng.random() < 0.6:
        return preferred
    return rng.choice([Type.NGO, Type.NGO, Type.NGO, Type.FOUNDATION, Type.MOSQUE_WAQF])


def _registry(code: str) -> str:
    return {
        "TR": "Dernekler Dairesi",
        "MY": "ROS",
        "ID": "Kemenkumham",
        "GB": "Charity Commission",
        "DE": "Vereinsregister",
        "FR": "Préfecture",
    }.get(code, "")


# --- Applications at every step of admission ------------------------------------------------------
# (slug, country, city, legal name, Arabic name, English name, founded, owner, state, confirmed referees)
APPLICANTS = [
    (
        "al-amal-development-association-saida",
        "LB",
        "Saida",
        "جمعية الأمل للتنمية في صيدا",
        "جمعية الأمل للتنمية في صيدا",
        "Al-Amal Development Association, Saida",
        2012,
        "layla.haddad",
        "draft",
        0,
    ),
    (
        "nur-ilmu-education-foundation-bandung",
        "ID",
        "Bandung",
        "Yayasan Pendidikan Nur Ilmu",
        "مؤسسة نور العلم للتعليم في باندونغ",
        "Nur Ilmu Education Foundation, Bandung",
        2009,
        "yusuf.abdi",
        "submitted",
        0,
    ),
    (
        "kano-orphan-care-trust",
        "NG",
        "Kano",
        "Kano Orphan Care Trust",
        "صندوق كانو لرعاية الأيتام",
        "Kano Orphan Care Trust",
        2004,
        "ibrahim.sow",
        "submitted",
        1,
    ),
    (
        "sarajevo-youth-solidarity-association",
        "BA",
        "Sarajevo",
        "Udruženje za solidarnost mladih Sarajevo",
        "جمعية تضامن الشباب في سراييفو",
        "Sarajevo Youth Solidarity Association",
        2015,
        "aylin.demir",
        "referees_confirmed",
        2,
    ),
    (
        "dakar-family-relief-association",
        "SN",
        "Dakar",
        "Association de secours aux familles de Dakar",
        "جمعية إغاثة الأسر في داكار",
        "Dakar Family Relief Association",
        2001,
        "ibrahim.sow",
        "notice",
        2,
    ),
    (
        "doha-water-for-all-initiative",
        "QA",
        "Doha",
        "مبادرة الماء للجميع - الدوحة",
        "مبادرة الماء للجميع في الدوحة",
        "Water for All Initiative, Doha",
        2020,
        "mariam.alkuwari",
        "rejected",
        2,
    ),
]
# The steps each demo application went through, in order, to reach its state.
PATHS = {
    "draft": ["draft"],
    "submitted": ["draft", "submitted"],
    "referees_confirmed": ["draft", "submitted", "referees_confirmed"],
    "notice": ["draft", "submitted", "referees_confirmed", "reviewed", "eligible", "notice"],
    "rejected": ["draft", "submitted", "referees_confirmed", "reviewed", "eligible", "notice", "rejected"],
}


def minimal_pdf(*lines: str) -> bytes:
    """A one-page PDF (Helvetica, ASCII text) that any reader opens; enough for a demo document."""
    safe = [line.encode("ascii", "replace").decode().translate({ord(c): None for c in "\\()"}) for line in lines]
    text = " ".join(f"({line}) Tj 0 -20 Td" for line in safe)
    stream = f"BT /F1 14 Tf 72 770 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def load_applications(*, domain: str, stdout=None) -> bool:
    """A handful of applications to the union, one at each step; once (False when already there).

    Referees are member organisations that demo people act for, so signing in as them shows a
    reference waiting for an answer. Dates follow a fixed calendar, except the notice period,
    which must still be running on the day the demo is loaded.
    """
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tansiq.accounts.models import User
    from tansiq.core import audit
    from tansiq.network.models import Application, Membership, Network, NetworkMembership, Organisation, Reference
    from tansiq.network.services.admission import notify_application_changed, notify_reference_requested

    union = Network.objects.filter(slug="uniw").first()
    if union is None or Organisation.objects.filter(slug=APPLICANTS[0][0]).exists():
        return False
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{domain}")}
    secretariat = people.get("secretariat")
    admitted = NetworkMembership.objects.admitted().filter(network=union)
    vouching = list(
        Organisation.objects.filter(
            people__user__email__endswith=f"@{domain}", pk__in=admitted.values("organisation_id")
        )
        .distinct()
        .order_by("pk")
    )
    others = list(
        Organisation.objects.filter(pk__in=admitted.values("organisation_id"))
        .exclude(pk__in=[o.pk for o in vouching])
        .order_by("pk")[:12]
    )
    referees = vouching + others
    start = timezone.make_aware(dt.datetime(2025, 11, 2, 10, 0))
    for number, (slug, country, city, legal, arabic, english, founded, owner, state, confirmed) in enumerate(
        APPLICANTS
    ):
        organisation = Organisation.objects.create(
            slug=slug,
            legal_name=legal,
            name=arabic,
            name_ar=arabic,
            name_en=english,
            name_ms=english,
            country=country,
            city=city,
            year_founded=founded,
            type=Organisation.Type.NGO,
            working_languages=["ar", "en"],
        )
        if owner in people:
            Membership.objects.create(user=people[owner], organisation=organisation, role=Membership.Role.OWNER)
        created = start + dt.timedelta(days=7 * number)
        application = Application(
            network=union,
            organisation=organisation,
            representative_name=_REPRESENTATIVES[number],
            motivation="",
            created_by=people.get(owner),
            created_at=created,
        )
        application.board_resolution.save(
            "board-resolution.pdf",
            ContentFile(minimal_pdf("Board resolution", english, f"Representative: {_REPRESENTATIVES[number]}")),
            save=False,
        )
        application.registration_certificate.save(
            "registration-certificate.pdf",
            ContentFile(minimal_pdf("Certificate of registration", legal, f"Founded {founded}")),
            save=False,
        )
        path = PATHS[state]
        application.state = path[-1]
        if len(path) > 1:
            application.submitted_at = created + dt.timedelta(days=1)
        if "eligible" in path:
            application.decision_reason = "The statute's conditions are met."
        if "notice" in path:
            application.notice_ends_on = (
                timezone.localdate() + dt.timedelta(days=9)
                if state == "notice"
                else (created + dt.timedelta(days=30 + union.notice_period_days)).date()
            )
        if state == "rejected":
            application.votes_for, application.votes_against, application.votes_abstain = 41, 57, 6
        application.save()
        chosen = referees[(2 * number) % len(referees)], referees[(2 * number + 1) % len(referees)]
        for index, referee in enumerate(chosen):
            answered = index < confirmed
            Reference.objects.create(
                application=application,
                organisation=referee,
                state=Reference.State.CONFIRMED if answered else Reference.State.PENDING,
                answered_at=created + dt.timedelta(days=3 + index) if answered else None,
            )
        audit.record("create", by=people.get(owner), obj=application, to_state="draft")
        for source, target in itertools.pairwise(path):
            actor = people.get(owner) if target == "submitted" else secretariat
            audit.record("transition", by=actor, obj=application, from_state=source, to_state=target)
        # What the platform sent at the latest step (to the applicant, the secretariat, the members
        # during the notice) and the reference requests still unanswered wait in the inboxes too.
        if len(path) > 1:
            notify_application_changed(application, from_state=path[-2], to_state=path[-1], reason="")
        if path[-1] != "submitted" and "submitted" in path:
            for reference in application.references.filter(state=Reference.State.PENDING):
                notify_reference_requested(reference, application=application)
        if application.is_open and state != "draft":
            NetworkMembership.objects.create(
                network=union, organisation=organisation, status=NetworkMembership.Status.APPLICANT
            )
    if stdout is not None:
        stdout.write(f"  Admission: {len(APPLICANTS)} applications to the union, from draft to the assembly's vote.")
    return True


_REPRESENTATIVES = [
    "Rami Khoury",
    "Siti Rahmawati",
    "Aminu Bello",
    "Emina Hodžić",
    "Aminata Diop",
    "Noura Al-Sulaiti",
]


# --- The union at benchmark scale ----------------------------------------------------------------
# ``load_demo --scale large`` grows the union to this many member organisations, so that the public
# registry (network home, directory, profiles) is measured at the size the budget names.
LARGE_UNION = 10_000
# Names organisations commonly take, to tell apart many registered in one city for one cause:
# (in Latin script, in Arabic, in Cyrillic).
EPITHETS = [
    ("Al-Nur", "النور", "Ан-Нур"),
    ("Al-Huda", "الهدى", "Аль-Худа"),
    ("Al-Amal", "الأمل", "Аль-Амаль"),
    ("Al-Birr", "البر", "Аль-Бирр"),
    ("Al-Ihsan", "الإحسان", "Аль-Ихсан"),
    ("Ar-Rahma", "الرحمة", "Ар-Рахма"),
    ("Al-Falah", "الفلاح", "Аль-Фалях"),
    ("As-Salam", "السلام", "Ас-Салям"),
    ("At-Taqwa", "التقوى", "Ат-Таква"),
    ("Al-Fajr", "الفجر", "Аль-Фаджр"),
    ("Al-Baraka", "البركة", "Аль-Барака"),
    ("Al-Khair", "الخير", "Аль-Хайр"),
    ("Al-Wafa", "الوفاء", "Аль-Вафа"),
    ("Al-Ukhuwwa", "الأخوة", "Аль-Ухувва"),
    ("Al-Hikma", "الحكمة", "Аль-Хикма"),
    ("Al-Iman", "الإيمان", "Аль-Иман"),
]


def grow_union(total: int = LARGE_UNION, *, stdout=None) -> int:
    """Grow the union to ``total`` member organisations with bulk inserts; return how many were added.

    Deterministic (a fixed seed, organisations numbered after those already there) and idempotent:
    nothing is added once the union has ``total`` members. Countries are weighted like the union's
    own delegations; names follow each country's registration patterns, with a common epithet
    ("Al-Nur Konya Eğitim Derneği") so that a city keeps many distinct organisations per cause.
    """
    from tansiq.network.models import FocusArea, Network, NetworkMembership, Organisation, Unit

    union = Network.objects.filter(slug="uniw").first()
    if union is None:
        return 0
    existing = NetworkMembership.objects.filter(network=union).count()
    if existing >= total:
        return 0
    rng = random.Random(10_000 + existing)
    today = dt.date(2026, 1, 15)
    focus = {area.slug: area.pk for area in FocusArea.objects.all()}
    units = {u.slug.upper(): u.pk for u in Unit.objects.filter(network=union, kind=Unit.Kind.COUNTRY)}
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    codes = [code for code, _language, _cities in COUNTRIES]
    weights = [LARGE.get(code, BASE_PER_COUNTRY) for code in codes]
    by_code = {code: (language, cities) for code, language, cities in COUNTRIES}
    sdg = {"education": 4, "relief": 1, "orphans": 10, "women": 5, "youth": 8}
    sdg |= {"dakwah": 16, "health": 3, "rights": 16, "family": 3, "culture": 11}
    extras = ["community", "disaster", "water", "research", "media"]
    languages = {"ar", "en", "ms", "id", "tr", "fr", "ru", "bs", "fa", "de", "so"}

    organisations, topics = [], []
    for number in range(existing, total):
        code = rng.choices(codes, weights)[0]
        language, cities = by_code[code]
        city = cities[number % len(cities)]
        topic = rng.randrange(len(TOPICS))
        variant = rng.randrange(3)
        local, arabic, english = _names(code, language, city, topic, variant)
        latin, epithet_ar, cyrillic = EPITHETS[(number // len(TOPICS)) % len(EPITHETS)]
        if language in ("ar", "fa", "ru"):
            local = f"{local} «{cyrillic if language == 'ru' else epithet_ar}»"
        else:
            local = f"{latin} {local}"
        arabic = local if language == "ar" else f"{arabic} «{epithet_ar}»"
        english = local if language == "en" else f"{latin} {english}"
        slug = base = slugify(english)[:70] or f"{code.lower()}-{number}"
        counter = 2
        while slug in slugs:
            slug, counter = f"{base}-{counter}", counter + 1
        slugs.add(slug)
        words = [w for w in english.replace(",", "").split() if w[:1].isupper()]
        founded = 1970 + rng.randrange(54)
        agm = today - dt.timedelta(days=rng.randrange(30, 400))
        organisations.append(
            Organisation(
                slug=slug,
                legal_name=local,
                name=arabic,
                name_ar=arabic,
                name_en=english,
                name_ms=local if language in ("ms", "id") else english,
                acronym="".join(w[0] for w in words)[:8].upper(),
                type=_type_for(TOPIC_KEYS[topic], rng),
                country=code,
                city=city[1] if language not in ("ar", "fa", "ru") else city[0],
                year_founded=founded,
                website=f"https://{slug[:40]}.example.org",
                working_languages=sorted({language, "ar", "en"} & languages),
                staff_count=rng.randrange(1, 120),
                volunteer_count=rng.randrange(5, 2000),
                agm_date=agm,
                annual_return_due=Organisation.return_due(agm),
                registry=_registry(code),
                registration_number=f"{code}-{founded}-{rng.randrange(1000, 99999)}",
            )
        )
        topics.append(topic)
    Organisation.objects.bulk_create(organisations, batch_size=1000)
    pks = dict(Organisation.objects.filter(slug__in=[o.slug for o in organisations]).values_list("slug", "pk"))

    Focus = Organisation.focus_areas.through
    links, memberships = [], []
    for number, (organisation, topic) in enumerate(zip(organisations, topics, strict=True), start=existing):
        pk = pks[organisation.slug]
        key, _en, _ar, sector = TOPICS[topic]
        wanted = {sector, f"sdg-{sdg[key]:02d}", extras[number % len(extras)]}
        links.extend(Focus(organisation_id=pk, focusarea_id=focus[s]) for s in sorted(wanted) if s in focus)
        associate = number % 9 == 0
        category = NetworkMembership.Category.ASSOCIATE if associate else NetworkMembership.Category.FULL
        memberships.append(
            _union_membership(
                union,
                number,
                today,
                years=21,
                organisation_id=pk,
                unit_id=units.get(str(organisation.country)),
                category=category,
            )
        )
    Focus.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    NetworkMembership.objects.bulk_create(memberships, batch_size=1000)
    if stdout is not None:
        stdout.write(f"  Registry at scale: the union grown to {total} organisations ({len(organisations)} added).")
    return len(organisations)
