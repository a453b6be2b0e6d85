#!/bin/sh
# run.sh BUILD [TEST...] - the integration tests, run as an unprivileged user.
#
# Each test is a script that exits 0 (pass), 77 (skipped: the reason is
# printed, and it is never counted as a pass) or anything else (fail).
set -u
build=${1:-build}
shift || true
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
if [ "$(id -u)" = 0 ]; then
	echo "integration: refusing to run as root; use 'make test', which runs them as a test user" >&2
	exit 2
fi
tests=${*:-podlab images store network lifecycle pods kube crun units week11 batch ci dist labs checker mutants slides}
pass=0 fail=0 skip=0
for t in $tests; do
	echo "== integration: $t ($build)"
	sh "tests/integration/$t.sh" "$build"
	rc=$?
	case $rc in
	0) pass=$((pass + 1)) ;;
	77) skip=$((skip + 1)); echo "SKIPPED: $t" ;;
	*) fail=$((fail + 1)); echo "FAILED: $t (exit $rc)" ;;
	esac
done
echo "integration ($build): $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
