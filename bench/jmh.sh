#!/usr/bin/env bash
# JMH: ns per statement of the decode + fingerprint + aggregate hot path (src/test/java/io/mysqlprobe/bench).
# Usage: bench/jmh.sh [JMH options]   (default: -f 1 -wi 5 -w 2s -i 5 -r 2s)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile -o 2>/dev/null || ./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
java -cp "$CP" org.openjdk.jmh.Main 'io.mysqlprobe.bench.HotPathBenchmark' ${@:--f 1 -wi 5 -w 2s -i 5 -r 2s}
