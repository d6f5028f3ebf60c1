#!/usr/bin/env bash
# Measures how long a write by one process takes to be read by two others, on PostgreSQL (see
# CrossProcessDelay): busy (readers reading without pause, plus a process burning every core),
# spin (readers reading without pause, no burner) and quiet (readers pausing between reads).
#   benchmarks/delay.sh [runs per condition, default 3] [writes per run, default 1000]
# The server is CONFIGSTORE_PG_URL, by default the local test database; each run uses a schema of
# its own and drops it. Note what else runs on the machine: the load average is printed per run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
writes=${2:-1000}
jar=${JAR:-benchmarks/target/benchmarks.jar} # JAR=other.jar compares another build
if [[ -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package -pl benchmarks -am
fi
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!docs' || echo ' (with uncommitted changes)')"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1)"
for ((run = 1; run <= runs; run++)); do
  for mode in busy spin quiet; do
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    java -Xmx256m -cp "$jar" dev.configstore.benchmarks.CrossProcessDelay run "$mode" "$writes" 2
  done
done
