#!/usr/bin/env bash
# One fresh full-data initialization of DB.t_big (bench shape) by bin/sluice run, timed through a
# LogAppendTime topic: time from spawn to the first and the last INIT record, rows/s.
# Usage: bench/micro/init/run.sh DB [extra JVM options]; env: PORT (13057), KAFKA (127.0.0.1:19092),
# CHUNK, PAR (initialization.chunkSize / parallelism), XMX (512m), KEEP=1 keeps the topics.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
db="$1"; shift
port="${PORT:-13057}"; kafka="${KAFKA:-127.0.0.1:19092}"
work="$(mktemp -d /tmp/sluice-init-bench.XXXX)"
topic="init-bench-$db-$(date +%s%N)"
cp="$root/sluice-app/target/lib/*"
java -cp "$cp" "$root/bench/micro/init/InitTiming.java" create "$kafka" "$topic" >/dev/null 2>&1
cat > "$work/job.yaml" <<YAML
name: init-bench-$db-$$
source:
  name: init-bench-src
  host: 127.0.0.1
  port: $port
  user: sluice
  password: sluice
  serverId: $((7000 + RANDOM % 1000))
target:
  bootstrapServers: $kafka
  topic: $topic
objects:
  include: [$db.t_big]
state:
  dir: $work/state
initialization:
  fullData: true
${CHUNK:+  chunkSize: $CHUNK}
${PAR:+  parallelism: $PAR}
YAML
start=$(date +%s%3N); echo "spawn at $(date -u -d @${start:0:10}.${start:10} +%H:%M:%S.%3N)"
SLUICE_JAVA_OPTS="-Xmx${XMX:-512m} $*" "$root/bin/sluice" run --config "$work/job.yaml" > "$work/sluice.log" 2>&1 &
pid=$!
# per-thread CPU ticks (tid, name, user+system), sampled while it runs: readers end before the last chunk is written
threads() {
  awk '{ match($0, /\(.*\)/); name = substr($0, RSTART + 1, RLENGTH - 2); split(substr($0, RSTART + RLENGTH + 1), f, " ");
         gsub(/[0-9]+$/, "N", name); print $1 "\t" name "\t" f[12] + f[13] }' /proc/$pid/task/*/stat 2>/dev/null >> "$work/threads" || true
}
until grep -q "initialization complete" "$work/sluice.log"; do
  kill -0 $pid 2>/dev/null || { cat "$work/sluice.log"; exit 1; }
  threads
  sleep 0.1
done
threads
read -r -a st < "/proc/$pid/stat"; tck=$(getconf CLK_TCK)
cpu=$(( (${st[13]} + ${st[14]}) * 1000 / tck ))
# the main thread (its task comm stays "java", the busiest such): start-up's critical path, its CPU unaffected by other processes' load
main_cpu=0
for task in /proc/$pid/task/*; do
  if [[ "$(cat "$task/comm" 2>/dev/null)" == java ]]; then
    read -r -a ts < "$task/stat"; t=$(( (${ts[13]} + ${ts[14]}) * 1000 / tck ))
    if (( t > main_cpu )); then main_cpu=$t; fi  # the launcher's primordial thread is a "java" too, idle
  fi
done
threads=$(for task in /proc/$pid/task/*; do read -r -a ts < "$task/stat"; echo "$(( (${ts[13]} + ${ts[14]}) * 1000 / tck )) $(cat "$task/comm")"; done | sort -rn | head -8 | tr '\n' ';')
sleep 1
kill $pid; wait $pid || true
first_log=$(grep -m1 -o '^[0-9:.]*' "$work/sluice.log" | head -1)
echo "sluice CPU ms until initialization complete: $cpu (main thread: $main_cpu); first log line at $first_log"
echo "busiest threads (CPU ms) then: $threads"
# CPU ms per thread group (each thread's last sample): readers, dispatcher, GC, JIT, Kafka client, the rest
awk -F'\t' -v tck="$tck" '{ last[$1] = $3; name[$1] = $2 }
  END { for (t in last) { n = name[t]; g = "other"
          if (n ~ /^sluice-init-N$/) g = "readers"; else if (n ~ /^sluice-dispatch/) g = "dispatcher"
          else if (n ~ /^(GC Thread|G1 )/) g = "gc"; else if (n ~ /Compiler/) g = "jit"; else if (n ~ /^kafka-/) g = "kafka"
          ms[g] += last[t] * 1000 / tck }
        printf "thread CPU ms:"; for (g in ms) printf " %s=%d", g, ms[g]; print "" }' "$work/threads"
java -cp "$cp" "$root/bench/micro/init/InitTiming.java" read "$kafka" "$topic" "$start" 2>/dev/null | grep "^records="
echo "log: $work/sluice.log"
# each run writes ~550 MB to the broker: the topics go unless KEEP=1
[[ "${KEEP:-0}" == 1 ]] || java -cp "$cp" "$root/bench/micro/init/InitTiming.java" delete "$kafka" "$topic" >/dev/null 2>&1 || true
