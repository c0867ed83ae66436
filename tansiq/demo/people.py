"""People of the demo network: names as they are written in each country, never placeholders."""

# (e-mail local part, display name, language, time zone, platform role or "")
STAFF = [
    ("secretariat", "نورة بنت عبدالله القحطاني", "ar", "Asia/Riyadh", "secretariat"),
    ("sekretariat", "Siti Aisyah binti Ahmad Fauzi", "ms", "Asia/Kuala_Lumpur", "secretariat"),
    ("analyst", "Dr. Emre Yıldız", "en", "Europe/Istanbul", "analyst"),
    ("verifier", "خالد بن سالم الهاشمي", "ar", "Asia/Dubai", "verifier"),
    ("judge", "Datin Dr. Rohani binti Ismail", "ms", "Asia/Kuala_Lumpur", "judge"),
]

MEMBERS = [
    ("fatimah.zahra", "فاطمة الزهراء بن علي", "ar", "Africa/Tunis"),
    ("ahmad.kamal", "Ahmad Kamal bin Hassan", "ms", "Asia/Kuala_Lumpur"),
    ("omar.farouk", "عمر فاروق الشامي", "ar", "Asia/Amman"),
    ("nurul.huda", "Nurul Huda binti Zakaria", "ms", "Asia/Kuala_Lumpur"),
    ("aylin.demir", "Aylin Demir", "en", "Europe/Istanbul"),
    ("yusuf.abdi", "Yusuf Abdi Warsame", "en", "Africa/Mogadishu"),
    ("mariam.alkuwari", "مريم حمد الكواري", "ar", "Asia/Qatar"),
    ("hafiz.rahman", "Muhammad Hafiz bin Abdul Rahman", "ms", "Asia/Kuala_Lumpur"),
    ("layla.haddad", "ليلى حداد", "ar", "Asia/Beirut"),
    ("ibrahim.sow", "Ibrahima Sow", "en", "Africa/Dakar"),
]

# Given names and family names for the large, benchmark-sized demo.
GIVEN = {
    "ar": ["محمد", "أحمد", "عبدالرحمن", "يوسف", "فاطمة", "عائشة", "مريم", "خديجة", "حمزة", "سلمان", "هند", "رقية"],
    "ms": [
        "Muhammad",
        "Nur",
        "Siti",
        "Ahmad",
        "Aisyah",
        "Hafiz",
        "Farah",
        "Amirul",
        "Syafiqah",
        "Iskandar",
        "Zulaikha",
    ],
    "en": ["Emre", "Aylin", "Yusuf", "Amina", "Bilal", "Hamza", "Zeynep", "Idris", "Safiya", "Tariq", "Leyla"],
}
FAMILY = {
    "ar": ["العتيبي", "الحربي", "الزهراني", "الكعبي", "المنصوري", "الشمري", "التميمي", "العلوي", "الأنصاري"],
    "ms": ["bin Abdullah", "binti Ismail", "bin Othman", "binti Yusof", "bin Hamzah", "binti Kassim", "bin Salleh"],
    "en": ["Yilmaz", "Kaya", "Demir", "Çelik", "Diallo", "Okafor", "Hussain", "Rahman", "Abdi"],
}

SITE = {
    "name_ar": "الشبكة الإسلامية لتنسيق العمل الأهلي",
    "name_en": "Islamic Network for Civil-Society Coordination",
    "name_ms": "Rangkaian Islam bagi Penyelarasan Badan Bukan Kerajaan",
    # Only what the platform does today: the home page promises nothing that is not there yet.
    "tagline_ar": "المنظمات الأعضاء ولجانها ومن يعمل باسمها، والانضمام إلى الشبكة، في منصة واحدة.",
    "tagline_en": "Member organisations, their committees, the people who act for them and joining the network.",
    "tagline_ms": "Pertubuhan ahli, jawatankuasa dan wakil mereka, serta keahlian rangkaian, dalam satu platform.",
}
