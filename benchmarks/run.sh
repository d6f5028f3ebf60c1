#!/usr/bin/env bash
# Runs the benchmark suite with fixed settings and writes the results:
#   benchmarks/results/*.json      JMH's raw results
#   benchmarks/results/results.md  every result as a Markdown table
#   benchmarks/results/profiles/   where the time goes, per benchmark (async-profiler, flat)
#   docs/img/*.png                 the charts docs/benchmarks.md shows
#   benchmarks/results/machine.txt what was measured where: commit, JDK, kernel, CPU
# Run it on a quiet machine: other work on the same cores shows up in every number.
# PostgreSQL's change feed is measured on the server at CONFIGSTORE_PG_URL (by default the local
# test database); without a server, pass SKIP_POSTGRES=1.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
# Always build: a jar left from an older checkout would be measured without a word.
./mvnw -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package -pl benchmarks -am
out=benchmarks/results
mkdir -p "$out" docs/img
{
  echo "commit: $(git rev-parse HEAD)$(git diff --quiet HEAD -- . ':!benchmarks/results' ':!docs' || echo ' (with uncommitted changes)')"
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "java: $(java -version 2>&1 | head -n 2 | tr '\n' ' ')"
  echo "kernel: $(uname -srm)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"
} > "$out/machine.txt"
common=(-wi 3 -w 1s -i 5 -r 1s -rf json -jvmArgs "-Xms1g -Xmx1g")

# Cache hits and the peer, with allocation measured, on 1 and 2 threads. Five forks for the hits
# and the misses: a few nanoseconds (or a microsecond) separate the candidates, and a fork's JIT
# decisions move a result by more than that.
for threads in 1 2; do
  java -jar "$jar" 'HitPath|FacadeHit' -f 5 "${common[@]}" -t "$threads" -prof gc -rff "$out/hits-t$threads.json"
  java -jar "$jar" 'Togglz' -f 3 "${common[@]}" -t "$threads" -prof gc -rff "$out/togglz-t$threads.json"
done
# SQLite reads and writes, on 1 and 2 threads.
for threads in 1 2; do
  java -jar "$jar" 'MissPath' -f 5 "${common[@]}" -t "$threads" -rff "$out/miss-t$threads.json"
  java -jar "$jar" 'WritePath' -f 2 "${common[@]}" -t "$threads" -rff "$out/write-t$threads.json"
done
# MariaDB's miss and write beside the same statements by hand, on the server at
# CONFIGSTORE_MYSQL_URL (by default the local test server); SKIP_MARIADB=1 without one.
if [ "${SKIP_MARIADB:-}" != 1 ]; then
  java -jar "$jar" 'MariaDbPath' -f 3 "${common[@]}" -t 1 -rff "$out/mariadb-t1.json"
fi
# The mixed workload on 1 and 2 threads.
for threads in 1 2; do
  java -jar "$jar" 'MixedWorkload' -f 1 "${common[@]}" -t "$threads" -rff "$out/mixed-t$threads.json"
done
# How long another process's change takes to arrive, on SQLite and PostgreSQL.
backends=sqlite,postgres
if [ "${SKIP_POSTGRES:-}" = 1 ]; then backends=sqlite; fi
java -jar "$jar" 'ChangeFeedDelay' -p backend="$backends" -f 1 -wi 2 -w 1s -i 5 -r 2s -jvmArgs "-Xms1g -Xmx1g" \
  -rf json -rff "$out/feed.json"
# Memory per cached guild.
java -Djol.magicFieldOffset=true -Djdk.attach.allowAttachSelf=true -cp "$jar" \
  dev.configstore.benchmarks.MemoryFootprint | tee "$out/memory.txt"

java -cp "$jar" dev.configstore.benchmarks.Report "$out"/hits-t1.json "$out"/hits-t2.json \
  "$out"/togglz-t1.json "$out"/togglz-t2.json "$out"/miss-t1.json "$out"/miss-t2.json \
  "$out"/write-t1.json "$out"/write-t2.json \
  "$out"/mixed-t1.json "$out"/mixed-t2.json "$out"/feed.json "$out/results.md" docs/img

# Where the time goes: async-profiler (from Maven Central) samples each compared pair.
benchmarks/profile.sh
echo "Results: $out/results.md, profiles: $out/profiles/, charts: docs/img/"
