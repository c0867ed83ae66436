"""Files on S3-compatible storage (``TANSIQ_S3_BUCKET``), against moto's S3 emulator server: public
uploads (logos) get plain, lasting links; admission documents go to the bucket's private/ prefix and
reach people only through the view that checks who may see the application."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from tansiq.core import scaleout
from tansiq.network.documents import KINDS
from tansiq.network.models import Application
from tests.network.factories import png

pytestmark = pytest.mark.scaleout

PUBLIC_MEDIA_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::BUCKET/media/*",
        }
    ],
}


@pytest.fixture
def bucket(settings, s3_endpoint, other_machine, monkeypatch):
    """A fresh bucket, and the storages settings.py builds for it (read from a process started with
    the TANSIQ_S3_* variables, so the settings module itself is what is tested)."""
    name = f"tansiq-{uuid.uuid4().hex[:12]}"
    credentials = {"aws_access_key_id": "tansiq-test", "aws_secret_access_key": "tansiq-test-secret"}
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=name)
    # The bucket policy docs/deployment.md asks for: anyone may read media/, nobody else private/.
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(PUBLIC_MEDIA_POLICY).replace("BUCKET", name))
    configured = other_machine(
        "import json; from django.conf import settings; print(json.dumps(settings.STORAGES))",
        TANSIQ_S3_BUCKET=name,
        TANSIQ_S3_ENDPOINT_URL=s3_endpoint,
        TANSIQ_S3_REGION="us-east-1",
        TANSIQ_S3_ACCESS_KEY=credentials["aws_access_key_id"],
        TANSIQ_S3_SECRET_KEY=credentials["aws_secret_access_key"],
    )
    settings.S3_BUCKET = name
    settings.STORAGES = json.loads(configured)
    # A FileField resolves its storage once, when the model is imported: point the documents at the
    # private store just configured, as a process started with these settings would have.
    for kind in KINDS:
        monkeypatch.setattr(Application._meta.get_field(kind), "storage", storages["private"])
    yield client, name
    for item in client.list_objects_v2(Bucket=name).get("Contents", []):
        client.delete_object(Bucket=name, Key=item["Key"])
    client.delete_bucket(Bucket=name)


def _anonymous_get(url: str) -> tuple[int, bytes]:
    """What anyone on the internet gets at ``url``: (status, body)."""
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, b""


def _keys(client, name: str) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", []))


def test_public_files_get_plain_lasting_links(bucket, s3_endpoint):
    client, name = bucket
    stored = storages["default"].save("organisations/logo.png", ContentFile(png().read()))
    assert _keys(client, name) == [f"media/{stored}"]
    url = storages["default"].url(stored)
    assert url == f"{s3_endpoint}/{name}/media/{stored}"  # no signature to expire in a cached page
    status, body = _anonymous_get(url)
    assert status == 200 and body.startswith(b"\x89PNG")


def test_admission_documents_live_under_private_and_are_served_only_through_the_checking_view(
    bucket, s3_endpoint, client, draft, candidate_owner, secretariat, outsider
):
    s3, name = bucket
    application = draft  # saved with its two documents after the bucket was configured
    keys = _keys(s3, name)
    assert keys == sorted(f"private/{getattr(application, kind).name}" for kind in KINDS)
    assert not any(key.startswith("media/") for key in keys)

    url = f"/en/applications/{application.uuid}/documents/board_resolution/"
    for user in (candidate_owner, secretariat):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    # Were a link ever made to a private object, it would be signed and expire within a minute.
    anonymous = f"{s3_endpoint}/{name}/private/{application.board_resolution.name}"
    assert _anonymous_get(anonymous) == (403, b"")
    query = parse_qs(urlsplit(storages["private"].url(application.board_resolution.name)).query)
    assert query["Signature"] and 0 < int(query["Expires"][0]) - time.time() <= 60


def test_health_of_the_bucket(bucket, settings):
    assert scaleout.health()["files_s3"] == {"ok": True, "backend": "s3"}
    _client, name = bucket
    for alias in ("default", "private"):
        settings.STORAGES[alias]["OPTIONS"]["bucket_name"] = f"{name}-missing"
    settings.STORAGES = dict(settings.STORAGES)  # tell Django the storages changed
    assert scaleout.health()["files_s3"]["ok"] is False
