#!/usr/bin/env bash
# Scale benchmark: the probe capturing live while a client opens and closes CONNECTIONS connections, runs
# TEMPLATES distinct templates and reads one RESULT_MB MiB result set. Prints the probe's RSS before and after
# and the report's accounting: nothing may be lost without a counter saying so.
# Usage: bench/scale.sh [CONNECTIONS] [TEMPLATES] [RESULT_MB]   (default 10000 100000 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
CONNS=${1:-10000}; TEMPLATES=${2:-100000}; MB=${3:-1024}
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
WORK=$(mktemp -d /tmp/probe-scale-XXXX)
PROBE_PID= ; TAIL_PID=
cleanup() { stop_pid "$TAIL_PID"; stop_pid "$PROBE_PID"; stop_pid "${DB_PID:-}"; rm -rf "$WORK"; }
trap cleanup EXIT
start_mariadb "$WORK/db" --max-allowed-packet=64M
HTTP=$(free_port)
printf 'serverport: %s\ninterval: 2\nprobe: {device: lo, port: %s, workers: 2}\nreport: {max_templates: 5000, backlog: 300}\n' "$HTTP" "$DB_PORT" >"$WORK/probe.yaml"
java ${PROBE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 -XX:CompileThresholdScaling=0.1} -jar "$JAR" --config "$WORK/probe.yaml" >"$WORK/probe.log" 2>&1 &
PROBE_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HTTP/q/health/ready" >/dev/null && break; sleep 0.2; done
java -jar "$JAR" tail "ws://127.0.0.1:$HTTP/collector" >"$WORK/reports.ndjson" 2>/dev/null &
TAIL_PID=$!
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$PROBE_PID/status"; }
sleep 1
rss0=$(rss); peak=$rss0
perl bench/scale.pl "$DB_PORT" "$CONNS" "$TEMPLATES" "$MB" >"$WORK/client.log" 2>&1 &
CLIENT=$!
t0=$(date +%s)
while kill -0 "$CLIENT" 2>/dev/null; do r=$(rss); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.5; done
wait "$CLIENT"
t1=$(date +%s)
sleep 5
rss1=$(rss)
stop_pid "$TAIL_PID"; TAIL_PID=
grep -E "WARN|ERROR|SEVERE|Exception" "$WORK/probe.log" | head -5 || true
python3 - "$WORK/reports.ndjson" "$CONNS" "$TEMPLATES" "$MB" "$rss0" "$peak" "$rss1" "$((t1 - t0))" <<'PY'
import json, os, sys
path, conns, templates, mb, rss0, peak, rss1, secs = sys.argv[1:]
tot = {}
distinct = set(); overflow = 0; huge = None; select1 = 0
for line in open(path):
    r = json.loads(line)
    for k, v in r["capture"].items():
        if isinstance(v, int):
            tot[k] = tot.get(k, 0) + v
    for t in r["templates"]:
        if t["statement_type"] == "overflow":
            overflow += t["count"]
        elif t["template"].startswith("select ? as c"):
            distinct.add(t["template"])
        elif "repeat(" in t["template"].lower():
            huge = t
        elif t["template"] == "select ?":
            select1 += t["count"]
print(f"\nScale: {conns} connections, {templates} templates, one {mb} MiB result, {secs} s")
print(f"  probe RSS MiB: before {rss0}, peak {peak}, after {rss1}   (JVM flags: {os.environ.get('PROBE_JAVA_OPTS') or 'the shipped ones'})")
print(f"  connections opened {tot.get('connections_opened')}, evicted {tot.get('connections_evicted')}; 'select ?' counted {select1} of {conns}")
print(f"  distinct templates reported by name {len(distinct)}, statements in the overflow entry {overflow}, "
      f"templates_overflowed counter {tot.get('templates_overflowed')}; sum {len(distinct) + overflow} of {templates}")
if huge:
    print(f"  huge result: rows_sent {huge['rows_sent']} of {mb}, bytes_out {huge['bytes_out'] / 2**20:.0f} MiB, "
          f"latency {huge['latency_us']['max'] / 1e6:.2f} s")
else:
    print("  huge result: NOT REPORTED")
loss = {k: tot.get(k, 0) for k in ("kernel_dropped", "interface_dropped", "queue_dropped", "stream_gaps", "decode_errors")}
print(f"  loss counters: {loss}")
if os.environ.get("BENCH_RESULTS"):
    with open(os.environ["BENCH_RESULTS"], "a") as out:
        out.write(f"scale: probe peak RSS ({conns} conns, {templates} templates, {mb} MiB result)\t{peak}\tMiB\t-\t-\t-\n")
        out.write(f"scale: templates neither named nor in the overflow entry\t{int(templates) - len(distinct) - overflow}\ttemplates\t<=0\t-\t-\n")
        out.write(f"scale: connections' 'select ?' not counted\t{int(conns) - select1}\tstatements\t<=0\t-\t-\n")
        out.write(f"scale: the {mb} MiB result's rows not counted\t{int(mb) - (huge['rows_sent'] if huge else 0)}\trows\t<=0\t-\t-\n")
        out.write(f"scale: packets the kernel dropped (ring full)\t{tot.get('kernel_dropped', 0)}\tpackets\t<=0\t-\t-\n")
PY
