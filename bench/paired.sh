#!/usr/bin/env bash
# Paired comparison of two builds on the same traffic: both probes capture one sysbench load on lo at the same time
# (each has its own packet socket and ring), so the machine's drift and the others' builds fall on both alike.
# The start order matters (the capture thread of one probe paid 0.03-0.09 us/statement more in some runs and less in
# others under oltp_read_write here), so the run has two phases with the start order swapped, and the difference is
# averaged over both.
# Usage: bench/paired.sh DIR_A DIR_B [INTERVALS]   (DIR_x: a worktree with target/quarkus-app built; default 5
# intervals of SECS=10 s per phase, after WARM=40 s of warm-up per phase; WORKLOAD default oltp_read_write)
# Prints, per thread group, the us of CPU per statement of A and B (medians over the intervals of both phases) and
# B - A per phase and averaged over the two (the order effect cancels).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
A=$(cd "$1" && pwd); B=$(cd "$2" && pwd); N=${3:-5}; SECS=${SECS:-10}; WL=${WORKLOAD:-oltp_read_write}
WORK=$(mktemp -d /tmp/probe-paired-XXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do stop_pid "$p"; done; stop_pid "${DB_PID:-}"; rm -rf "$WORK"; }
trap cleanup EXIT
start_mariadb "$WORK/db"
mariadb -h127.0.0.1 -P"$DB_PORT" -uroot -e 'create database sbtest'
SB="sysbench --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port=$DB_PORT --mysql-user=root --mysql-db=sbtest --tables=4 --table-size=20000 --db-ps-mode=disable"
$SB oltp_read_write prepare >/dev/null
start_probe() { # DIR NAME -> PROBE (pid); its tail reader joins PIDS
    local http; http=$(free_port)
    printf 'serverport: %s\ninterval: 1\nprobe: {device: lo, port: %s, workers: %s}\nreport: {backlog: 300}\n' \
        "$http" "$DB_PORT" "${PROBE_WORKERS:-2}" >"$WORK/$2.yaml"
    java ${PROBE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 -XX:CompileThresholdScaling=0.1} \
        -jar "$1/target/quarkus-app/quarkus-run.jar" --config "$WORK/$2.yaml" >"$WORK/$2.log" 2>&1 &
    PROBE=$!; PIDS+=("$PROBE")
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$http/q/health/ready" >/dev/null && break; sleep 0.2; done
    java -jar "$1/target/quarkus-app/quarkus-run.jar" tail "ws://127.0.0.1:$http/collector" >/dev/null 2>&1 &
    PIDS+=("$!")
}
# thread group (digits folded) -> CPU ns from schedstat
thread_ns() {
    for t in /proc/"$1"/task/*; do
        n=$(tr ' ' '_' <"$t/comm" 2>/dev/null | sed -E 's/[0-9]+/N/g') || continue
        c=$(awk '{print $1}' "$t/schedstat" 2>/dev/null) || continue
        echo "$n $c"
    done | awk '{c[$1] += $2; t += $2} END {for (n in c) print n, c[n]; print "all", t}'
}
questions() { mariadb -S "$WORK/db/sock" -uroot -N -e "show global status like 'Questions'" | awk '{print $2}'; }
: >"$WORK/res"
for phase in 1 2; do
    if [ $phase = 1 ]; then start_probe "$A" a; PA=$PROBE; start_probe "$B" b; PB=$PROBE
    else start_probe "$B" b; PB=$PROBE; start_probe "$A" a; PA=$PROBE; fi
    $SB --threads=4 --time=$((${WARM:-40} / 2)) "$WL" run >/dev/null; sleep 2
    $SB --threads=4 --time=$((${WARM:-40} - ${WARM:-40} / 2)) "$WL" run >/dev/null; sleep 1
    for i in $(seq 1 "$N"); do
        q0=$(questions); thread_ns "$PA" >"$WORK/a0"; thread_ns "$PB" >"$WORK/b0"
        $SB --threads=4 --time="$SECS" "$WL" run >"$WORK/sb.log"
        q1=$(questions); thread_ns "$PA" >"$WORK/a1"; thread_ns "$PB" >"$WORK/b1"
        n=$((q1 - q0 - 2)) # minus the Questions queries' own connection (statement + Quit), over the socket
        for p in a b; do
            awk -v n=$n -v p=$p -v ph=$phase 'NR == FNR {x[$1] = $2; next} {printf "%s %s %s %.4f\n", ph, p, $1, ($2 - x[$1]) / 1000 / n}' \
                "$WORK/${p}0" "$WORK/${p}1" >>"$WORK/res"
        done
        echo "phase $phase interval $i: $n statements, $(grep queries: "$WORK/sb.log" | sed -E 's/.*\(([0-9.]+) per.*/\1/') qps" >&2
    done
    grep -hE "dropped|gaps" "$WORK/a.log" "$WORK/b.log" | tail -2 || true
    for p in "${PIDS[@]}"; do stop_pid "$p"; done; PIDS=()
done
printf '\nPaired, %s, %s: A = %s, B = %s (%s intervals of %s s per phase; phase 1 starts A first, phase 2 B)\n' \
    "$(date -u +%FT%TZ)" "$WL" "$A" "$B" "$N" "$SECS"
python3 - "$WORK/res" <<'PY'
import collections, statistics, sys
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    ph, p, g, v = line.split()
    d[(g, p, ph)].append(float(v))
med = lambda g, p, ph=None: statistics.median(d[(g, p, ph)] if ph else d[(g, p, '1')] + d[(g, p, '2')]) if d[(g, p, ph or '1')] else 0.0
groups = sorted({k[0] for k in d}, key=lambda g: -med(g, 'a'))
print(f"{'us/statement':18s} {'A':>7s} {'B':>7s} {'B-A (A 1st)':>12s} {'B-A (B 1st)':>12s} {'B-A':>7s}")
for g in groups:
    if max(med(g, 'a'), med(g, 'b')) < 0.01:
        continue
    d1 = med(g, 'b', '1') - med(g, 'a', '1'); d2 = med(g, 'b', '2') - med(g, 'a', '2')
    print(f"{g:18s} {med(g, 'a'):7.3f} {med(g, 'b'):7.3f} {d1:+12.3f} {d2:+12.3f} {(d1 + d2) / 2:+7.3f}")
PY
