#!/usr/bin/env bash
# The embedded default: builds Sluice, starts a local MySQL 5.7 and Kafka (scripts/servers.sh),
# creates a small sample schema, runs a sync job against it, makes some changes and prints the
# records that arrive in Kafka, decoded. Safe to run again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# bold headings on a terminal only: no escape codes in a log file
if [[ -t 1 ]]; then say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }; else say() { printf '\n== %s\n' "$*"; }; fi

say "building (mvn -DskipTests package)"
mkdir -p "$root/.servers"
# quiet: the build log is shown only if it fails (Maven 3.8 prints stray ANSI resets even with -B -q)
mvn -B -Dstyle.color=never -DskipTests package >"$root/.servers/quickstart-build.log" 2>&1 \
  || { cat "$root/.servers/quickstart-build.log"; exit 1; }

say "starting MySQL 5.7 and Kafka"
scripts/servers.sh up mysql57 kafka
eval "$(scripts/servers.sh env)"
sql() { scripts/servers.sh client mysql57 -e "$1"; }

say "creating the sample schema shop (orders, customers)"
sql "DROP DATABASE IF EXISTS shop; CREATE DATABASE shop CHARACTER SET utf8mb4;
     CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(100), email VARCHAR(200) UNIQUE, created TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3));
     CREATE TABLE shop.orders (id BIGINT UNSIGNED PRIMARY KEY AUTO_INCREMENT, customer_id INT, amount DECIMAL(10,2),
       status ENUM('new','paid','shipped'), note JSON, placed DATETIME(6));"

work="$root/.servers/quickstart"
topic="shop-sync-$(date +%s)"
rm -rf "$work" && mkdir -p "$work"
cat > "$work/job.yaml" <<YAML
name: shop-sync
source:
  name: mysql-a
  host: 127.0.0.1
  port: $SLUICE_MYSQL57_PORT
  user: sluice
  password: \${SLUICE_MYSQL_PASSWORD}
  serverId: 5401
target:
  bootstrapServers: 127.0.0.1:$SLUICE_KAFKA_PORT
  topic: $topic
objects:
  include: [shop.orders, shop.customers]
state:
  dir: $work/state
YAML
say "job file $work/job.yaml"
cat "$work/job.yaml"

say "running: bin/sluice run --config $work/job.yaml (log: $work/sluice.log)"
SLUICE_MYSQL_PASSWORD=sluice bin/sluice run --config "$work/job.yaml" >"$work/sluice.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  grep -q "streaming binlog" "$work/sluice.log" && break
  kill -0 $pid 2>/dev/null || { cat "$work/sluice.log"; exit 1; }
  sleep 0.5
done

say "changing data in MySQL"
sql "INSERT INTO shop.customers (id, name, email) VALUES (1, 'Ada', 'ada@example.com'), (2, 'Zoë 😀', 'zoe@example.com');
     INSERT INTO shop.orders (customer_id, amount, status, note, placed) VALUES (1, 12.30, 'new', '{\"gift\": true}', NOW(6));
     BEGIN; UPDATE shop.orders SET status = 'paid' WHERE id = 1; DELETE FROM shop.customers WHERE id = 2; COMMIT;
     REPLACE INTO shop.customers (id, name, email) VALUES (1, 'Ada Lovelace', 'ada@example.com');"

say "records in topic $topic (decoded with Record.avsc)"
bin/sluice tail --bootstrap-servers "127.0.0.1:$SLUICE_KAFKA_PORT" --topic "$topic" --idle-seconds 5

say "stopping the job with SIGTERM"
kill -TERM $pid
wait $pid && echo "sluice exited with 0"
# exactly-once keeps the checkpoint in Kafka (<topic>-sluice-checkpoints); at-least-once in a local file
if compgen -G "$work/state/*.json" >/dev/null; then
  echo "its checkpoint: $(cat "$work/state/"*.json | tr -d '\n ')"
else
  echo "its checkpoint is in the compacted topic $topic-sluice-checkpoints (exactly-once)"
fi
trap - EXIT
echo "Servers keep running; stop them with: scripts/servers.sh down"
