import importlib

import pytest
from django.apps import apps

# Tests run without migrations: the seeded causes come from the data migration's own function.
seed_causes = importlib.import_module("tansiq.volunteers.migrations.0002_seed_causes")


@pytest.fixture(autouse=True)
def causes(db):
    seed_causes.seed(apps, None)
