#!/usr/bin/env bash
# Where the probe allocates under load: sysbench against a throw-away mariadbd, a JFR recording of the warmed-up
# probe (settings=profile), then bytes allocated per statement by thread (jdk.ThreadAllocationStatistics, exact)
# and the sampled allocation sites (jdk.ObjectAllocationSample: weights are estimates, the first samples of a
# thread carry what it allocated before the recording too), with the capture thread's poll() calls and context
# switches over the same seconds (perf stat).
# Usage: bench/alloc.sh [WORKLOAD] [SECONDS]   (default oltp_read_write, 20 s; WARM default 40; JFR=FILE keeps it)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
WL=${1:-oltp_read_write}
SECS=${2:-20}
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
WORK=$(mktemp -d /tmp/probe-alloc-XXXX)
JFR=${JFR:-$WORK/probe.jfr}
PROBE_PID= ; TAIL_PID= ; SB_PID=
cleanup() { stop_pid "$SB_PID"; stop_pid "$TAIL_PID"; stop_pid "$PROBE_PID"; stop_pid "${DB_PID:-}"; rm -rf "$WORK"; }
trap cleanup EXIT
sbtest_server "$WORK/db"
HTTP=$(free_port)
printf 'serverport: %s\ninterval: 1\nprobe: {device: lo, port: %s%s}\nreport: {backlog: 300}\n' "$HTTP" "$DB_PORT" "${PROBE_WORKERS:+, workers: $PROBE_WORKERS}" >"$WORK/probe.yaml"
java ${PROBE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 -XX:CompileThresholdScaling=0.1} -jar "$JAR" --config "$WORK/probe.yaml" >"$WORK/probe.log" 2>&1 &
PROBE_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HTTP/q/health/ready" >/dev/null && break; sleep 0.2; done
java -jar "$JAR" tail "ws://127.0.0.1:$HTTP/collector" >/dev/null 2>&1 &
TAIL_PID=$!
$SB --threads=4 --time="${WARM:-40}" "$WL" run >/dev/null
$SB --threads=4 --time=$((SECS + 4)) "$WL" run >"$WORK/sb.log" &
SB_PID=$!
sleep 2
CAPTURE=$(grep -l '^capture-' /proc/"$PROBE_PID"/task/*/comm | head -1 | xargs dirname | xargs basename)
questions() { mariadb -S "$WORK/db/sock" -uroot -N -e "show global status like 'Questions'" | awk '{print $2}'; }
q0=$(questions)
jcmd "$PROBE_PID" JFR.start name=alloc settings=profile filename="$JFR" >/dev/null
perf stat -e syscalls:sys_enter_poll,syscalls:sys_enter_futex,context-switches -t "$CAPTURE" -- sleep "$SECS" 2>"$WORK/perf" \
    || echo "(perf stat failed: no poll counts)" >"$WORK/perf"
q1=$(questions)
jcmd "$PROBE_PID" JFR.stop name=alloc >/dev/null
wait "$SB_PID"; SB_PID=
n=$((q1 - q0 - 2))
echo "$WL: $n statements in $SECS s; the capture thread over those seconds:"
grep -E "sys_enter|context-switches|perf stat" "$WORK/perf" | awk -v s="$SECS" '{printf "    %-32s %8s (%.0f a second)\n", $2, $1, $1 / s}'
python3 - "$JFR" "$n" <<'PY'
import collections, json, re, subprocess, sys
jfr, n = sys.argv[1], int(sys.argv[2])
events = json.loads(subprocess.check_output(["jfr", "print", "--json", "--stack-depth", "5", "--events",
    "jdk.ThreadAllocationStatistics,jdk.ObjectAllocationSample", jfr]))["recording"]["events"]
first, last, sites = {}, {}, collections.Counter()
group = lambda t: re.sub(r"[0-9]+", "N", t or "?")
for e in events:
    v = e["values"]
    if e["type"] == "jdk.ThreadAllocationStatistics":
        t = v["thread"]["javaName"] if v.get("thread") else "?"
        first.setdefault(t, v["allocated"]); last[t] = v["allocated"]
    else:
        frames = (v.get("stackTrace") or {}).get("frames", [])
        where = " < ".join(f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"] for f in frames[:3])
        sites[(group(v["eventThread"]["javaName"]), v["objectClass"]["name"].split("/")[-1], where)] += v["weight"]
by = collections.Counter()
for t in last:
    by[group(t)] += last[t] - first[t]
print("bytes allocated per statement by thread group (exact):")
for g, b in by.most_common():
    if b / n >= 0.5:
        print(f"    {g:28s} {b / n:8.1f}")
print(f"    {'all':28s} {sum(by.values()) / n:8.1f}")
print("sampled allocation sites, bytes per statement (estimates):")
for (g, cls, where), w in sites.most_common(15):
    print(f"    {w / n:8.1f}  {g:16s} {cls:24s} {where}")
PY
grep -E "queries:" "$WORK/sb.log"
