#!/usr/bin/env bash
# Backend-monitor benchmark: one monitor checking 500 simulated wire-compatible backends at a 100 ms ping
# interval (MonitorBenchmarkIT, skipped in the normal test run); prints check-start drift and CPU per 1,000 checks.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
./mvnw -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=MonitorBenchmarkIT \
    -Dmonitor.bench=true 2>&1 | grep -E "BENCH|drift|checks|CPU|Tests run:" 
