"""Relais settings: one module, everything that differs between machines comes from the environment.

Embedded default (a laptop with only Python): SQLite under var/ and a Celery broker on its own
SQLite file (kombu's SQLAlchemy transport). Production shape: DATABASE_URL and REDIS_URL.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-relais-" + "x" * 40)
else:
    SECRET_KEY = env.str("SECRET_KEY")

# Only the loopback by default: a real deployment names its hosts. Django's test tools add
# « testserver » themselves, so it never needs to be allowed in a running site.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The demo serves SITE_URL's host (demo/management/commands/servir_demo.py): allowed by default.
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=sorted({"127.0.0.1", "localhost", urlsplit(SITE_URL).hostname or "127.0.0.1"}),
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_celery_beat",
    "csp",
    "axes",
    "noyau",
    "comptes",
    "journal",
    "messagerie",
    "relances",
    "territoires",
    "programmes",
    "structures",
    "annotations",
    "crochets",
    "echanges",
    "candidatures",
    "evaluation",
    "accompagnement",
    "activite",
    "donnees_ouvertes",
    "api",
    "demo",
    "rest_framework",
    "drf_spectacular",
    "telechargements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "aap.middleware.TailleMaximaleRequeteMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "comptes.middleware.LangueChoisieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, checking a session read from the cache (comptes.sessions).
    "comptes.middleware.AuthentificationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "comptes.middleware.DoubleAuthentificationMiddleware",
    # Permissions answered once per request, forgotten on any write (noyau.permissions).
    "noyau.permissions.MemoDesPermissionsMiddleware",
    # Last, as django-axes requires: it turns a refused login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aap.urls"
WSGI_APPLICATION = "aap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # The form error summary and « Erreur : » title of every page (RGAA 11.10, 11.11).
            "libraries": {"erreurs_de_formulaire": "aap.erreurs_de_formulaire"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'relais.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat write to the same file: WAL lets readers go on while one writes, and
    # immediate transactions take the write lock up front instead of failing on « database is
    # locked » when a read transaction tries to become a write one.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
    # A file, not memory, so that a real worker started by a test sees the test database.
    # RELAIS_TEST_SUFFIXE lets two test runs on one machine keep separate files.
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / f"test-relais{env.str('RELAIS_TEST_SUFFIXE', default='')}.sqlite3")
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Django's own engines, each with the table clock that keeps cached pages exact (noyau.horloge).
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.postgresql": "noyau.bd.postgresql",
    "django.db.backends.sqlite3": "noyau.bd.sqlite3",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery --------------------------------------------------------------
# Redis down (stopped, or frozen: connections accepted, nothing answered) must not turn saved
# work into errors: every socket gives up after half a second (Redis answers in well under a
# millisecond), the cache reads as empty (aap.cache), and a task that cannot be queued after a
# commit is logged and left to the outbox catch-up (noyau.taches.publier_au_commit); /sante/ says
# 503.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task not acknowledged within this delay (worker killed) is handed to another worker.
        "visibility_timeout": 3600,
        # Without them a frozen Redis holds a publish, and the request, forever (and /sante/).
        "socket_connect_timeout": 0.5,
        "socket_timeout": 0.5,
    }
    CACHES = {
        "default": {
            "BACKEND": "aap.cache.CacheRedisTolerant",
            # A cache is flushed as a whole (cache.clear() is FLUSHDB): keep it off the broker's
            # database, or a flush would drop queued tasks.
            "LOCATION": env.str("REDIS_CACHE_URL", default=REDIS_URL),
            # Redis stopped or frozen: an operation gives up within half a second and the page
            # is computed from the database.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CELERY_BROKER_URL = env.str(
        "CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
    )
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Worker and beat wait for the broker to come back however long it is away, instead of exiting
# after 100 attempts (honcho would then stop the whole Procfile).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A publish tries twice, then gives up: a request must answer, and what it saved is in the
# database already (Celery's default waits through four tries).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The cohort report PDF (activite.pdf_du_bilan) is rendered once per version of its data. Above
# this many structures its layout takes seconds: the worker renders it, the page waits. A render
# reserved but still without a file after the delay (worker killed) is taken up again.
RELAIS_BILAN_PDF_SEUIL_STRUCTURES = env.int("RELAIS_BILAN_PDF_SEUIL_STRUCTURES", default=20)
RELAIS_BILAN_PDF_DELAI_DE_RENDU = env.int("RELAIS_BILAN_PDF_DELAI_DE_RENDU", default=15 * 60)

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "comptes.Utilisateur"
AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt while the account is locked out, before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    # django-rules' backend, its answers kept for the request (noyau.permissions).
    "noyau.permissions.PermissionsMemorisees",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters: the CNIL's floor for a password that is the only factor.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "comptes.adapter.AdaptateurComptes"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Relais] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Relais"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "tableau_de_bord"
LOGOUT_REDIRECT_URL = "accueil"
INVITATION_DUREE_JOURS = env.int("INVITATION_DUREE_JOURS", default=7)
# A manager sees every application of a programme: in production they must use an
# authenticator app (TOTP) before anything else. The tests turn it off except their own.
MFA_OBLIGATOIRE_GESTIONNAIRES = env.bool("MFA_OBLIGATOIRE_GESTIONNAIRES", default=not DEBUG)

# Login throttling (django-axes), on the allauth form and the admin's alike. The key is the
# address typed *and* the client's IP: a whole CCAS behind one office IP is not locked out by
# one colleague's typos, and a guesser cannot lock an account from elsewhere for long.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "comptes.securite.identifiant_de_connexion"
AXES_CLIENT_IP_CALLABLE = "comptes.securite.adresse_du_client"
AXES_LOCKOUT_TEMPLATE = "axes/verrouillage.html"
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2"]
# Traces de connexion (IP, navigateur) gardées six mois, puis effacées chaque nuit
# (comptes.purger_journaux_de_connexion) : la durée que la CNIL recommande pour ces journaux.
RELAIS_CONSERVATION_CONNEXIONS_JOURS = env.int("RELAIS_CONSERVATION_CONNEXIONS_JOURS", default=183)
# allauth's own limit on failed logins stays, looser, so that axes speaks first with its page;
# its per-address part still slows a guesser who spreads one account's attempts over many IPs.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,20/15m/key"}
# Behind our reverse proxy the client's address is the last X-Forwarded-For entry.
RELAIS_DERRIERE_UN_PROXY = env.bool("RELAIS_DERRIERE_UN_PROXY", default=False)

# Sessions: offices often share a computer, so a login lasts one working day (8 h) rather than
# Django's two weeks; the cookies never reach JavaScript.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# With Redis, a logged-in session is read from the cache (no query), checked against the user row
# every request loads anyway (comptes.sessions: a session write lost while Redis is down never
# brings a logged-out session back). Without Redis the cache is per process (LocMem): sessions
# stay in the database, where every process sees the same one. The tests run in one process and
# turn it on (RELAIS_SESSIONS_EN_CACHE=1, tests/environnement.py): their query counts are the
# production shape's, with or without Redis.
if env.bool("RELAIS_SESSIONS_EN_CACHE", default=bool(REDIS_URL)):
    SESSION_ENGINE = "comptes.sessions"

# Key pages kept whole in the cache, served again while none of the tables they read has
# changed (noyau.pages_en_cache, noyau.horloge). Exact with or without Redis: the table clock
# lives in the database, so a per-process cache checks it like a shared one. Off: every page is
# computed (the benchmark measures both).
RELAIS_PAGES_EN_CACHE = env.bool("RELAIS_PAGES_EN_CACHE", default=True)

# --- Email --------------------------------------------------------------------------------
# The outbox (messagerie.Message) keeps every message; this backend is what finally delivers it.
# Demo default (DEBUG, no EMAIL_URL): every message is printed, readable and with its links, on
# the console of `make run` (aap.courriels_console), so that a new account can confirm its
# address. Without DEBUG and without EMAIL_URL: no delivery, the messages are read in the back
# office (« Messages envoyés »).
if "EMAIL_URL" in env or not DEBUG:
    vars().update(env.email_url("EMAIL_URL", default="dummymail://"))
else:
    EMAIL_BACKEND = "aap.courriels_console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Relais <ne-pas-repondre@relais.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Without a timeout a silent SMTP server holds a worker forever (Django's default is None).
# Each socket operation (connect, each command) waits at most this long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
MESSAGERIE_MAX_TENTATIVES = 5
# A worker holds a message « en cours » for this long; once it has passed, the worker is taken
# for dead and the catch-up (every minute) sends the message again, with the same Message-ID.
# Must exceed a whole SMTP exchange: `manage.py check` refuses less than twice EMAIL_TIMEOUT.
MESSAGERIE_DUREE_BAIL = timedelta(seconds=env.int("MESSAGERIE_DUREE_BAIL_SECONDES", default=120))

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Input formats a browser reads first (<input type="date"> wants 2027-04-01), whatever the
# language: see noyau/widgets.py.
FORMAT_MODULE_PATH = ["aap.formats"]

# --- Static and media files ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Production: hashed, compressed files from `collectstatic`. Demo and tests: served from the apps.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# Files a browser asks for at the site's root (/favicon.ico), served as they are by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "racine"
# Uploads: form fields (not files) are capped at 2.5 MB; a file above 2.5 MB is streamed to a
# temporary file instead of memory; a whole request announced above RELAIS_TAILLE_MAX_REQUETE
# is refused before its body is read (aap.middleware). Each file is then checked (size, type
# by content) by noyau/fichiers.py. Files are never served from a public URL:
# each app has a permission-checked download view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
RELAIS_TAILLE_MAX_REQUETE = env.int("RELAIS_TAILLE_MAX_REQUETE", default=50 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
(VAR_DIR / "static").mkdir(exist_ok=True)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------------------
# X-Forwarded-Proto says « this came over HTTPS » only when our own proxy sets it: anywhere else a
# client could send it and have a plain-HTTP request treated as secure.
if RELAIS_DERRIERE_UN_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles: only our own files, never inline (an injected <script> does not run, an
# injected style="" or <style> cannot restyle a page to mislead). Templates use classes of
# static/css; the <style> of the PDF templates is read by WeasyPrint, never by a browser.
# `data:` images are Bootstrap's SVG icons and allauth's TOTP QR code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes announces its version at every start, management commands included; its
    # login failures (axes.handlers) stay logged.
    # WeasyPrint's steps and fontTools' font subsetting write a line per step and per font
    # table at INFO/DEBUG (seed_demo, each PDF): only their warnings and errors are kept.
    "loggers": {
        "axes.apps": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}

# --- The read API (api/) ---------------------------------------------------------------------
# Personal tokens only (no session: a logged-in browser reads no more than anyone), JSON only,
# read only; cursor pagination; limits per token (per IP without one), read at each request.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentification.JetonPersonnel"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Curseur",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.limitation.ParJeton"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.erreurs.gestionnaire_des_erreurs",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
}
RELAIS_API_LIMITES = {
    "jeton": env.str("RELAIS_API_LIMITE_JETON", default="600/min"),
    "anonyme": env.str("RELAIS_API_LIMITE_ANONYME", default="120/min"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Relais",
    "DESCRIPTION": (
        "Lecture seule. Les appels ouverts et l'éligibilité d'une commune se lisent sans jeton ; "
        "le reste avec un jeton personnel (« Mon compte » › « Jetons d'accès à l'API »), qui lit "
        "ce qu'un programme montre à son titulaire."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per set of choices that several components share (state of a call, of an
    # application, of a plan…): otherwise drf-spectacular invents names and warns.
    "ENUM_NAME_OVERRIDES": {
        "EtatAppelEnum": "programmes.enums.EtatAppel",
        "EtatCandidatureEnum": "candidatures.enums.EtatCandidature",
        "EtatPlanEnum": "accompagnement.enums.EtatPlan",
        "EtatJalonEnum": "accompagnement.enums.EtatJalon",
        "TypeJalonEnum": "accompagnement.enums.TypeJalon",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.reponses_d_erreur",
    ],
}

# Webhooks (crochets/). A hook's URL must be https, unless CROCHETS_HTTP_PERMIS (a local
# receiver while developing); hosts resolving to private, loopback or link-local addresses are
# refused (no request to the internal network) unless CROCHETS_ADRESSES_PRIVEES_PERMISES. Both
# follow DEBUG by default; the tests switch them on in tests/crochets/conftest.py.
CROCHETS_HTTP_PERMIS = env.bool("CROCHETS_HTTP_PERMIS", default=DEBUG)
CROCHETS_ADRESSES_PRIVEES_PERMISES = env.bool("CROCHETS_ADRESSES_PRIVEES_PERMISES", default=DEBUG)
# Seconds before each new attempt of a failed delivery: 5 retries after the first attempt
# (6 in all), then the delivery is marked failed and can be re-sent from its hook's page.
CROCHETS_DELAIS_DES_TENTATIVES = [30, 120, 480, 1800, 7200]

# Exports prepared by the worker (telechargements/). An export of the applications list above
# RELAIS_EXPORT_SEUIL_LIGNES rows (500 by default, at most 1000: a 1,000-row XLSX built in the
# request already holds a worker for more than a second) and a cohort report XLSX above
# RELAIS_BILAN_PDF_SEUIL_STRUCTURES structures become a job: the request answers at once with the
# job's progress page. Its file is kept RELAIS_EXPORT_DUREE_CONSERVATION seconds, then purged; a
# preparation started longer than RELAIS_EXPORT_DELAI_DE_PREPARATION seconds ago without
# finishing (worker killed) is taken up again by the catch-up task.
RELAIS_EXPORT_SEUIL_LIGNES = env.int("RELAIS_EXPORT_SEUIL_LIGNES", default=500)
if RELAIS_EXPORT_SEUIL_LIGNES > 1000:
    raise ImproperlyConfigured("RELAIS_EXPORT_SEUIL_LIGNES must be at most 1000.")
RELAIS_EXPORT_DUREE_CONSERVATION = env.int("RELAIS_EXPORT_DUREE_CONSERVATION", default=24 * 3600)
RELAIS_EXPORT_DELAI_DE_PREPARATION = env.int("RELAIS_EXPORT_DELAI_DE_PREPARATION", default=15 * 60)
