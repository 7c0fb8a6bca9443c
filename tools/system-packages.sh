#!/bin/sh
# The Debian packages the test suite needs: Chromium (browser tests), a CJK font (pages drawn in
# Japanese), Postfix (the real-Postfix test). Run by `make test` and `.ci/run`.
# As root, what is missing is installed (apt-get, noninteractive) without starting any service:
# Postfix gets no system configuration and no instance listening on port 25 — the test starts its
# own on loopback. Not as root: one line saying what to install, and exit status 1.
# KAIRAN_CHROMIUM (default /usr/bin/chromium, the browser the tests use) can point the check elsewhere.
set -eu

chromium=${KAIRAN_CHROMIUM:-/usr/bin/chromium}
missing=""
[ -x "$chromium" ] || missing="$missing chromium"
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=ja 2>/dev/null)" ]; then
    missing="$missing fonts-noto-cjk"
fi
[ -x /usr/sbin/postfix ] || missing="$missing postfix"
[ -n "$missing" ] || exit 0

if [ "$(id -u)" != 0 ]; then
    echo "kairan: the tests need Debian packages that are missing; as root run: apt-get install -y$missing" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
guard=""
if [ ! -e /usr/sbin/policy-rc.d ]; then       # no package may start its service while installing
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    guard=/usr/sbin/policy-rc.d
fi
trap '[ -z "$guard" ] || rm -f "$guard"' EXIT
echo "kairan: installing$missing (Debian packages the tests need)"
apt-get update -qq
# "No configuration": no /etc/postfix/main.cf, so the system's postfix.service (whose condition is
# that file) never starts an instance, now or at boot.
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
