#!/usr/bin/env python3
"""Keep Tansiq's catalogues of third-party messages in step with the installed packages.

Usage: ``.venv/bin/python scripts/thirdparty_messages.py [--check] [--allauth DIR] [--django DIR]``

Tansiq shows django-allauth's account and two-factor pages (sign in, sign up, e-mail
verification and management, password reset and change, TOTP, recovery codes,
reauthentication) and sends its e-mails. allauth ships an Arabic catalogue but no Malay one,
so Tansiq keeps its own under ``tansiq/locale_thirdparty``. That directory is in
``LOCALE_PATHS``, so its translations take precedence over the packages' own.

``ms/LC_MESSAGES/django.po``
    Every allauth message those pages and e-mails can show: each msgid (with its msgctxt and
    plural) of allauth's catalogue whose source is in ``account/``, ``mfa/``,
    ``templates/account/``, ``templates/mfa/``, ``templates/allauth/``, ``core/``,
    ``utils.py``, ``app_settings.py`` or ``decorators.py``. Social accounts, headless, user
    sessions, the identity provider and provider-specific strings are left out: Tansiq does
    not use them.

``ar/LC_MESSAGES/django.po``
    Only corrections: the selected allauth messages that allauth's own Arabic catalogue
    lacks (untranslated or fuzzy there), plus those Tansiq translates differently.

Both files also hold corrections for the password-validation messages Django shows on the
same pages (``django/contrib/auth/password_validation.py``). They are read from Django's
source, because Django's catalogues can lag behind it; a message is added when no Django
catalogue translates it.

Re-running is safe: translations already in a file are kept, new msgids are added
untranslated, msgids that left the packages are marked obsolete (and revived if they come
back), and source references are refreshed. Nothing is written when nothing changed. The
script prints what still needs a translator; ``--check`` writes nothing and exits with
status 1 if a catalogue is out of date or incomplete. After translating, compile with
``make messages``.

Python standard library and polib only.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import importlib.metadata
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
TARGET_DIR = ROOT / "tansiq" / "locale_thirdparty"
WRAP = 79
LANGUAGES = ("ms", "ar")

PLURAL_FORMS = {
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;",
    "ms": "nplurals=1; plural=0;",
}
LANGUAGE_NAMES = {"ar": "Arabic", "ms": "Malay"}

# allauth: where a message must come from (paths relative to the package) to be kept.
ALLAUTH_DIRS = ("account/", "mfa/", "templates/account/", "templates/mfa/", "templates/allauth/", "core/")
ALLAUTH_FILES = ("utils.py", "app_settings.py", "decorators.py")
# allauth has no catalogue for these languages: keep all its selected messages, not only gaps.
ALLAUTH_FULL = {"ms"}

# Django: modules whose messages Tansiq's account pages show, read from the source.
DJANGO_MODULES = ("contrib/auth/password_validation.py",)
GETTEXT_FUNCTIONS = {
    "gettext": (1, False),
    "gettext_lazy": (1, False),
    "_": (1, False),
    "ngettext": (2, False),
    "ngettext_lazy": (2, False),
    "pgettext": (2, True),
    "pgettext_lazy": (2, True),
    "npgettext": (3, True),
    "npgettext_lazy": (3, True),
}

# Source name -> distribution name, for the version in the catalogue header.
DISTRIBUTIONS = {"allauth": "django-allauth", "django": "Django"}

Key = tuple[str | None, str]


@dataclass
class Source:
    """Messages of one package, and where to find that package's own translations."""

    name: str
    entries: list[polib.POEntry]
    package_dir: Path
    full_languages: set[str] = field(default_factory=set)

    def keys(self) -> set[Key]:
        return {key(e) for e in self.entries}

    def upstream_gaps(self, language: str) -> set[Key]:
        """The messages no catalogue of the package translates into ``language``."""
        translated: set[Key] = set()
        for path in sorted(self.package_dir.glob(f"**/locale/{language}/LC_MESSAGES/django.po")):
            translated |= {key(e) for e in polib.pofile(str(path)) if not e.obsolete and e.translated()}
        return self.keys() - translated


def key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt or None, entry.msgid)


def package_dir(module: str, explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{module} is not importable: run this with the project's virtualenv Python")
    return Path(next(iter(spec.submodule_search_locations)))


def version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _relative(path: str, package: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    if path.startswith(package + "/"):
        path = path[len(package) + 1 :]
    return path


def allauth_source(allauth: Path) -> Source:
    """The allauth messages Tansiq's pages can show, each with its (deduplicated) allauth paths."""
    catalogue = allauth / "locale" / "en" / "LC_MESSAGES" / "django.po"
    if not catalogue.exists():
        catalogue = allauth / "locale" / "ar" / "LC_MESSAGES" / "django.po"
    entries = []
    for entry in polib.pofile(str(catalogue)):
        if entry.obsolete or not entry.msgid:
            continue
        paths = sorted(
            {
                "allauth/" + path
                for path in (_relative(p, "allauth") for p, _line in entry.occurrences)
                if path.startswith(ALLAUTH_DIRS) or path in ALLAUTH_FILES
            }
        )
        if paths:
            entries.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    occurrences=[(path, "") for path in paths],
                    comment=entry.comment,
                    flags=[f for f in entry.flags if f != "fuzzy"],
                )
            )
    return Source("allauth", entries, allauth, full_languages=ALLAUTH_FULL)


def python_messages(path: Path, reference: str) -> list[polib.POEntry]:
    """The gettext calls with literal arguments in one Python module, in source order."""
    entries: dict[Key, polib.POEntry] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in GETTEXT_FUNCTIONS:
            continue
        count, has_context = GETTEXT_FUNCTIONS[name]
        args = node.args[:count]
        if len(args) < count or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
            continue
        values = [a.value for a in args]
        context = values.pop(0) if has_context else None
        msgid, plural = values[0], (values[1] if len(values) > 1 else "")
        entry = polib.POEntry(msgctxt=context, msgid=msgid, msgid_plural=plural, occurrences=[(reference, "")])
        if "%" in msgid + plural:
            entry.flags.append("python-format")
        entries.setdefault(key(entry), entry)
    return sorted(entries.values(), key=lambda e: (e.msgctxt or "", e.msgid))


def django_source(django: Path) -> Source:
    entries = []
    for module in DJANGO_MODULES:
        entries += python_messages(django / module, "django/" + module)
    return Source("django", entries, django)


def empty_plural(language: str) -> dict[int, str]:
    count = int(PLURAL_FORMS[language].split(";")[0].split("=")[1])
    return dict.fromkeys(range(count), "")


def new_catalogue(language: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP)
    po.header = (
        f"{LANGUAGE_NAMES[language]} translation of the third-party messages shown by Tansiq.\n"
        "This file is distributed under the same license as the Tansiq package.\n"
        "Generated and updated by scripts/thirdparty_messages.py; translate the empty\n"
        "entries."
    )
    po.metadata = {
        "Project-Id-Version": "",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "PO-Revision-Date": "",
        "Last-Translator": "Tansiq translators",
        "Language-Team": "Tansiq translators",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS[language],
    }
    return po


def _has_text(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr or any((entry.msgstr_plural or {}).values()))


def _merge(template: polib.POEntry, old: polib.POEntry | None, language: str) -> polib.POEntry:
    """A fresh entry from ``template`` carrying the translation (and translator notes) of ``old``."""
    new = polib.POEntry(
        msgctxt=template.msgctxt,
        msgid=template.msgid,
        msgid_plural=template.msgid_plural,
        occurrences=list(template.occurrences),
        comment=template.comment,
        flags=list(template.flags),
    )
    if template.msgid_plural:
        new.msgstr_plural = empty_plural(language)
    if old is None:
        return new
    new.tcomment = old.tcomment
    if old.fuzzy:
        new.flags.append("fuzzy")
    if template.msgid_plural:
        forms = {int(i): text for i, text in (old.msgstr_plural or {}).items()}
        new.msgstr_plural.update({i: text for i, text in forms.items() if i in new.msgstr_plural})
        if not old.msgstr_plural and old.msgstr:
            new.msgstr_plural[0] = old.msgstr
        if (old.msgid_plural or "") != template.msgid_plural and "fuzzy" not in new.flags:
            new.flags.append("fuzzy")
    else:
        new.msgstr = old.msgstr or (old.msgstr_plural or {}).get(0, "")
    return new


def update(language: str, sources: list[Source]) -> tuple[polib.POFile, bool]:
    """Return the updated catalogue for ``language`` and whether it differs from the file on disk."""
    path = TARGET_DIR / language / "LC_MESSAGES" / "django.po"
    before = path.read_text(encoding="utf-8") if path.exists() else None
    current = polib.pofile(str(path), wrapwidth=WRAP) if path.exists() else new_catalogue(language)
    existing = {key(e): e for e in current if e.msgid}

    packages = [f"{DISTRIBUTIONS[s.name]} {version(DISTRIBUTIONS[s.name])}" for s in sources]
    result = polib.POFile(wrapwidth=WRAP)
    result.header = new_catalogue(language).header
    result.metadata = dict(current.metadata)
    result.metadata_is_fuzzy = False
    result.metadata.update(
        {
            "Project-Id-Version": "Tansiq: " + ", ".join(packages),
            "Language": language,
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": PLURAL_FORMS[language],
        }
    )
    result.metadata.pop("POT-Creation-Date", None)

    kept: set[Key] = set()
    for source in sources:
        wanted = source.keys()
        if language in source.full_languages:
            keep = wanted
        else:
            translated = {k for k, e in existing.items() if k in wanted and _has_text(e)}
            keep = translated | source.upstream_gaps(language)
        for template in source.entries:
            k = key(template)
            if k in keep and k not in kept:
                kept.add(k)
                result.append(_merge(template, existing.get(k), language))

    # Translated messages that left the packages (or the selection) stay as obsolete entries.
    for k, old in existing.items():
        if k not in kept and _has_text(old):
            old.obsolete = True
            old.occurrences = []
            result.append(old)

    after = str(result)
    changed = before is None or _without_revision_date(before) != _without_revision_date(after)
    return result, changed


def _without_revision_date(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith('"PO-Revision-Date:'))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; fail if out of date or incomplete")
    parser.add_argument("--allauth", help="path of the allauth package (default: the importable one)")
    parser.add_argument("--django", help="path of the django package (default: the importable one)")
    args = parser.parse_args(argv)

    sources = [
        allauth_source(package_dir("allauth", args.allauth)),
        django_source(package_dir("django", args.django)),
    ]

    failed = False
    for language in LANGUAGES:
        catalogue, changed = update(language, sources)
        path = TARGET_DIR / language / "LC_MESSAGES" / "django.po"
        todo = [e for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]
        obsolete = sum(1 for e in catalogue if e.obsolete)
        active = len(catalogue) - obsolete
        state = "changed" if changed else "up to date"
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{shown}: {active} messages, {len(todo)} to translate, {obsolete} obsolete ({state})")
        for entry in todo:
            context = f" [{entry.msgctxt}]" if entry.msgctxt else ""
            print(f"  to translate{context}: {entry.msgid!r}")
        if args.check:
            failed = failed or changed or bool(todo)
        elif changed:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogue.metadata["PO-Revision-Date"] = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")
            catalogue.save(str(path))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
