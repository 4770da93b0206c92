#!/usr/bin/env bash
# Binlog-thread micro-benchmark (BinlogBench.java): CPU ns and bytes allocated per row change for
# reading a recorded MySQL 5.7 binlog of the mixed workload as BinaryLogClient reads its socket,
# through Sluice's event deserializer and handling up to the RowChange. No server needed.
# Usage: bench/micro/binlog.sh [seconds per path]
#        bench/micro/binlog.sh --record [port] [transactions]   re-records mixed-mysql57.binlog.gz (BinlogRecord.java)
#        bench/micro/binlog.sh --ab other/sluice-source-mysql.jar [rounds]   A/B in one process (BinlogAbBench.java)
#        bench/micro/binlog.sh --ab other/sluice-source-mysql.jar rounds --json   the same A/B of the binlog JSON conversion
# Builds the reactor's jars (no tests) unless SKIP_BUILD=1.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -o -q package -Dmaven.test.skip=true -pl sluice-app -am
fi
cp="sluice-app/target/sluice-app.jar:sluice-app/target/lib/*"
if [[ "${1:-}" == --record ]]; then
  exec java -cp "$cp" bench/micro/BinlogRecord.java "${2:-${SLUICE_MYSQL57_PORT:-13057}}" "${3:-100}" bench/micro/mixed-mysql57.binlog.gz
fi
if [[ "${1:-}" == --ab ]]; then
  exec java -Xms512m -Xmx512m -cp "$cp" bench/micro/BinlogAbBench.java bench/micro/mixed-mysql57.binlog.gz "${3:-20}" "$2" ${4:+"$4"}
fi
exec java -Xms512m -Xmx512m -cp "$cp" bench/micro/BinlogBench.java bench/micro/mixed-mysql57.binlog.gz "${1:-5}"
