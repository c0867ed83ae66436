"""Test settings: the product's settings in test mode, plus a small app for workflow tests."""

import os
import tempfile

os.environ.setdefault("TANSIQ_MODE", "test")
os.environ.setdefault("TANSIQ_VAR_DIR", tempfile.mkdtemp(prefix="tansiq-test-var-"))

from tansiq.settings import *  # noqa: F403
from tansiq.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.workflow_app"]
