#!/bin/sh
# labs.sh BUILD - one source of truth: labs/ and solutions/ are what
# `make labs` makes from the runtime, the patch turns each starter into the
# solution, and both build.
set -u
build=$1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sh tools/mklabs.sh "$tmp/gen" > /dev/null
stale=""
for f in $(cd "$tmp/gen" && find labs solutions -type f); do
	cmp -s "$tmp/gen/$f" "$f" || stale="$stale $f"
done
for f in $(find labs solutions -name '*.c' -o -name '*.h' -o -name '*.patch'); do
	[ -e "$tmp/gen/$f" ] || stale="$stale $f(not generated)"
done
[ -z "$stale" ] && ok "labs/ and solutions/ match the runtime's LAB markers" \
	|| not_ok "out of date:$stale -- run 'make labs' and commit the result"

for lab in labs/[0-9][0-9]-*/; do
	name=$(basename "$lab")
	# A lab without code (the week-11 capstone) is a handout, graded by a
	# suite of the checker rather than against holes.
	if ! ls "$lab"*.c > /dev/null 2>&1; then
		[ -f "$lab/LAB.md" ] && ok "$name: a handout-only lab, with its LAB.md" || not_ok "$name has neither code nor LAB.md"
		continue
	fi
	[ -f "solutions/$name/solution.patch" ] || { not_ok "$name has no solution.patch"; continue; }
	[ -f "$lab/LAB.md" ] && ok "$name has a handout" || not_ok "$name has no LAB.md"
	[ -f "solutions/$name/ANSWERS.md" ] && ok "$name has answers" || not_ok "$name has no ANSWERS.md"
	mkdir -p "$tmp/solved/$name"
	cp "$lab"/*.c "$tmp/solved/$name/"
	if (cd "$tmp/solved/$name" && patch -s -p1 < "$OLDPWD/solutions/$name/solution.patch"); then
		ok "$name: the solution patch applies to the starter"
	else
		not_ok "$name: the solution patch does not apply"
	fi
	# The solved files are the runtime minus its markers for this lab.
	n=${name%%-*}
	same=true
	for f in "$tmp/solved/$name"/*.c; do
		file=$(basename "$f")
		awk -v lab="$n" -v mode=solution -f tools/mklab.awk "runtime/$file" > "$tmp/expect"
		tail -n +5 "$f" | cmp -s - "$tmp/expect" || { same=false; echo "    $file differs from runtime/$file"; }
	done
	$same && ok "$name: starter + patch = the reference code" || not_ok "$name: starter + patch differs"
	expect "$name: the starter builds" make --no-print-directory -s lab LAB="$lab" LABOUT="$tmp/starter-$name" \
		BUILD="$tmp/obj-$name"
	expect "$name: the solution builds" make --no-print-directory -s lab LAB="$tmp/solved/$name" \
		LABOUT="$tmp/solved-build-$name" BUILD="$tmp/obj2-$name"
done
finish
