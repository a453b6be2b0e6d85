#!/bin/sh
# dist-student.sh OUT.tar.gz - the kit as students get it: no solutions.
#
# What is left out or changed, and why:
#   solutions/                  the answers and the solution patches;
#   tests/fixtures/mutants/     each mutant quotes the reference code it breaks;
#   runtime/*.c with holes      every hole stubbed, as in the starters
#                               (tools/mklab.awk lab=all);
#   reference/*.o               the reference code of those files, compiled:
#                               the Makefile links these wherever the full
#                               runtime is built, so `make`, the checker's
#                               --reference and every lab still work, each
#                               lab on its own.
# The kit is taken from git (committed files only), so nothing local leaks.
set -eu
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
kit="$stage/podlab"
mkdir -p "$kit"
git ls-files -z | grep -zv -e '^solutions/' -e '^tests/fixtures/mutants/' -e '^\.ci/' |
	xargs -0 tar -cf - | tar -C "$kit" -xf -
mkdir -p "$kit/reference"
cflags=$(make -s --no-print-directory print-cflags)
for src in $(grep -l 'LAB [0-9][0-9] BEGIN' runtime/*.c); do
	name=$(basename "$src" .c)
	# shellcheck disable=SC2086
	cc $cflags -iquote runtime -c "$src" -o "$kit/reference/$name.o"
	awk -v lab=all -v mode=starter -f tools/mklab.awk "$src" > "$kit/runtime/$name.c"
done
cat > "$kit/reference/README" << 'R'
The reference code of the runtime files that hold lab holes, compiled.
The sources in runtime/ have every hole stubbed; the Makefile links these
objects wherever the whole runtime is built (make, make lab for the other
files of a lab).  Rebuild them only from the instructor's kit.
R
tar -C "$stage" -czf "$out" podlab
echo "dist-student: $out ($(du -h "$out" | cut -f1)), $(ls "$kit/reference"/*.o | wc -l) reference objects"
