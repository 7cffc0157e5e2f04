"""python -m portal.embedded_db start|stop|status|delete: the embedded PostgreSQL by hand (make stop, make clean-db).

Honours PORTAL_DATA_DIR and PORTAL_DATABASE like every other command; DATABASE_URL is irrelevant here.
"""

from __future__ import annotations

import argparse
import sys

from portal.embedded_db import EmbeddedCluster, EmbeddedDatabaseError, not_running_message, portal_database_name
from portal.embedded_db import server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.embedded_db", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "status", "delete"])
    action = parser.parse_args(argv).action
    cluster = EmbeddedCluster.from_environment()
    try:
        if action == "start":
            server.ensure_running(cluster, portal_database_name())
            print(f"The embedded PostgreSQL ({cluster.pgdata}) is running.")
        elif action == "stop":
            stopped = server.stop(cluster)
            print(f"The embedded PostgreSQL ({cluster.pgdata}) {'stopped' if stopped else 'was not running'}.")
        elif action == "delete":
            server.delete(cluster)
            print(f"Deleted {cluster.data_dir}.")
        elif server.is_running(cluster):
            print(f"The embedded PostgreSQL ({cluster.pgdata}) is running: {cluster.url(portal_database_name())}")
        else:
            print(not_running_message(cluster))
            return 3
    except EmbeddedDatabaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
