"""Django settings. What a bureau changes comes from JIAFA_* environment variables (docs/contract.md)."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
# Relative defaults (var/) are relative to the directory the command runs in: the checkout for `make run`.
DATA_DIR = Path(os.environ.get("JIAFA_DATA_DIR", "var")).resolve()


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """JIAFA_SECRET_KEY, or one generated once per installation and kept (mode 600) under the data dir."""
    key = os.environ.get("JIAFA_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("JIAFA_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("JIAFA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs' JavaScript from the installed package instead of a CDN
    "jiafa.core",
    "jiafa.law",
    "jiafa.overload",
    "jiafa.cases",
    "jiafa.permits",
    "jiafa.waterway",
    "jiafa.web",
    "jiafa.simulate",
    "jiafa.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jiafa.web.middleware.JiafaErrorMiddleware",
]

ROOT_URLCONF = "jiafa.urls"
WSGI_APPLICATION = "jiafa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiafa.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("JIAFA_DATABASE_URL", f"sqlite:///{DATA_DIR / 'jiafa.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a write transaction takes the lock when it begins, so two writers never interleave
        # (the audit hash chain and gapless numbering rely on this).
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Cookies: HttpOnly and SameSite always; Secure when the bureau serves over HTTPS (JIAFA_HTTPS=1).
HTTPS = _flag("JIAFA_HTTPS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
CSRF_FAILURE_VIEW = "jiafa.web.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("JIAFA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"  # shown to users; stored in UTC
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Serve straight from the installed apps' static folders: no collectstatic step on an intranet install.
WHITENOISE_USE_FINDERS = True
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "jiafa.reports.staticfiles.PlotlyFinder",  # plotly.js from the installed plotly package, as plotly/
]
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Platform settings (see docs/contract.md).
EVIDENCE_DIR = DATA_DIR / "evidence"
EVIDENCE_MAX_BYTES = int(os.environ.get("JIAFA_EVIDENCE_MAX_MB", "200")) * 1024 * 1024
API_TOKEN_TTL_HOURS = int(os.environ.get("JIAFA_TOKEN_TTL_HOURS", "12"))
# Password guessing: failed logins counted over a sliding window, per account and per client address.
LOGIN_WINDOW_MINUTES = 15
LOGIN_MAX_FAILURES_PER_USER = 5
LOGIN_MAX_FAILURES_PER_IP = 30
# Party lookup (/lookup/, no login): failed lookups counted like failed logins, per address and per number.
LOOKUP_WINDOW_MINUTES = 15
LOOKUP_MAX_FAILURES_PER_IP = 10
LOOKUP_MAX_FAILURES_PER_NUMBER = 5
# Station registry flags: a calibration certificate ending within this many days, and a station that sent
# nothing for this many hours.
WIM_CALIBRATION_WARNING_DAYS = 30
WIM_SILENT_HOURS = 24
# Statistics (reports): the bureau's targets and the bands its figures are counted in (docs/contract.md).
REPORT_NON_SITE_SHARE_TARGET = float(os.environ.get("JIAFA_REPORT_NON_SITE_TARGET", "0.65"))  # 非现场占比
REPORT_LARGE_FINE_YUAN = int(os.environ.get("JIAFA_REPORT_LARGE_FINE_YUAN", "10000"))  # 罚款1万元以上
REPORT_DEADLINE_COMPLIANCE_TARGET = float(os.environ.get("JIAFA_REPORT_DEADLINE_TARGET", "1.0"))
REPORT_OVERLOAD_BANDS = (0.1, 0.3, 0.5, 1.0)  # 超限率分档上限（含）; above the last: one more band
REPORT_TOP_OFFENDERS = 10
REPORT_REPEAT_MIN = 2  # 重复违法：同一车辆或企业在期间内至少这么多次
REPORT_PG_WORK_MEM = os.environ.get("JIAFA_REPORT_PG_WORK_MEM", "256MB")  # per report transaction

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
