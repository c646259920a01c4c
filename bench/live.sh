#!/usr/bin/env bash
# Live benchmark: sysbench at full speed against a throw-away mariadbd, three ways, in ROUNDS rounds (default 3)
# of one run each in a rotating order, medians reported:
#   none     - nothing capturing (sysbench on the server's extra port, which the probe's filter does not match)
#   tcpdump  - `tcpdump -w /dev/null` on that extra port (what capture alone costs)
#   probe    - mysql-probe capturing the main port on lo (reports read with `tail`), warmed up first
# Prints server QPS, QPS loss vs none, probe CPU (% of one core per 10 k QPS), probe RSS, completeness
# (statements reported / the server's Questions delta over the probe runs) and the probe's CPU per statement by
# thread group.
# Usage: bench/live.sh [SECONDS] [THREADS]   (default 20 s, 4 threads; workloads oltp_point_select, oltp_read_write)
# Environment: WORKLOADS (space separated), PROBE_WORKERS (decode workers; default: the probe's own default,
# cores − 1, at most 2: 1 on a 2-core machine), PROBE_DEVICE (probe.device,
# default lo; any captures every device), PROBE_READER (probe.capture_reader, default ring; libpcap), PROBE_JAVA_OPTS (default: the
# shipped flags, README "Memory and JVM settings"),
# KEEP_REPORTS=PREFIX (keeps the probe's reports as PREFIX.WORKLOAD, with 'since served' in PREFIX.WORKLOAD.meta),
# WARM (seconds of warm-up load before the measured runs, in two sysbench runs; default 60: a probe runs for days,
# and 16 s into the load the JIT still compiles the once-a-window code, 1-3 us/statement of compiler threads;
# WARM=16 measures that short case),
# NMT=1 (adds -XX:NativeMemoryTracking=summary and prints `jcmd VM.native_memory summary` at the end of the run).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SECS=${1:-20}
THREADS=${2:-4}
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
WORK=$(mktemp -d /tmp/probe-live-XXXX)
PROBE_PID= ; TAIL_PID= ; DUMP_PID=
cleanup() { stop_pid "$TAIL_PID"; stop_pid "$PROBE_PID"; stop_pid "$DUMP_PID"; stop_pid "${DB_PID:-}"; rm -rf "$WORK"; }
trap cleanup EXIT
EXTRA_PORT=$(free_port)
start_mariadb "$WORK/db" --extra-port="$EXTRA_PORT" --extra-max-connections=200
SOCK="$WORK/db/sock"
mariadb -h127.0.0.1 -P"$DB_PORT" -uroot -e 'create database sbtest'
SB="sysbench --db-driver=mysql --mysql-host=127.0.0.1 --mysql-user=root --mysql-db=sbtest --tables=4 --table-size=20000 --db-ps-mode=disable"
$SB --mysql-port="$DB_PORT" oltp_read_write prepare >/dev/null

questions() { mariadb -S "$SOCK" -uroot -N -e "show global status like 'Questions'" | awk '{print $2}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# thread_ticks PID -> "name user-ticks system-ticks cpu-ns" per thread group, names with digits folded (decode-0,
# decode-1 -> decode-N); cpu-ns from schedstat (a tick is 10 ms: too coarse for the threads that run a little)
thread_ticks() {
    for t in /proc/"$1"/task/*; do
        name=$(tr ' ' '_' <"$t/comm" 2>/dev/null) || continue
        ticks=$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12, $13}') || continue
        ns=$(awk '{print $1}' "$t/schedstat" 2>/dev/null) || continue
        echo "$(echo "$name" | sed -E 's/[0-9]+/N/g') $ticks $ns"
    done | awk '{u[$1] += $2; s[$1] += $3; c[$1] += $4} END {for (n in u) print n, u[n], s[n], c[n]}'
}
rss_mb() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$1/status"; }
HZ=$(getconf CLK_TCK)

run_sysbench() { # workload port -> prints qps
    $SB --mysql-port="$2" --threads="$THREADS" --time="$SECS" --report-interval=0 "$1" run >"$WORK/sb-$1.log"
    grep -E "queries:" "$WORK/sb-$1.log" | sed -E 's/.*\(([0-9.]+) per sec.*/\1/'
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
ROUNDS=${ROUNDS:-3}

printf '\nLive, %s, %s s per run, %s sysbench threads, %s rounds of none/tcpdump/probe, 2 cores shared by server, client and probe\n' "$(date -u +%FT%TZ)" "$SECS" "$THREADS" "$ROUNDS"
for wl in ${WORKLOADS:-oltp_point_select oltp_read_write}; do
    $SB --mysql-port="$EXTRA_PORT" --threads="$THREADS" --time=3 "$wl" run >/dev/null   # warm the buffer pool

    HTTP=$(free_port)
    printf 'serverport: %s\ninterval: 1\nprobe: {device: %s, port: %s%s, capture_reader: %s}\nreport: {backlog: 300}\n' "$HTTP" "${PROBE_DEVICE:-lo}" "$DB_PORT" "${PROBE_WORKERS:+, workers: $PROBE_WORKERS}" "${PROBE_READER:-ring}" >"$WORK/probe.yaml"
    java ${PROBE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 -XX:CompileThresholdScaling=0.1} ${NMT:+-XX:NativeMemoryTracking=summary} -jar "$JAR" --config "$WORK/probe.yaml" >"$WORK/probe.log" 2>&1 &
    PROBE_PID=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HTTP/q/health/ready" >/dev/null && break; sleep 0.2; done
    # a reader is connected from the start, as a master always is, so the report path is warm too
    java -jar "$JAR" tail "ws://127.0.0.1:$HTTP/collector" >"$WORK/reports.ndjson" 2>/dev/null &
    TAIL_PID=$!
    # the probe's JIT warms up (a probe runs for days): two runs with a pause between, so the paths of connections
    # closing and opening again, and of the capture going idle and busy again, are compiled too (with one run,
    # their first use deoptimised hot code inside the measured run and C2 recompiling took a fifth of the probe's
    # CPU there); code run once a window compiles slowly (its invocation counts grow by one a second), so the
    # compiler threads keep a trickle for minutes
    WARM=${WARM:-60}
    $SB --mysql-port="$DB_PORT" --threads="$THREADS" --time=$((WARM / 2)) "$wl" run >/dev/null
    sleep 2
    $SB --mysql-port="$DB_PORT" --threads="$THREADS" --time=$((WARM - WARM / 2)) "$wl" run >/dev/null
    sleep 1
    since=$(date +%s%3N)
    # Rounds of three runs in a rotating order, so that drift (the machine's other load, the server's state) falls
    # on every mode alike; medians are reported. "none" and "tcpdump" send sysbench to the server's extra port,
    # which the probe's filter does not match (the probe idles), and tcpdump captures that port; "probe" uses the
    # main port. The same server and the same connection handling (one thread per connection) serve both ports.
    : >"$WORK/q.none"; : >"$WORK/q.tcpdump"; : >"$WORK/q.probe"; : >"$WORK/cpu.tcpdump"; : >"$WORK/cpu.probe"
    : >"$WORK/threads.delta"; served=0; dump_rss=0
    modes=(none tcpdump probe)
    for r in $(seq 0 $((ROUNDS - 1))); do
        for i in 0 1 2; do
            mode=${modes[$(((i + r) % 3))]}
            case $mode in
                none) run_sysbench "$wl" "$EXTRA_PORT" >>"$WORK/q.none" ;;
                tcpdump)
                    tcpdump -i lo -w /dev/null -B 65536 "tcp port $EXTRA_PORT" 2>/dev/null &
                    DUMP_PID=$!; sleep 1
                    t0=$(cpu_ticks "$DUMP_PID")
                    qps=$(run_sysbench "$wl" "$EXTRA_PORT")
                    t1=$(cpu_ticks "$DUMP_PID"); dump_rss=$(rss_mb "$DUMP_PID")
                    stop_pid "$DUMP_PID"; DUMP_PID=
                    echo "$qps" >>"$WORK/q.tcpdump"
                    echo "($t1 - $t0) / $HZ / $SECS * 100 / ($qps / 10000)" | bc -l >>"$WORK/cpu.tcpdump" ;;
                probe)
                    q0=$(questions); t0=$(cpu_ticks "$PROBE_PID"); thread_ticks "$PROBE_PID" >"$WORK/threads0"
                    qps=$(run_sysbench "$wl" "$DB_PORT")
                    t1=$(cpu_ticks "$PROBE_PID"); q1=$(questions); thread_ticks "$PROBE_PID" >"$WORK/threads1"
                    # MariaDB's Questions counts COM_QUIT too (the general log shows it): minus the Questions query
                    # itself and the Quit of q0's connection, both over the socket (not captured); sysbench's own
                    # Quits are captured and reported as "administrator command: Quit"
                    served=$((served + q1 - q0 - 2))
                    echo "$qps" >>"$WORK/q.probe"
                    echo "($t1 - $t0) / $HZ / $SECS * 100 / ($qps / 10000)" | bc -l >>"$WORK/cpu.probe"
                    awk 'NR == FNR {a[$1] = $2; b[$1] = $3; c[$1] = $4; next} {print $1, $2 - a[$1], $3 - b[$1], $4 - c[$1]}' \
                        "$WORK/threads0" "$WORK/threads1" >>"$WORK/threads.delta" ;;
            esac
        done
    done
    rss=$(rss_mb "$PROBE_PID")
    if [ -n "${NMT:-}" ]; then # what the JVM tracks (committed is not all resident), and what RSS is made of
        jcmd "$PROBE_PID" VM.native_memory summary scale=MB | grep -E "^(Total|-)" | sed -E 's/^-? */    nmt /'
        heap=$(jcmd "$PROBE_PID" GC.heap_info | grep -o -m1 '\[0x[0-9a-f]*' | sed 's/\[0x//')
        pmap -x "$PROBE_PID" >"$WORK/pmap"
        heap_mb=$(awk -v a="$heap" '$1 == a {print int($3 / 1024)}' "$WORK/pmap")
        ring_mb=$(awk '$5 == "rw-s-" && $6 == "[" {s += $3} END {print int(s / 1024)}' "$WORK/pmap")
        echo "    RSS $rss MiB: Java heap resident ${heap_mb:-?} MiB, capture ring $ring_mb MiB, the rest (metaspace, code, libraries, stacks, malloc) $((rss - ${heap_mb:-0} - ring_mb)) MiB"
    fi
    sleep 3   # the last window (1 s) plus its grace period
    stop_pid "$TAIL_PID"; TAIL_PID=
    [ -n "${KEEP_REPORTS:-}" ] && cp "$WORK/reports.ndjson" "$KEEP_REPORTS.$wl" && echo "$since $served" >"$KEEP_REPORTS.$wl.meta"
    stop_pid "$PROBE_PID"; PROBE_PID=
    reported=$(python3 - "$WORK/reports.ndjson" "$since" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["window"]["end_ms"] > int(sys.argv[2]):
        n += sum(t["count"] for t in r["templates"])
print(n)
PY
)
    base=$(median <"$WORK/q.none"); dq=$(median <"$WORK/q.tcpdump"); pq=$(median <"$WORK/q.probe")
    dump_cpu=$(median <"$WORK/cpu.tcpdump"); cpu=$(median <"$WORK/cpu.probe")
    dump_loss=$(echo "(1 - $dq / $base) * 100" | bc -l); loss=$(echo "(1 - $pq / $base) * 100" | bc -l)
    completeness=$(echo "$reported * 100 / $served" | bc -l)
    printf '%-18s %-8s %10s %9s %14s %9s %13s\n' workload mode "QPS median" "loss %" "CPU%/10kQPS" "RSS MiB" completeness
    printf '%-18s %-8s %10.0f %9s %14s %9s %13s   runs: %s\n' "$wl" none "$base" - - - - "$(tr '\n' ' ' <"$WORK/q.none")"
    printf '%-18s %-8s %10.0f %9.1f %14.2f %9s %13s   runs: %s\n' "$wl" tcpdump "$dq" "$dump_loss" "$dump_cpu" "$dump_rss" - "$(tr '\n' ' ' <"$WORK/q.tcpdump")"
    printf '%-18s %-8s %10.0f %9.1f %14.2f %9s %12.3f%%   runs: %s\n' "$wl" probe "$pq" "$loss" "$cpu" "$rss" "$completeness" "$(tr '\n' ' ' <"$WORK/q.probe")"
    echo "    probe CPU per run, %core/10kQPS: $(xargs printf '%.2f ' <"$WORK/cpu.probe"); tcpdump: $(xargs printf '%.2f ' <"$WORK/cpu.tcpdump")"
    result "live $wl: probe CPU, % of a core per 10k QPS" "$(printf '%.2f' "$cpu")" "%core/10kQPS" "<=2.0" tcpdump "$(printf '%.2f' "$dump_cpu")"
    result "live $wl: server QPS loss over tcpdump's, points" "$(printf '%.1f' "$(echo "$loss - $dump_loss" | bc -l)")" points "<=2.0" tcpdump-loss "$(printf '%.1f' "$dump_loss")"
    result "live $wl: completeness" "$(printf '%.4f' "$completeness")" "%" ">=99.999"
    result "live $wl: probe RSS" "$rss" MiB "<=256" tcpdump "$dump_rss"
    # where the probe's CPU went over the probe runs: microseconds per statement by thread group (threads that
    # ended in a run are missing: their ticks are not in either snapshot)
    awk -v hz="$HZ" -v n="$served" '{u[$1] += $2; s[$1] += $3; c[$1] += $4} END {for (g in c) if (c[g] / 1000 / n >= 0.01) printf "    %-16s %6.3f us/statement (ticks: user %.2f, system %.2f)\n", g, c[g] / 1000 / n, u[g] / hz * 1e6 / n, s[g] / hz * 1e6 / n}' \
        "$WORK/threads.delta" | sort -k2 -nr
    grep -o -m1 "capturing on .*" "$WORK/probe.log" | sed 's/^/    /' || true
    grep -E "dropped|gaps" "$WORK/probe.log" | tail -2 || true
done
