"""Seed the focus-area taxonomy: common volunteering sectors and the 17 UN Sustainable Development Goals.

SDG names are the official short titles: Arabic as the United Nations publishes them, Malay as the
Malaysian government (SDG Malaysia) publishes them.
"""

from django.db import migrations

SECTORS = [
    ("education", "التعليم", "Education", "Pendidikan"),
    ("health", "الصحة", "Health", "Kesihatan"),
    ("relief", "الإغاثة والعمل الإنساني", "Relief and humanitarian aid", "Bantuan kemanusiaan"),
    ("orphans", "رعاية الأيتام", "Orphan care", "Kebajikan anak yatim"),
    ("family", "الأسرة", "Family", "Keluarga"),
    ("women", "المرأة", "Women", "Wanita"),
    ("youth", "الشباب", "Youth", "Belia"),
    ("elderly", "كبار السن", "Older people", "Warga emas"),
    ("disability", "ذوو الإعاقة", "People with disabilities", "Orang kurang upaya"),
    ("refugees", "اللاجئون والنازحون", "Refugees and displaced people", "Pelarian dan orang terlantar"),
    ("dakwah", "الدعوة والتعليم الديني", "Dakwah and religious education", "Dakwah dan pendidikan agama"),
    ("human-rights", "حقوق الإنسان والحريات", "Human rights and freedoms", "Hak asasi manusia dan kebebasan"),
    ("environment", "البيئة", "Environment", "Alam sekitar"),
    ("water", "المياه والإصحاح", "Water and sanitation", "Air dan sanitasi"),
    ("community", "تنمية المجتمع", "Community development", "Pembangunan komuniti"),
    ("culture", "الثقافة والتراث", "Culture and heritage", "Kebudayaan dan warisan"),
    ("research", "البحث والدراسات", "Research", "Penyelidikan"),
    ("media", "الإعلام والاتصال", "Media and communication", "Media dan komunikasi"),
    ("legal-aid", "المساعدة القانونية", "Legal aid", "Bantuan guaman"),
    ("waqf", "الوقف والعمل الخيري", "Waqf and philanthropy", "Wakaf dan kedermawanan"),
    ("disaster", "الاستجابة للكوارث", "Disaster response", "Tindak balas bencana"),
]

SDGS = [
    ("القضاء على الفقر", "No poverty", "Tiada Kemiskinan"),
    ("القضاء التام على الجوع", "Zero hunger", "Kelaparan Sifar"),
    ("الصحة الجيدة والرفاه", "Good health and well-being", "Kesihatan yang Baik dan Kesejahteraan"),
    ("التعليم الجيد", "Quality education", "Pendidikan Berkualiti"),
    ("المساواة بين الجنسين", "Gender equality", "Kesaksamaan Gender"),
    ("المياه النظيفة والنظافة الصحية", "Clean water and sanitation", "Air Bersih dan Sanitasi"),
    ("طاقة نظيفة وبأسعار معقولة", "Affordable and clean energy", "Tenaga Mampu Milik dan Bersih"),
    ("العمل اللائق ونمو الاقتصاد", "Decent work and economic growth", "Pekerjaan yang Wajar dan Pertumbuhan Ekonomi"),
    (
        "الصناعة والابتكار والهياكل الأساسية",
        "Industry, innovation and infrastructure",
        "Industri, Inovasi dan Infrastruktur",
    ),
    ("الحد من أوجه عدم المساواة", "Reduced inequalities", "Mengurangkan Ketidaksamaan"),
    ("مدن ومجتمعات محلية مستدامة", "Sustainable cities and communities", "Bandar dan Komuniti Mampan"),
    (
        "الاستهلاك والإنتاج المسؤولان",
        "Responsible consumption and production",
        "Penggunaan dan Pengeluaran yang Bertanggungjawab",
    ),
    ("العمل المناخي", "Climate action", "Tindakan Iklim"),
    ("الحياة تحت الماء", "Life below water", "Kehidupan di Bawah Air"),
    ("الحياة في البر", "Life on land", "Kehidupan di Darat"),
    (
        "السلام والعدل والمؤسسات القوية",
        "Peace, justice and strong institutions",
        "Keamanan, Keadilan dan Institusi yang Kukuh",
    ),
    ("عقد الشراكات لتحقيق الأهداف", "Partnerships for the goals", "Perkongsian untuk Matlamat"),
]


def rows():
    for position, (slug, ar, en, ms) in enumerate(SECTORS, start=1):
        yield slug, "sector", position, ar, en, ms
    for number, (ar, en, ms) in enumerate(SDGS, start=1):
        yield f"sdg-{number:02d}", "sdg", number, f"{number}. {ar}", f"{number}. {en}", f"{number}. {ms}"


def seed(apps, schema_editor):
    FocusArea = apps.get_model("network", "FocusArea")
    for slug, kind, position, ar, en, ms in rows():
        FocusArea.objects.update_or_create(
            slug=slug,
            defaults={"kind": kind, "position": position, "name": ar, "name_ar": ar, "name_en": en, "name_ms": ms},
        )


def unseed(apps, schema_editor):
    FocusArea = apps.get_model("network", "FocusArea")
    FocusArea.objects.filter(slug__in=[row[0] for row in rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
