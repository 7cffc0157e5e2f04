#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from portal.embedded_db import EmbeddedDatabaseError, start_embedded_database

    try:
        start_embedded_database()  # every command may need the database; a no-op when it is up or DATABASE_URL is set
    except EmbeddedDatabaseError as error:
        sys.exit(f"error: {error}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
