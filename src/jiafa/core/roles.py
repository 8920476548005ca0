"""Roles and the one table that says which role may do what. UI, API and CLI all ask `can()`/`require()`."""

from django.db import models

from jiafa.core.errors import ErrorCode, JiafaError


class Role(models.TextChoices):
    OFFICER = "officer", "执法队员"
    LEGAL_REVIEWER = "legal_reviewer", "法制审核员"
    SQUADRON_LEADER = "squadron_leader", "中队长"
    BUREAU_LEADER = "bureau_leader", "局领导"
    ADMIN = "admin", "系统管理员"
    AUDITOR = "auditor", "只读审计员"
    STATION = "station", "站点接入"  # a weigh-in-motion station system: pushes records, nothing else


class Perm(models.TextChoices):
    EVIDENCE_VIEW = "evidence.view", "查看证据"
    EVIDENCE_UPLOAD = "evidence.upload", "上传证据"
    EVIDENCE_EDIT = "evidence.edit", "修改证据说明"
    AUDIT_VIEW = "audit.view", "查看审计日志"
    SYSTEM_ADMIN = "system.admin", "系统管理"
    WIM_PUSH = "wim.push", "推送称重记录"
    FINDING_VIEW = "finding.view", "查看疑似违法线索"
    FINDING_REVIEW = "finding.review", "初审疑似违法线索"
    NON_SITE_FILE = "non_site.file", "非现场案件批量立案告知"
    REPORT_VIEW = "report.view", "查看统计与年报"
    REMEDY_RECORD = "case.remedy", "登记行政复议、行政诉讼及其结果"
    PERMIT_VIEW = "permit.view", "查看大件运输许可与桥梁"
    PERMIT_HANDLE = "permit.handle", "受理和审查大件运输许可"
    PERMIT_DECIDE = "permit.decide", "作出、变更、中止、撤销大件运输许可"
    BRIDGE_EDIT = "bridge.edit", "维护桥梁承载能力数据"
    WATERWAY_VIEW = "waterway.view", "查看水网疑似违法线索"
    WATERWAY_VERIFY = "waterway.verify", "核查水网疑似违法线索"


# People; a station account may push weighing records and do nothing else.
_STAFF = frozenset(Role) - {Role.STATION}
PERMISSIONS: dict[Perm, frozenset[Role]] = {
    Perm.EVIDENCE_VIEW: _STAFF,
    Perm.EVIDENCE_UPLOAD: frozenset({Role.OFFICER, Role.SQUADRON_LEADER}),
    Perm.EVIDENCE_EDIT: frozenset({Role.OFFICER, Role.SQUADRON_LEADER}),
    Perm.AUDIT_VIEW: frozenset({Role.AUDITOR, Role.ADMIN, Role.BUREAU_LEADER}),
    Perm.SYSTEM_ADMIN: frozenset({Role.ADMIN}),
    Perm.WIM_PUSH: frozenset({Role.STATION}),
    Perm.FINDING_VIEW: _STAFF,
    Perm.FINDING_REVIEW: frozenset({Role.OFFICER, Role.SQUADRON_LEADER}),
    Perm.NON_SITE_FILE: frozenset({Role.SQUADRON_LEADER}),  # the only role that may file, conclude and notify
    Perm.REMEDY_RECORD: frozenset(
        {Role.OFFICER, Role.SQUADRON_LEADER, Role.LEGAL_REVIEWER, Role.BUREAU_LEADER}
    ),
    Perm.REPORT_VIEW: frozenset(
        {Role.BUREAU_LEADER, Role.SQUADRON_LEADER, Role.LEGAL_REVIEWER, Role.AUDITOR}
    ),
    Perm.PERMIT_VIEW: _STAFF,
    Perm.PERMIT_HANDLE: frozenset({Role.OFFICER, Role.SQUADRON_LEADER}),
    Perm.PERMIT_DECIDE: frozenset({Role.SQUADRON_LEADER, Role.BUREAU_LEADER}),
    Perm.BRIDGE_EDIT: frozenset({Role.SQUADRON_LEADER, Role.ADMIN}),
    Perm.WATERWAY_VIEW: _STAFF,
    Perm.WATERWAY_VERIFY: frozenset(
        {Role.OFFICER, Role.SQUADRON_LEADER}
    ),  # the on-water check and its result
}


def can(user: object, perm: Perm) -> bool:
    role = getattr(user, "role", None)
    return bool(getattr(user, "is_authenticated", False)) and role in PERMISSIONS[perm]


def require(user: object, perm: Perm) -> None:
    if not can(user, perm):
        raise JiafaError(ErrorCode.FORBIDDEN, f"您的角色无权{perm.label}")
