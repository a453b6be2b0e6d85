#!/bin/sh
# startup.sh BUILD - start-to-exit time of a container running `true`.
#
# The same busybox root filesystem, four ways, in one run:
#   unshare -Urmpf true            the floor: namespaces and nothing else
#   podlab run --rootfs R -- true  podlab, the whole plan of stages 01-07
#   crun run                       an OCI runtime in C, same rootfs
#   podman run --rm --network none the full engine, rootfs imported as an image
# Reported as medians over N runs and as ratios to crun.  Run it as an
# ordinary user (make bench does that for you as root).
set -eu
build=${1:-build}
n=${BENCH_RUNS:-30}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
timeit="$build/podlab-timeit"
rootfs=$(cd "$build/rootfs" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/podlab-bench.XXXXXX")
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$work/run}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# podman leaves files of its user namespace in there: remove them from inside it.
trap 'set +e; podman unshare rm -rf "$work" 2> /dev/null; rm -rf "$work"' EXIT
results="$work/results"
: > "$results"

measure() { # measure NAME COMMAND...
	name=$1
	shift
	if out=$("$timeit" -n "$n" -- "$@" 2>&1); then
		echo "$name $out" >> "$results"
	else
		echo "$name skipped: $out" >> "$results"
	fi
}

measure unshare unshare -Urmpf true
measure podlab "$build/podlab" run --rootfs "$rootfs" -- /bin/true

if command -v crun >/dev/null; then
	mkdir -p "$work/bundle"
	(cd "$work/bundle" && crun spec --rootless)
	python3 - "$work/bundle/config.json" "$rootfs" <<'PY'
import json, sys
path, rootfs = sys.argv[1], sys.argv[2]
c = json.load(open(path))
c["root"] = {"path": rootfs, "readonly": False}
c["process"]["args"] = ["/bin/true"]
c["process"]["terminal"] = False
json.dump(c, open(path, "w"))
PY
	measure crun crun --root "$work/crun-state" run --bundle "$work/bundle" podlab-bench
else
	echo "crun skipped: not installed (sudo apt-get install crun)" >> "$results"
fi

if command -v podman >/dev/null; then
	export CONTAINERS_STORAGE_CONF="$work/storage.conf"
	printf '[storage]\ndriver = "vfs"\nrunroot = "%s/podman-run"\ngraphroot = "%s/podman-root"\n' "$work" "$work" \
		> "$CONTAINERS_STORAGE_CONF"
	if tar -C "$rootfs" -cf "$work/rootfs.tar" . &&
		podman import --change ENV=PATH=/bin "$work/rootfs.tar" podlab-bench >/dev/null 2>"$work/podman.err"; then
		measure podman podman run --rm --network none podlab-bench /bin/true
		podman rmi -f podlab-bench >/dev/null 2>&1 || true
	else
		echo "podman skipped: import failed: $(head -c 300 "$work/podman.err")" >> "$results"
	fi
else
	echo "podman skipped: not installed (sudo apt-get install podman)" >> "$results"
fi

crun_ms=$(awk '$1 == "crun" && $2 != "skipped:" { print $2 }' "$results")
echo "start-to-exit of 'true' in a container, median of $n runs (ms; p10-p90)"
awk -v crun="$crun_ms" '
	$2 == "skipped:" { printf "  %-8s %s\n", $1, substr($0, index($0, $3)); next }
	{ ratio = crun ? sprintf("%.2fx crun", $2 / crun) : "-"
	  printf "  %-8s %8.2f  (%6.2f - %6.2f)  %s\n", $1, $2, $3, $4, ratio }' "$results"
