"""Machine-readable error codes with the Chinese message users see. The API answers {"code", "message"}."""

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_INPUT = "invalid_input"
    UNAUTHORIZED = "unauthorized"
    BAD_CREDENTIALS = "bad_credentials"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_REVOKED = "token_revoked"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    ILLEGAL_STEP = "illegal_step"
    STEP_NOT_READY = "step_not_ready"
    EVIDENCE_EMPTY = "evidence_empty"
    EVIDENCE_TOO_LARGE = "evidence_too_large"
    NO_SCHEDULE = "no_schedule_for_year"
    SCHEDULE_INVALID = "schedule_invalid"
    ORG_DATA_INVALID = "org_data_invalid"
    CATALOGUE_INVALID = "catalogue_invalid"
    VIOLATION_FACTS_INVALID = "violation_facts_invalid"
    PENALTY_NOT_ALLOWED = "penalty_not_allowed"
    VIOLATION_NOT_IN_FORCE = "violation_not_in_force"
    INVALID_AXLE_COUNT = "invalid_axle_count"
    INVALID_GROSS_WEIGHT = "invalid_gross_weight"
    SINGLE_DRIVE_AXLE_NOT_APPLICABLE = "single_drive_axle_not_applicable"
    MEASURED_IN_FUTURE = "measured_in_future"
    NO_RULE_IN_FORCE = "no_rule_in_force"
    REPORT_PERIOD_INVALID = "report_period_invalid"
    AXLE_LAYOUT_INVALID = "axle_layout_invalid"
    BRIDGE_DATA_INVALID = "bridge_data_invalid"
    PERMIT_INPUT_INVALID = "permit_input_invalid"
    NO_ROUTE = "no_route"
    CHECK_CODE_INVALID = "check_code_invalid"


STATUS: dict[ErrorCode, int] = {
    ErrorCode.INVALID_INPUT: 422,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.BAD_CREDENTIALS: 401,
    ErrorCode.TOKEN_EXPIRED: 401,
    ErrorCode.TOKEN_REVOKED: 401,
    ErrorCode.TOO_MANY_ATTEMPTS: 429,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.ILLEGAL_STEP: 409,
    ErrorCode.STEP_NOT_READY: 409,
    ErrorCode.EVIDENCE_EMPTY: 422,
    ErrorCode.EVIDENCE_TOO_LARGE: 413,
    ErrorCode.NO_SCHEDULE: 422,
    ErrorCode.SCHEDULE_INVALID: 422,
    ErrorCode.ORG_DATA_INVALID: 422,
    ErrorCode.CATALOGUE_INVALID: 422,
    ErrorCode.VIOLATION_FACTS_INVALID: 422,
    ErrorCode.PENALTY_NOT_ALLOWED: 422,
    ErrorCode.VIOLATION_NOT_IN_FORCE: 422,
    ErrorCode.INVALID_AXLE_COUNT: 422,
    ErrorCode.INVALID_GROSS_WEIGHT: 422,
    ErrorCode.SINGLE_DRIVE_AXLE_NOT_APPLICABLE: 422,
    ErrorCode.MEASURED_IN_FUTURE: 422,
    ErrorCode.NO_RULE_IN_FORCE: 422,
    ErrorCode.REPORT_PERIOD_INVALID: 422,
    ErrorCode.AXLE_LAYOUT_INVALID: 422,
    ErrorCode.BRIDGE_DATA_INVALID: 422,
    ErrorCode.PERMIT_INPUT_INVALID: 422,
    ErrorCode.NO_ROUTE: 422,
    ErrorCode.CHECK_CODE_INVALID: 404,
}

DEFAULT_MESSAGE: dict[ErrorCode, str] = {
    ErrorCode.INVALID_INPUT: "输入有误",
    ErrorCode.UNAUTHORIZED: "请先登录或提供有效的访问令牌",
    ErrorCode.BAD_CREDENTIALS: "用户名或密码错误",
    ErrorCode.TOKEN_EXPIRED: "访问令牌已过期，请重新获取",
    ErrorCode.TOKEN_REVOKED: "访问令牌已被吊销",
    ErrorCode.TOO_MANY_ATTEMPTS: "登录失败次数过多，请稍后再试",
    ErrorCode.FORBIDDEN: "您无权进行此操作",
    ErrorCode.NOT_FOUND: "记录不存在或不在您的辖区内",
    ErrorCode.CONFLICT: "记录已被他人修改，请刷新后重试",
    ErrorCode.ILLEGAL_STEP: "案件当前阶段不允许这一步",
    ErrorCode.STEP_NOT_READY: "这一步的前提条件尚未满足",
    ErrorCode.EVIDENCE_EMPTY: "证据文件为空",
    ErrorCode.EVIDENCE_TOO_LARGE: "证据文件过大",
    ErrorCode.NO_SCHEDULE: "缺少该年度的节假日安排",
    ErrorCode.SCHEDULE_INVALID: "节假日安排文件有误",
    ErrorCode.ORG_DATA_INVALID: "组织机构数据有误",
    ErrorCode.CATALOGUE_INVALID: "违法行为库文件有误",
    ErrorCode.VIOLATION_FACTS_INVALID: "裁量情节不完整或有误",
    ErrorCode.PENALTY_NOT_ALLOWED: "拟作出的处罚不符合法定种类或裁量幅度",
    ErrorCode.VIOLATION_NOT_IN_FORCE: "该违法行为在该日期没有施行中的版本",
    ErrorCode.INVALID_AXLE_COUNT: "轴数有误",
    ErrorCode.INVALID_GROSS_WEIGHT: "车货总质量有误",
    ErrorCode.SINGLE_DRIVE_AXLE_NOT_APPLICABLE: "牵引车单驱动轴限值仅适用于六轴及以上汽车列车",
    ErrorCode.MEASURED_IN_FUTURE: "称重日期不能晚于今天",
    ErrorCode.NO_RULE_IN_FORCE: "该日期没有生效的认定规则",
    ErrorCode.REPORT_PERIOD_INVALID: "统计期间有误",
    ErrorCode.AXLE_LAYOUT_INVALID: "轴荷或轴距有误",
    ErrorCode.BRIDGE_DATA_INVALID: "桥梁数据有误",
    ErrorCode.PERMIT_INPUT_INVALID: "大件运输许可申请内容有误",
    ErrorCode.NO_ROUTE: "起讫点之间没有可通行的路线",
    ErrorCode.CHECK_CODE_INVALID: "二维码无效：不是本系统签发的船舶码，或内容已被改动",
}


class JiafaError(Exception):
    """A refusal the user caused: carries a code for programs and a Chinese message for people."""

    def __init__(self, code: ErrorCode, message: str | None = None) -> None:
        self.code = code
        self.message = message or DEFAULT_MESSAGE[code]
        super().__init__(self.message)

    @property
    def status(self) -> int:
        return STATUS[self.code]

    def as_dict(self) -> dict[str, str]:
        return {"code": str(self.code), "message": self.message}
