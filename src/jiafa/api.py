"""The HTTP API under /api/v1/: bearer-token auth, and every refusal as {"code", "message"} with a 4xx."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from jiafa.cases.api import router as cases_router
from jiafa.core.api import TokenAuth
from jiafa.core.api import router as core_router
from jiafa.core.errors import DEFAULT_MESSAGE, STATUS, ErrorCode, JiafaError
from jiafa.law.api import router as law_router
from jiafa.overload.api import router as overload_router
from jiafa.permits.api import router as permits_router
from jiafa.reports.api import router as reports_router
from jiafa.waterway.api import router as waterway_router


class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # messages stay readable Chinese, not \u escapes


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="嘉法 Jiafa API",
    version="1",
    description="交通运输综合执法平台接口。认证：POST /api/v1/auth/token 获取令牌，之后以 "
    '`Authorization: Bearer <token>` 调用。错误统一为 4xx 与 {"code", "message"}。',
    auth=TokenAuth(),
    urls_namespace="api",
)


def _error(
    request: HttpRequest, code: ErrorCode, message: str | None = None, **extra: object
) -> HttpResponse:
    body = {"code": str(code), "message": message or DEFAULT_MESSAGE[code], **extra}
    return api.create_response(request, body, status=STATUS[code])


@api.exception_handler(JiafaError)
def _jiafa_error(request: HttpRequest, exc: JiafaError) -> HttpResponse:
    return _error(request, exc.code, exc.message)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, ErrorCode.UNAUTHORIZED)


_LOCATIONS = {"body", "query", "path", "form", "file", "header", "cookie"}


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [
        ".".join(str(p) for p in e.get("loc", ()) if p not in _LOCATIONS) or "请求体" for e in exc.errors
    ]
    message = "输入有误：" + "、".join(dict.fromkeys(fields)) + " 缺失或格式不对"
    return _error(request, ErrorCode.INVALID_INPUT, message, errors=exc.errors)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, ErrorCode.NOT_FOUND)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {401: ErrorCode.UNAUTHORIZED, 403: ErrorCode.FORBIDDEN, 404: ErrorCode.NOT_FOUND}.get(
        exc.status_code, ErrorCode.INVALID_INPUT
    )
    return api.create_response(
        request, {"code": str(code), "message": DEFAULT_MESSAGE[code]}, status=exc.status_code
    )


api.add_router("/", core_router)
api.add_router("/", cases_router)
api.add_router("/law", law_router)
api.add_router("/overload", overload_router)
api.add_router("/reports", reports_router)
api.add_router("/permits", permits_router)
api.add_router("/waterway", waterway_router)
