#!/bin/sh
# week11.sh BUILD - the week-11 suite grades a good submission fully and a
# poor one for what it lacks, with podlab and (where it runs) with podman.
#
# The good submission is the course's pod (examples/web-pod.yaml) on a
# free port, this machine's own numbers, notes on every topic, and units
# installed by generate systemd.  The poor one has a one-container pod,
# numbers no machine gives, and thin notes: the suite must fail those
# steps, and only those.
set -u
build=$1
. tests/integration/lib.sh
P="$(pwd)/$build/podlab"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podlab-week11.XXXXXX")
export XDG_DATA_HOME="$tmp/data"
# With a live user manager (make test runs this script once more under
# one), its runtime directory and unit directory (~/.config/systemd/user)
# are the real ones; without, private ones.
live=false
if systemctl --user is-system-running > /dev/null 2>&1; then
	live=true
	systemctl --user set-environment XDG_DATA_HOME="$XDG_DATA_HOME"
else
	export XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME="$tmp/config"
	mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
fi
units="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"
printf '[storage]\ndriver = "overlay"\ngraphroot = "%s/podman"\nrunroot = "%s/podman-run"\n' "$tmp" "$tmp" > "$tmp/storage.conf"
export CONTAINERS_STORAGE_CONF="$tmp/storage.conf"
cleanup() {
	$live && { systemctl --user stop pod-web.service > /dev/null 2>&1; systemctl --user unset-environment XDG_DATA_HOME; }
	rm -f "$units"/pod-web.service "$units"/container-web-*.service
	"$P" pod rm -f web > /dev/null 2>&1
	podman pod rm -f web > /dev/null 2>&1
	podman rmi -af > /dev/null 2>&1
	podman system migrate > /dev/null 2>&1 # ends podman's pause process
	"$P" unshare rm -rf "$tmp" 2> /dev/null || rm -rf "$tmp"
}
trap cleanup EXIT
"$P" image import build/rootfs.tar busybox > /dev/null
port=$((20000 + ($$ + 29) % 20000))

good="$tmp/good" poor="$tmp/poor"
mkdir -p "$good" "$poor"
sed "s/hostPort: 8080/hostPort: $port/" examples/web-pod.yaml > "$good/pod.yaml"
"$P" bench net --modes slirp4netns,pasta --runs 1 --seconds 2 --svg "$tmp/b.svg" 2> /dev/null |
	awk 'BEGIN {print "# measured with: podlab bench net --modes slirp4netns,pasta --runs 3 --seconds 3"}
	     /^slirp4netns|^pasta/ {print $1, $2, "Gbit/s"}' > "$good/results.txt" # a comment line is no result
cat > "$good/NOTES.md" << 'N'
- Ports below 1024: net.ipv4.ip_unprivileged_port_start is 1024; publish 8080 or lower the sysctl.
- Every user needs a private subuid/subgid range of 65536 ids.
- Images and containers live in ~/.local/share, per user.
- Networking is user-mode: slirp4netns (slow) or pasta (fast).
- Services are systemd --user units; linger keeps them running after logout.
N
"$P" play kube "$good/pod.yaml" > /dev/null && "$P" generate systemd --new --install web > /dev/null
"$P" play kube --down "$good/pod.yaml" > /dev/null

cat > "$poor/pod.yaml" << Y
apiVersion: v1
kind: Pod
metadata: {name: lonely}
spec:
  containers:
  - name: only
    image: busybox
    command: [httpd, -f, -p, "80"]
    ports: [{containerPort: 80, hostPort: $port}]
Y
printf 'slirp4netns 900 Gbit/s\npasta 0.001 Gbit/s\n' > "$poor/results.txt"
printf 'Rootless is good.\n' > "$poor/NOTES.md"

grade() { # grade ENGINE DIR OUT
	"$build/podlab-check" --suite week11 --engine "$1" --format tap "$2" > "$3" 2>&1
}
status_of() { grep -E "^(not )?ok [0-9]+ - $2:" "$1" | head -1 | sed 's/ [0-9]* - .*//'; }

grade podlab "$good" "$tmp/good.tap"
for id in 11.subids 11.play-kube 11.units 11.throughput 11.drill 11.low-port 11.notes; do
	[ "$(status_of "$tmp/good.tap" $id)" = ok ] && ok "good submission (podlab): $id passes" \
		|| { not_ok "good submission (podlab): $id"; grep -A3 " - $id:" "$tmp/good.tap" | sed 's/^/    /'; }
done
# With a user manager (make test runs this script once more under one),
# the units must start the pod; without, that step is "not graded".
if $live; then
	grep -q "^ok [0-9]* - 11.units-start:" "$tmp/good.tap" && ! grep -q "11.units-start:.*# SKIP" "$tmp/good.tap" \
		&& ok "a live user manager started the pod from its unit" \
		|| { not_ok "11.units-start under a user manager"; grep -A6 " - 11.units-start:" "$tmp/good.tap" | sed 's/^/    /'; }
else
	grep -q "^ok [0-9]* - 11.units-start: .*# SKIP" "$tmp/good.tap" \
		&& ok "no user manager here: starting the units is reported not graded, never passed" \
		|| not_ok "11.units-start without a manager: $(grep ' - 11.units-start:' "$tmp/good.tap")"
fi
grep -q "^ok [0-9]* - 11.linger: .*# SKIP\|^ok [0-9]* - 11.linger:" "$tmp/good.tap" \
	&& ok "linger: graded or reported as an environment problem, never failed for want of logind" \
	|| { not_ok "linger"; grep -A2 "11.linger" "$tmp/good.tap" | sed 's/^/    /'; }

# Graded while the student's own pod runs: said plainly, and left running.
"$P" play kube "$good/pod.yaml" > /dev/null
"$build/podlab-check" --suite week11 --format tap "$good" > "$tmp/busy.tap" 2>&1
grep -A8 " - 11.play-kube:" "$tmp/busy.tap" | grep -q "already exists" && "$P" pod ps | grep -q " web .*Up" \
	&& ok "graded while the student's pod runs: 'already exists', and their pod is left alone" \
	|| not_ok "busy: $(grep -A6 ' - 11.play-kube:' "$tmp/busy.tap" | tr '\n' ' ') / $("$P" pod ps)"
"$P" play kube --down "$good/pod.yaml" > /dev/null

grade podlab "$poor" "$tmp/poor.tap"
for id in 11.play-kube 11.throughput 11.notes; do
	[ "$(status_of "$tmp/poor.tap" $id)" = "not ok" ] && ok "poor submission: $id fails" \
		|| not_ok "poor submission: $id did not fail"
done
for id in 11.subids 11.low-port; do
	[ "$(status_of "$tmp/poor.tap" $id)" = ok ] && ok "poor submission: $id (the machine's, not the files') passes" \
		|| not_ok "poor submission: $id"
done
grep -A8 " - 11.play-kube:" "$tmp/poor.tap" | grep -q "has 1 container" && ok "the failure says what is missing (one container)" \
	|| not_ok "play-kube message: $(grep -A2 '11.play-kube' "$tmp/poor.tap" | head -3)"

# The same steps done with podman, where podman runs here.
if podman import --change ENV=PATH=/bin build/rootfs.tar busybox > "$tmp/podman.log" 2>&1 &&
	podman run --rm localhost/busybox true >> "$tmp/podman.log" 2>&1; then
	rm -f "$units"/pod-web.service "$units"/container-web-*.service
	podman play kube "$good/pod.yaml" > /dev/null 2>&1 &&
		(mkdir -p "$units" && cd "$units" && podman generate systemd --files --name web > /dev/null 2>&1)
	# (podman 4.3 cannot --new a pod made by play kube: it has no create command)
	podman play kube --down "$good/pod.yaml" > /dev/null 2>&1
	grade podman "$good" "$tmp/podman.tap"
	for id in 11.play-kube 11.units 11.low-port; do
		[ "$(status_of "$tmp/podman.tap" $id)" = ok ] && ok "good submission (podman): $id passes" \
			|| { not_ok "good submission (podman): $id"; grep -A8 " - $id:" "$tmp/podman.tap" | sed 's/^/    /'; }
	done
else
	echo "SKIP: podman does not run here: $(tail -n 2 "$tmp/podman.log" | tr '\n' ' ')"
fi
finish
