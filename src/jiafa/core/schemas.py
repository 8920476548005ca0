from datetime import datetime

from ninja import Schema


class Error(Schema):
    code: str
    message: str


class TokenIn(Schema):
    username: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str
    expires_at: datetime


class OrgUnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    region_code: str


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    org_unit: OrgUnitOut | None
    permissions: list[str]


class EvidenceOut(Schema):
    id: int
    title: str
    kind: str
    description: str
    original_name: str
    sha256: str
    size: int
    content_type: str
    org_unit_id: int
    collected_at: datetime | None
    uploaded_by: str
    uploaded_at: datetime
    version: int


class EvidenceEditIn(Schema):
    title: str
    description: str = ""
    version: int


class EvidenceIn(Schema):
    """The form fields sent with an evidence file (multipart)."""

    title: str
    kind: str = "other"
    description: str = ""
    collected_at: datetime | None = None
