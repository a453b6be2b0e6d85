#!/bin/sh
# pods.sh BUILD - containers that share a pod's namespaces, and only those.
#
# The infra process holds the pod's user, network, UTS and IPC namespaces;
# members join them and keep mount and PID namespaces of their own.  The
# namespace links under /proc say which is which, whatever the containers
# print about themselves.
set -u
build=$1
. tests/integration/lib.sh
private_store pods bb
alive() { [ -n "$1" ] && ps -o stat= -p "$1" 2> /dev/null | grep -qv Z; }
port=$((20000 + ($$ + 7) % 20000))
fetch() {
	python3 -c 'import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/page" % sys.argv[1], timeout=2).read().decode().strip())' "$1" 2> /dev/null
}
podfield() { "$P" pod inspect "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0][sys.argv[1]])' "$2"; }
ctrfield() { "$P" inspect "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["State"][sys.argv[1]])' "$2"; }
ns() { readlink "/proc/$1/ns/$2"; }

id=$("$P" pod create --name shop -p $port:8080)
echo "$id" | grep -qE '^[0-9a-f]{64}$' && ok "pod create prints the pod id" || not_ok "pod create: '$id'"
infra=$(podfield shop InfraPid)
alive "$infra" && tr '\0' ' ' < "/proc/$infra/cmdline" | grep -q " pause" && ok "the infra ($infra) is podlab pause" \
	|| not_ok "infra '$infra'"

"$P" run -d --pod shop --name srv bb sh -c 'echo from-srv > /tmp/page; exec httpd -f -p 8080 -h /tmp' > /dev/null
srv=$(ctrfield srv Pid)
for n in user net uts ipc; do
	[ "$(ns "$infra" $n)" = "$(ns "$srv" $n)" ] && ok "member shares the infra's $n namespace" \
		|| not_ok "$n: infra $(ns "$infra" $n), member $(ns "$srv" $n)"
done
for n in mnt pid; do
	[ "$(ns "$infra" $n)" != "$(ns "$srv" $n)" ] && ok "member has a $n namespace of its own" \
		|| not_ok "$n namespace shared with the infra"
done
[ "$(ns $$ user)" != "$(ns "$srv" user)" ] && ok "and none of them is the host's user namespace" || not_ok "host userns"

out=$("$P" run --rm --pod shop bb sh -c 'hostname; wget -q -O - http://127.0.0.1:8080/page; ps -o pid,comm | grep -c httpd')
[ "$out" = "$(printf 'shop\nfrom-srv\n0')" ] && ok "a second member: hostname shop, srv on localhost, srv's processes unseen" \
	|| not_ok "second member saw: $(echo "$out" | tr '\n' '|')"
# POSIX shared memory is files in /dev/shm, outside the IPC namespace: the
# members share the pod's tmpfs there, and nobody else sees it.
"$P" exec srv sh -c 'echo from-srv > /dev/shm/note'
out=$("$P" run --rm --pod shop bb cat /dev/shm/note 2>&1)
lone=$("$P" run --rm bb ls /dev/shm 2>&1)
[ "$out" = from-srv ] && [ -z "$lone" ] && [ ! -e /dev/shm/note ] \
	&& ok "members share the pod's /dev/shm; a lone container and the host do not see it" \
	|| not_ok "/dev/shm: member '$out', lone '$lone', host $(ls /dev/shm | tr '\n' ' ')"
got=""
for _ in $(seq 30); do got=$(fetch $port) && break; sleep 0.1; done
[ "$got" = from-srv ] && ok "the pod's published port reaches the member" || not_ok "fetch: '$got'"

out=$("$P" run --rm --pod shop -p 9000:80 bb true 2>&1); rc=$?
[ $rc = 125 ] && echo "$out" | grep -q "pod create" && ok "-p on a member is refused: ports belong to the pod" \
	|| not_ok "member -p: $rc $out"
out=$("$P" run --rm --pod shop --network none bb true 2>&1); rc=$?
[ $rc = 125 ] && echo "$out" | grep -q "network" && ok "--network on a member is refused" || not_ok "member --network: $rc $out"
out=$("$P" pod create --name shop 2>&1); rc=$?
[ $rc = 125 ] && echo "$out" | grep -q "already used" && ok "pod names are unique" || not_ok "duplicate pod: $rc $out"
out=$("$P" pod create --name shop2 --restart sometimes 2>&1); rc=$?
[ $rc = 125 ] && echo "$out" | grep -q "no, on-failure or always" && ! "$P" pod inspect shop2 > /dev/null 2>&1 \
	&& ok "pod create --restart: an unknown policy is refused with the list, no pod made" || not_ok "--restart sometimes: $rc $out"
out=$("$P" pod rm shop 2>&1); rc=$?
[ $rc = 125 ] && echo "$out" | grep -q "pod rm -f shop" && ok "pod rm of a running pod is refused, naming -f" \
	|| not_ok "pod rm running: $rc $out"

"$P" pod stop shop > /dev/null
"$P" ps -a | grep -q "Exited (137).* srv$" && ok "pod stop stops its members" || not_ok "after pod stop: $("$P" ps -a)"
"$P" pod ps | grep -q "shop.*Exited" && ! alive "$infra" && ok "and its infra" || not_ok "pod ps: $("$P" pod ps)"
out=$("$P" run --rm --pod shop bb true 2>&1); rc=$?
[ $rc = 125 ] && echo "$out" | grep -q "not running" && ok "joining a stopped pod: 'not running'" || not_ok "join stopped: $rc $out"
"$P" pod rm shop > /dev/null && [ -z "$("$P" ps -a | awk 'NR > 1')" ] && ok "pod rm removes the pod and its containers" \
	|| not_ok "after pod rm: $("$P" ps -a)"

# The infra's supervisor killed: the pod is not shown as running.
"$P" pod create --name lost > /dev/null
sup=$(ps -o ppid= -p "$(podfield lost InfraPid)" | tr -d ' ')
kill -9 "$sup"
sleep 0.3
"$P" pod ps | grep -q "lost.*supervisor lost" && ok "kill -9 of the infra's supervisor: 'supervisor lost'" \
	|| not_ok "pod ps: $("$P" pod ps)"
"$P" pod rm -f lost > /dev/null
[ "$("$P" pod ps | wc -l)" = 1 ] && ok "pod ps is empty at the end" || not_ok "pods left: $("$P" pod ps)"
finish
