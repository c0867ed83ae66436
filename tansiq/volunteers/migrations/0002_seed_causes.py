"""Seed the causes volunteers choose and opportunities serve: the volunteering sector taxonomy."""

from django.db import migrations

CAUSES = [
    ("community", "دعم المجتمع", "Community support", "Sokongan komuniti"),
    ("children-youth", "الأطفال والشباب", "Children and youth", "Kanak-kanak dan belia"),
    ("education", "التعليم", "Education", "Pendidikan"),
    ("health", "الصحة", "Health", "Kesihatan"),
    ("elderly", "كبار السن", "Older people", "Warga emas"),
    ("determination", "أصحاب الهمم", "People of determination", "Orang kurang upaya"),
    ("disaster-relief", "الإغاثة في الكوارث", "Disaster relief", "Bantuan bencana"),
    ("environment", "البيئة", "Environment", "Alam sekitar"),
    ("refugees", "اللاجئون", "Refugees", "Pelarian"),
    ("women", "المرأة", "Women", "Wanita"),
    ("mentoring", "الإرشاد والتوجيه", "Mentoring", "Bimbingan"),
    ("culture", "الثقافة", "Culture", "Kebudayaan"),
    ("sports", "الرياضة", "Sports", "Sukan"),
    ("human-rights", "المناصرة وحقوق الإنسان", "Advocacy and human rights", "Advokasi dan hak asasi manusia"),
    ("international", "العمل الدولي", "International", "Antarabangsa"),
    ("religious-education", "التعليم الديني", "Religious education", "Pendidikan agama"),
]


def seed(apps, schema_editor):
    Cause = apps.get_model("volunteers", "Cause")
    for position, (slug, ar, en, ms) in enumerate(CAUSES):
        Cause.objects.update_or_create(
            slug=slug, defaults={"name": ar, "name_ar": ar, "name_en": en, "name_ms": ms, "position": position}
        )


def unseed(apps, schema_editor):
    apps.get_model("volunteers", "Cause").objects.filter(slug__in=[row[0] for row in CAUSES]).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
