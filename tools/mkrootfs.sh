#!/bin/sh
# mkrootfs.sh DIR - build a small root filesystem from busybox-static.
#
# No registry, no network: one statically linked busybox and a symlink per
# applet, plus the few files a Unix userland expects.  It is the image every
# stage and the demo use.
set -eu
dir=${1:?usage: mkrootfs.sh DIR}
bb=$(command -v busybox 2>/dev/null || echo /bin/busybox)
# `ldd` fails on a static binary: that is the one we want, because the
# root filesystem holds no shared libraries.
if [ ! -x "$bb" ] || ldd "$bb" >/dev/null 2>&1; then
	echo "mkrootfs: a statically linked busybox is needed: sudo apt-get install busybox-static (or: make deps)" >&2
	exit 1
fi
tmp="$dir.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp/bin" "$tmp/sbin" "$tmp/usr/bin" "$tmp/usr/sbin" "$tmp/etc" "$tmp/root" \
	"$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/tmp" "$tmp/var/www" "$tmp/home"
chmod 1777 "$tmp/tmp"
cp "$bb" "$tmp/bin/busybox"
for applet in $("$bb" --list); do
	[ "$applet" = busybox ] && continue
	ln -sf busybox "$tmp/bin/$applet"
done
cat > "$tmp/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat > "$tmp/etc/group" <<'G'
root:x:0:
daemon:x:1:
www-data:x:33:
nogroup:x:65534:
G
echo "podlab" > "$tmp/etc/hostname"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$tmp/etc/hosts"
# The mount point for the network's resolv.conf: a root filesystem that is
# not writable by the user (built by root) can still take it.
: > "$tmp/etc/resolv.conf"
echo "<h1>hello from a podlab container</h1>" > "$tmp/var/www/index.html"
rm -rf "$dir"
mv "$tmp" "$dir"
echo "mkrootfs: built $dir ($(du -sh "$dir" | cut -f1)) from $bb"
