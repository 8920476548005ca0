"""/api/v1/auth, /me, /org-units and /evidence. Thin: parsing and shaping only; the work is in actions."""

from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Status, UploadedFile
from ninja.security import HttpBearer

from jiafa.core import actions, audit, jurisdiction, tokens
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import EvidenceItem, OrgUnit, User
from jiafa.core.roles import PERMISSIONS, Perm, Role, require
from jiafa.core.schemas import EvidenceEditIn, EvidenceIn, EvidenceOut, MeOut, OrgUnitOut, TokenIn, TokenOut


class TokenAuth(HttpBearer):
    """A person's bearer token. A station's system account is refused here: its door is StationAuth."""

    stations = False

    def authenticate(self, request: HttpRequest, token: str) -> User:
        live = tokens.resolve(token, now=timezone.now())  # a JiafaError here answers 401 with its code
        if (live.user.role == Role.STATION) != self.stations:
            raise JiafaError(
                ErrorCode.FORBIDDEN,
                "站点接入账号只能推送称重记录"
                if live.user.role == Role.STATION
                else "此接口仅供站点接入账号使用",
            )
        request.user = live.user
        request.api_token = live  # type: ignore[attr-defined]
        return live.user


class StationAuth(TokenAuth):
    """A weigh-in-motion station's bearer token: good for pushing records and nothing else."""

    stations = True


router = Router(tags=["基础"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.post("/auth/token", response=TokenOut, auth=None, summary="用户名和密码换取访问令牌")
def token(request: HttpRequest, body: TokenIn) -> dict[str, object]:
    raw = actions.issue_api_token(request, body.username, body.password, name=body.name)
    return {"token": raw, "expires_at": tokens.resolve(raw, now=timezone.now()).expires_at}


@router.post("/auth/revoke", response={204: None}, summary="吊销当前使用的访问令牌")
def revoke(request: HttpRequest) -> Status[None]:
    actions.revoke_api_token(request.api_token, actor=_user(request), ip=audit.client_ip(request))  # type: ignore[attr-defined]
    return Status(204, None)


@router.get("/me", response=MeOut, summary="当前用户、单位与权限")
def me(request: HttpRequest) -> dict[str, object]:
    user = _user(request)
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": Role(user.role).label,
        "org_unit": user.org_unit,
        "permissions": [str(p) for p, roles in PERMISSIONS.items() if user.role in roles],
    }


@router.get("/org-units", response=list[OrgUnitOut], summary="辖区内的组织机构")
def org_units(request: HttpRequest) -> list[OrgUnit]:
    return list(jurisdiction.units(_user(request)))


def evidence_out(item: EvidenceItem) -> dict[str, object]:
    return {
        "id": item.pk,
        "title": item.title,
        "kind": item.kind,
        "description": item.description,
        "original_name": item.original_name,
        "sha256": item.blob.sha256,
        "size": item.blob.size,
        "content_type": item.blob.content_type,
        "org_unit_id": item.org_unit_id,
        "collected_at": item.collected_at,
        "uploaded_by": str(item.uploaded_by),
        "uploaded_at": item.uploaded_at,
        "version": item.version,
    }


def _visible_evidence(request: HttpRequest, item_id: int) -> EvidenceItem:
    user = _user(request)
    require(user, Perm.EVIDENCE_VIEW)
    qs = EvidenceItem.objects.select_related("blob", "uploaded_by")
    return jurisdiction.get_visible(qs, user, pk=item_id)


@router.get("/evidence", response=list[EvidenceOut], summary="辖区内的证据（最新在前）")
def evidence_list(request: HttpRequest, limit: int = 50, offset: int = 0) -> list[dict[str, object]]:
    user = _user(request)
    require(user, Perm.EVIDENCE_VIEW)
    qs = jurisdiction.visible(EvidenceItem.objects.select_related("blob", "uploaded_by"), user)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return [evidence_out(i) for i in qs[offset : offset + limit]]


def upload_fields(request: HttpRequest, file: UploadedFile, fields: EvidenceIn) -> dict[str, Any]:
    """What the evidence actions take from a multipart upload: the form fields, the file's name and type."""
    return {
        **fields.dict(),
        "actor": _user(request),
        "original_name": file.name or "",
        "content_type": file.content_type or "",
        "ip": audit.client_ip(request),
    }


@router.post("/evidence", response={201: EvidenceOut}, summary="上传证据文件")
def evidence_add(
    request: HttpRequest, file: File[UploadedFile], fields: Form[EvidenceIn]
) -> Status[dict[str, object]]:
    item = actions.add_evidence(file, **upload_fields(request, file, fields))
    return Status(201, evidence_out(item))


@router.get("/evidence/{item_id}", response=EvidenceOut, summary="一件证据")
def evidence_get(request: HttpRequest, item_id: int) -> dict[str, object]:
    return evidence_out(_visible_evidence(request, item_id))


@router.patch("/evidence/{item_id}", response=EvidenceOut, summary="修改证据名称和说明（带版本号）")
def evidence_edit(request: HttpRequest, item_id: int, body: EvidenceEditIn) -> dict[str, object]:
    item = _visible_evidence(request, item_id)
    item = actions.edit_evidence(
        item,
        actor=_user(request),
        version=body.version,
        title=body.title,
        description=body.description,
        ip=audit.client_ip(request),
    )
    return evidence_out(item)


@router.get("/evidence/{item_id}/file", summary="下载证据文件")
def evidence_file(request: HttpRequest, item_id: int) -> FileResponse:
    item = _visible_evidence(request, item_id)
    return FileResponse(
        open(item.blob.path, "rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.blob.content_type or "application/octet-stream",
    )
