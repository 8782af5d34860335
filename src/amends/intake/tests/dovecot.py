"""A real IMAP server for the tests: Debian's dovecot, started in a temporary folder on loopback.

One server a test session (`dovecot` fixture in conftest.py), every test with a mail account of its own
(any user name logs in with the one password, and each has its own maildir), so tests share nothing.
It runs as whoever runs the tests: as root it hands its processes to the users Debian's package makes
(dovecot, dovenull) and keeps mail as nobody; as anyone else, everything runs as that user. It listens on
two free ports: IMAP (plain, or STARTTLS) and IMAPS, with a self-signed certificate for 127.0.0.1 made by
openssl for the session. Nothing here touches the system's dovecot (its service stays stopped).

`make test` (scripts/test-all) installs dovecot-imapd when it is missing; a plain `pytest` without it
skips these tests, except in CI, where it fails.
"""

from __future__ import annotations

import getpass
import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "imap-test-password"
CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={root}/home/%u
}}
mail_location = maildir:{root}/mail/%u
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


@dataclass(frozen=True)
class Dovecot:
    host: str
    imap_port: int
    imaps_port: int
    cert: Path  # the self-signed certificate: the CA file a client must trust
    password: str = PASSWORD


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)), None
    )


def dovecot_missing() -> None:
    """Skip (fail in CI: `make test` installs dovecot there) when dovecot is not installed."""
    message = "dovecot is not installed: apt-get install dovecot-imapd (make test installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def dovecot_start(binary: str) -> tuple[subprocess.Popen, Dovecot, Path]:
    root = Path(tempfile.mkdtemp(prefix="amends-dovecot-"))
    root.chmod(0o755)  # its processes run as other users when started as root
    users = _users()
    for folder in ("home", "mail"):
        (root / folder).mkdir()
        shutil.chown(root / folder, users["mail_user"], users["mail_group"])
    _certificate(root)
    imap_port, imaps_port = _free_port(), _free_port()
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(root=root, password=PASSWORD, imap_port=imap_port, imaps_port=imaps_port, **users)
    )
    process = subprocess.Popen(  # noqa: S603 (the installed dovecot, our own config)
        [binary, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    _wait_listening(process, imap_port, root)
    _wait_listening(process, imaps_port, root)
    return process, Dovecot("127.0.0.1", imap_port, imaps_port, root / "cert.pem"), root


def dovecot_stop(process: subprocess.Popen, root: Path) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)
    shutil.rmtree(root, ignore_errors=True)


def _users() -> dict[str, str]:
    if os.geteuid() == 0:
        # Dovecot will not run its login processes, nor keep mail, as root.
        return {
            "internal_user": "dovecot",
            "internal_group": "dovecot",
            "login_user": "dovenull",
            "mail_user": "nobody",
            "mail_group": grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name,
        }
    me, group = getpass.getuser(), grp.getgrgid(os.getegid()).gr_name
    return {
        "internal_user": me,
        "internal_group": group,
        "login_user": me,
        "mail_user": me,
        "mail_group": group,
    }


def _certificate(root: Path) -> None:
    """A self-signed certificate for 127.0.0.1 and localhost, for this session only."""
    subprocess.run(  # noqa: S603 (fixed arguments)
        [  # noqa: S607 (the system's openssl, wherever PATH has it)
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(root / "key.pem"),
            "-out",
            str(root / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(process: subprocess.Popen, port: int, root: Path) -> None:
    """Until dovecot accepts connections (it forks its listeners after it starts): a started server's
    readiness, not a pause in a test."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot stopped: {process.stdout.read() if process.stdout else ''}{log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"dovecot did not listen on {port} within 30 s")
