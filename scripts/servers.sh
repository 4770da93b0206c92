#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Test servers for Sluice's integration tests: MySQL 5.5, 5.6, 5.7 (mysql57, its GTID replica mysql57r, and
# mysql57nogtid with gtid_mode=OFF), MySQL 8.0, MariaDB 10.11 and 10.2, Kafka (kafka, and
# kafka2: a second single-node cluster tests may stop), and the
# old ZooKeeper-based Kafka brokers 0.10.2 (kafka010) and 0.11.0 (kafka011). Also `browser`: headless
# Chromium and chromedriver from Debian's packages for the web console's test, and `connect`: a Kafka
# Connect cluster of two workers (connect1, connect2) with the built Sluice plugin (neither in `all`).
# Installs what is missing (Debian packages, Maven Central artifacts), keeps all state under
# ${SLUICE_SERVERS_DIR:-<repo>/.servers}. See scripts/README.md.
#
#   scripts/servers.sh up     [mysql55|mysql56|mysql57|mysql57r|mysql57nogtid|mysql80|mysql831|mariadb|mariadb102|kafka|kafka2|zookeeper|kafka010|kafka011|browser|connect|connect1|connect2|all]...
#                                          (default: all; kafka010/kafka011 bring up zookeeper too;
#                                           connect = connect1 + connect2, needs kafka and the built plugin)
#   scripts/servers.sh down   [...]
#   scripts/servers.sh status [...]
#   scripts/servers.sh reset  [...]        stop and delete the data (keeps downloaded binaries)
#   scripts/servers.sh env                 export lines: eval "$(scripts/servers.sh env)"
#   scripts/servers.sh client NAME [mariadb client args]   e.g. client mysql80 -e 'SELECT 1'
#   scripts/servers.sh kafka-cli MAIN_CLASS [args]         a Kafka tool from the broker's jars
set -euo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/mysql.sh
source "$SCRIPTS_DIR/lib/mysql.sh"
# shellcheck source=lib/kafka.sh
source "$SCRIPTS_DIR/lib/kafka.sh"
# shellcheck source=lib/kafka-old.sh
source "$SCRIPTS_DIR/lib/kafka-old.sh"
# shellcheck source=lib/browser.sh
source "$SCRIPTS_DIR/lib/browser.sh"
# shellcheck source=lib/connect.sh
source "$SCRIPTS_DIR/lib/connect.sh"

ALL=(mysql55 mysql56 mysql57 mysql57r mysql57nogtid mysql80 mysql831 mariadb mariadb102 kafka kafka2 zookeeper kafka010 kafka011)

usage() {
  # the comment block at the top of this file
  awk 'NR > 1 && /^# shellcheck/ { next } NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
  exit 2
}

# names ARGS...: expands "all" / no argument to every server, validates the others.
names() {
  local out=() a
  (($# == 0)) && set -- all
  for a in "$@"; do
    case "$a" in
      all) out+=("${ALL[@]}") ;;
      mysql55|mysql56|mysql57|mysql57r|mysql57nogtid|mysql80|mysql831|mariadb|mariadb102|kafka|kafka2|zookeeper|kafka010|kafka011|browser|connect1|connect2) out+=("$a") ;;
      connect) out+=("${C_WORKERS[@]}") ;;
      *) die "unknown server '$a' (expected: ${ALL[*]} or all)" ;;
    esac
  done
  # de-duplicate, keeping order
  printf '%s\n' "${out[@]}" | awk '!seen[$0]++'
}

# to_list ARGS...: sets the caller's `list` array (not via <(...), so that die() aborts).
to_list() {
  local out; out="$(names "$@")"
  mapfile -t list <<<"$out"
}

# server_do ACTION NAME: ACTION is up, down or status.
server_do() {
  case "$2" in
    kafka|kafka2) (kafka_vars "$2"; "kafka_$1") ;;
    zookeeper) "zookeeper_$1" ;;
    kafka010|kafka011) "kafka_old_$1" "$2" ;;
    browser) "browser_$1" ;;
    connect1|connect2) (kafka_vars kafka; connect_vars "$2"; "connect_$1") ;;
    *) "mysql_$1" "$2" ;;
  esac
}
server_up()     { server_do up "$1"; }
server_down()   { server_do down "$1"; }
server_status() { server_do status "$1"; }

# One `up`/`down`/`reset` at a time per servers dir (tests may call `up` concurrently).
take_lock() {
  mkdir -p "$SERVERS_DIR" "$DIST_DIR"
  exec 9>"$SERVERS_DIR/.lock"
  flock -w 600 9 || die "timed out waiting for the lock $SERVERS_DIR/.lock"
}

cmd_up() {
  local list
  # the old brokers need ZooKeeper: it is started alongside, and they wait for it
  if printf '%s\n' "$@" | grep -qE '^(kafka010|kafka011)$'; then set -- zookeeper "$@"; fi
  to_list "$@"
  take_lock
  local t0; t0="$(now)"

  # Installs first, one after the other (apt and the Maven repo don't like concurrent use).
  local pkgs=() n
  for n in "${list[@]}"; do
    case "$n" in
      mysql55|mysql56|mysql57|mysql57r|mysql57nogtid|mysql80|mysql831|mariadb102) pkgs+=(libaio1 libnuma1 mariadb-client-core) ;;
      mariadb) pkgs+=(libaio1 libnuma1 mariadb-client-core mariadb-server-core) ;;
    esac
  done
  if ((${#pkgs[@]} > 0)); then
    mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
    apt_install "${pkgs[@]}"
  fi
  for n in "${list[@]}"; do
    case "$n" in
      kafka|kafka2) kafka_install ;;
      zookeeper) zookeeper_install ;;
      kafka010|kafka011) (kafka_old_vars "$n"; kafka_old_install) ;;
      browser) browser_install ;;
      connect1|connect2) connect_install; connect_sync_plugin ;;
      *) (mysql_vars "$n"; mysql_install) ;;
    esac
  done

  # Then start them side by side (set SLUICE_SERVERS_PARALLEL=0 to start one by one).
  if [[ ${SLUICE_SERVERS_PARALLEL:-1} == 0 || ${#list[@]} == 1 ]]; then
    for n in "${list[@]}"; do server_up "$n"; done
  else
    # Connect workers in a second wave: they need the broker this same `up` may be starting
    local first=() workers=() failed=()
    for n in "${list[@]}"; do
      if [[ $n == connect1 || $n == connect2 ]]; then workers+=("$n"); else first+=("$n"); fi
    done
    start_side_by_side "${first[@]}"
    ((${#failed[@]} == 0)) && start_side_by_side "${workers[@]}"
    ((${#failed[@]} == 0)) || die "failed to start: ${failed[*]}"
  fi
  log "up ${list[*]}: done in $(elapsed "$t0")"
}

# server_up for each argument at once; the names that failed go to the caller's `failed`
start_side_by_side() {
  local pids=() names=("$@") i n
  for n in "${names[@]}"; do
    ( server_up "$n" ) &
    pids+=($!)
  done
  for i in "${!names[@]}"; do
    wait "${pids[$i]}" || failed+=("${names[$i]}")
  done
}

cmd_down() {
  local list; to_list "$@"
  take_lock
  local n pids=() zookeeper=0
  # Stopped side by side: each shutdown mostly waits (InnoDB flush, Kafka controlled shutdown).
  # ZooKeeper last: the old brokers deregister from it as they stop.
  for n in "${list[@]}"; do
    if [[ $n == zookeeper ]]; then zookeeper=1; continue; fi
    ( server_down "$n" ) &
    pids+=($!)
  done
  local rc=0 p
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  if ((zookeeper)); then zookeeper_down || rc=1; fi
  return $rc
}

cmd_reset() {
  local list; to_list "$@"
  cmd_down "${list[@]}"
  local n
  for n in "${list[@]}"; do
    log "$n: deleting $SERVERS_DIR/$n"
    rm -rf "${SERVERS_DIR:?}/$n"
  done
}

cmd_status() {
  local list n; to_list "$@"
  for n in "${list[@]}"; do server_status "$n"; done
  echo "state: $SERVERS_DIR"
}

cmd_env() {
  export_line "SLUICE_SERVERS_DIR" "$SERVERS_DIR"
  local n
  for n in mysql55 mysql56 mysql57 mysql57r mysql57nogtid mysql80 mysql831 mariadb mariadb102; do mysql_env "$n"; done
  export_line "SLUICE_MYSQL_ROOT_USER" "root"
  export_line "SLUICE_MYSQL_ROOT_PASSWORD" ""
  export_line "SLUICE_MYSQL_USER" "$DB_USER"
  export_line "SLUICE_MYSQL_PASSWORD" "$DB_PASSWORD"
  export_line "SLUICE_MYSQL_CLIENT" "$MYSQL_CLIENT"
  kafka_env
  (kafka_vars kafka2; kafka_env)
  kafka_old_env
  connect_env
}

main() {
  (($# >= 1)) || usage
  local cmd="$1"; shift
  case "$cmd" in
    up) cmd_up "$@" ;;
    down|stop) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    reset) cmd_reset "$@" ;;
    env) cmd_env ;;
    client)
      (($# >= 1)) || usage
      [[ $1 == kafka* || $1 == zookeeper || $1 == connect* || $1 == browser ]] && die "client is for mysql55|mysql56|mysql57|mysql57r|mysql80|mysql831|mariadb|mariadb102"
      names "$1" >/dev/null
      mysql_client "$@" ;;
    kafka-cli) (($# >= 1)) || usage; kafka_cli "$@" ;;
    -h|--help|help) usage ;;
    *) usage ;;
  esac
}

main "$@"
