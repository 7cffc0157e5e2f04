import gc
import os
import sys

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

from portal.embedded_db import EmbeddedDatabaseError, require_embedded_database

# Exit status 4 is how a gunicorn worker says the application failed to load: its master then stops, instead of
# booting workers that would fail the same way.
APP_LOAD_ERROR = 4

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
try:
    require_embedded_database()  # the server does not start it: make run / manage.py do
except EmbeddedDatabaseError as error:
    print(f"error: {error}", file=sys.stderr, flush=True)
    sys.exit(APP_LOAD_ERROR)
application = get_wsgi_application()

# The segmenter's dictionary takes a few tenths of a second to load: loaded here, each worker (or, with --preload, the master
# before it forks them) pays it at start, not its first visitor's search. So is the URLconf, which imports every view
# and what the views import (the API, the exports' libraries), else imported by the first request. Then everything
# loaded so far is moved out of the garbage collector's sight (gc.freeze): it lives as long as the process, and a
# full collection, which CPython runs every few requests, traversed whatever was loaded after the freeze and paused
# that request: the dictionary for about 100 ms, the modules the first request imported for tens of milliseconds.
from django.urls import get_resolver  # noqa: E402

from search.segment import load_dictionary  # noqa: E402  (needs the settings above)

load_dictionary()
get_resolver().url_patterns
gc.collect()  # what start-up left as garbage is freed, not frozen
gc.freeze()


def collect_garbage(**_signal_arguments) -> None:
    """A request leaves thousands of objects in reference cycles (the serializers' fields and their parents, model
    instances and their querysets): freed by the collector after the response is sent, when nobody waits for it.
    Left to the automatic collection, they were promoted to the oldest generation and freed together every few
    dozen requests, 30 to 50 ms of one request that happened to be running. The young generations only: a full
    collection after every request also walked every long-lived object made since start-up, about 10 ms a request."""
    gc.collect(1)


request_finished.connect(collect_garbage, dispatch_uid="portal.wsgi.collect_garbage")
