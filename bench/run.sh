#!/usr/bin/env bash
# The whole benchmark in one go (about 10 minutes on 2 cores), each part measuring its peer in the same run:
#   offline: analyze vs tcpdump | pt-query-digest on a 500k-statement sysbench capture
#   jmh:     ns per statement of the decode + fingerprint + aggregate hot path
#   live:    sysbench with nothing / tcpdump -w /dev/null / the probe capturing
#   scale:   10k connections, 100k distinct templates, a 1 GiB result set
# Needs root (capture) and the packages of `.ci/install-deps.sh bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
bash bench/offline.sh "${OFFLINE_STATEMENTS:-500000}"
bash bench/jmh.sh -f 1 -wi 5 -w 2s -i 5 -r 2s 2>/dev/null | grep -E "^Benchmark|HotPath"
bash bench/live.sh "${LIVE_SECONDS:-20}" 4
bash bench/scale.sh 10000 100000 1024
