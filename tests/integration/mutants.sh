#!/bin/sh
# mutants.sh BUILD - golden failing fixtures: can the checker fail?
#
# Each tests/fixtures/mutants/*.mutant breaks the reference runtime in one
# known way (or makes it hostile: hanging, forking without end, printing a
# fake score).  The patched files are graded as a lab, and the checks the
# patch names must fail, the ones it names as unaffected must pass, and
# the score must stay under its bound.  A checker that cannot tell these
# apart from the reference is worthless to an instructor.
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/podlab-mutants.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
for patch in "$top"/tests/fixtures/mutants/*.mutant; do
	name=$(basename "$patch" .mutant)
	stage=$(sed -n 's/^# expect-fail: \([0-9][0-9]\)\..*/\1/p' "$patch")
	lab="$work/$stage-mutant-$name"
	mkdir -p "$lab"
	if ! python3 "$top/tests/fixtures/apply-mutant.py" "$patch" "$lab"; then
		echo "not ok - mutant $name does not apply"
		failures=$((failures + 1))
		continue
	fi
	# Grade every stage the patch names a check of.
	stages=$(sed -n 's/^# expect-\(fail\|pass\): //p' "$patch" | tr ' ' '\n' | cut -c1-2 | grep . | sort -u |
		sed 's/^/--stage /')
	# shellcheck disable=SC2086
	"$top/$build/podlab-check" --timeout 3 $stages --format tap "$lab" > "$work/$name.tap" 2>&1 || true
	ok=true
	for id in $(sed -n 's/^# expect-fail: //p' "$patch"); do
		grep -q "^not ok [0-9]* - $id:" "$work/$name.tap" || { echo "  $name: $id should fail but did not"; ok=false; }
	done
	for id in $(sed -n 's/^# expect-pass: //p' "$patch"); do
		grep -q "^ok [0-9]* - $id:" "$work/$name.tap" || { echo "  $name: $id should pass but did not"; ok=false; }
	done
	bound=$(sed -n 's/^# expect-score-at-most: //p' "$patch")
	score=$(sed -n 's|^# Score: \([0-9]*\)/.*|\1|p' "$work/$name.tap")
	if [ -z "$score" ]; then
		echo "  $name: the checker wrote no score"; ok=false
	elif [ -n "$bound" ] && [ "$score" -gt "$bound" ]; then
		echo "  $name: scored $score, more than $bound"; ok=false
	fi
	if $ok; then
		echo "ok - mutant $name caught (score ${score:-?})"
	else
		echo "not ok - mutant $name"; sed 's/^/    /' "$work/$name.tap" | head -60
		failures=$((failures + 1))
	fi
done
[ "$failures" -eq 0 ]
