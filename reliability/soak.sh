#!/usr/bin/env bash
# The history checker's long run: several worker JVMs doing random reads and writes on a few keys
# of one SQLite file and/or one PostgreSQL schema while a nemesis kills workers with SIGKILL (and
# starts new ones), ends their PostgreSQL connections and writes with the sqlite3 / psql shells;
# then the merged history is checked (see docs/reliability.md, "History checker").
#
# Usage:
#   reliability/soak.sh --minutes N [--database sqlite|postgres|both] [--processes 4] [--threads 2]
#                       [--keys 4] [--fault-pause-ms 3000] [--seed N]
#
#   --minutes N      how long the workload runs on each database (default 10)
#   --database       which database(s), one after the other (default both)
#   --processes N    worker processes running at any time (default 4)
#   --threads N      threads per worker (default 2)
#   --keys N         keys every thread reads and writes (default 4)
#   --fault-pause-ms the mean pause between two faults (default 3000)
#   --seed N         the seed of every random choice (the interleaving is the machine's)
#
# PostgreSQL: the server at CONFIGSTORE_PG_URL, or jdbc:postgresql://127.0.0.1:5432/test?user=postgres;
# the run works in a fresh schema and drops it afterwards. Needs sqlite3 and psql on the PATH.
#
# It builds what it needs with ./mvnw (quietly), copies the class path aside (so that a rebuild
# during the run cannot change what restarted workers load), and prints, per database: processes,
# threads, operations, faults injected by kind, kills, violations, acknowledged writes lost, max
# staleness and the cross-process delay (p50/p99/max). Each run's history, worker logs and report
# stay in reliability/target/soak/<database>-<time>/. Exit status: 0 without violations, 1 with
# any, 2 if a database cannot be reached.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

for tool in sqlite3 psql; do
    command -v "$tool" >/dev/null || { echo "soak.sh: $tool is not on the PATH" >&2; exit 2; }
done

./mvnw -B -q -pl reliability -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
    -Dspotless.check.skip=true

stamp="$(date -u +%Y%m%d-%H%M%S)"
lib="$root/reliability/target/soak/lib-$stamp"
mkdir -p "$lib/jars"
cp -r reliability/target/classes "$lib/classes"
classpath="$lib/classes"
IFS=":" read -r -a entries < reliability/target/test-classpath.txt || true  # no newline at its end
for entry in "${entries[@]}"; do
    cp "$entry" "$lib/jars/"
    classpath="$classpath:$lib/jars/$(basename "$entry")"
done

java="java"
if [[ -n "${JAVA_HOME:-}" ]]; then
    java="$JAVA_HOME/bin/java"
fi
exec "$java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classpath" \
    dev.configstore.reliability.Soak --folder "$root/reliability/target/soak" "$@"
