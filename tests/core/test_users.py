"""Passwords are stored with Argon2 (the suite's other tests use a fast hasher)."""

import pytest

from jiafa.core.models import User

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(org, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User(username="hn1", full_name="林伟", org_unit=org["330481"])
    user.set_password("s3cret-passphrase")
    user.save()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("s3cret-passphrase") and not user.check_password("s3cret")
