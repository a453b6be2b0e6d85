#!/bin/sh
# io.sh BUILD - file I/O inside a container, per storage driver.
#
# The experiment of the course's fuse-overlayfs article, done in one run:
# write a file with 4 KiB blocks, then copy it, on the host directory (the
# ceiling), and inside containers on native overlay, fuse-overlayfs and
# vfs.  Medians of BENCH_IO_RUNS runs, as ratios to the host.  Each is
# timed from outside, in a fresh container: the write as (start + write) -
# start, the copy as (start + write + copy) - (start + write).
set -eu
build=${1:-build}
mb=${BENCH_IO_MB:-128}
runs=${BENCH_IO_RUNS:-3}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
P="$top/$build/podlab"
timeit="$top/$build/podlab-timeit"
work=$(mktemp -d "${TMPDIR:-/tmp}/podlab-bench-io.XXXXXX")
export XDG_DATA_HOME="$work/data"
trap '"$P" unshare rm -rf "$work" 2>/dev/null || rm -rf "$work"' EXIT
count=$((mb * 256))
write="dd if=/dev/zero of=/tmp/podlab-io bs=4k count=$count 2>/dev/null"
both="$write && cp /tmp/podlab-io /tmp/podlab-io.copy"
# /tmp is a tmpfs inside podlab's containers: use a directory of the image.
cwrite="dd if=/dev/zero of=/var/io bs=4k count=$count 2>/dev/null"
cboth="$cwrite && cp /var/io /var/io.copy"
"$P" image import "$build/rootfs.tar" bench-io > /dev/null

median() { "$timeit" -n "$runs" -w 0 -- "$@" | cut -d' ' -f1; }
results="$work/results"
host_dir="$work/host"
mkdir -p "$host_dir"
w=$(median sh -c "cd $host_dir && $(echo "$write" | sed "s|/tmp/|./|g") && rm -f podlab-io")
b=$(median sh -c "cd $host_dir && $(echo "$both" | sed "s|/tmp/|./|g") && rm -f podlab-io podlab-io.copy")
echo "host 0 $w $b" > "$results"
for d in overlay fuse-overlayfs vfs; do
	if s=$(median "$P" run --rm --storage-driver $d bench-io true 2>/dev/null) &&
		w=$(median "$P" run --rm --storage-driver $d bench-io sh -c "$cwrite" 2>/dev/null) &&
		b=$(median "$P" run --rm --storage-driver $d bench-io sh -c "$cboth" 2>/dev/null); then
		echo "$d $s $w $b" >> "$results"
	else
		echo "$d skipped" >> "$results"
	fi
done
echo "file I/O: $mb MiB written in 4 KiB blocks, then copied; median of $runs (seconds, ratio to the host)"
awk '
	$2 == "skipped" { printf "  %-15s skipped: the driver does not work here (podlab info)\n", $1; next }
	{ w = $3 - $2; c = $4 - $3; if (w < 0.01) w = 0.01; if (c < 0.01) c = 0.01
	  if (NR == 1) { hw = w; hc = c }
	  printf "  %-15s write %7.3f s (%5.1fx)   copy %7.3f s (%5.1fx)\n", $1, w / 1000, w / hw, c / 1000, c / hc }' "$results"
