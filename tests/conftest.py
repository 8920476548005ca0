"""Shared fixtures: the Jiaxing org tree, users by unit and role, an API client with a bearer token."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from jiafa.core import orgdata
from jiafa.core.models import OrgUnit, User
from jiafa.core.roles import Role

ORG_FILE = Path(__file__).resolve().parents[1] / "src/jiafa/core/data/org_units/jiaxing.json"
PASSWORD = "correct-horse-battery"
HAINING, TONGXIANG, BUREAU = "330481", "330483", "330400"


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    # Every test writes its lake, evidence and overrides under its own folder, never into var/.
    settings.DATA_DIR = tmp_path
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    # Argon2 at full cost makes every login in the suite slow; the hasher itself is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db: None) -> dict[str, OrgUnit]:
    orgdata.load(json.loads(ORG_FILE.read_text(encoding="utf-8")))
    return {u.code: u for u in OrgUnit.objects.all()}


@pytest.fixture
def make_user(org: dict[str, OrgUnit]) -> Callable[..., User]:
    def make(username: str, unit: str = HAINING, role: Role = Role.OFFICER) -> User:
        user = User(username=username, full_name=username, org_unit=org[unit], role=role)
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


class ApiClient:
    """A test client that talks to /api/v1/ with a bearer token, like a partner system would."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self._headers(), **kw)

    def post(self, path: str, data: Any = None) -> Any:
        """JSON for a dict of plain values, multipart when it carries a file, as-is for raw text."""
        url, headers = f"/api/v1{path}", self._headers()
        if isinstance(data, dict) and any(hasattr(v, "read") for v in data.values()):
            return self.client.post(url, data, headers=headers)
        body = data if isinstance(data, str) else json.dumps(data or {})
        return self.client.post(url, body, content_type="application/json", headers=headers)

    def patch(self, path: str, data: Any) -> Any:
        return self.client.patch(
            f"/api/v1{path}", json.dumps(data), content_type="application/json", headers=self._headers()
        )


@pytest.fixture
def api_as(db: None) -> Callable[[User], ApiClient]:
    def login(user: User) -> ApiClient:
        response = ApiClient().post("/auth/token", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 200, response.content
        return ApiClient(response.json()["token"])

    return login


@pytest.fixture
def web_as(db: None) -> Callable[[User], Client]:
    def login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


def run_command(*args: str) -> tuple[int, str, str]:
    """A `jiafa` command as a script runs it: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as e:
        return int(e.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()
