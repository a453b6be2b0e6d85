#!/bin/sh
# images.sh BUILD - stage 03 against the real thing: podman is the oracle.
#
# podman builds a two-layer image (its second layer deletes and replaces
# files of the first) and saves it in both archive formats; podlab must
# load both and show the same files.  The same changes made in a podman
# container and in a podlab container must give the same `diff`.
set -u
build=$1
. tests/integration/lib.sh
P="$(pwd)/$build/podlab"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podlab-images.XXXXXX")
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
printf '[storage]\ndriver = "overlay"\ngraphroot = "%s/podman"\nrunroot = "%s/podman-run"\n' "$tmp" "$tmp" > "$tmp/storage.conf"
export CONTAINERS_STORAGE_CONF="$tmp/storage.conf"
cleanup() {
	podman rm -af >/dev/null 2>&1
	podman rmi -af >/dev/null 2>&1
	"$P" unshare rm -rf "$tmp" 2>/dev/null || rm -rf "$tmp"
}
trap cleanup EXIT

expect "image import of build/rootfs.tar" "$P" image import build/rootfs.tar bb
out=$("$P" run --rm bb cat /etc/hostname 2>&1)
[ "$out" = podlab ] && ok "run IMAGE reads the image's files" || not_ok "run bb: $out"

# The same changes, made by podlab and by podman, must diff the same.
# (Not /etc/hosts or /etc/hostname: podman mounts its own over them.)
changes='rm /etc/group; echo new > /new; echo more >> /etc/passwd; mkdir -p /var/log/app'
"$P" run --name d bb sh -c "$changes"
"$P" diff d | sort > "$tmp/podlab.diff"
for d in fuse-overlayfs vfs; do
	"$P" run --storage-driver $d --name d-$d bb sh -c "$changes"
	"$P" diff d-$d | sort > "$tmp/$d.diff"
	"$P" rm d-$d > /dev/null
done
if ! command -v podman > /dev/null; then
	echo "SKIP: podman is not installed (sudo apt-get install podman): no oracle"
	finish
fi
if podman import --change ENV=PATH=/bin build/rootfs.tar localhost/bb > "$tmp/podman.log" 2>&1 &&
	podman run --name d --network none localhost/bb sh -c "$changes" >> "$tmp/podman.log" 2>&1; then
	podman diff d | sort > "$tmp/podman.diff"
	if cmp -s "$tmp/podman.diff" "$tmp/podlab.diff"; then
		ok "podlab diff = podman diff ($(wc -l < "$tmp/podman.diff") lines)"
	else
		not_ok "podlab diff differs from podman diff"; diff "$tmp/podman.diff" "$tmp/podlab.diff" | sed 's/^/    /'
	fi
	cmp -s "$tmp/podman.diff" "$tmp/fuse-overlayfs.diff" && ok "fuse-overlayfs: the same diff" \
		|| { not_ok "fuse-overlayfs diff differs"; diff "$tmp/podman.diff" "$tmp/fuse-overlayfs.diff" | sed 's/^/    /'; }
	# vfs has no upper directory: it compares the copy with the image, and
	# cannot tell a changed directory's own metadata, only its files.
	grep -v '^C /etc$\|^C /var$\|^C /var/log$' "$tmp/podman.diff" > "$tmp/podman.files"
	grep -v '^C /etc$\|^C /var$\|^C /var/log$' "$tmp/vfs.diff" > "$tmp/vfs.files"
	cmp -s "$tmp/podman.files" "$tmp/vfs.files" && ok "vfs: the same files added, changed, deleted" \
		|| { not_ok "vfs diff differs"; diff "$tmp/podman.files" "$tmp/vfs.files" | sed 's/^/    /'; }
	printf 'FROM localhost/bb\nRUN rm /bin/vi && echo hi > /etc/motd && rm -rf /var/www && mkdir /var/www && echo new > /var/www/new.html\n' \
		> "$tmp/Containerfile"
	if podman build --network none -t localhost/layered "$tmp" >> "$tmp/podman.log" 2>&1 &&
		podman save --format oci-archive -o "$tmp/l.oci.tar" localhost/layered >> "$tmp/podman.log" 2>&1 &&
		podman save --format docker-archive -o "$tmp/l.docker.tar" localhost/layered >> "$tmp/podman.log" 2>&1; then
		want=$(podman run --rm --network none localhost/layered sh -c 'ls /bin/vi 2>&1; cat /etc/motd; ls /var/www')
		for f in oci docker; do
			"$P" image load "$tmp/l.$f.tar" "from-$f" > /dev/null
			got=$("$P" run --rm "from-$f" sh -c 'ls /bin/vi 2>&1; cat /etc/motd; ls /var/www' 2>&1)
			[ "$got" = "$want" ] && ok "podman's $f archive: the same files as in podman" \
				|| not_ok "podman's $f archive: podman shows '$want', podlab '$got'"
		done
	else
		not_ok "podman could not build and save the layered image: $(tail -n 3 "$tmp/podman.log")"
	fi
else
	echo "SKIP: podman does not run here: $(tail -n 2 "$tmp/podman.log")"
fi
left=$(pgrep -u "$(id -u)" -f "fuse-overlayfs.*$tmp" || true)
[ -z "$left" ] && ok "no fuse-overlayfs left running" || not_ok "fuse-overlayfs still running: $left"
finish
