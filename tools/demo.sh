#!/bin/sh
# demo.sh - a rootless container, seen from both sides (make demo).
#
# As root, it first makes an unprivileged demo user (tests/setup-root.sh)
# and runs the demo as that user, because a rootless runtime run by root
# shows nothing worth seeing.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" = 0 ]; then
	echo "demo: you are root; showing the demo as an unprivileged user (tests/setup-root.sh makes one)"
	exec sh "$top/tests/as-test-user.sh" podlab-demo sh tools/demo.sh
fi
cd "$top"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
say "you are $(id -un), uid $(id -u); your /etc/subuid entry:"
grep "^$(id -un):" /etc/subuid || echo "(none: containers get a single id)"
say "build/podlab doctor"
build/podlab doctor || true
say "build/podlab run --rootfs build/rootfs -- sh -c 'id; cat /proc/self/uid_map; sleep 3'"
build/podlab run --rootfs build/rootfs --hostname demo -- sh -c 'id; echo "uid_map:"; cat /proc/self/uid_map; echo "hostname: $(hostname)"; sleep 3' &
sleep 1
say "meanwhile on the host, the same container process:"
ps -o user,pid,ppid,cmd --ppid "$(pgrep -n -u "$(id -u)" -x podlab)" || true
wait
say "the plan podlab follows (podlab run --dry-run):"
build/podlab run --dry-run -- /bin/true
say "more: build/podlab --trace run --rootfs build/rootfs -- id ; build/stage01 ; labs/01-userns/LAB.md"
