# shellcheck shell=bash
# Shared helpers for scripts/servers.sh: paths, logging, installs, process and port handling.
# Sourced, not executed.

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$SCRIPTS_DIR/.." && pwd)"
SERVERS_DIR="${SLUICE_SERVERS_DIR:-$REPO_DIR/.servers}"
DIST_DIR="$SERVERS_DIR/dist"

START_TIMEOUT="${SLUICE_START_TIMEOUT:-180}"   # seconds to wait for a server to accept connections
STOP_TIMEOUT="${SLUICE_STOP_TIMEOUT:-60}"      # seconds between SIGTERM and SIGKILL

# Flags to keep Maven quiet and non-interactive (no progress bars, no ANSI colours in CI logs).
MVN_FLAGS=(-B -q -Dstyle.color=never)

log()  { printf '[servers %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf '[servers] ERROR: %s\n' "$*" >&2; exit 1; }

# export_line NAME VALUE: one line of `servers.sh env`, quoted for eval.
export_line() { printf 'export %s=%q\n' "$1" "$2"; }

# Seconds since the epoch with a fractional part, for the timings printed by `up`.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# ---------------------------------------------------------------------------------------------
# Installs
# ---------------------------------------------------------------------------------------------

_APT_UPDATED=0

# apt_install PKG...: installs the packages that are not installed yet (a no-op, without
# touching apt, when all of them are). Runs `apt-get update` at most once per invocation.
apt_install() {
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed; then
      missing+=("$p")
    fi
  done
  ((${#missing[@]} == 0)) && return 0

  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "need root (or sudo) to apt-get install ${missing[*]}"
    sudo=(sudo)
  fi

  log "apt-get install ${missing[*]}"
  mkdir -p "$SERVERS_DIR"
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
  if ((_APT_UPDATED == 0)); then
    "${apt[@]}" update >/dev/null || die "apt-get update failed"
    _APT_UPDATED=1
  fi

  # A policy-rc.d that answers 101 forbids maintainer scripts from starting services, so no
  # distro service (e.g. a MariaDB on port 3306) gets started by the install. An existing
  # policy-rc.d (Docker images ship one) is kept and put back afterwards.
  local policy=/usr/sbin/policy-rc.d backup=""
  if [[ -e $policy ]]; then
    backup="$(mktemp)"
    "${sudo[@]}" cp -p "$policy" "$backup"
  fi
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"

  local rc=0
  "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >"$SERVERS_DIR/apt.log" 2>&1 || rc=$?

  if [[ -n $backup ]]; then
    "${sudo[@]}" cp -p "$backup" "$policy"
    rm -f "$backup"
  else
    "${sudo[@]}" rm -f "$policy"
  fi
  ((rc == 0)) || { tail -n 30 "$SERVERS_DIR/apt.log" >&2; die "apt-get install ${missing[*]} failed (log: $SERVERS_DIR/apt.log)"; }
}

# mvn_run ARGS...: runs Maven quietly; its output goes to $SERVERS_DIR/mvn.log and is shown
# only when it fails.
mvn_run() {
  command -v mvn >/dev/null || die "mvn not found (Maven is needed to fetch server binaries)"
  local out="$SERVERS_DIR/mvn.log"
  mkdir -p "$SERVERS_DIR"
  mvn "${MVN_FLAGS[@]}" "$@" >"$out" 2>&1 || { show_log_tail "$out"; return 1; }
}

# mvn_copy GROUP:ARTIFACT:VERSION[:TYPE] DIR: copies one artifact from Maven Central into DIR.
# -f points at our tiny standalone pom (which pins the plugin version) so Maven never loads the
# project's own reactor pom.
mvn_copy() {
  mvn_run -f "$SCRIPTS_DIR/kafka/pom.xml" dependency:copy \
    -Dartifact="$1" -DoutputDirectory="$2" -Dmdep.overWriteIfNewer=true \
    || die "could not fetch $1 from Maven Central"
}

# unzip_entry JAR ENTRY DEST_FILE: extracts one entry of a zip/jar (unzip if present, else the JDK's jar).
unzip_entry() {
  local jar="$1" entry="$2" dest="$3"
  if command -v unzip >/dev/null; then
    unzip -p "$jar" "$entry" >"$dest"
  else
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && jar xf "$jar" "$entry")
    mv "$tmp/$entry" "$dest"
    rm -rf "$tmp"
  fi
  [[ -s $dest ]] || die "$entry not found in $jar"
}

# unzip_all JAR DIR [ENTRY...]: extracts a whole zip/jar into DIR, or only the ENTRYs (files, or
# folders ending in /), with unzip if present, else the JDK's jar.
unzip_all() {
  local jar="$1" dir="$2" a unzip_args=(); shift 2
  mkdir -p "$dir"
  for a in "$@"; do [[ $a == */ ]] && unzip_args+=("$a*") || unzip_args+=("$a"); done
  if command -v unzip >/dev/null; then
    unzip -q -o "$jar" -d "$dir" "${unzip_args[@]}"
  else
    (cd "$dir" && jar xf "$jar" "$@")
  fi
}

# ---------------------------------------------------------------------------------------------
# Processes and ports
# ---------------------------------------------------------------------------------------------

# check_port VAR_NAME VALUE: dies unless VALUE is a valid TCP port; warns when it lies in the
# kernel's ephemeral range, where any outgoing connection may hold it as its local port for a while
# and a server then fails to bind it ("Address already in use") although nothing listens there.
check_port() {
  if ! [[ $2 =~ ^[0-9]+$ ]] || (($2 < 1 || $2 > 65535)); then
    die "$1=$2 is not a valid TCP port"
  fi
  local low high
  if read -r low high < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null && (($2 >= low && $2 <= high)); then
    log "WARNING: $1=$2 is in the ephemeral port range $low-$high (net.ipv4.ip_local_port_range):" \
      "an outgoing connection can take it and the server then cannot bind it; choose a port below $low"
  fi
}

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# pid_alive PIDFILE MARKER: prints the pid and succeeds when the pid file names a live process
# whose command line contains MARKER (guards against a stale pid file whose pid was reused).
pid_alive() {
  local pidfile="$1" marker="$2" pid
  [[ -s $pidfile ]] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
  echo "$pid"
}

# show_log_tail FILE...: prints the end of server logs to stderr, for failure messages.
show_log_tail() {
  local f
  for f in "$@"; do
    [[ -s $f ]] || continue
    printf -- '----- last 40 lines of %s -----\n' "$f" >&2
    tail -n 40 "$f" >&2
  done
  printf -- '-----\n' >&2
}

# wait_until NAME PID CHECK_CMD...: polls CHECK_CMD until it succeeds. Fails, showing the
# tails of the files in the WAIT_LOGS array, when PID exits or START_TIMEOUT passes.
# (A server that is merely slow is left running: the next `up` waits for it again.)
wait_until() {
  local name="$1" pid="$2"; shift 2
  local deadline=$((SECONDS + START_TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log_tail "${WAIT_LOGS[@]}"
      if tail -n 40 "${WAIT_LOGS[@]}" 2>/dev/null | grep -q 'Address already in use'; then
        die "$name: process $pid could not bind its port: another process held it when it started" \
          "(a listener, or an outgoing connection using it as its local port; see: ss -tanp)." \
          "Run the same command again once it is free, or move the server with its SLUICE_*_PORT variable" \
          "(logs: ${WAIT_LOGS[*]})"
      fi
      die "$name: process $pid exited during startup (logs: ${WAIT_LOGS[*]})"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "${WAIT_LOGS[@]}"
      die "$name: not accepting connections after ${START_TIMEOUT}s (pid $pid still running; logs: ${WAIT_LOGS[*]})"
    fi
    sleep 0.3
  done
}

# stop_pid NAME PIDFILE MARKER: SIGTERM, wait up to STOP_TIMEOUT, then SIGKILL.
stop_pid() {
  local name="$1" pidfile="$2" marker="$3" pid
  if ! pid="$(pid_alive "$pidfile" "$marker")"; then
    rm -f "$pidfile"
    log "$name: not running"
    return 0
  fi
  log "$name: stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "$name: still running after ${STOP_TIMEOUT}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
  log "$name: stopped"
}

# start_bg PIDFILE LOG CMD...: starts CMD detached (own session, no stdin) so it outlives the
# calling script and its terminal, appending stdout/stderr to LOG; writes its pid to PIDFILE.
start_bg() {
  local pidfile="$1" logfile="$2"; shift 2
  rm -f "$pidfile"
  # The pid is written by the process itself right before exec, so it is right whether or not
  # setsid had to fork. 9>&- : the server must not inherit servers.sh's lock (see take_lock).
  # shellcheck disable=SC2016  # $$ and $@ are expanded by the inner bash
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 9>&- &
  for _ in $(seq 50); do [[ -s $pidfile ]] && return 0; sleep 0.1; done
  die "could not start $1"
}
