#!/usr/bin/env bash
# Runs the benchmark suite with fixed settings and writes the results:
#   benchmarks/results/*.json      JMH's raw results
#   benchmarks/results/results.md  every result as a Markdown table
#   docs/img/*.png                 the charts docs/benchmarks.md shows
# Run it on a quiet machine: other work on the same cores shows up in every number.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
if [ ! -f "$jar" ]; then
  ./mvnw -B -q -DskipTests package -pl benchmarks -am
fi
out=benchmarks/results
mkdir -p "$out" docs/img
common=(-f 1 -wi 3 -w 1s -i 5 -r 1s -rf json -jvmArgs "-Xms1g -Xmx1g")

# Cache hits and the peer, with allocation measured, on 1 and 2 threads.
for threads in 1 2; do
  java -jar "$jar" 'HitPath|FacadeHit|Togglz' "${common[@]}" -t "$threads" -prof gc -rff "$out/hits-t$threads.json"
done
# SQLite reads and writes, one thread (SQLite writes one transaction at a time anyway).
java -jar "$jar" 'MissPath|WritePath' "${common[@]}" -t 1 -rff "$out/sqlite-t1.json"
# The mixed workload on 1 and 2 threads.
for threads in 1 2; do
  java -jar "$jar" 'MixedWorkload' "${common[@]}" -t "$threads" -rff "$out/mixed-t$threads.json"
done
# How long another process's change takes to arrive.
java -jar "$jar" 'ChangeFeedDelay' -f 1 -wi 2 -w 1s -i 5 -r 2s -rf json -rff "$out/feed.json"
# Memory per cached guild.
java -Djol.magicFieldOffset=true -Djdk.attach.allowAttachSelf=true -cp "$jar" \
  dev.configstore.benchmarks.MemoryFootprint | tee "$out/memory.txt"

java -cp "$jar" dev.configstore.benchmarks.Report "$out"/hits-t1.json "$out"/hits-t2.json "$out"/sqlite-t1.json \
  "$out"/mixed-t1.json "$out"/mixed-t2.json "$out"/feed.json "$out/results.md" docs/img
echo "Results: $out/results.md, charts: docs/img/"
