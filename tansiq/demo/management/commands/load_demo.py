"""Load the demo network: deterministic, idempotent, trilingual. ``--scale large`` for benchmarks."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tansiq.accounts import services as account_services
from tansiq.accounts.models import User
from tansiq.core.models import AuditEntry, HijriMonthStart, SiteIdentity
from tansiq.demo import keeping, volunteering_opportunities
from tansiq.demo import network as network_demo
from tansiq.demo import volunteers as volunteers_demo
from tansiq.demo.people import FAMILY, GIVEN, MEMBERS, SITE, STAFF

DOMAIN = "demo.tansiq.org"
ADMIN_EMAIL = f"admin@{DOMAIN}"
ADMIN_PASSWORD = "tansiq-demo-2026"  # development mode only; printed for the person trying the demo
PEOPLE_PASSWORD = "tansiq-demo-2026"
SCALES = {"small": 0, "large": 20_000}

# Month starts announced in Malaysia that differ from Umm al-Qura (entered here as a secretariat
# would after the Keeper of the Rulers' Seal's announcement; demo data).
MALAYSIA_MONTH_STARTS = [
    (1447, 9, dt.date(2026, 2, 19), "Ramadan 1447"),
    (1447, 10, dt.date(2026, 3, 21), "Syawal 1447"),
    (1447, 12, dt.date(2026, 5, 18), "Zulhijah 1447"),
]


class Command(BaseCommand):
    help = "Load the demo network (idempotent). --scale large adds thousands of people for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")

    def handle(self, *args, scale: str, **options):
        from django.conf import settings

        if settings.PRODUCTION:
            raise CommandError(
                "The demo network creates an administrator with a published password; it is refused in production."
            )
        with transaction.atomic():
            created = self._core()
            self._people()
            network_demo.load(domain=DOMAIN, stdout=self.stdout)
            network_demo.load_applications(domain=DOMAIN, stdout=self.stdout)
            volunteers_demo.load(domain=DOMAIN, stdout=self.stdout)
            volunteer = self._volunteer_who_signs_in()
            if SCALES[scale]:
                network_demo.grow_union(network_demo.LARGE_UNION, stdout=self.stdout)
                self._bulk_people(SCALES[scale])
                keeping.load_at_scale(domain=DOMAIN, stdout=self.stdout)
                volunteering_opportunities.load_at_scale(stdout=self.stdout)
                volunteering_opportunities.load_volunteers_at_scale(domain=DOMAIN, stdout=self.stdout)
        # The demo's rows are bulk-inserted (no save signals): index them in one pass, as
        # `tansiq reindex` would, so the directory's search and the global search find them.
        call_command("reindex", kinds=["organisation"], stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo network ready." if created else "Demo network already loaded."))
        self.stdout.write(
            f"  Demo administrator: {ADMIN_EMAIL}  password: {ADMIN_PASSWORD}\n"
            f"  Other demo people (same password): secretariat@{DOMAIN}, analyst@{DOMAIN}, "
            f"fatimah.zahra@{DOMAIN}, ahmad.kamal@{DOMAIN} …"
            + (f"\n  A volunteer (same password): {volunteer.email}" if volunteer else "")
        )

    def _core(self) -> bool:
        identity = SiteIdentity.objects.first()
        created = identity is None
        if created:
            SiteIdentity.objects.create(**SITE)
        for year, month, starts_on, note in MALAYSIA_MONTH_STARTS:
            HijriMonthStart.objects.get_or_create(
                region="MY", hijri_year=year, hijri_month=month, defaults={"starts_on": starts_on, "note": note}
            )
        admin, made = User.objects.get_or_create(
            email=ADMIN_EMAIL,
            defaults={"display_name": "مدير المنصة", "is_staff": True, "is_superuser": True, "language": "ar"},
        )
        if made:
            admin.set_password(ADMIN_PASSWORD)
            admin.save()
            self._verify(admin)
        return created

    def _verify(self, user: User) -> None:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})

    def _volunteer_who_signs_in(self) -> User | None:
        """The demo volunteer with the most hours on record may sign in with the people's password, so
        that whoever tries the demo sees the volunteer's side (the other volunteers cannot)."""
        from django.db.models import Count

        volunteer = (
            User.objects.filter(email__startswith="volunteer", volunteer_profile__isnull=False)
            .annotate(entries=Count("volunteer_profile__hours_entries"))
            .order_by("-entries", "email")
            .first()
        )
        if volunteer is not None and not volunteer.has_usable_password():
            volunteer.set_password(PEOPLE_PASSWORD)
            volunteer.save(update_fields=["password"])
            self._verify(volunteer)
        return volunteer

    def _people(self) -> None:
        groups = {g.name: g for g in Group.objects.all()}
        for local, name, language, tz, role in STAFF:
            user, made = User.objects.get_or_create(
                email=f"{local}@{DOMAIN}",
                defaults={
                    "display_name": name,
                    "language": language,
                    "time_zone": tz,
                    "is_staff": role == "secretariat",
                },
            )
            if made:
                user.set_password(PEOPLE_PASSWORD)
                user.save()
                self._verify(user)
                if role:
                    user.groups.add(groups[role])
                account_services.update_profile(user, by=user, show_hijri="always")
        for local, name, language, tz in MEMBERS:
            user, made = User.objects.get_or_create(
                email=f"{local}@{DOMAIN}", defaults={"display_name": name, "language": language, "time_zone": tz}
            )
            if made:
                user.set_password(PEOPLE_PASSWORD)
                user.save()
                self._verify(user)
        # A member's script token (platform staff need two-factor authentication for one, which the
        # demo's staff accounts leave off so that anyone can sign in as them).
        reporter = User.objects.get(email=f"{MEMBERS[0][0]}@{DOMAIN}")
        if not reporter.tokens.exists():
            account_services.create_token(reporter, by=reporter, name="Monthly indicators export", scope="read")

    def _bulk_people(self, count: int) -> None:
        existing = User.objects.filter(email__startswith="person").count()
        if existing >= count:
            return
        rng = random.Random(2026)
        languages = ["ar", "ms", "en"]
        users = []
        for index in range(existing, count):
            language = languages[index % 3]
            name = f"{rng.choice(GIVEN[language])} {rng.choice(FAMILY[language])}"
            users.append(User(email=f"person{index:06d}@{DOMAIN}", display_name=name, language=language, password="!"))
        User.objects.bulk_create(users, batch_size=2000)
        entries = [
            AuditEntry(
                actor_label=u.display_name, action="security", object_repr=u.display_name, changes={"event": "login"}
            )
            for u in users[: count // 2]
        ]
        AuditEntry.objects.bulk_create(entries, batch_size=2000)
