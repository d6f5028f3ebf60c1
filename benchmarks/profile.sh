#!/usr/bin/env bash
# Samples where each compared benchmark spends its time, with async-profiler (fetched from Maven
# Central into benchmarks/target/profiler), and writes the hottest frames of each to
# benchmarks/results/profiles/<benchmark>.txt. Uses the interval timer, so it works where hardware
# counters are not available (virtual machines, containers).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
version=4.6
lib=benchmarks/target/profiler/linux-x64/libasyncProfiler.so
if [ ! -f "$lib" ]; then
  ./mvnw -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$version" \
    -DoutputDirectory=benchmarks/target/profiler
  (cd benchmarks/target/profiler && jar xf "async-profiler-$version.jar" linux-x64/libasyncProfiler.so)
fi
out=benchmarks/results/profiles
mkdir -p "$out"
profile() {
  local pattern=$1 name=$2
  shift 2
  java -jar "$jar" "$pattern" "$@" -f 1 -wi 3 -w 1s -i 3 -r 3s \
    -prof "async:libPath=$PWD/$lib;output=text;event=itimer;traces=0;flat=15;dir=$PWD/benchmarks/target/profiles/$name" \
    > "benchmarks/target/profile-$name.log"
  sed -n '/Secondary result/,/Async profiler results/p' "benchmarks/target/profile-$name.log" \
    | grep -v 'Async profiler results' > "$out/$name.txt"
}
profile 'HitPathBenchmark.store$' hit-store
profile 'HitPathBenchmark.caffeine$' hit-caffeine
profile 'FacadeHitBenchmark.getFlaggerConfig$' facade-flagger
profile 'MissPathBenchmark.storeMiss$' miss-store
profile 'MissPathBenchmark.rawPooled$' miss-raw-pooled
profile 'WritePathBenchmark.storePut$' write-store -p synchronous=NORMAL -p changeLog=false
profile 'WritePathBenchmark.rawUpsert$' write-raw -p synchronous=NORMAL -p changeLog=false
profile 'WritePathBenchmark.rawUpsert$' write-raw-trigger -p synchronous=NORMAL -p changeLog=true
echo "Profiles: $out/"
