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

stop_pid() {
    [ -n "${1:-}" ] && kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true
}

# peak RSS (MiB) and elapsed seconds of a command: runs it under /usr/bin/time if present
now_s() { date +%s.%N; }
