#!/bin/sh
# units.sh BUILD - generate systemd / quadlet, read by systemd itself.
#
# `systemd-analyze verify` loads each generated unit as the user manager
# would and reports anything it cannot use (an unknown key, a relative
# Exec path, a bad specifier); it must have nothing to say.  The lines
# that make the units work are checked by name.  (systemd-live.sh runs
# them under a real manager.)
set -u
build=$1
. tests/integration/lib.sh
command -v systemd-analyze > /dev/null || { echo "SKIP: systemd-analyze is not installed"; exit 77; }
P="$(pwd)/$build/podlab"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podlab-units.XXXXXX")
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME="$tmp/config"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
cleanup() {
	"$P" pod rm -f uweb > /dev/null 2>&1
	"$P" rm -f usolo > /dev/null 2>&1
	"$P" unshare rm -rf "$tmp" 2> /dev/null || rm -rf "$tmp"
}
trap cleanup EXIT
"$P" image import build/rootfs.tar busybox > /dev/null
port=$((20000 + ($$ + 23) % 20000))
"$P" pod create --name uweb -p $port:80 > /dev/null
"$P" run -d --pod uweb --name uweb-srv -e 'MSG=100% $HOME "quoted"' busybox sh -c 'echo "$MSG"; exec httpd -f -p 80' > /dev/null
"$P" create --name usolo busybox sleep 5 > /dev/null

mkdir -p "$tmp/new" "$tmp/old" "$tmp/quadlet"
(cd "$tmp/new" && "$P" generate systemd --new --files uweb > ../new.list) && ok "generate systemd --new --files (pod)" \
	|| not_ok "generate --new failed"
(cd "$tmp/old" && "$P" generate systemd --files --restart-policy always usolo > ../old.list) \
	&& ok "generate systemd --files (container)" || not_ok "generate failed"
out=$(cd "$tmp/new" && systemd-analyze verify --user ./*.service 2>&1; echo "rc=$?")
[ "$out" = "rc=0" ] && ok "systemd-analyze verify: the pod's units, silent" || { not_ok "verify (--new):"; echo "$out" | sed 's/^/    /'; }
out=$(cd "$tmp/old" && systemd-analyze verify --user ./*.service 2>&1; echo "rc=$?")
[ "$out" = "rc=0" ] && ok "systemd-analyze verify: the container's unit, silent" || { not_ok "verify:"; echo "$out" | sed 's/^/    /'; }

pod="$tmp/new/pod-uweb.service" srv="$tmp/new/container-uweb-srv.service" solo="$tmp/old/container-usolo.service"
has() { grep -qx -- "$2" "$1"; }
has "$srv" "BindsTo=pod-uweb.service" && has "$srv" "After=pod-uweb.service" && has "$pod" "Before=container-uweb-srv.service" \
	&& has "$pod" "Wants=container-uweb-srv.service" && ok "the container is bound to its pod, ordered after it" \
	|| not_ok "pod dependencies missing"
has "$srv" "Type=forking" && has "$srv" "PIDFile=%t/%n.pid" && grep -q "^ExecStart=.* run -d --rm --pidfile %t/%n.pid" "$srv" \
	&& ok "--new: run -d --rm with a pid file systemd reads (Type=forking)" || not_ok "--new process tracking"
grep -q '^ExecStart=.*-e "MSG=100%% $$HOME \\"quoted\\""' "$srv" \
	&& ok "Exec words quoted for systemd (% and \$ doubled, quotes escaped)" || not_ok "quoting: $(grep ^ExecStart= "$srv")"
has "$solo" "Restart=always" && grep -q "^ExecStart=.* start usolo$" "$solo" \
	&& grep -q "^PIDFile=%t/podlab/containers/[0-9a-f]\{64\}/supervisor.pid$" "$solo" && has "$solo" "WantedBy=default.target" \
	&& ok "without --new: start/stop the existing container, its supervisor's pid file" || not_ok "container unit: $(cat "$solo")"
out=$("$P" generate systemd --restart-policy sometimes usolo 2>&1); rc=$?
[ $rc = 125 ] && echo "$out" | grep -q "on-failure" && ok "a bad --restart-policy is refused with the list" || not_ok "policy: $rc $out"

(cd "$tmp/quadlet" && "$P" generate quadlet --files uweb > /dev/null)
[ -f "$tmp/quadlet/uweb.pod" ] && grep -qx "Pod=uweb.pod" "$tmp/quadlet/uweb-srv.container" \
	&& grep -qx "PublishPort=$port:80/tcp" "$tmp/quadlet/uweb.pod" && grep -qx "Image=busybox" "$tmp/quadlet/uweb-srv.container" \
	&& ok "generate quadlet: uweb.pod and uweb-srv.container" || not_ok "quadlet: $(ls "$tmp/quadlet")"
out=$("$P" generate systemd --new --install uweb 2>&1)
[ -f "$XDG_CONFIG_HOME/systemd/user/pod-uweb.service" ] && echo "$out" | grep -q "enable --now pod-uweb.service" \
	&& echo "$out" | grep -q "loginctl enable-linger" && ok "--install: in ~/.config/systemd/user, with the next commands" \
	|| not_ok "--install: $out"
finish
