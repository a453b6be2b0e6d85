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

# The course's pod: refresh writes the page, serve publishes it.  A store
# and a port of the demo's own, so nothing of the user's is touched.
demo=$(mktemp -d "${TMPDIR:-/tmp}/podlab-demo.XXXXXX")
export XDG_DATA_HOME="$demo/data" XDG_RUNTIME_DIR="$demo/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# set +e: under set -e a failing first command would end the trap early.
trap 'set +e; build/podlab pod rm -f web > /dev/null 2>&1; build/podlab unshare rm -rf "$demo"' EXIT
port=$((20000 + $$ % 20000))
sed "s/hostPort: 8080/hostPort: $port/" examples/web-pod.yaml > "$demo/web-pod.yaml"
build/podlab image import build/rootfs.tar busybox > /dev/null
say "build/podlab play kube examples/web-pod.yaml   (hostPort $port here)"
build/podlab play kube "$demo/web-pod.yaml"
say "podlab pod ps; podlab ps"
build/podlab pod ps
build/podlab ps
say "from the host: two fetches of http://127.0.0.1:$port/, 6 s apart"
for i in 1 2; do
	page=""
	for _ in $(seq 30); do
		page=$(python3 -c 'import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=2).read().decode().strip())' "$port" 2> /dev/null) && break
		sleep 0.2
	done
	echo "  $page"
	[ $i = 2 ] || sleep 6
done
say "build/podlab play kube --down examples/web-pod.yaml"
build/podlab play kube --down "$demo/web-pod.yaml"
say "more: build/podlab --trace run --rootfs build/rootfs -- id ; build/stage01 ; build/stage05 ; labs/01-userns/LAB.md"
