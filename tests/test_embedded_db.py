"""The embedded PostgreSQL survives interrupted and concurrent commands, and repairs what older versions left.

Each test has a data directory of its own (PORTAL_DATA_DIR in a temporary directory, never the suite's) and drives
the real commands: `make run`, manage.py, gunicorn, `python -m portal.embedded_db`.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from portal.embedded_db import SOCKET_NAME, SOCKET_PATH_LIMIT, EmbeddedCluster
from portal.embedded_db.postmaster import live_postmaster
from tools.live_server import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_REPLIES = 263  # fixtures/itib-2023-24.txt
COUNT_REPLIES = "from replies.models import Reply; print(Reply.objects.count())"
CONNECT = "from django.db import connection; connection.ensure_connection(); print('connected')"


@pytest.fixture
def data_dir():
    """A data directory outside pytest's tmp_path (a concurrent pytest run prunes those), deleted with its server."""
    directory = Path(tempfile.mkdtemp(prefix="portal-embedded-"))
    yield directory
    embedded_db(directory, "delete")
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def long_data_dir(data_dir):
    """A data directory whose socket path would pass the 107-byte limit."""
    directory = data_dir / ("d" * max(1, SOCKET_PATH_LIMIT - len(str(data_dir))))
    yield directory
    embedded_db(directory, "delete")


def environment(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "PORTAL_DATA_DIR": str(data_dir)}
    for name in ("DATABASE_URL", "DATABASE_TEST_NAME", "PORTAL_DATABASE", "XDG_RUNTIME_DIR"):
        env.pop(name, None)
    return env


def run(data_dir: Path, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=environment(data_dir), capture_output=True, text=True, timeout=300)


def manage(data_dir: Path, *arguments: str) -> subprocess.CompletedProcess:
    return run(data_dir, sys.executable, "manage.py", *arguments)


def embedded_db(data_dir: Path, action: str) -> subprocess.CompletedProcess:
    return run(data_dir, sys.executable, "-m", "portal.embedded_db", action)


def succeeded(result: subprocess.CompletedProcess) -> bool:
    return result.returncode == 0


def output(result: subprocess.CompletedProcess) -> str:
    return f"exit status {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def http_status(port: int, path: str = "/") -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


class MakeRun:
    """`make run` in a process group of its own, as a terminal runs it, so that one signal reaches all of it."""

    def __init__(self, data_dir: Path, port: int, log: Path):
        self.port = port
        self.log = log
        with open(log, "wb") as log_file:
            self.process = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=ROOT, env=environment(data_dir),
                                            stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)

    def serves(self, timeout: float = 180) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if http_status(self.port) == 200:
                return True
            time.sleep(0.2)
        return False

    def reaches(self, command: str, timeout: float = 180) -> bool:
        """Has make started `command` (it echoes each command first)?"""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if command in self.log.read_text(errors="replace"):
                return True
            time.sleep(0.05)
        return False

    def interrupt(self, signal_number: int = signal.SIGTERM) -> None:
        """Signal the whole group, then wait until every process of it is gone (SIGKILL after 20 s)."""
        group = self.process.pid
        self._signal(group, signal_number)
        deadline = time.monotonic() + 20
        while True:
            self.process.poll()  # reap make itself: a zombie still counts as a member of the group
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            if time.monotonic() > deadline:
                self._signal(group, signal.SIGKILL)
            time.sleep(0.1)

    @staticmethod
    def _signal(group: int, signal_number: int) -> None:
        try:
            os.killpg(group, signal_number)
        except ProcessLookupError:
            pass

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def test_importing_the_settings_starts_no_server(data_dir, long_data_dir):
    show = "from django.conf import settings; print(settings.DATABASES['default']['HOST'])"
    result = run(data_dir, sys.executable, "-c", f"import django; django.setup(); {show}")
    assert succeeded(result), output(result)
    assert result.stdout.strip() == str(data_dir.resolve() / "pg")
    assert not (data_dir / "pg").exists()
    assert not (data_dir / "pg.lock").exists()

    result = run(long_data_dir, sys.executable, "-c", f"import django; django.setup(); {show}")
    socket_dir = Path(result.stdout.strip())
    assert socket_dir.parent == Path("/tmp") and socket_dir.name.startswith("portal-pg-"), output(result)
    assert len(os.fsencode(socket_dir / SOCKET_NAME)) <= SOCKET_PATH_LIMIT
    assert socket_dir == EmbeddedCluster(long_data_dir.resolve()).socket_dir  # the same in every process
    assert not (long_data_dir / "pg").exists()


def test_commands_that_do_not_start_the_server_say_in_one_line_what_to_run(data_dir):
    result = run(data_dir, sys.executable, "-c", "import portal.wsgi")
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and "make run" in result.stderr, output(result)

    gunicorn = run(data_dir, sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--no-control-socket",
                   "--bind", f"127.0.0.1:{free_port()}")
    assert gunicorn.returncode != 0
    assert result.stderr in gunicorn.stderr and "Traceback" not in gunicorn.stderr, output(gunicorn)

    assert embedded_db(data_dir, "status").returncode != 0
    assert not (data_dir / "pg").exists()


@pytest.mark.parametrize("handle_pids, postmaster_pid", [
    ("", "dead"),  # what an interrupted rewrite left: the JSONDecodeError of every later command
    ("[1, 2, garbage", "reused"),
    ("[999999998, 999999999]", "garbage"),
])
def test_stale_or_corrupted_state_from_an_older_version_is_repaired(long_data_dir, handle_pids, postmaster_pid):
    assert succeeded(embedded_db(long_data_dir, "start"))
    assert succeeded(embedded_db(long_data_dir, "stop"))
    pgdata = long_data_dir / "pg"
    (pgdata / ".handle_pids.json").write_text(handle_pids)
    (pgdata / "postmaster.pid").write_text(stale_pid_file(pgdata, postmaster_pid))

    result = manage(long_data_dir, "shell", "-c", CONNECT)
    assert succeeded(result) and "connected" in result.stdout, output(result)
    assert not (pgdata / ".handle_pids.json").exists()
    assert live_postmaster(pgdata.resolve()) is not None


def stale_pid_file(pgdata: Path, kind: str) -> str:
    """postmaster.pid as a crash leaves it: naming a process that is gone, or one that reused its pid."""
    if kind == "garbage":
        return "\x00\x00 not a pid\n"
    if kind == "dead":
        finished = subprocess.Popen(["true"])
        finished.wait()
        pid = finished.pid
    else:
        pid = os.getpid()  # a live process, not a postgres: PostgreSQL alone would refuse to start
    return f"{pid}\n{pgdata}\n1700000000\n5432\n{pgdata}\n\n  5390802         4\nready   \n"


def test_interrupted_and_concurrent_starts_leave_a_working_server(data_dir):
    """20 `make run`s cut by TERM or KILL to the whole group at a random moment of a chosen phase, from an empty
    data directory (so the first cuts land in initdb, the migrations and the import itself); then three commands
    start at the same moment as `make run` against a stopped server; then everything works."""
    seed = int(os.environ.get("EMBEDDED_DB_SEED", time.time_ns()))
    rng = random.Random(seed)
    phases = ["set-up", "migration", "import", "import"] + rng.sample(list(CUT_WINDOWS) * 4, k=16)
    port = free_port()
    log = data_dir.parent / f"{data_dir.name}-make-run.log"
    history = []
    try:
        for phase in phases:
            history.append(interrupted_run(data_dir, port, log, rng, phase))
        context = f"seed {seed}: {json.dumps(history)}"
        assert succeeded(embedded_db(data_dir, "stop"))
        concurrent_start_then_check(data_dir, port, log, context)
    finally:
        log.unlink(missing_ok=True)


# The phases of `make run`, each with how many seconds after its start a cut may land.
CUT_WINDOWS = {"set-up": 3.0, "migration": 4.0, "import": 5.0, "serving": 1.5}
PHASE_COMMANDS = {"migration": "manage.py migrate", "import": "manage.py import_replies"}


def interrupted_run(data_dir: Path, port: int, log: Path, rng: random.Random, phase: str) -> dict:
    """One `make run`, cut at a random moment of `phase` (set-up starts with PostgreSQL stopped)."""
    if phase == "set-up":
        assert succeeded(embedded_db(data_dir, "stop"))
    signal_number = rng.choice([signal.SIGTERM, signal.SIGKILL])
    delay = rng.uniform(0, CUT_WINDOWS[phase])
    make_run = MakeRun(data_dir, port, log)
    if phase == "serving":
        assert make_run.serves(), make_run.tail()
    elif phase in PHASE_COMMANDS:
        assert make_run.reaches(PHASE_COMMANDS[phase]), make_run.tail()
    time.sleep(delay)
    make_run.interrupt(signal_number)
    return {"phase": phase, "signal": signal.Signals(signal_number).name, "delay": round(delay, 2)}


def concurrent_start_then_check(data_dir: Path, port: int, log: Path, context: str) -> None:
    make_run = MakeRun(data_dir, port, log)
    commands = [["migrate", "--check"], ["shell", "-c", CONNECT], ["import_replies", "--if-new"]]
    processes = [subprocess.Popen([sys.executable, "manage.py", *command], cwd=ROOT, env=environment(data_dir),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for command in commands]
    try:
        for command, process in zip(commands, processes):
            out = process.communicate(timeout=300)[0]
            assert process.returncode == 0, f"{context}\nmanage.py {' '.join(command)}:\n{out[-3000:]}"
        assert make_run.serves(), f"{context}\n{make_run.tail()}"
        assert http_status(port) == 200
        migrations = manage(data_dir, "migrate", "--check")
        assert succeeded(migrations), f"{context}\n{output(migrations)}"
        count = manage(data_dir, "shell", "-c", COUNT_REPLIES)
        assert succeeded(count) and count.stdout.split()[-1] == str(BUNDLED_REPLIES), f"{context}\n{output(count)}"
    finally:
        make_run.interrupt()
