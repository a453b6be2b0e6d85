#!/bin/sh
# mklabs.sh [OUT] - regenerate the lab starters and the solution patches.
#
# The runtime is the single source: its holes are marked LAB NN BEGIN/END
# (see mklab.awk).  For every lab NN this writes
#   OUT/labs/NN-name/FILE.c             the starter of each file with a hole
#   OUT/solutions/NN-name/solution.patch  starter -> solution, for `patch -p1`
# NN-name is the name of the matching stage, stages/NN-name.
# Hand-written files (LAB.md, ANSWERS.md) are left alone.
set -eu
cd "$(dirname "$0")/.."
out=${1:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
labs=$(grep -ho 'LAB [0-9][0-9] BEGIN' runtime/*.c runtime/*.h 2>/dev/null | awk '{print $2}' | sort -u)
for n in $labs; do
	stage=$(ls -d stages/"$n"-* 2>/dev/null | head -n 1)
	if [ -z "$stage" ]; then
		echo "mklabs: holes for lab $n but no stages/$n-* directory" >&2
		exit 1
	fi
	name=$(basename "$stage")
	mkdir -p "$out/labs/$name" "$out/solutions/$name"
	rm -f "$out/labs/$name"/*.c "$out/labs/$name"/*.h
	patch="$out/solutions/$name/solution.patch"
	: > "$tmp/patch"
	for src in $(grep -l "LAB $n BEGIN" runtime/*.c runtime/*.h 2>/dev/null); do
		file=$(basename "$src")
		header="/* Lab $n starter: $file, generated from runtime/$file by 'make labs'.
 * Fill in every part marked 'LAB $n TODO', then build and check:
 *     make lab LAB=labs/$name && build/podlab-check labs/$name
 */"
		{ echo "$header"; awk -v lab="$n" -v mode=starter -f tools/mklab.awk "$src"; } > "$out/labs/$name/$file"
		{ echo "$header"; awk -v lab="$n" -v mode=solution -f tools/mklab.awk "$src"; } > "$tmp/$file"
		diff -u --label "a/$file" --label "b/$file" "$out/labs/$name/$file" "$tmp/$file" >> "$tmp/patch" || true
	done
	cp "$tmp/patch" "$patch"
	echo "mklabs: $out/labs/$name ($(ls "$out/labs/$name" | grep -c '\.[ch]$') files), $patch"
done
