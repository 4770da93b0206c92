#!/usr/bin/env bash
# The benchmark (issue 6), in one command:
#   builds Sluice (a snapshot of this checkout, or of --ref), the harness and the Debezium runner;
#   starts MySQL 5.7 + Kafka through scripts/servers.sh on the benchmark's OWN servers dir and
#   ports (never the test servers); runs every measurement in one run; writes
#   docs/performance.md, docs/performance.json and docs/performance.png.
#
#   bench/run.sh                 full run (~22 min on a quiet 2-core machine, up to ~35), report into docs/
#   bench/run.sh --quick         small sizes, 1 repetition, report into bench/target/quick/
#   bench/run.sh --ref HEAD      benchmark a commit (git archive) instead of the working tree
#   bench/run.sh --out DIR       write the report somewhere else
#   bench/run.sh --keep-servers  leave the servers running afterwards (default: stop the ones this run started)
#   bench/run.sh --report-only   rewrite the report from the last run's results (e.g. after editing bench/analysis.md)
#   bench/run.sh --reuse-build   keep the last run's Sluice build (target/sluice-src) instead of building again
#   bench/run.sh --offline       every mvn with -o (everything already in ~/.m2)
#   bench/run.sh -Dbench.reps=5 -Dbench.mixedEvents=100000 ...   override any setting (bench/harness/.../Config.java)
#
# Servers: SLUICE_BENCH_SERVERS_DIR (default <repo>/.servers/bench), SLUICE_BENCH_MYSQL_PORT (23057),
# SLUICE_BENCH_KAFKA_PORT (29092), SLUICE_BENCH_KAFKA_CONTROLLER_PORT (29093); the connect phase's
# Connect worker (started and stopped by the harness) in <servers dir>/connect on
# SLUICE_BENCH_CONNECT_PORT (28083).
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench/.." && pwd)"
say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

out="$root/docs"
ref=""
quick=0
keep=0
report_only=0
reuse_build=0
mvn_flags=(-B -q)
props=()
while (($#)); do
  case "$1" in
    --quick) quick=1; out="$bench/target/quick" ;;
    --ref) ref="$2"; shift ;;
    --out) out="$2"; shift ;;
    --keep-servers) keep=1 ;;
    --report-only) report_only=1 ;;
    --reuse-build) reuse_build=1 ;;
    --offline) mvn_flags+=(-o) ;;
    -D*) props+=("$1") ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see bench/run.sh --help)" >&2; exit 2 ;;
  esac
  shift
done
if ((quick)); then
  props=(-Dbench.reps=1 -Dbench.warmupEvents=10000 -Dbench.batchRows=20000 -Dbench.singleRows=3000 -Dbench.mixedEvents=6000 -Dbench.profileEvents=20000
         -Dbench.compareSizes=5000,10000,2000,5000 -Dbench.compareReps=1 -Dbench.partitionEvents=20000
         -Dbench.latencyWarmupSeconds=2 -Dbench.latencySeconds=5 -Dbench.latencyWindows=1
         -Dbench.bigRows=100000 -Dbench.jdbcRuns=1 -Dbench.initRows=200000 -Dbench.initPipelineRecords=100000 "${props[@]}")
fi

# The benchmark's own servers: never the test servers' directory or ports.
export SLUICE_SERVERS_DIR="${SLUICE_BENCH_SERVERS_DIR:-$root/.servers/bench}"
export SLUICE_MYSQL57_PORT="${SLUICE_BENCH_MYSQL_PORT:-23057}"
export SLUICE_KAFKA_PORT="${SLUICE_BENCH_KAFKA_PORT:-29092}"
export SLUICE_KAFKA_CONTROLLER_PORT="${SLUICE_BENCH_KAFKA_CONTROLLER_PORT:-29093}"

CONNECT_PORT="${SLUICE_BENCH_CONNECT_PORT:-28083}"

target="$bench/target"
src="$target/sluice-src"
mkdir -p "$target"
t0=$SECONDS

harness() {
  # 3g: the limits hold one workload's records (1M, ~0.7 GB) read back from Sluice's topic
  java -Xmx3g -Djava.awt.headless=true \
    -cp "$bench/harness/target/classes:$bench/harness/target/lib/*" \
    -Dbench.work="$target/work" \
    -Dbench.out="$out" \
    -Dbench.method="$bench/method.md" \
    -Dbench.analysis="$bench/analysis.md" \
    "$@" io.sluice.bench.Bench
}

if ((report_only)); then
  mvn "${mvn_flags[@]}" -f "$bench/harness/pom.xml" -DskipTests package
  harness -Dbench.reportOnly=true "${props[@]}"
  exit 0
fi

# 1. Sluice (the CLI and the Connect plugin), built from a private copy so that concurrent builds in
#    the checkout don't interfere.
if ((reuse_build)); then
  commit="$(cat "$target/sluice-src.commit" 2>/dev/null || echo unknown)"
  say "reusing the Sluice build in $src ($commit)"
else
rm -rf "$src" && mkdir -p "$src"
if [[ -n $ref ]]; then
  commit="$(git -C "$root" rev-parse --short "$ref") ($ref)"
  git -C "$root" archive "$ref" | tar -x -C "$src"
else
  commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  [[ -n "$(git -C "$root" status --porcelain -- . ':!bench' ':!docs/performance.*' ':!README.md' 2>/dev/null)" ]] \
    && commit="$commit + uncommitted changes"
  tar -C "$root" --exclude=./.git --exclude=./.servers --exclude=./bench --exclude='./*/target' --exclude=./target \
    -cf - . | tar -x -C "$src"
fi
say "[$((SECONDS - t0)) s] building Sluice $commit (mvn -DskipTests package in $src)"
(cd "$src" && mvn "${mvn_flags[@]}" -DskipTests package -pl sluice-app,sluice-connect -am)
echo "$commit" >"$target/sluice-src.commit"
fi
[[ -x $src/bin/sluice && -f $src/sluice-app/target/sluice-app.jar ]] || { echo "Sluice build produced no sluice-app.jar" >&2; exit 1; }
[[ -d $src/sluice-connect/target/sluice-connect-plugin ]] || { echo "Sluice build produced no sluice-connect-plugin/" >&2; exit 1; }

# 2. The harness, the Debezium runner (separate builds: Debezium 3.6 needs kafka-clients 4.x), the
#    Connect worker's jars and Debezium's connector as a Connect plugin (a release for Connect 3.9).
say "[$((SECONDS - t0)) s] building the harness, the Debezium runner and the Connect worker with its plugins"
mvn "${mvn_flags[@]}" -f "$bench/harness/pom.xml" -DskipTests package
mvn "${mvn_flags[@]}" -f "$bench/debezium/pom.xml" -DskipTests package
mvn "${mvn_flags[@]}" -f "$bench/connect/worker/pom.xml" package
mvn "${mvn_flags[@]}" -f "$bench/connect/debezium-plugin/pom.xml" package

# 3. Servers.
was_running="$("$root/scripts/servers.sh" status mysql57 kafka 2>/dev/null | grep -c running || true)"
stop_servers() {
  if ((keep == 0)) && [[ "$was_running" == 0 ]]; then
    say "stopping the benchmark servers"
    "$root/scripts/servers.sh" down mysql57 kafka >/dev/null 2>&1 || true
  fi
}
trap stop_servers EXIT
say "[$((SECONDS - t0)) s] starting MySQL 5.7 (port $SLUICE_MYSQL57_PORT) and Kafka (port $SLUICE_KAFKA_PORT) in $SLUICE_SERVERS_DIR"
"$root/scripts/servers.sh" up mysql57 kafka

# The Connect worker's plugin.path: this build's Sluice plugin folder and Debezium's, copied afresh.
connect_dir="$SLUICE_SERVERS_DIR/connect"
rm -rf "$connect_dir/plugins" && mkdir -p "$connect_dir/plugins"
cp -r "$src/sluice-connect/target/sluice-connect-plugin" "$connect_dir/plugins/"
cp -r "$bench/connect/debezium-plugin/target/debezium-connector-mysql" "$connect_dir/plugins/"
debezium_connect_version="$(sed -n 's:.*<debezium.version>\(.*\)</debezium.version>.*:\1:p' "$bench/connect/debezium-plugin/pom.xml")"

# 4. The run.
say "running the benchmark (build and servers took $((SECONDS - t0)) s)"
harness \
  -Dbench.sluice="$src/bin/sluice" \
  -Dbench.avsc="$src/sluice-format-dts/src/main/resources/io/sluice/format/dts/Record.avsc" \
  -Dbench.debeziumCp="$bench/debezium/target/classes:$bench/debezium/target/lib/*" \
  -Dbench.mysqlPort="$SLUICE_MYSQL57_PORT" \
  -Dbench.kafka="127.0.0.1:$SLUICE_KAFKA_PORT" \
  -Dbench.connectPort="$CONNECT_PORT" \
  -Dbench.connectDir="$connect_dir" \
  -Dbench.connectCp="$bench/connect/worker/target/lib/*" \
  -Dbench.connectPlugins="$connect_dir/plugins" \
  -Dbench.connectDebeziumVersion="$debezium_connect_version" \
  -Dbench.commit="$commit" \
  -Dbench.serversDir="$SLUICE_SERVERS_DIR" \
  "${props[@]}"
say "total $((SECONDS - t0)) s; report in $out (logs, GC logs and the JFR file in $target/work/logs)"
