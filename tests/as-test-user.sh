#!/bin/sh
# as-test-user.sh NAME COMMAND... - as root, run COMMAND as the test user
# in a copy of this tree.
#
# The tree is copied to ~USER/NAME (root's checkout may not even be
# readable by others), owned by the user, and COMMAND runs there through
# setpriv with a clean environment and an audit login uid, as a real login
# session (pam_loginuid) would have.  Prints nothing itself but errors.
set -eu
[ "$(id -u)" = 0 ] || { echo "as-test-user.sh: must run as root" >&2; exit 1; }
name=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)
user=$(sh "$top/tests/setup-root.sh")
uid=$(id -u "$user")
gid=$(id -g "$user")
home=$(getent passwd "$user" | cut -d: -f6)
dest="$home/$name"
rm -rf "$dest"
mkdir -p "$dest"
tar -C "$top" --exclude=./build/asan --exclude=./build/obj --exclude=./build/tests -cf - . | tar -C "$dest" -xf -
chown -R "$user:" "$dest"
echo "$uid" > /proc/self/loginuid
cd "$dest"
exec setpriv --reuid="$uid" --regid="$gid" --init-groups --reset-env \
	env HOME="$home" USER="$user" LOGNAME="$user" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin "$@"
