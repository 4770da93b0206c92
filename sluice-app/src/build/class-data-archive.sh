#!/usr/bin/env bash
# Build step (sluice-app, package phase): the class-data-sharing archive bin/sluice maps at start-up,
# sluice-app/target/sluice.jsa, and its size stamp sluice.jsa.size. A training run of bin/sluice
# itself (same java, same class path: a JDK 17 archive is only used with the paths it was made with)
# runs the hidden `train-class-data` command, which needs no server and exits in seconds.
# The archive is written to a temp file, moved into place, and only then stamped: bin/sluice uses it
# only when the size matches (JDK 17 crashes on a truncated archive instead of ignoring it).
# Never fails the build: without an archive bin/sluice starts as before, only slower.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
target="$root/sluice-app/target"
jsa="$target/sluice.jsa"
rm -f "$jsa.size" "$jsa"
tmp="$target/sluice.jsa.tmp$$" # same directory as the archive: the mv is atomic
log="$target/sluice.jsa.training.log"
# The archive's path goes in JDK_JAVA_OPTIONS, quoted: bin/sluice word-splits SLUICE_JAVA_OPTS, so a
# checkout path with a space cut it in two (no archive); the java launcher honours quotes there.
if SLUICE_CDS=off SLUICE_JAVA_OPTS="-Xmx512m -Xlog:cds=off,cds+dynamic=off" \
    JDK_JAVA_OPTIONS="-XX:ArchiveClassesAtExit=\"$tmp\"" \
    timeout 120 bash "$root/bin/sluice" train-class-data --config "$root/sluice-dist/src/conf/job.example.yaml" >"$log" 2>&1 \
    && [[ -s "$tmp" ]] && mv -f "$tmp" "$jsa"; then
  wc -c <"$jsa" | tr -d ' ' >"$jsa.size.tmp$$" && mv -f "$jsa.size.tmp$$" "$jsa.size"
  echo "class-data archive for bin/sluice: $jsa ($(cat "$jsa.size") bytes)"
else
  echo "[WARNING] no class-data archive for bin/sluice (it starts without one, only slower): the training run failed, see $log"
fi
rm -f "$tmp" "$jsa.size.tmp$$"
exit 0
