#!/bin/sh
# systemd-user.sh USER DIR COMMAND... - as root: run COMMAND as USER, in
# DIR, with a live `systemd --user` manager of its own.
#
# This machine has no systemd as PID 1 and no logind, so nothing starts a
# user manager at login.  The set-up a real login would do is done by
# hand, in a private mount namespace so the host is untouched:
#   - a directory with system/ in it is bound over /run/systemd (the
#     manager checks it to know it runs under systemd);
#   - a cgroup is made for the user, in the unified (v2) and the named
#     systemd (v1) hierarchies, handed to the user (delegation), and this
#     shell moves into it, so the manager starts inside it;
#   - a private XDG_RUNTIME_DIR, 0700 and the user's, as logind would make.
# Exit 77 (skip), saying why, when the manager does not come up.
set -u
[ "$(id -u)" = 0 ] || { echo "systemd-user.sh: must run as root"; exit 2; }
user=$1 dir=$2
shift 2
[ -x /lib/systemd/systemd ] || { echo "SKIP: /lib/systemd/systemd is not installed: no user manager"; exit 77; }
exec unshare -m --propagation private sh -s "$user" "$dir" "$@" << 'EOS'
set -u
user=$1 dir=$2
shift 2
uid=$(id -u "$user")
gid=$(id -g "$user")
home=$(getent passwd "$user" | cut -d: -f6)
work=$(mktemp -d /tmp/podlab-systemd.XXXXXX)
chmod 755 "$work" # the user must reach its runtime directory inside
mkdir -p "$work/run-systemd/system" "$work/rt"
chown "$user:" "$work/rt" && chmod 700 "$work/rt"
mount --bind "$work/run-systemd" /run/systemd
cg=podlab-user-$$
for h in unified systemd; do
	[ -d "/sys/fs/cgroup/$h" ] || continue
	mkdir -p "/sys/fs/cgroup/$h/$cg" && chown -R "$user:" "/sys/fs/cgroup/$h/$cg" && echo $$ > "/sys/fs/cgroup/$h/$cg/cgroup.procs"
done
as_user() { setpriv --reuid="$uid" --regid="$gid" --init-groups --reset-env env HOME="$home" USER="$user" \
	LOGNAME="$user" XDG_RUNTIME_DIR="$work/rt" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin "$@"; }
as_user /lib/systemd/systemd --user > "$work/manager.log" 2>&1 &
manager=$!
state=""
for _ in $(seq 100); do
	state=$(as_user systemctl --user is-system-running 2> /dev/null)
	case $state in running | degraded) break ;; esac
	sleep 0.2
done
rc=77
case $state in
running | degraded)
	echo "systemd-user.sh: user manager $manager is $state"
	(cd "$dir" && as_user "$@")
	rc=$?
	;;
*)
	echo "SKIP: systemd --user did not come up (state '$state'): $(tail -n 3 "$work/manager.log" | tr '\n' ' ')"
	;;
esac
kill -TERM "$manager" 2> /dev/null
for _ in $(seq 50); do kill -0 "$manager" 2> /dev/null || break; sleep 0.1; done
kill -KILL "$manager" 2> /dev/null
wait "$manager" 2> /dev/null
for h in unified systemd; do
	[ -d "/sys/fs/cgroup/$h/$cg" ] || continue
	echo $$ > "/sys/fs/cgroup/$h/cgroup.procs" 2> /dev/null
	# Whatever still runs in the user's cgroup goes (the manager's helpers,
	# a unit's leftovers), then the cgroups, deepest first.
	find "/sys/fs/cgroup/$h/$cg" -name cgroup.procs -exec cat {} + 2> /dev/null | xargs -r kill -KILL 2> /dev/null
	sleep 0.2
	find "/sys/fs/cgroup/$h/$cg" -depth -type d -exec rmdir {} \; 2> /dev/null
done
umount /run/systemd
rm -rf "$work"
exit $rc
EOS
