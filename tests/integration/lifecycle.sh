#!/bin/sh
# lifecycle.sh BUILD - containers that outlive the command that started them.
#
# No daemon keeps the truth, so every claim of `ps` and `inspect` is
# checked against the processes really there, after each way a container
# can end: stop, kill of the container, kill -9 of its supervisor, kill -9
# of a foreground podlab.  And nothing may outlive rm -f.
set -u
build=$1
. tests/integration/lib.sh
private_store lifecycle bb
status() { "$P" ps -a | awk -v n="$1" '$NF == n' | sed 's/  */ /g'; }
field() { # field NAME KEY: a value of inspect's State
	"$P" inspect "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["State"][sys.argv[1]])' "$2"
}
# A zombie is dead: it only waits for a parent (here often PID 1) to reap it.
alive() { [ -n "$1" ] && ps -o stat= -p "$1" 2> /dev/null | grep -qv Z; }
port=$((20000 + $$ % 20000))
fetch() {
	python3 -c 'import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/page" % sys.argv[1], timeout=2).read().decode().strip())' "$1" 2> /dev/null
}

# run -d: an id, a running container, its port served, its output logged.
id=$("$P" run -d --name web -p $port:8080 bb sh -c 'echo started; echo v1 > /tmp/page; exec httpd -f -p 8080 -h /tmp')
rc=$?
echo "$id" | grep -qE '^[0-9a-f]{64}$' && [ $rc = 0 ] && ok "run -d prints the id and returns" || not_ok "run -d: $rc '$id'"
got=""
for _ in $(seq 30); do got=$(fetch $port) && break; sleep 0.1; done
[ "$got" = v1 ] && ok "the detached container serves its published port" || not_ok "fetch gave '$got'"
status web | grep -q " Up " && ok "ps: web is Up" || not_ok "ps: $(status web)"
[ "$("$P" logs web)" = started ] && ok "logs: what the container printed" || not_ok "logs: $("$P" logs web)"
pid=$(field web Pid) sup=$(field web SupervisorPid)
alive "$pid" && alive "$sup" && [ "$(field web Running)" = True ] && ok "inspect: running, pid $pid under supervisor $sup" \
	|| not_ok "inspect: pid '$pid' supervisor '$sup'"
[ "$(ps -o sid= -p "$sup" | tr -d ' ')" = "$sup" ] && ok "the supervisor leads a session of its own" \
	|| not_ok "supervisor $sup is not a session leader"
out=$("$P" rm web 2>&1); rc=$?
[ $rc = 125 ] && echo "$out" | grep -q "rm -f web" && ok "rm of a running container is refused, naming rm -f" \
	|| not_ok "rm running: $rc $out"

# exec: one more process, inside the same namespaces and limits.
out=$("$P" exec web sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; grep CapBnd /proc/self/status; grep -c Seccomp:.2 /proc/self/status')
echo "$out" | head -1 | grep -q "^httpd -f -p 8080" && echo "$out" | grep -q "CapBnd:.00000000800405fb" \
	&& echo "$out" | tail -1 | grep -qx 1 && ok "exec: in the container's PID namespace, with its capabilities and seccomp" \
	|| not_ok "exec saw: $(echo "$out" | tr '\n' '|')"
"$P" exec web sh -c 'exit 5'
[ $? = 5 ] && ok "exec: the command's exit code" || not_ok "exec: exit code lost"

# stop: SIGTERM, ignored by a PID 1 without a handler, then SIGKILL.
"$P" stop -t 1 web > /dev/null
status web | grep -q "Exited (137)" && ok "stop -t 1: Exited (137) (httpd as PID 1 ignores SIGTERM)" \
	|| not_ok "after stop: $(status web)"
[ "$("$P" wait web)" = 137 ] && ok "wait prints the recorded exit code" || not_ok "wait: $("$P" wait web)"
alive "$pid" || alive "$sup" && not_ok "after stop, pid $pid or supervisor $sup remains" || ok "after stop, nothing remains"
fetch $port > /dev/null && not_ok "port $port still served after stop" || ok "port $port closed after stop"
out=$("$P" exec web true 2>&1); rc=$?
[ $rc = 125 ] && echo "$out" | grep -q "not running" && ok "exec into a stopped container: 'not running'" \
	|| not_ok "exec stopped: $rc $out"

# start: the same container again, its writable layer kept.
"$P" start web > /dev/null && ok "start" || not_ok "start failed"
for _ in $(seq 30); do got=$(fetch $port) && break; sleep 0.1; done
[ "$got" = v1 ] && status web | grep -q " Up " && ok "started again: Up, serving" || not_ok "after start: '$got' $(status web)"
out=$("$P" start web 2>&1); rc=$?
[ $rc = 125 ] && echo "$out" | grep -q "already running" && ok "start of a running container is refused" \
	|| not_ok "start twice: $rc $out"

# The container killed from outside: its supervisor records the signal.
kill -9 "$(field web Pid)"
code=$("$P" wait web)
[ "$code" = 137 ] && status web | grep -q "Exited (137)" && ok "kill -9 of the container: Exited (137)" \
	|| not_ok "after kill -9: $code $(status web)"

# The supervisor killed: nobody writes "exited", and ps must not say Up.
"$P" start web > /dev/null
sleep 0.3
pid=$(field web Pid) sup=$(field web SupervisorPid)
kill -9 "$sup"
sleep 0.3
status web | grep -q "Exited (supervisor lost)" && ok "kill -9 of the supervisor: ps says 'supervisor lost'" \
	|| not_ok "after supervisor kill: $(status web)"
[ "$(field web Running)" = False ] && [ "$(field web SupervisorLost)" = True ] && ok "inspect agrees" \
	|| not_ok "inspect: Running $(field web Running)"
sleep 0.3
alive "$pid" && not_ok "the container (pid $pid) outlived its supervisor" || ok "the container died with its supervisor"
for _ in $(seq 20); do fetch $port > /dev/null || break; sleep 0.1; done
fetch $port > /dev/null && not_ok "port $port outlived the supervisor" || ok "its port went with it"

# A foreground podlab is the supervisor: kill -9 it, same truth.
"$P" run --name fg bb sleep 60 > /dev/null 2>&1 &
cli=$!
for _ in $(seq 30); do status fg | grep -q " Up " && break; sleep 0.1; done
status fg | grep -q " Up " && ok "a foreground container is listed as Up" || not_ok "foreground: $(status fg)"
kill -9 $cli
wait $cli 2> /dev/null
status fg | grep -q "supervisor lost" && ok "kill -9 of the foreground podlab: 'supervisor lost'" \
	|| not_ok "after CLI kill: $(status fg)"

# create, then start: nothing runs until start.
"$P" create --name later bb sh -c 'echo ran-later; exit 3' > /dev/null
status later | grep -q " Created " && ok "create: Created, not running" || not_ok "create: $(status later)"
"$P" start later > /dev/null
[ "$("$P" wait later)" = 3 ] && [ "$("$P" logs later)" = ran-later ] && ok "start of a created container: ran, exit 3" \
	|| not_ok "created then started: $("$P" wait later) $("$P" logs later)"

# A command that cannot run: its exit code, and nothing left behind.
out=$("$P" run -d --name bad bb no-such-command 2>&1); rc=$?
[ $rc = 127 ] && echo "$out" | grep -q "no-such-command" && ok "run -d of a missing command: 127 and the reason" \
	|| not_ok "run -d missing: $rc $out"
[ -z "$(status bad)" ] && ok "nothing is left of it" || not_ok "left: $(status bad)"

# Names are unique even when four podlab runs race for one.
for _ in 1 2 3 4; do "$P" run -d --name same bb sleep 30 > /dev/null 2>&1 & done
wait
n=$("$P" ps -a | awk '$NF == "same"' | wc -l)
[ "$n" = 1 ] && ok "four racing runs with one name: one container" || not_ok "$n containers named 'same'"

# rm -f: the running container, its supervisor and its session, gone.
sup=$(field same SupervisorPid)
"$P" rm -f same > /dev/null
left=$(ps -o pid=,stat= -s "$sup" 2> /dev/null | awk '$2 !~ /Z/ {print $1}')
[ -z "$(status same)" ] && [ -z "$left" ] && ! alive "$sup" && ok "rm -f: record, supervisor and session gone" \
	|| not_ok "rm -f left: $(status same) $left"
for c in web fg later; do "$P" rm -f $c > /dev/null; done
[ "$("$P" ps -a | wc -l)" = 1 ] && ok "ps -a is empty after rm -f of all" || not_ok "ps -a: $("$P" ps -a)"
finish
