"""Attachments go through Django's storage API: local disk by default, an S3-compatible store when configured."""

import os
import subprocess
import sys

import pytest


def _storage_backend(env):
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'prokuratura.settings'); django.setup();"
        "from django.core.files.storage import storages; s = storages['default']; print(type(s).__module__ + '.' +"
        " type(s).__name__); print(getattr(s, 'bucket_name', ''))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    return result.stdout.split("\n")[:2]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PROKURATURA_STORAGE": "local"}, "django.core.files.storage.filesystem.FileSystemStorage"),
        (
            {
                "PROKURATURA_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": "appeals",
                "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            },
            "storages.backends.s3.S3Storage",
        ),
    ],
)
def test_storage_backend_follows_the_environment(env, expected):
    backend, bucket = _storage_backend(env)
    assert backend == expected
    if "AWS_STORAGE_BUCKET_NAME" in env:
        assert bucket == "appeals"
