#!/bin/sh
# crun.sh BUILD - the same container, executed by podlab and by crun.
#
# --runtime crun hands podlab's description of the container to crun as
# an OCI bundle.  If the description is faithful, the container cannot
# tell the two apart: the same view from inside, the same exit codes, and
# the checker's stage 01 and 02 checks pass either way.
set -u
build=$1
. tests/integration/lib.sh
command -v crun > /dev/null || { echo "SKIP: crun is not installed (sudo apt-get install crun)"; exit 77; }
P="$(pwd)/$build/podlab"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podlab-crun.XXXXXX")
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
trap '"$P" unshare rm -rf "$tmp" 2> /dev/null || rm -rf "$tmp"' EXIT
rootfs="$(pwd)/$build/rootfs"

view='id; hostname; cat /proc/self/uid_map /proc/self/gid_map; grep -E "^(Cap(Eff|Bnd|Prm)|NoNewPrivs|Seccomp):" /proc/self/status;
ls /dev | grep -vx core; cat /proc/kcore | wc -c; echo x 2>&1 > /proc/sys/kernel/hostname || echo ro-proc-sys; ip -o -4 addr | cut -d" " -f2,7;
ip route | head -1; cat /etc/resolv.conf; cat /proc/1/comm; keyctl show 2>&1 | head -1 | cut -c1-20'
# (crun also makes the legacy /dev/core -> /proc/kcore link; podlab does
# not, and the comparison leaves it out.)
for rt in podlab crun; do
	"$P" run --runtime $rt --hostname twin --rootfs "$rootfs" -- sh -c "$view" > "$tmp/$rt.view" 2>&1
	echo "exit $?" >> "$tmp/$rt.view"
done
if cmp -s "$tmp/podlab.view" "$tmp/crun.view"; then
	ok "crun and podlab's executor give the container the same view ($(wc -l < "$tmp/crun.view") lines)"
else
	not_ok "the views differ (podlab < > crun)"; diff "$tmp/podlab.view" "$tmp/crun.view" | sed 's/^/    /'
fi
"$P" run --runtime crun --rootfs "$rootfs" -- sh -c 'exit 7'
[ $? = 7 ] && ok "crun: the command's exit code" || not_ok "crun: exit code lost"
"$P" run --runtime crun --rootfs "$rootfs" -- no-such-command 2> "$tmp/nf.err"
rc=$?
[ $rc = 127 ] && grep -q "no-such-command" "$tmp/nf.err" && ok "crun: a missing command is 127, with crun's reason" \
	|| not_ok "crun: missing command gave $rc: $(cat "$tmp/nf.err")"
out=$("$P" run --runtime crun --init --rootfs "$rootfs" -- ps -o pid,comm | awk 'NR > 1 {print $1 "=" $2}' | tr '\n' ' ')
[ "$out" = "1=init 2=ps " ] && ok "crun --init: catatonit at /dev/init is PID 1, the command PID 2" || not_ok "crun --init: $out"
# The OCI verbs: crun state confirms the create, and a signal sent to
# podlab reaches the container through crun kill.
"$P" --trace run --runtime crun --rootfs "$rootfs" -- sh -c 'trap "exit 42" TERM; echo up; sleep 30 & wait' \
	> "$tmp/sig.out" 2> "$tmp/sig.trace" & runner=$!
for _ in $(seq 50); do grep -q up "$tmp/sig.out" 2> /dev/null && break; sleep 0.1; done
kill -TERM $runner; wait $runner; rc=$?
[ $rc = 42 ] && grep -q "crun state: created, pid [0-9]" "$tmp/sig.trace" && grep -q '\$ crun .* kill podlab-rootfs-[0-9]* 15$' "$tmp/sig.trace" \
	&& ok "crun state confirms the create; SIGTERM reaches the container through crun kill (exit 42)" \
	|| not_ok "crun verbs: exit $rc; $(grep -E 'crun state|kill' "$tmp/sig.trace")"
left=$(ls "$XDG_RUNTIME_DIR/podlab/bundles" "$XDG_RUNTIME_DIR/podlab/crun" 2> /dev/null | grep -v ':$' | grep . || true)
[ -z "$left" ] && ok "no bundle or crun state left" || not_ok "left: $left"

# A podlab killed with -9 cannot clean up after crun; the next crun run
# deletes the container and the bundle of a podlab that is gone.
"$P" run --runtime crun --rootfs "$rootfs" -- sleep 60 & victim=$!
for _ in $(seq 50); do [ -e "$XDG_RUNTIME_DIR/podlab/bundles/podlab-rootfs-$victim/pid" ] && break; sleep 0.1; done
kill -KILL $victim; wait $victim 2> /dev/null
stale=$(ls "$XDG_RUNTIME_DIR/podlab/bundles" "$XDG_RUNTIME_DIR/podlab/crun" 2> /dev/null | grep -c "podlab-rootfs-$victim")
"$P" run --runtime crun --rootfs "$rootfs" -- true
left=$(ls "$XDG_RUNTIME_DIR/podlab/bundles" "$XDG_RUNTIME_DIR/podlab/crun" 2> /dev/null | grep -v ':$' | grep . || true)
[ "$stale" -ge 1 ] && [ -z "$left" ] && ! pgrep -u "$(id -u)" -f "^sleep 60$" > /dev/null \
	&& ok "kill -9 of podlab: the next crun run deletes its container and bundle" \
	|| not_ok "after kill -9: $stale stale entries before; left after: $left; $(pgrep -a -u "$(id -u)" sleep)"

# podlab config: the container as the OCI runtime spec describes it.
"$P" image import build/rootfs.tar bb > /dev/null
"$P" create --name described --storage-driver vfs -v "$tmp:/data:ro" --hostname desc bb sh -c 'exit 3' > /dev/null
"$P" config described > "$tmp/config.json"
if python3 - "$tmp/config.json" "$tmp" << 'PY'; then
import json, sys
c = json.load(open(sys.argv[1]))
assert c["ociVersion"].startswith("1.0"), "ociVersion"
assert c["root"]["path"].startswith("/") and c["root"]["path"].endswith("/rootfs"), "root.path"
assert c["process"]["args"] == ["sh", "-c", "exit 3"], c["process"]["args"]
assert c["process"]["cwd"] == "/" and c["process"]["noNewPrivileges"] is True
assert "CAP_SYS_ADMIN" not in c["process"]["capabilities"]["bounding"]
assert "CAP_CHOWN" in c["process"]["capabilities"]["effective"]
assert c["hostname"] == "desc"
assert any(m["destination"] == "/data" and m["source"] == sys.argv[2] and "ro" in m["options"] for m in c["mounts"])
assert {n["type"] for n in c["linux"]["namespaces"]} >= {"pid", "mount", "user", "uts", "ipc"}
assert c["linux"]["uidMappings"][0]["containerID"] == 0
assert "/proc/kcore" in c["linux"]["maskedPaths"] and "/proc/sys" in c["linux"]["readonlyPaths"]
assert any("keyctl" in r["names"] for r in c["linux"]["seccomp"]["syscalls"])
PY
	ok "podlab config: a complete OCI config.json for the container"
else
	not_ok "podlab config"; head -40 "$tmp/config.json" | sed 's/^/    /'
fi
"$P" start described > /dev/null
[ "$("$P" wait described)" = 3 ] && ok "and the container itself still runs (exit 3)" || not_ok "described did not run"
"$P" rm described > /dev/null

# Detached: podlab stop signals the supervisor, which passes the SIGTERM
# on through crun kill (its --trace lines are in the container's log).
"$P" --trace run -d --runtime crun --storage-driver vfs --name stopme bb \
	sh -c 'trap "exit 42" TERM; echo up; sleep 30 & wait' > /dev/null 2>&1
for _ in $(seq 50); do "$P" logs stopme 2> /dev/null | grep -q "^up" && break; sleep 0.1; done
"$P" stop stopme > /dev/null
code=$("$P" wait stopme)
[ "$code" = 42 ] && "$P" logs stopme | grep -q '\$ crun .* kill podlab-[0-9a-f]* 15$' \
	&& ok "podlab stop of a detached crun container: SIGTERM through crun kill (exit 42)" \
	|| not_ok "crun stop: exit $code; $("$P" logs stopme | grep -E 'kill|forward')"
"$P" rm stopme > /dev/null

# The checker's container checks, executed by crun.
if PODLAB_RUNTIME=crun "$build/podlab-check" --reference --stage 01 --stage 02 --format tap > "$tmp/check.tap" 2>&1; then
	ok "the checker's stage 01 and 02 checks pass with crun as executor ($(grep '^# Score' "$tmp/check.tap"))"
else
	not_ok "checker with crun: $(grep '^# Score' "$tmp/check.tap")"; grep '^not ok' "$tmp/check.tap" | sed 's/^/    /'
fi
finish
