#!/bin/sh
# checker.sh BUILD - the checker must pass the reference, fail the
# starter on every check that depends on a hole, pass the solution, and
# write every report format exactly, even when cut short.
set -u
build=$1
. tests/integration/lib.sh
check=$build/podlab-check
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
binary=$build/podlab

# The reference (or the sanitizer build of it) gets every graded point.
$check --binary "$binary" --format tap > "$tmp/ref.tap" 2>&1
if grep -q '^not ok' "$tmp/ref.tap" || ! grep -q '^ok ' "$tmp/ref.tap"; then
	not_ok "reference: some checks did not pass"; sed 's/^/    /' "$tmp/ref.tap"
else
	ok "reference passes every graded check ($(tail -n 1 "$tmp/ref.tap"))"
	skips=$(grep -c '# SKIP environment' "$tmp/ref.tap")
	[ "$skips" -eq 0 ] || echo "    note: $skips check(s) not graded on this machine (environment)"
fi

for lab in labs/[0-9][0-9]-*/; do
	name=$(basename "$lab")
	n=${name%%-*}
	ls "$lab"*.c > /dev/null 2>&1 || continue # a handout-only lab: graded by a suite (week11.sh)
	# Starter: every check that exercises a hole must not pass.
	$check --format tap "$lab" > "$tmp/starter.tap" 2>&1
	holes=$($check --list --stage "$n" | awk '$NF != "-" && $1 ~ /^[0-9][0-9]\./ {print $1}')
	bad=""
	for id in $holes; do
		grep -q "^ok [0-9]* - $id:" "$tmp/starter.tap" && bad="$bad $id"
	done
	if [ -n "$holes" ] && [ -z "$bad" ]; then
		ok "$name starter fails all $(echo $holes | wc -w) checks that depend on its holes ($(tail -n 1 "$tmp/starter.tap"))"
	else
		not_ok "$name starter passes hole checks:$bad"; sed 's/^/    /' "$tmp/starter.tap" | head -40
	fi
	# Solution: full marks.
	mkdir -p "$tmp/$name"
	cp "$lab"/*.c "$tmp/$name/"
	(cd "$tmp/$name" && patch -s -p1 < "$OLDPWD/solutions/$name/solution.patch")
	$check --format tap "$tmp/$name" > "$tmp/solved.tap" 2>&1
	if grep -q '^not ok' "$tmp/solved.tap"; then
		not_ok "$name solution does not get full marks"; sed 's/^/    /' "$tmp/solved.tap" | head -40
	else
		ok "$name solution gets full marks ($(tail -n 1 "$tmp/solved.tap"))"
	fi
done

# Every format, to a file.
for f in human tap junit gradescope classroom; do
	$check --binary "$binary" --format $f --output "$tmp/out.$f" > "$tmp/stdout.$f" 2>&1
	[ -s "$tmp/out.$f" ] && ok "--format $f writes its file" || not_ok "--format $f wrote nothing"
done
grep -q '"max_score"' "$tmp/out.gradescope" && grep -q '"visibility"' "$tmp/out.gradescope" \
	&& ok "gradescope results.json has its fields" || not_ok "gradescope fields"
grep -Eq '"version": ?1,' "$tmp/out.classroom" && ok "classroom result has version 1" || not_ok "classroom version"
grep -q '<testsuites' "$tmp/out.junit" && grep -q '</testsuites>' "$tmp/out.junit" && ok "junit is complete" || not_ok "junit"
grep -q '^Score: ' "$tmp/stdout.gradescope" && ok "with --output, a human summary goes to stdout" || not_ok "human summary"

# Cut short by a signal: results.json is still a complete, valid file.
$check --binary "$binary" --format gradescope --output "$tmp/cut.json" > /dev/null 2>&1 &
pid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$tmp/cut.json" ] && break; sleep 0.05; done
kill -TERM $pid
wait $pid
grep -q '"tests"' "$tmp/cut.json" && tail -c 3 "$tmp/cut.json" | grep -q '}' \
	&& ok "results.json is complete after SIGTERM ($(grep -c '"number"' "$tmp/cut.json") tests recorded)" \
	|| not_ok "results.json after SIGTERM: $(cat "$tmp/cut.json")"
# Cut short by the time limit.
$check --binary "$binary" --max-time 0 --format gradescope --output "$tmp/late.json" > "$tmp/late.out" 2>&1
grep -q 'cut short' "$tmp/late.json" && ok "a run past --max-time says it was cut short" || not_ok "max-time: $(cat "$tmp/late.json")"

# Usage errors are explained.
$check > "$tmp/usage" 2>&1; rc=$?
[ $rc = 2 ] && grep -q "exactly one TARGET" "$tmp/usage" && ok "no target: usage error" || not_ok "no target: $rc"
finish
