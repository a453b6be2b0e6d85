#!/bin/sh
# kube.sh BUILD - play kube, generate kube, play kube --down, end to end.
#
# The example pod of the course (examples/web-pod.yaml) is played on a
# free port and must serve what its other container writes; what
# generate kube says about it must play back into the same pod; a bad
# file starts nothing; a container that cannot start takes the pod down.
set -u
build=$1
. tests/integration/lib.sh
private_store kube busybox
port=$((20000 + ($$ + 13) % 20000))
sed "s/hostPort: 8080/hostPort: $port/" examples/web-pod.yaml > "$tmp/web.yaml"
fetch() {
	python3 -c 'import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=2).read().decode().strip())' "$1" 2> /dev/null
}
serves() { # serves: the page is a date written by the refresh container
	for _ in $(seq 40); do
		page=$(fetch $port) && echo "$page" | grep -qE '[0-9]{2}:[0-9]{2}:[0-9]{2}' && return 0
		sleep 0.1
	done
	return 1
}

out=$("$P" play kube "$tmp/web.yaml" 2>&1); rc=$?
[ $rc = 0 ] && [ "$(echo "$out" | grep -cE '^[0-9a-f]{64}$')" = 3 ] && ok "play kube: a pod and two containers" \
	|| not_ok "play kube: $rc $out"
serves && ok "serve publishes what refresh writes into the shared emptyDir" || not_ok "page: '$(fetch $port)'"
"$P" logs web-refresh | grep -q refreshed && ok "logs of a played container" || not_ok "logs: $("$P" logs web-refresh)"
"$P" ps | grep -q "web-serve" && ok "played containers are ordinary podlab containers" || not_ok "ps: $("$P" ps)"

"$P" generate kube web > "$tmp/gen.yaml" && ok "generate kube" || not_ok "generate kube failed"

# restartPolicy: podlab restarts nothing itself; the pod records it, and
# it comes back out as the units' Restart= and in generate kube.
echo "$out" | grep -q "note: restartPolicy Always is recorded" && grep -q "restartPolicy: Always" "$tmp/gen.yaml" \
	&& [ "$("$P" pod inspect web | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["RestartPolicy"])')" = always ] \
	&& ok "restartPolicy Always: noted, recorded with the pod, generated back" || not_ok "restartPolicy: $out"
mkdir "$tmp/units" "$tmp/units2"
(cd "$tmp/units" && "$P" generate systemd --files web > /dev/null 2>&1)
(cd "$tmp/units2" && "$P" generate systemd --files --restart-policy on-failure web > /dev/null 2>&1)
grep -qx "Restart=always" "$tmp/units/pod-web.service" && grep -qx "Restart=always" "$tmp/units/container-web-serve.service" \
	&& grep -q "^ExecStart=.* pod create --name web .*--restart always" "$tmp/units/pod-web.service" \
	&& grep -qx "Restart=on-failure" "$tmp/units2/container-web-serve.service" \
	&& ok "generate systemd: the pod's policy is the units' Restart=, unless --restart-policy says otherwise" \
	|| not_ok "units: $(grep -h "^Restart=\|^ExecStart=.*pod create" "$tmp"/units*/*.service)"
"$P" play kube --down "$tmp/web.yaml" > /dev/null
[ "$("$P" pod ps | wc -l)" = 1 ] && [ "$("$P" ps -a | wc -l)" = 1 ] && ok "play kube --down removes pod and containers" \
	|| not_ok "left after --down: $("$P" pod ps) $("$P" ps -a)"
fetch $port > /dev/null && not_ok "port $port still served after --down" || ok "and its port"
"$P" play kube "$tmp/gen.yaml" > /dev/null && serves && ok "the generated YAML plays back into a working pod" \
	|| not_ok "replaying generated YAML: $(fetch $port)"
"$P" generate kube web > "$tmp/gen2.yaml"
cmp -s "$tmp/gen.yaml" "$tmp/gen2.yaml" && ok "and generates the same YAML again" \
	|| { not_ok "generate is not stable"; diff "$tmp/gen.yaml" "$tmp/gen2.yaml" | sed 's/^/    /'; }
"$P" play kube --down "$tmp/gen.yaml" > /dev/null

# A bad file: the place of the mistake, and nothing started.
sed 's/      image: busybox/      image: busybox\n      securityContext: {}/' examples/web-pod.yaml > "$tmp/bad.yaml"
line=$(grep -n securityContext "$tmp/bad.yaml" | head -1 | cut -d: -f1)
out=$("$P" play kube "$tmp/bad.yaml" 2>&1); rc=$?
[ $rc = 125 ] && echo "$out" | grep -q "bad.yaml:$line:7: unsupported field 'securityContext'" \
	&& ok "an unsupported field: file:line:column, exit 125" || not_ok "bad file: $rc $out"
[ "$("$P" pod ps | wc -l)" = 1 ] && ok "nothing was started" || not_ok "started anyway: $("$P" pod ps)"
sed 's/image: busybox/image: no-such-image/' "$tmp/web.yaml" > "$tmp/noimg.yaml"
out=$("$P" play kube "$tmp/noimg.yaml" 2>&1); rc=$?
[ $rc = 125 ] && echo "$out" | grep -q "no-such-image" && [ "$("$P" pod ps | wc -l)" = 1 ] \
	&& ok "a missing image is found before anything starts" || not_ok "missing image: $rc $out"

# A container that cannot start: all or nothing.
sed 's/command: \["httpd"/command: ["no-such-httpd"/' "$tmp/web.yaml" > "$tmp/broken.yaml"
out=$("$P" play kube "$tmp/broken.yaml" 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -q "no-such-httpd" && ok "a container that cannot run fails the play ($rc)" \
	|| not_ok "broken: $rc $out"
[ "$("$P" pod ps | wc -l)" = 1 ] && [ "$("$P" ps -a | wc -l)" = 1 ] && ok "and the pod is removed again" \
	|| not_ok "left behind: $("$P" pod ps) $("$P" ps -a)"
finish
