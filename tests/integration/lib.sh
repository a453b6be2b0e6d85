# lib.sh - a few helpers for the integration scripts (sourced, not run).
failures=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failures=$((failures + 1)); }
# expect DESCRIPTION COMMAND...: the command must succeed.
expect() {
	desc=$1
	shift
	if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc"; echo "$out" | sed 's/^/    /' | head -20; fi
}
finish() { [ "$failures" -eq 0 ]; exit $?; }

# private_store NAME IMAGE: a private image store and runtime directory
# in $tmp (podlab-NAME.XXXXXX), with the kit's root filesystem imported as
# IMAGE; every pod and container in it, and the directory, go when the
# script ends.  Sets P (podlab) and tmp.  Needs $build.
private_store() {
	P="$(pwd)/$build/podlab"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/podlab-$1.XXXXXX")
	export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"
	mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
	trap private_store_cleanup EXIT
	"$P" image import build/rootfs.tar "$2" > /dev/null
}
private_store_cleanup() {
	for p in $("$P" pod ps 2> /dev/null | awk 'NR > 1 {print $1}'); do "$P" pod rm -f "$p" > /dev/null 2>&1; done
	for c in $("$P" ps -a 2> /dev/null | awk 'NR > 1 {print $1}'); do "$P" rm -f "$c" > /dev/null 2>&1; done
	"$P" unshare rm -rf "$tmp" 2> /dev/null || rm -rf "$tmp"
}
