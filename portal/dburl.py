"""Turn a `postgres://user:pass@host:port/name?host=/socket/dir` URL into Django's DATABASES entry, and back."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit, urlunsplit


def database_config(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DATABASE_URL must start with postgres:// or postgresql://, not {parts.scheme!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = query.pop("host", None) or unquote(parts.hostname or "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "postgres",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "OPTIONS": query,
    }


def url_with_database(url: str, name: str) -> str:
    """The same server's URL with another database name (the path part), its options kept."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{quote(name, safe='')}"))


def url_of(config: dict) -> str:
    """The URL of a DATABASES entry (the inverse of database_config): for a child process such as gunicorn."""
    user = quote(config.get("USER") or "", safe="")
    password = f":{quote(config['PASSWORD'], safe='')}" if config.get("PASSWORD") else ""
    host, port = config.get("HOST") or "", config.get("PORT") or ""
    query = dict(config.get("OPTIONS") or {})
    if host.startswith("/"):  # a Unix-socket directory travels as ?host=
        query["host"], host = host, ""
    credentials = f"{user}{password}@" if user or password else ""
    server = f"{host}:{port}" if port else host
    return urlunsplit(("postgresql", credentials + server, f"/{quote(config['NAME'], safe='')}", urlencode(query), ""))


def database_environment(name: str) -> dict[str, str]:
    """Environment variables that make a child process's default database ``name`` on the server in use:
    PORTAL_DATABASE for the embedded server, and DATABASE_URL with its database replaced when one is set
    (DATABASE_URL wins over PORTAL_DATABASE, so passing the name alone would reach the wrong database)."""
    env = {"PORTAL_DATABASE": name}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = url_with_database(os.environ["DATABASE_URL"], name)
    return env
