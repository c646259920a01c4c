#!/bin/sh
# System packages mysql-probe needs on Debian/Ubuntu.
#   run:  a JDK 17 and libpcap (what the probe itself needs)
#   test: plus a MariaDB server/client (tests start their own throw-away mariadbd), tcpdump (recording
#         fixtures, the capture-overhead peer), percona-toolkit (pt-query-digest / pt-fingerprint, the peer we
#         compare with) and sysbench (benchmarks)
set -eu
what=${1:-test}
pkgs="openjdk-17-jdk-headless libpcap0.8"
if [ "$what" = test ] || [ "$what" = bench ]; then
    pkgs="$pkgs mariadb-server mariadb-client tcpdump percona-toolkit sysbench procps iproute2 bc time python3 openssl"
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
# the Debian package starts no server here (no systemd), and tests never use a shared one
echo "install-deps: $what packages present:$( [ -n "$missing" ] && echo " installed$missing" || echo " all already installed")"
