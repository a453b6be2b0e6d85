# lib.sh - a few helpers for the integration scripts (sourced, not run).
failures=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failures=$((failures + 1)); }
# expect DESCRIPTION COMMAND...: the command must succeed.
expect() {
	desc=$1
	shift
	if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc"; echo "$out" | sed 's/^/    /' | head -20; fi
}
finish() { [ "$failures" -eq 0 ]; exit $?; }
