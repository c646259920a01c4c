#!/bin/sh
# System packages mysql-probe needs on Debian/Ubuntu.
#   run:  a JDK 17 and libpcap (what the probe itself needs)
#   test: plus a MariaDB server/client (tests start their own throw-away mariadbd), tcpdump (recording
#         fixtures, the capture-overhead peer), percona-toolkit (pt-query-digest / pt-fingerprint, the peer we
#         compare with) and sysbench (benchmarks); chromium + nodejs/npm and the npm packages of
#         src/test/browser (the dashboard's browser test, DashboardIT: playwright-core drives Debian's chromium);
#         prometheus (PrometheusIT starts its own, which scrapes the probe)
set -eu
what=${1:-test}
pkgs="openjdk-17-jdk-headless libpcap0.8"
if [ "$what" = test ] || [ "$what" = bench ]; then
    pkgs="$pkgs mariadb-server mariadb-client tcpdump percona-toolkit libdbd-mysql-perl sysbench procps iproute2 bc time python3 curl openssl"
fi
if [ "$what" = test ]; then
    pkgs="$pkgs chromium prometheus"
    # node and npm: Debian's packages unless some node is already on the PATH (e.g. from NodeSource)
    command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
    command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
fi
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
fi
# the dashboard's browser test: playwright-core (no browser download: it drives /usr/bin/chromium), as locked
if [ "$what" = test ]; then
    browser_dir="$(dirname "$0")/../src/test/browser"
    # npm ci only when a locked package is missing or at another version (fast when already installed)
    if ! (cd "$browser_dir" && node -e 'const l = require("./package-lock.json");
            for (const [p, v] of Object.entries(l.packages)) {
                if (p && require("./" + p + "/package.json").version !== v.version) process.exit(1);
            }' 2>/dev/null); then
        (cd "$browser_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    fi
fi
# the Debian package starts no server here (no systemd), and tests never use a shared one
echo "install-deps: $what packages present:$( [ -n "$missing" ] && echo " installed$missing" || echo " all already installed")"
