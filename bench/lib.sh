# Shared helpers for the benchmarks: a throw-away mariadbd on a free port, and clean-up by pid.
# Sourced by the bench scripts; never touches a server it did not start.

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_mariadb DIR -> sets DB_PORT, DB_PID
start_mariadb() {
    local dir=$1
    mkdir -p "$dir/tmp"
    mariadb-install-db --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" --user=root \
        --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
    DB_PORT=$(free_port)
    mariadbd --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" --user=root --port="$DB_PORT" --bind-address=127.0.0.1 \
        --socket="$dir/sock" --skip-log-bin --innodb-buffer-pool-size=256M --max-connections=2000 \
        --log-error="$dir/error.log" "${@:2}" &
    DB_PID=$!
    for _ in $(seq 1 100); do
        mariadb -h127.0.0.1 -P"$DB_PORT" -uroot -e 'select 1' >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "mariadbd did not start: $(tail -5 "$dir/error.log")" >&2
    return 1
}

# sbtest_server DIR -> a throw-away mariadbd (DB_PORT, DB_PID) with sysbench's oltp tables (4 x 20 000 rows) and
# SB, the sysbench command line for it (text protocol)
sbtest_server() {
    start_mariadb "$1"
    mariadb -h127.0.0.1 -P"$DB_PORT" -uroot -e 'create database sbtest'
    SB="sysbench --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port=$DB_PORT --mysql-user=root --mysql-db=sbtest --tables=4 --table-size=20000 --db-ps-mode=disable"
    $SB oltp_read_write prepare >/dev/null
}

stop_pid() {
    [ -n "${1:-}" ] && kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true
}

# peak RSS (MiB) and elapsed seconds of a command: runs it under /usr/bin/time if present
now_s() { date +%s.%N; }

# result FIGURE VALUE UNIT TARGET [PEER PEER_VALUE]
# Appends one figure to $BENCH_RESULTS (when set) for bench/run.sh's table. TARGET is ">=N", "<=N" or "-";
# PEER names what was measured beside it in the same run (its value in the same unit), for the ratio column.
result() {
    [ -n "${BENCH_RESULTS:-}" ] || return 0
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:--}" "${6:--}" >>"$BENCH_RESULTS"
}

# results_table FILE: one table, every figure with its target, whether it is met, and its ratio to the peer
results_table() {
    python3 - "$1" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
def num(s):
    try:
        return float(s)
    except ValueError:
        return None
w = max([52] + [len(r[0]) for r in rows])
print(f"\n{'figure':<{w}} {'value':>12} {'unit':<14} {'target':<10} {'met':<4} {'peer (same run)':<30} {'ratio':>8}")
missed = 0
for fig, val, unit, target, peer, peer_val in rows:
    v = num(val)
    met = "-"
    if target != "-" and v is not None:
        t = float(target[2:])
        ok = v >= t if target.startswith(">=") else v <= t
        met = "yes" if ok else "NO"
        missed += not ok
    pv = num(peer_val)
    ratio = f"{v / pv:.2f}x" if v is not None and pv not in (None, 0) and unit != "points" else "-"
    peer_txt = "-" if peer == "-" else f"{peer} {peer_val}"
    if v is None:
        shown = val
    elif unit == "%":
        shown = f"{v:.3f}"  # completeness: 99.999 must not print as 100.00
    else:
        shown = f"{v:,.2f}" if v != int(v) else f"{int(v):,}"
    print(f"{fig:<{w}} {shown:>12} {unit:<14} {target:<10} {met:<4} {peer_txt:<30} {ratio:>8}")
print(f"\n{len(rows)} figures, {missed} targets missed")
PY
}
