#!/bin/sh
# network.sh BUILD - stage 04 against the real thing.
#
# podman with slirp4netns is the oracle for what a container sees: the
# same address, route and name server must appear in podlab's container,
# whichever helper serves it (podlab's own libslirp loop or slirp4netns).
# Then every mode publishes a port that the host reaches, and nothing of
# the network (helpers, forwarders, listening sockets) outlives the run.
set -u
build=$1
. tests/integration/lib.sh
P="$(pwd)/$build/podlab"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podlab-network.XXXXXX")
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
printf '[storage]\ndriver = "overlay"\ngraphroot = "%s/podman"\nrunroot = "%s/podman-run"\n' "$tmp" "$tmp" > "$tmp/storage.conf"
export CONTAINERS_STORAGE_CONF="$tmp/storage.conf"
cleanup() {
	podman rmi -af > /dev/null 2>&1
	"$P" unshare rm -rf "$tmp" 2> /dev/null || rm -rf "$tmp"
}
trap cleanup EXIT
"$P" image import build/rootfs.tar bb > /dev/null

view='ip -4 -o addr show scope global | awk "{print \$2, \$4}"; ip route | grep ^default | cut -d" " -f1-3; grep -m1 nameserver /etc/resolv.conf'
for mode in slirp slirp4netns; do
	"$P" run --rm --network $mode bb sh -c "$view" > "$tmp/$mode.view" 2>&1
done
printf 'tap0 10.0.2.100/24\ndefault via 10.0.2.2\nnameserver 10.0.2.3\n' > "$tmp/want.view"
for mode in slirp slirp4netns; do
	cmp -s "$tmp/want.view" "$tmp/$mode.view" && ok "$mode: tap0 10.0.2.100/24, via 10.0.2.2, DNS 10.0.2.3" \
		|| { not_ok "$mode: the container sees"; sed 's/^/    /' "$tmp/$mode.view"; }
done
if podman import --change ENV=PATH=/bin build/rootfs.tar localhost/bb > "$tmp/podman.log" 2>&1 &&
	podman run --rm --network slirp4netns localhost/bb sh -c "$view" > "$tmp/podman.view" 2>> "$tmp/podman.log"; then
	cmp -s "$tmp/podman.view" "$tmp/slirp.view" && ok "podman (slirp4netns) shows the container the same network" \
		|| { not_ok "podman and podlab differ"; diff "$tmp/podman.view" "$tmp/slirp.view" | sed 's/^/    /'; }
else
	echo "SKIP: podman does not run here: $(tail -n 2 "$tmp/podman.log")"
fi

# Publish a port in every mode; the host fetches a page through it.
port=$((20000 + $$ % 20000))
fetch() {
	python3 -c 'import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/page" % sys.argv[1], timeout=2).read().decode().strip())' "$1" 2> /dev/null
}
for mode in slirp slirp4netns pasta; do
	# --init: a plain PID 1 (httpd here) has no SIGTERM handler, and the
	# kernel drops signals from outside its namespace that it does not catch.
	# A session of its own (setsid): whatever is left in it afterwards
	# was started by this run, whatever else runs on the machine.
	setsid "$P" run --rm --init --network $mode -p $port:8080 bb \
		sh -c "echo served-by-$mode > /tmp/page; exec httpd -f -p 8080 -h /tmp" > "$tmp/httpd.log" 2>&1 &
	pid=$!
	got=""
	for _ in $(seq 50); do
		got=$(fetch $port) && [ -n "$got" ] && break
		sleep 0.1
	done
	[ "$got" = "served-by-$mode" ] && ok "$mode: -p $port:8080 reaches the container's server" \
		|| not_ok "$mode: -p $port:8080 gave '$got' ($(cat "$tmp/httpd.log"))"
	kill -TERM $pid
	wait $pid
	rc=$?
	# SIGTERM is forwarded to the container; httpd dies of it: 128+15.
	[ $rc = 143 ] && ok "$mode: SIGTERM forwarded, exit 143" || not_ok "$mode: exit $rc after SIGTERM"
	sleep 0.2
	left=$(pgrep -a -s $pid || true)
	[ -z "$left" ] && ok "$mode: no network helper left" || { not_ok "$mode: left behind: $left"; pkill -9 -s $pid; }
	# SO_REUSEADDR: our own fetch's TIME_WAIT does not count, a listener does.
	if python3 -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()' $port 2> /dev/null; then
		ok "$mode: port $port is free again"
	else
		not_ok "$mode: port $port is still taken"
	fi
done

# A port below the unprivileged start: refused before anything starts.
start=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
if [ "$start" -gt 80 ]; then
	err=$("$P" run --rm -p 80:8080 bb true 2>&1); rc=$?
	[ $rc = 125 ] && echo "$err" | grep -q ip_unprivileged_port_start && echo "$err" | grep -q "fix:" \
		&& ok "-p 80: refused, with the sysctl and the fix" || not_ok "-p 80: $rc $err"
else
	echo "SKIP: ports from $start up are open to users here: -p 80 is allowed"
fi

# podlab bench net works end to end (how fast is for make bench to say):
# a row of numbers per mode asked for, and a chart that is well-formed SVG.
if command -v iperf3 > /dev/null; then
	# Its scratch directories: only new ones count (other tools, and other
	# runs at the same time, may have theirs).
	scratch() { ls -d "${TMPDIR:-/tmp}"/podlab-bench.* 2> /dev/null | sort; }
	scratch > "$tmp/scratch.before"
	"$P" bench net --runs 1 --seconds 1 --modes loopback,slirp --svg "$tmp/net.svg" --json "$tmp/net.json" \
		> "$tmp/bench.out" 2> "$tmp/bench.err"
	rc=$?
	rows=$(grep -cE '^(loopback|slirp \(podlab).* [0-9]+\.[0-9]{2} +[0-9.]+ +[0-9]+\.[0-9]{2} ' "$tmp/bench.out")
	if [ $rc = 0 ] && [ "$rows" = 2 ] && python3 -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1]); sys.exit(len(d.getElementsByTagName("rect")) < 4)' "$tmp/net.svg"; then
		ok "bench net: loopback and slirp measured, chart written"
	else
		not_ok "bench net: exit $rc, $rows rows"; sed 's/^/    /' "$tmp/bench.out" "$tmp/bench.err" | tail -20
	fi
	# The JSON holds the table's numbers, to the printed precision.
	python3 -c 'import json, re, sys
j = json.load(open(sys.argv[1])); text = open(sys.argv[2]).read()
rows = {r["mode"]: r for r in j["modes"]}
assert sorted(rows) == ["loopback", "slirp"] and j["runs"] == 1 and j["unit"] == "Gbit/s", j
for key, label in (("loopback", "loopback (ceiling)"), ("slirp", "slirp (podlab forwarder)")):
    r = rows[key]
    line = [l for l in text.splitlines() if l.startswith(label)][0]
    nums = re.findall(r"[0-9]+\.[0-9]{2}", line[len(label):])
    assert r["error"] is None and r["host_to_ctr"] > 0, r
    assert "%.2f" % r["host_to_ctr"] == nums[0] and "%.2f" % r["ctr_to_host"] == nums[2], (r, line)
' "$tmp/net.json" "$tmp/bench.out" 2> "$tmp/json.err" \
		&& ok "bench net --json: the table's numbers, per mode" || not_ok "bench net --json: $(cat "$tmp/json.err" "$tmp/net.json")"
	left=$(scratch | comm -13 "$tmp/scratch.before" - | xargs -r -n1 stat -c '%U %n' 2> /dev/null | grep "^$(id -un) " || true)
	[ -z "$left" ] && ok "bench net: no scratch directory left" || not_ok "bench net left $left"
	err=$("$P" bench net --modes slirp,carrier-pigeon 2>&1); rc=$?
	[ $rc = 2 ] && echo "$err" | grep -q "no mode 'carrier-pigeon'" && echo "$err" | grep -q "choose from" \
		&& ok "bench net: an unknown mode is refused with the list" || not_ok "bench net --modes: $rc $err"
else
	echo "SKIP: iperf3 is not installed (sudo apt-get install iperf3): bench net not tried"
fi
finish
