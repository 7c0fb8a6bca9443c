"""A private Debian Postfix for one test: its own configuration and queue in a temporary folder.

Loopback only, a high port, no system instance touched: `postfix -c DIR` runs a
master process whose every path is under DIR, and `stop()` ends it. Postfix's
daemons run as the `postfix` user, so the folder is world-traversable (pytest's
own tmp folders are not).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

POSTFIX = "/usr/sbin/postfix"

MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {root}/queue
data_directory = {root}/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = {root}/maillog
maillog_file_prefixes = {root}
myhostname = mx.postfix-test.lg.jp
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
biff = no
relay_domains = {domain}
transport_maps = inline:{{ {domain}=lmtp:inet:127.0.0.1:{lmtp_port} }}
smtpd_recipient_restrictions =
    check_policy_service {{ inet:127.0.0.1:{policy_port}, timeout=10s, default_action=DEFER_IF_PERMIT }},
    permit_mynetworks,
    reject_unauth_destination
message_size_limit = {size_limit}
smtpd_recipient_limit = 100
header_checks = regexp:{root}/conf/kairan_header_checks
"""

def documented_header_checks() -> str:
    """docs/postfix.md's header checks for kairan, exactly as printed there."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "postfix.md").read_text(encoding="utf-8")
    return re.search(r"`/etc/postfix/kairan_header_checks`:\n\n```\n(.*?)```", doc, re.S).group(1)

MASTER_CF = """\
127.0.0.1:{smtp_port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
proxymap  unix  -       -       n       -       -       proxymap
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
smtp      unix  -       -       n       -       -       smtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivatePostfix:
    def __init__(self, domain: str, lmtp_port: int, policy_port: int, size_limit: int):
        if os.geteuid() != 0 or not os.path.exists(POSTFIX):
            raise RuntimeError("the real-Postfix test needs root and Debian's postfix (make test installs it)")
        self.root = Path(tempfile.mkdtemp(prefix="kairan-postfix-"))
        self.root.chmod(0o755)
        self.smtp_port = free_port()
        self.conf = self.root / "conf"
        for sub in ("conf", "queue", "data"):
            (self.root / sub).mkdir()
        os.chown(self.root / "data", pwd.getpwnam("postfix").pw_uid, -1)
        values = dict(root=self.root, domain=domain, lmtp_port=lmtp_port, policy_port=policy_port,
                      size_limit=size_limit, smtp_port=self.smtp_port)
        (self.conf / "main.cf").write_text(MAIN_CF.format(**values))
        (self.conf / "master.cf").write_text(MASTER_CF.format(**values))
        (self.conf / "kairan_header_checks").write_text(documented_header_checks())

    def _postfix(self, *args: str) -> None:
        subprocess.run([POSTFIX, "-c", str(self.conf), *args], check=True, timeout=60,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def start(self) -> None:
        self._postfix("check")
        self._postfix("start")
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Postfix did not listen on {self.smtp_port}:\n{self.log()}")
                time.sleep(0.05)

    def stop(self) -> None:
        """Stops the master and waits until it has gone (its children go with it)."""
        try:
            pid = int((self.root / "queue" / "pid" / "master.pid").read_text().strip())
        except (OSError, ValueError):
            return
        try:
            self._postfix("stop")
        except subprocess.CalledProcessError:
            os.kill(pid, 15)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""

    def queued(self) -> list[str]:
        """Files in every queue Postfix keeps mail in (empty: nothing waits, nothing deferred)."""
        queues = ("maildrop", "incoming", "active", "deferred", "hold", "corrupt", "bounce", "defer")
        return [str(p) for q in queues for p in (self.root / "queue" / q).rglob("*") if p.is_file()]
