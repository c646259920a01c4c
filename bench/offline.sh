#!/usr/bin/env bash
# Offline benchmark: records a sysbench capture of N statements against a throw-away mariadbd, then times
#   1. mysql-probe `analyze` (whole process, start to exit)
#   2. `tcpdump -r -x | pt-query-digest --type tcpdump` (Percona's offline reference) on the same capture
# and prints statements/s and the ratio. Usage: bench/offline.sh [STATEMENTS]   (default 500000)
# BENCH_PCAP=FILE keeps the recorded capture there (and reuses it, with its port in FILE.port, when present).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-500000}
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests
WORK=$(mktemp -d /tmp/probe-bench-XXXX)
trap 'stop_pid "${DB_PID:-}"; stop_pid "${DUMP_PID:-}"; rm -rf "$WORK"' EXIT
PCAP=${BENCH_PCAP:-$WORK/sysbench.pcap}
if [ -f "$PCAP" ] && [ -f "$PCAP.port" ]; then
    DB_PORT=$(cat "$PCAP.port")
    questions="(reused capture)"
else
    start_mariadb "$WORK/db"
    mariadb -h127.0.0.1 -P"$DB_PORT" -uroot -e 'create database sbtest'
    SB="sysbench --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port=$DB_PORT --mysql-user=root --mysql-db=sbtest --tables=1 --table-size=10000"
    $SB oltp_point_select prepare >/dev/null
    tcpdump -i lo -w "$PCAP" -B 131072 -U "tcp port $DB_PORT" 2>"$WORK/tcpdump.log" &
    DUMP_PID=$!
    sleep 1
    $SB --threads=4 --events="$N" --time=0 oltp_point_select run >"$WORK/sysbench.log"
    sleep 1
    stop_pid "$DUMP_PID"; DUMP_PID=
    stop_pid "$DB_PID"; DB_PID=
    echo "$DB_PORT" > "$PCAP.port"
    grep -E "received by filter|dropped by kernel" "$WORK/tcpdump.log" | sed 's/^/  tcpdump: /' || true
    questions=$(grep -E "queries:" "$WORK/sysbench.log" | head -1 | awk '{print $2}')
fi
size=$(du -m "$PCAP" | cut -f1)

# three runs, the median reported (this shared 2-core machine's speed drifts by a third from minute to minute)
runs=()
for i in 1 2 3; do
    t0=$(now_s)
    /usr/bin/env time -f "%M" -o "$WORK/rss" java -jar "$JAR" analyze --port "$DB_PORT" "$PCAP" >"$WORK/report.json"
    t1=$(now_s)
    runs+=("$(echo "$t1 - $t0" | bc -l)")
done
sorted=$(printf '%s\n' "${runs[@]}" | sort -n)
probe_s=$(echo "$sorted" | sed -n 2p)
probe_runs=$(echo "$sorted" | xargs printf '%.2f ' | sed 's/ $//')
stmts=$(python3 -c "import json;print(json.load(open('$WORK/report.json'))['capture']['statements'])")
packets=$(python3 -c "import json;print(json.load(open('$WORK/report.json'))['capture']['packets'])")
rss=$(( $(cat "$WORK/rss") / 1024 ))

if [ -n "${SKIP_PT:-}" ]; then
    printf 'mysql-probe analyze (median of %s s): %.2f s, %s statements, %.0f statements/s, peak RSS %s MiB\n' "$probe_runs" "$probe_s" "$stmts" "$(echo "$stmts / $probe_s" | bc -l)" "$rss"
    exit 0
fi
t0=$(now_s)
tcpdump -r "$PCAP" -n -x -q -tttt 2>/dev/null | pt-query-digest --type tcpdump --watch-server "127.0.0.1:$DB_PORT" >"$WORK/pt.txt" 2>"$WORK/pt.err"
t1=$(now_s)
pt_s=$(echo "$t1 - $t0" | bc -l)
pt_stmts=$(grep -m1 -E "^# Overall:" "$WORK/pt.txt" | awk '{print $3}')

printf '\nOffline, %s (capture %s MiB, %s packets; sysbench said %s queries)\n' "$(date -u +%FT%TZ)" "$size" "$packets" "$questions"
printf '%-38s %12s %12s %14s %10s\n' tool seconds statements statements/s "peak RSS"
printf '%-38s %12.2f %12s %14.0f %8s MiB\n' "mysql-probe analyze (median of 3)" "$probe_s" "$stmts" "$(echo "$stmts / $probe_s" | bc -l)" "$rss"
printf '%-38s %12.2f %12s %14.0f %10s\n' "tcpdump -x | pt-query-digest" "$pt_s" "$pt_stmts" "$(echo "$stmts / $pt_s" | bc -l)" "-"
printf 'ratio: mysql-probe is %.1fx faster (analyze runs: %s s)\n' "$(echo "$pt_s / $probe_s" | bc -l)" "$probe_runs"
probe_rate=$(echo "$stmts / $probe_s" | bc -l)
pt_rate=$(echo "$stmts / $pt_s" | bc -l)
result "offline: analyze, statements/s (whole process)" "$(printf '%.0f' "$probe_rate")" statements/s ">=500000" pt-query-digest "$(printf '%.0f' "$pt_rate")"
result "offline: analyze speed-up over pt-query-digest" "$(printf '%.1f' "$(echo "$pt_s / $probe_s" | bc -l)")" x ">=60"
result "offline: analyze peak RSS" "$rss" MiB "-"
