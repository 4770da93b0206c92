#!/usr/bin/env bash
# Encoder micro-benchmark: ns and bytes allocated per 16-column row for DTS Avro encoding,
# binlog cell conversion, SELECT cell conversion and the dispatch path (reader hand-off, Dispatcher, no-op
# delivery). Usage: bench/micro/run.sh [seconds per path [--columns | --dispatch (only the dispatch path)]];
# bench/micro/run.sh 5 --kafka host:port
# measures the Kafka sink's per-record work against that broker instead (a topic sluice-micro-<pid>);
# bench/micro/run.sh 5 --kafka host:port 'compression.type=none' 'compression.type=lz4,linger.ms=20' ...
# compares sets of target.producer settings: per record CPU (sending thread, network thread, process) and bytes sent.
# bench/micro/run.sh 5 --dispatch-kafka host:port: the dispatch path (Dispatcher, DTS Avro, TransactionalKafkaSink)
# into that broker: CPU per row change of the dispatch thread, the producer's network thread and the process.
# bench/micro/run.sh 20 --ab other/sluice-format-dts.jar: that jar's DtsAvroEncoder against this build's in one
# process (byte-equal check on every row, then 20 alternating one-second rounds): robust to a busy machine.
# Builds the reactor's jars (no tests) unless SKIP_BUILD=1, then runs EncoderBench.java as a
# single-file program against sluice-app's jar and libraries.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -o -q package -Dmaven.test.skip=true -pl sluice-app -am
fi
exec java -Xms512m -Xmx512m -cp "sluice-app/target/sluice-app.jar:sluice-app/target/lib/*" \
  bench/micro/EncoderBench.java "${1:-5}" "${@:2}"
