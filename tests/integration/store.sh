#!/bin/sh
# store.sh BUILD - the image and container store's edge cases (stage 03):
# names that look alike, an image under a container, diff's mount points,
# an image with more layers than one page of overlay options can name,
# and a fuse-overlayfs daemon after podlab itself is killed.
set -u
build=$1
. tests/integration/lib.sh
P="$(pwd)/$build/podlab"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podlab-store.XXXXXX")
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
cleanup() { "$P" unshare rm -rf "$tmp" 2>/dev/null || rm -rf "$tmp"; }
trap cleanup EXIT

# "a_b" and "a/b" are both valid names, and must be two images.
"$P" image import build/rootfs.tar a_b > /dev/null
"$P" image import build/rootfs.tar a/b > /dev/null
"$P" image rm a_b > /dev/null
"$P" image ls | grep -q "^a/b " && ! "$P" image ls | grep -q "^a_b " \
	&& ok "a_b and a/b are different images" || not_ok "a_b and a/b share a record: $("$P" image ls)"

# An image under a container stays until the container goes (as podman).
"$P" run --network none --name user-of-ab a/b true
err=$("$P" image rm a/b 2>&1); rc=$?
[ $rc != 0 ] && echo "$err" | grep -q "user-of-ab" && echo "$err" | grep -q "podlab rm" \
	&& ok "image rm refuses an image a container uses, and says which" || not_ok "image rm in use: $rc $err"
"$P" diff user-of-ab > /dev/null && ok "the container's diff still works" || not_ok "diff after refused rm"
"$P" rm user-of-ab > /dev/null && "$P" image rm a/b > /dev/null && [ -z "$(ls "$XDG_DATA_HOME/podlab/layers")" ] \
	&& ok "after rm, image rm removes the image and its layers" || not_ok "image rm after rm: $(ls "$XDG_DATA_HOME/podlab/layers")"



# The network's resolv.conf mount point is not the container's change
# (podman leaves it out too; making it still copies /etc up: "C /etc").
"$P" image import build/rootfs.tar bb > /dev/null
"$P" run --name d2 bb sh -c 'echo x > /new'
out=$("$P" diff d2)
echo "$out" | grep -q "^A /new$" && ! echo "$out" | grep -q "resolv.conf" \
	&& ok "diff leaves out the runtime's mount points" || not_ok "diff d2: $out"

# More layers than one page of options can name: overlay says so and
# what to do; fuse-overlayfs runs it.
python3 tests/fixtures/many-layers.py "$tmp/many" 60 build/rootfs.tar
"$P" image load "$tmp/many" many > /dev/null
err=$("$P" run --rm --network none --storage-driver overlay many true 2>&1); rc=$?
[ $rc = 125 ] && echo "$err" | grep -q "at most" && echo "$err" | grep -q "fuse-overlayfs" \
	&& ok "overlay: 60 layers are refused with the reason and the fix" || not_ok "60 layers on overlay: $rc $err"
out=$("$P" run --rm --network none --storage-driver fuse-overlayfs many sh -c 'ls /layers | wc -l' 2>&1)
[ "$out" = 59 ] && ok "fuse-overlayfs: all 60 layers are seen" || not_ok "60 layers on fuse-overlayfs: $out"

# podlab killed outright: its fuse-overlayfs must not stay behind.
"$P" run --network none --name k --storage-driver fuse-overlayfs bb sleep 30 &
pid=$!
for _ in $(seq 50); do pgrep -u "$(id -u)" -f "fuse-overlayfs.*$tmp" > /dev/null && break; sleep 0.1; done
kill -9 $pid
wait $pid 2> /dev/null
left=""
for _ in $(seq 20); do
	left=$(pgrep -u "$(id -u)" -f "fuse-overlayfs.*$tmp" || true)
	[ -z "$left" ] && break
	sleep 0.1
done
[ -z "$left" ] && ok "SIGKILL to podlab: fuse-overlayfs goes with it" || { not_ok "fuse-overlayfs outlived podlab: $left"; kill $left; }
pkill -u "$(id -u)" -f "sleep 30" 2> /dev/null
finish
