#!/bin/sh
# run.sh - the whole test suite; `make test` runs it.
#
# As root it first prepares the machine (tests/setup-root.sh), copies the
# tree to the unprivileged test user's home and runs everything as that
# user, with a login uid as a real login session would have.  Nothing can
# pass because it ran as root.  Then, as root, it checks that the checker
# refuses to grade as root and drops privileges properly with --user.
#
# As an ordinary user it runs the same suite in place.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

if [ "$(id -u)" != 0 ]; then
	exec make --no-print-directory -C "$top" test-user
fi

user=$(sh "$top/tests/setup-root.sh")
uid=$(id -u "$user")
dest="$(getent passwd "$user" | cut -d: -f6)/podlab-test"
echo "run.sh: running the suite as $user (uid $uid) in $dest"
status=0
sh "$top/tests/as-test-user.sh" podlab-test sh -c 'rm -rf build && make --no-print-directory test-user' || status=$?

if [ "$status" -eq 0 ]; then
	echo "== root-side checks"
	out=$("$dest/build/podlab-check" --reference 2>&1) && rc=0 || rc=$?
	if [ "$rc" -eq 2 ] && echo "$out" | grep -q "refusing to grade as root"; then
		echo "ok - podlab-check refuses to grade as root"
	else
		echo "not ok - podlab-check as root: exit $rc: $out"; status=1
	fi
	if sh -c "echo $uid > /proc/self/loginuid; exec '$dest/build/podlab-check' --user '$user' --reference --format tap" \
		> "$dest/root-drop.tap" 2>&1 && ! grep -q '^not ok' "$dest/root-drop.tap"; then
		echo "ok - podlab-check --user $user drops root and grades the reference fully ($(tail -n 1 "$dest/root-drop.tap"))"
	else
		echo "not ok - podlab-check --user $user"; cat "$dest/root-drop.tap"; status=1
	fi
fi
if [ "$status" -eq 0 ]; then
	# Generated units under a real user manager: that needs root to set one
	# up here (no logind), so it runs from this side, as the test user.
	echo "== systemd-live: generated units under a real systemd --user"
	sh "$top/tests/systemd-user.sh" "$user" "$dest" sh tests/integration/systemd-live.sh build && rc=0 || rc=$?
	case $rc in
	0) ;;
	77) echo "SKIPPED: systemd-live (the reason is above; it is not counted as passed)" ;;
	*) echo "FAILED: systemd-live (exit $rc)"; status=1 ;;
	esac
	echo "== week11 under a real systemd --user (the units-start step graded live)"
	sh "$top/tests/systemd-user.sh" "$user" "$dest" sh tests/integration/week11.sh build && rc=0 || rc=$?
	case $rc in
	0) ;;
	77) echo "SKIPPED: week11-live (the reason is above; it is not counted as passed)" ;;
	*) echo "FAILED: week11-live (exit $rc)"; status=1 ;;
	esac
fi
[ "$status" -eq 0 ] && echo "run.sh: ALL TESTS PASSED" || echo "run.sh: FAILED"
exit "$status"
