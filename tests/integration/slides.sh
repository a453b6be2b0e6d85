#!/bin/sh
# slides.sh BUILD - build the decks and look at them in a real browser.
#
# A deck that pandoc turns out without complaint can still be a black
# page (its script failed), a page of escaped markup, or depend on the
# network.  So each deck is opened in headless Chromium: the screenshot
# of its title slide and of its first diagram must show something, the
# DOM must hold the deck's first heading and an inline <svg>, and no
# script or style may come from http(s).  Exit 77 (skip) without Chromium.
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "SKIP: chromium not installed (sudo apt-get install chromium)"; exit 77; }

sh "$top/slides/build.sh" "$build/slides" || { echo "not ok - slides/build.sh failed (its message is above)"; exit 1; }
out=$(cd "$build/slides" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/podlab-slides-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One browser run per call, each with a fresh profile, so no cache or
# earlier state can make a broken deck look fine.  HOME points into the
# scratch directory too: the caller's may be missing or not writable (a
# test user under runuser).  Host names resolve to nothing, so a deck
# that still needs the network renders without it instead of quietly
# fetching it.
browse() { # browse LOG ARGS...  (URL last)
	log=$1
	shift
	prof=$(mktemp -d "$work/profile.XXXXXX")
	HOME=$prof timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir="$prof/data" --window-size=1280,800 \
		"$@" 2>"$log"
}

# Decode the PNG (8-bit RGB or RGBA, non-interlaced) with the standard
# library only, undo the per-row filters, and report how many colours it
# has and which share of pixels differ from the commonest (background) one.
pngstat() {
	python3 - "$1" <<'EOF'
import struct, sys, zlib
from collections import Counter
data = open(sys.argv[1], 'rb').read()
if data[:8] != b'\x89PNG\r\n\x1a\n':
    sys.exit('not a PNG file')
pos, idat = 8, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
if depth != 8 or ctype not in (2, 6) or interlace:
    sys.exit('unsupported PNG: depth %d colour type %d interlace %d' % (depth, ctype, interlace))
bpp = 3 if ctype == 2 else 4
stride = w * bpp
raw = zlib.decompress(idat)
prev = bytearray(stride)
colours = Counter()
for y in range(h):
    f = raw[y * (stride + 1)]
    row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: row[i] = (row[i] + a) & 255
        elif f == 2: row[i] = (row[i] + b) & 255
        elif f == 3: row[i] = (row[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        elif f != 0: sys.exit('bad PNG filter type %d' % f)
    colours.update(bytes(row[x:x + 3]) for x in range(0, stride, bpp))
    prev = row
bg = colours.most_common(1)[0][1]
print(len(colours), '%.4f' % (1 - bg / float(w * h)))
EOF
}

failures=0
fail() { echo "not ok - $*"; failures=$((failures + 1)); }

# shot NAME PNG URL: screenshot URL and check that it is not blank.
shot() {
	rc=0
	browse "$work/$1.log" --screenshot="$2" "$3" || rc=$?
	if [ ! -s "$2" ]; then
		fail "$1: chromium (exit $rc, 124 = timed out) wrote no screenshot: $(tail -n 3 "$work/$1.log" | tr '\n' ' ')"
		return
	fi
	if ! stats=$(pngstat "$2" 2>&1); then
		fail "$1: cannot decode the screenshot $2: $stats"
		return
	fi
	colours=${stats% *}
	drawn=${stats#* }
	if [ "$colours" -le 10 ]; then
		fail "$1: the screenshot has only $colours colours: the slide looks blank ($2)"
	elif awk "BEGIN { exit !($drawn < 0.005) }"; then
		fail "$1: only $drawn of the screenshot differs from the background: the slide looks blank ($2)"
	else
		echo "ok - $1: $colours colours, $drawn of the pixels drawn"
	fi
}

for html in "$out"/[0-9][0-9]-*.html; do
	[ -e "$html" ] || { fail "slides/build.sh built no deck into $out"; break; }
	deck=$(basename "$html" .html)
	shot "$deck title slide" "$out/$deck.png" "file://$html"

	# dzslides shows slide N for the URL fragment #N, counting every
	# <section>: the first diagram is on the slide whose section opens last
	# before the first <svg.
	n=$(awk '/<svg/ { print s; exit } { s += gsub(/<section/, "&") }' "$html")
	if [ -n "$n" ]; then
		shot "$deck diagram (slide $n)" "$out/$deck-slide$n.png" "file://$html#$n"
	fi

	rc=0
	browse "$work/$deck.dom.log" --dump-dom "file://$html" > "$work/$deck.dom" || rc=$?
	# The first slide heading (outside code blocks, where '# ' is a shell
	# comment), rendered by pandoc as in the deck (smart quotes, entities).
	heading=$(awk '/^(```|~~~)/ { code = !code; next }
		!code && /^# / { sub(/^# +/, ""); sub(/ *\{[^}]*\} *$/, ""); print; exit }' "$top/slides/$deck/slides.md")
	want=$(printf '%s\n' "$heading" | pandoc -f markdown -t html | sed 's|^<p>||; s|</p>$||')
	if [ ! -s "$work/$deck.dom" ]; then
		fail "$deck: chromium --dump-dom (exit $rc) printed nothing: $(tail -n 3 "$work/$deck.dom.log" | tr '\n' ' ')"
	elif [ -z "$heading" ]; then
		fail "$deck: slides.md has no '# heading' to look for"
	else
		if grep -qF "$want" "$work/$deck.dom"; then
			echo "ok - $deck: the DOM holds the first heading '$heading'"
		else
			fail "$deck: the first heading '$heading' is not in the DOM"
		fi
		if grep -q '<svg' "$work/$deck.dom"; then
			echo "ok - $deck: the DOM holds an inline <svg> diagram"
		else
			fail "$deck: no inline <svg> in the DOM: were the .dot diagrams rendered and inlined?"
		fi
	fi

	# Offline: nothing the page loads by itself (scripts, styles, images,
	# frames, fonts) may come from the network.  A plain <a href> link is
	# fine: nothing follows it unless the reader clicks.
	remote=$(grep -oiE "<(script|link|img|image|iframe|source|video|audio|embed|object)[^>]*(src|href|data) *= *[\"']?(https?:)?//[^\"' >]*|url\\( *[\"']?(https?:)?//[^)]*|@import[^;]*//[^;]*" \
		"$html" | head -n 3 || true)
	if [ -n "$remote" ]; then
		fail "$deck: the deck is not self-contained, it loads: $(echo "$remote" | cut -c 1-120 | tr '\n' ' ')"
	else
		echo "ok - $deck: no script, style or image is loaded over http(s)"
	fi
done

if [ "$failures" -gt 0 ]; then
	echo "slides: $failures check(s) failed (screenshots in $out)"
	exit 1
fi
echo "slides: all checks passed (screenshots in $out)"
