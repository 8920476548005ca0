"""Jurisdiction (辖区): a user sees and acts on records of their own unit's subtree only.
A record outside it is answered as "not found", never as "forbidden", so its existence is not revealed."""

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import OrgUnit

M = TypeVar("M", bound=Model)


def _root_path(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False) or user.org_unit_id is None:
        return None
    return str(user.org_unit.path)


def visible(qs: QuerySet[M], user: Any, field: str = "org_unit") -> QuerySet[M]:
    path = _root_path(user)
    if path is None:
        return qs.none()
    return qs.filter(**{f"{field}__path__startswith": path})


def get_visible(qs: QuerySet[M], user: Any, field: str = "org_unit", **lookup: Any) -> M:
    try:
        return visible(qs, user, field).get(**lookup)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise JiafaError(ErrorCode.NOT_FOUND) from exc


def get_seen(qs: QuerySet[M], user: Any, pk: Any, field: str = "org_unit") -> M:
    """Like get_visible, for a queryset built once that reads the record's unit along (select_related): the
    row is fetched by its key and its unit checked, a simpler query than filtering by the jurisdiction."""
    try:
        record = qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise JiafaError(ErrorCode.NOT_FOUND) from exc
    if not sees(user, getattr(record, field)):
        raise JiafaError(ErrorCode.NOT_FOUND)
    return record


def sees(user: Any, unit: OrgUnit) -> bool:
    """Whether the unit lies within the user's jurisdiction (for a record already fetched with its unit)."""
    path = _root_path(user)
    return path is not None and unit.path.startswith(path)


def units(user: Any) -> QuerySet[OrgUnit]:
    path = _root_path(user)
    return OrgUnit.objects.filter(path__startswith=path) if path else OrgUnit.objects.none()


def require_unit(user: Any, unit: OrgUnit) -> None:
    if not sees(user, unit):
        raise JiafaError(ErrorCode.NOT_FOUND, "该单位不在您的辖区内")
