#!/bin/sh
# setup-root.sh - as root, prepare this machine for the rootless tests.
#
# Prints the name of the unprivileged test user on stdout.  Everything
# else it does is a host fix an administrator would make for rootless
# containers (DEVELOPERS.md lists them):
#   - a dedicated user with its own 65536-id blocks in /etc/subuid and
#     /etc/subgid, overlapping no one;
#   - /dev/fuse and /dev/net/tun usable by ordinary users (0666, as on
#     desktops), for fuse-overlayfs and the network helpers;
#   - the hugetlb controller moved off cgroup2 on hybrid hosts, which
#     crun and podman otherwise refuse ("cgroups in hybrid mode").
# It is idempotent, and refuses to run as anyone but root.
set -eu
[ "$(id -u)" = 0 ] || { echo "setup-root.sh: must run as root" >&2; exit 1; }
user=${PODLAB_TEST_USER:-podlabtest}
log() { echo "setup-root: $*" >&2; }

if ! id "$user" >/dev/null 2>&1; then
	useradd --create-home --shell /bin/sh "$user"
	log "created user $user"
fi
# A free block: above every existing block and every uid, 65536-aligned.
free_block() {
	awk -F: 'NF == 3 && $3 > 0 { end = $2 + $3; if (end > max) max = end }
		 END { start = 100000; while (start < max) start += 65536; print start }' "$1" 2>/dev/null || echo 100000
}
for kind in uid gid; do
	file=/etc/sub$kind
	touch "$file"
	if ! grep -q "^$user:" "$file"; then
		start=$(free_block "$file")
		usermod --add-sub${kind}s "$start-$((start + 65535))" "$user"
		log "gave $user sub${kind}s $start-$((start + 65535))"
	fi
done
for dev in /dev/fuse /dev/net/tun; do
	[ -e "$dev" ] && chmod 0666 "$dev"
done
if [ -f /sys/fs/cgroup/unified/cgroup.controllers ] && grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers; then
	mkdir -p /sys/fs/cgroup/hugetlb
	mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb 2>/dev/null && log "moved hugetlb off cgroup2" || true
fi
echo "$user"
