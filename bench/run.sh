#!/usr/bin/env bash
# The whole benchmark in one go (about 25 minutes on 2 cores), each part measuring its peer in the same run:
#   offline: analyze vs tcpdump | pt-query-digest on a 500k-statement sysbench capture
#   jmh:     ns per statement of the decode + fingerprint + aggregate hot path
#   live:    sysbench with nothing / tcpdump -w /dev/null / the probe capturing
#   scale:   10k connections, 100k distinct templates, a 1 GiB result set
# Each part prints its own tables; at the end one table lists every figure with its target (issue 16), whether it
# is met, and its ratio to the peer measured in the same run. Needs root (capture) and the packages of
# `.ci/install-deps.sh bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
./mvnw -B -q package -DskipTests
export BENCH_RESULTS=target/bench-results.tsv   # kept: results_table target/bench-results.tsv prints it again
: >"$BENCH_RESULTS"
bash bench/offline.sh "${OFFLINE_STATEMENTS:-500000}"
jmh=$(bash bench/jmh.sh -f 1 -wi 5 -w 2s -i 5 -r 2s -prof gc 2>/dev/null | grep -E "^Benchmark|^HotPath")
echo "$jmh"
# columns: Benchmark Mode Cnt Score ± Error Units
ns=$(echo "$jmh" | awk '$1 == "HotPathBenchmark.statement" {print $4}')
bytes=$(echo "$jmh" | awk '$1 ~ /^HotPathBenchmark\.statement:.*gc\.alloc\.rate\.norm$/ {printf "%.0f", $4}')
range_ns=$(echo "$jmh" | awk '$1 == "HotPathBenchmark.rangeSelect" {print $4}')
hinted_ns=$(echo "$jmh" | awk '$1 == "HotPathBenchmark.rangeSelectHinted" {print $4}')
walk_ns=$(echo "$jmh" | awk '$1 == "HotPathBenchmark.rangeRowHintWalk" {print $4}')
# targets: the hot path as it was before the restructuring of issue 13 (350 ns, 416 B a statement)
result "jmh: decode + fingerprint + aggregate, ns/statement" "${ns:-n/a}" ns "<=350"
result "jmh: allocated per statement" "${bytes:-n/a}" bytes "<=416"
result "jmh: a 100-row range select, ns/statement" "${range_ns:-n/a}" ns "-"
result "jmh: the same with the capture's row hint, ns/statement" "${hinted_ns:-n/a}" ns "-" "no hint" "${range_ns:-n/a}"
result "jmh: the capture thread's row-hint walk of it, ns" "${walk_ns:-n/a}" ns "-"
bash bench/live.sh "${LIVE_SECONDS:-20}" 4
bash bench/scale.sh 10000 100000 1024
results_table "$BENCH_RESULTS"
