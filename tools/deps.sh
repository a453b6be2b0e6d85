#!/bin/sh
# deps.sh - install the Debian/Ubuntu packages the kit needs (make deps).
#
# Idempotent: only missing packages are installed.  As root it installs
# them; as anyone else it prints the one command to run and fails, so that
# nothing later fails with a confusing compiler or linker message.
set -eu
packages="
build-essential pkg-config
libcap-dev libcap2-bin libjson-c-dev libcmocka-dev libseccomp-dev libmount-dev
libarchive-dev libssl-dev
uidmap busybox-static
pandoc graphviz chromium python3
crun podman fuse-overlayfs slirp4netns passt iperf3 libslirp-dev libglib2.0-dev libyaml-dev
"
missing=""
for p in $packages; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: install them with:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# Update the package lists once, only when an install is needed.
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
