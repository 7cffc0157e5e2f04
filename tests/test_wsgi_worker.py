"""What a gunicorn worker loads before it serves (portal/wsgi.py): everything start-up loads is frozen out of the
garbage collector's sight, the views included, and each request's garbage is collected after its response."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from portal.dburl import database_environment

# Run in a process of its own: importing portal.wsgi freezes the importer's objects and hooks every request.
WORKER = """
import gc, io, sys
import portal.wsgi
print("replies.api" in sys.modules, gc.get_freeze_count() > 0)
environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/replies/", "QUERY_STRING": "page_size=1", "SERVER_NAME": "localhost",
           "SERVER_PORT": "80", "HTTP_HOST": "localhost", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
           "wsgi.errors": sys.stderr}
statuses = []
body = portal.wsgi.application(environ, lambda status, headers, exc_info=None: statuses.append(status))
b"".join(body)
gc.disable()  # from here on only the collection after the response may reset the counts
before = gc.get_count()
body.close()
print(statuses[0], before != (0, 0, 0), gc.get_count()[:2] == (0, 0))  # generations 0 and 1 collected
"""


@pytest.mark.slow
def test_the_views_are_frozen_at_start_up_and_a_request_is_collected_after_its_response(django_db_setup):
    env = {**database_environment(connection.settings_dict["NAME"]), "PYTHONPATH": str(settings.BASE_DIR)}
    result = subprocess.run([sys.executable, "-c", WORKER], cwd=settings.BASE_DIR, capture_output=True, text=True,
                            env={**os.environ, **env})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["True", "True", "200", "OK", "True", "True"], result.stdout + result.stderr[-2000:]
