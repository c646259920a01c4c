#!/usr/bin/env bash
# Where the probe's CPU goes under load: sysbench against a throw-away mariadbd, `perf record` on the probe's
# threads (JIT frames named through `jcmd Compiler.perfmap`), then a report per thread group and symbol.
# Usage: bench/profile.sh [WORKLOAD] [SECONDS]   (default oltp_point_select, 10 s; needs root and perf)
# Environment: PROBE_JAVA_OPTS (default: the shipped flags, README "Memory and JVM settings"), WARM (seconds of warm-up load, default 20),
# PERF_DATA (default /tmp/mysql-probe-perf.data; kept, with /tmp/perf-PID.map, for `perf report -i`).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
WL=${1:-oltp_point_select}
SECS=${2:-10}
OUT=${PERF_DATA:-/tmp/mysql-probe-perf.data}
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
command -v perf >/dev/null || { echo "perf not installed (Debian: linux-perf)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/probe-prof-XXXX)
PROBE_PID= ; SB_PID=
cleanup() { stop_pid "$SB_PID"; stop_pid "$PROBE_PID"; stop_pid "${DB_PID:-}"; rm -rf "$WORK"; }
trap cleanup EXIT
sbtest_server "$WORK/db"
HTTP=$(free_port)
printf 'serverport: %s\ninterval: 1\nprobe: {device: lo, port: %s%s}\nreport: {backlog: 120}\n' "$HTTP" "$DB_PORT" "${PROBE_WORKERS:+, workers: $PROBE_WORKERS}" >"$WORK/probe.yaml"
java ${PROBE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 -XX:CompileThresholdScaling=0.1} -XX:+PreserveFramePointer -jar "$JAR" --config "$WORK/probe.yaml" >"$WORK/probe.log" 2>&1 &
PROBE_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HTTP/q/health/ready" >/dev/null && break; sleep 0.2; done
$SB --threads=4 --time="${WARM:-20}" "$WL" run >/dev/null
$SB --threads=4 --time=$((SECS + 4)) "$WL" run >"$WORK/sb.log" &
SB_PID=$!
sleep 2
perf record -F 2000 -g -p "$PROBE_PID" -o "$OUT" -- sleep "$SECS" >/dev/null 2>&1
jcmd "$PROBE_PID" Compiler.perfmap >/dev/null 2>&1 || echo "no JIT symbols (jcmd Compiler.perfmap failed)" >&2
wait "$SB_PID"; SB_PID=
grep -E "queries:" "$WORK/sb.log"
echo "by thread group and library:"
perf report -i "$OUT" --no-children --sort comm,dso -q -g none 2>/dev/null | head -25
echo "top symbols:"
perf report -i "$OUT" --no-children --sort comm,sym -q -g none 2>/dev/null | head -40
echo "(perf report -i $OUT --comm capture-lo --sort sym -g caller for call chains)"
