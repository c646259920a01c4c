#!/usr/bin/env bash
# Fidelity harness (issue 3): starts a throw-away mariadbd with performance_schema's statement history, runs the
# workloads (sysbench with and without server-side prepared statements, a JDBC + CLI mix, compressed clients,
# LOCAL INFILE, stored procedures, connections opened before the capture with and without the processlist
# watcher, plain and compressed, a TLS session), captures each with tcpdump on lo, runs `analyze` in-process and prints, per workload,
# performance_schema's figures against the report's. Fails below the count targets (see README "Fidelity").
# It is the FidelityIT integration test, run alone; the table is also left in target/fidelity-report.txt.
# Needs root (tcpdump) and the packages of .ci/install-deps.sh. FIDELITY_KEEP=1 keeps the captures in /tmp.
# Usage: bench/fidelity.sh [extra maven args, e.g. -o]
set -euo pipefail
cd "$(dirname "$0")/.."
keep=${FIDELITY_KEEP:-0}
./mvnw -B "$@" verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FidelityIT \
    -Dfidelity.keep="$([ "$keep" = 1 ] && echo true || echo false)" >target/fidelity-maven.log 2>&1 || status=$?
cat target/fidelity-report.txt 2>/dev/null || true
if [ "${status:-0}" != 0 ]; then
    grep -E "AssertionFailed|Exception|ERROR\]" target/fidelity-maven.log | head -20 >&2
    echo "fidelity: FAILED (full log: target/fidelity-maven.log)" >&2
    exit "$status"
fi
echo "fidelity: all count targets met"
