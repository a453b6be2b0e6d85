#!/bin/sh
# podlab.sh BUILD - the runtime seen from outside, as an ordinary user.
set -u
build=$1
. tests/integration/lib.sh
p=$build/podlab
rootfs=build/rootfs

# The basic promise: root inside, you outside.
out=$($p run --rootfs $rootfs -- /bin/sh -c 'id -u; cat /proc/self/uid_map; hostname' 2>&1)
first=$(echo "$out" | head -n 1)
[ "$first" = 0 ] && ok "uid 0 inside" || not_ok "uid inside is '$first': $out"
echo "$out" | grep -Eq "^ +0 +$(id -u) +1$" && ok "uid_map maps 0 to $(id -u)" || not_ok "uid_map: $out"
if grep -q "^$(id -un):" /etc/subuid; then
	start=$(grep "^$(id -un):" /etc/subuid | head -n 1 | cut -d: -f2)
	echo "$out" | grep -Eq "^ +1 +$start +65536$" && ok "subuid range mapped" || not_ok "subuid range: $out"
fi
[ "$(echo "$out" | tail -n 1)" = podlab ] && ok "default hostname" || not_ok "hostname: $out"

# Exit statuses: the command's, 128+signal, 125, 127.
$p run --rootfs $rootfs -- /bin/sh -c 'exit 7'; rc=$?
[ $rc = 7 ] && ok "exit code 7 propagates" || not_ok "exit code: $rc"
$p run --rootfs $rootfs -- /bin/sh -c 'kill -KILL $$; sleep 1' 2>/dev/null; rc=$?
# PID 1 of a namespace cannot be killed from inside by a signal it has no
# handler for: the shell survives its own SIGKILL and exits 0 after sleep.
[ $rc = 0 ] && ok "PID 1 ignores its own SIGKILL (exit $rc)" || not_ok "self-kill: exit $rc"
$p run --rootfs $rootfs -- /bin/sleep 5 & pid=$!
sleep 1
kill -KILL $(pgrep -P $pid) 2>/dev/null
wait $pid; rc=$?
[ $rc = 137 ] && ok "killed container: podlab exits 137" || not_ok "killed container: exit $rc"
err=$($p run --rootfs /nonexistent/rootfs -- /bin/true 2>&1); rc=$?
[ $rc = 125 ] && echo "$err" | grep -q "/nonexistent/rootfs" && echo "$err" | grep -q "fix:" \
	&& ok "missing rootfs: exit 125, names the path, says how to fix" || not_ok "missing rootfs: $rc $err"
err=$($p run --rootfs $rootfs -- /no/such/cmd 2>&1); rc=$?
[ $rc = 127 ] && echo "$err" | grep -q "/no/such/cmd" && ok "missing command: exit 127" || not_ok "missing command: $rc $err"
err=$($p run --bogus 2>&1); rc=$?
[ $rc = 125 ] && echo "$err" | grep -q "unknown option '--bogus'" && ok "unknown option explained" || not_ok "bad option: $rc $err"

# Help: per command, also as CMD --help; an unknown one is a usage error.
out=$($p logs --help 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q "^usage: podlab logs \[-f\] CONTAINER" && echo "$out" | grep -q -- "-f   keep following" \
	&& ok "podlab logs --help explains logs" || not_ok "logs --help: $rc $out"
[ "$($p help logs)" = "$out" ] && ok "podlab help logs says the same" || not_ok "help logs differs"
err=$($p help frobnicate 2>&1); rc=$?
[ $rc = 2 ] && echo "$err" | grep -q "no podlab command 'frobnicate'" && ok "help for an unknown command: exit 2, says so" \
	|| not_ok "help frobnicate: $rc $err"

# Without a subuid entry: a warning with the fix, and a one-id map.
empty=$(mktemp)
out=$(PODLAB_SUBUID_FILE=$empty PODLAB_SUBGID_FILE=$empty $p run --rootfs $rootfs -- cat /proc/self/uid_map /proc/self/setgroups 2>&1)
rm -f "$empty"
echo "$out" | grep -q "usermod --add-subuids" && echo "$out" | grep -q deny \
	&& ok "no subuid entry: warning with the fix, setgroups deny" || not_ok "no subuid: $out"

# Nothing left behind: the probe leaves a child sleeping in its own
# session and exits; PID 1's exit must take the child with it.
tmp=$(mktemp -d)
mkdir -p "$tmp/rootfs/proc"
cp build/podlab-probe "$tmp/rootfs/probe"  # the probe is static and never sanitized
$p run --rootfs "$tmp/rootfs" -- /probe orphan 61 > /dev/null
sleep 0.2
left=$(pgrep -u "$(id -u)" -f 'probe orphan 61' || true)
[ -z "$left" ] && ok "no process outlives the container" || { not_ok "left behind: $left"; kill $left; }

# --trace narrates, --dry-run only prints the plan.
$p --trace run --rootfs $rootfs -- /bin/true 2> "$tmp/trace"
grep -q "host step 4: write the container's uid_map" "$tmp/trace" && grep -q "container step [0-9]*: execute the command" "$tmp/trace" \
	&& ok "--trace narrates every step" || not_ok "trace: $(cat "$tmp/trace")"
rm -rf "$tmp"
$p run --dry-run --rootfs $rootfs -- /bin/true | grep -q "clone the container process" && ok "--dry-run prints the plan" || not_ok "dry-run"

# doctor: one line a check, a summary, exit status follows failures.
out=$($p doctor 2>&1); rc=$?
echo "$out" | grep -q "userns" && echo "$out" | grep -Eq "^[0-9]+ ok, " && ok "doctor reports (exit $rc)" || not_ok "doctor: $out"

# The stage 01 driver.
out=$($build/stage01 2>&1)
echo "$out" | grep -q "container side: uid=0(root)" && echo "$out" | grep -q "host side: process .* Uid:	$(id -u)" \
	&& ok "stage01 shows both sides" || not_ok "stage01: $out"
finish
