"""Contacts get a public id and a version; units can be archived and carry a version; an invitation
may name the invitee a member's representative or alternate."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def give_contacts_a_public_id(apps, schema_editor):
    Contact = apps.get_model("network", "Contact")
    for contact in Contact.objects.filter(uuid=None).only("pk"):
        Contact.objects.filter(pk=contact.pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_compliance_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_contacts_a_public_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contact",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="contact",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="unit",
            name="archived_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="archived"),
        ),
        migrations.AddField(
            model_name="unit",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="invitation",
            name="represents",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="network.networkmembership",
                verbose_name="to represent the organisation in",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="represents_as",
            field=models.CharField(
                blank=True,
                choices=[("representative", "Representative"), ("alternate", "Alternate representative")],
                max_length=14,
                verbose_name="as",
            ),
        ),
    ]
