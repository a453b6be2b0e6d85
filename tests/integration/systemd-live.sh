#!/bin/sh
# systemd-live.sh BUILD - generated units, run by a real `systemd --user`.
#
# Needs a running user manager (make test starts one through
# tests/systemd-user.sh); without one it is skipped, saying so.  A pod
# with a web server is generated with --new and installed; systemd must
# start it, restart the container when it is killed (Restart=on-failure),
# and on stop leave nothing: no pod, no container, no port, no process.
set -u
build=$1
. tests/integration/lib.sh
state=$(systemctl --user is-system-running 2> /dev/null)
case $state in
running | degraded) ;;
*) echo "SKIP: no systemd --user manager to talk to (state '$state')"; exit 77 ;;
esac
P="$(pwd)/$build/podlab"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podlab-systemd.XXXXXX")
units="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"
export XDG_DATA_HOME="$tmp/data"
# The units run with the manager's environment: the same private store.
systemctl --user set-environment XDG_DATA_HOME="$tmp/data"
cleanup() {
	systemctl --user stop pod-sdweb.service container-sdweb-srv.service > /dev/null 2>&1
	rm -f "$units/pod-sdweb.service" "$units/container-sdweb-srv.service"
	systemctl --user daemon-reload
	systemctl --user unset-environment XDG_DATA_HOME
	"$P" pod rm -f sdweb > /dev/null 2>&1
	"$P" unshare rm -rf "$tmp" 2> /dev/null || rm -rf "$tmp"
}
trap cleanup EXIT
port=$((20000 + ($$ + 17) % 20000))
fetch() {
	python3 -c 'import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/i" % sys.argv[1], timeout=2).read().decode().strip())' "$1" 2> /dev/null
}
served() { for _ in $(seq 60); do [ "$(fetch $port)" = page ] && return 0; sleep 0.25; done; return 1; }
field() { "$P" inspect "$1" 2> /dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["State"][sys.argv[1]])' "$2" 2> /dev/null; }

# Made by hand once, turned into units, then removed: the units make it.
"$P" image import build/rootfs.tar busybox > /dev/null
"$P" pod create --name sdweb -p $port:80 > /dev/null
"$P" run -d --pod sdweb --name sdweb-srv busybox sh -c 'echo page > /tmp/i; exec httpd -f -p 80 -h /tmp' > /dev/null
"$P" generate systemd --new --install sdweb > "$tmp/install.out" 2>&1
[ -f "$units/pod-sdweb.service" ] && [ -f "$units/container-sdweb-srv.service" ] \
	&& ok "generate systemd --new --install wrote both units" || not_ok "install: $(cat "$tmp/install.out")"
"$P" pod rm -f sdweb > /dev/null
systemctl --user daemon-reload

systemctl --user start pod-sdweb.service 2> "$tmp/start.err"
served && systemctl --user is-active --quiet pod-sdweb.service container-sdweb-srv.service \
	&& ok "systemctl --user start pod-sdweb: both units active, the page served on $port" \
	|| { not_ok "after start: $(fetch $port) $(cat "$tmp/start.err")"; systemctl --user status pod-sdweb.service container-sdweb-srv.service --no-pager 2>&1 | sed 's/^/    /' | head -30; }
main=$(systemctl --user show -p MainPID --value container-sdweb-srv.service)
[ "$main" = "$(field sdweb-srv SupervisorPid)" ] && ok "systemd tracks the supervisor (MainPID $main, from PIDFile=)" \
	|| not_ok "MainPID $main, supervisor $(field sdweb-srv SupervisorPid)"

# A crash: the container killed; Restart=on-failure brings it back.
old=$(field sdweb-srv Pid)
kill -9 "$old"
back=""
for _ in $(seq 60); do
	new=$(field sdweb-srv Pid)
	[ -n "$new" ] && [ "$new" != 0 ] && [ "$new" != "$old" ] && served && back=yes && break
	sleep 0.25
done
restarts=$(systemctl --user show -p NRestarts --value container-sdweb-srv.service)
[ "$back" = yes ] && [ "${restarts:-0}" -ge 1 ] && ok "kill -9 of the container: systemd restarted it (NRestarts=$restarts), serving again" \
	|| not_ok "after kill -9: pid '$(field sdweb-srv Pid)' (was $old), NRestarts=$restarts, page '$(fetch $port)'"

# Stop: the pod unit takes its container unit along, and nothing is left.
systemctl --user stop pod-sdweb.service
sleep 0.5
active=$(systemctl --user is-active pod-sdweb.service container-sdweb-srv.service | tr '\n' ' ')
left=$("$P" ps -a | awk 'NR > 1'; "$P" pod ps | awk 'NR > 1')
if [ "$active" = "inactive inactive " ] && [ -z "$left" ] && ! fetch $port > /dev/null; then
	ok "systemctl --user stop: both units inactive (not failed), no pod, no container, port closed"
else
	not_ok "after stop: units '$active', left '$left', page '$(fetch $port)'"
fi
finish
