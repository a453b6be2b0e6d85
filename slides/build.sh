#!/bin/sh
# build.sh OUTDIR - build every slides/NN-name/slides.md into OUTDIR/NN-name.html
#
# Each deck is one self-contained HTML file: pandoc's dzslides template
# ships inside pandoc and carries its own script and style, and
# --self-contained inlines whatever else the deck refers to.  Nothing is
# fetched at build time or when the deck is viewed, so the decks work in a
# lecture room without network.  Graphviz diagrams (NN-name/*.dot) are
# rendered to SVG and put inline into the page (see the Lua filter below).
set -eu

[ $# -eq 1 ] || { echo "usage: sh slides/build.sh OUTDIR" >&2; exit 2; }
for tool in pandoc:pandoc dot:graphviz; do
	command -v "${tool%%:*}" >/dev/null 2>&1 || {
		echo "slides/build.sh: '${tool%%:*}' is not installed: sudo apt-get install ${tool#*:}" >&2
		exit 1
	}
done

src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podlab-slides.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# --self-contained would turn ![..](x.svg) into an <img> with a base64
# data: URL.  Inline <svg> markup instead stays crisp when the slide is
# scaled, its text can be searched and selected, and tests can see it in
# the DOM.  Graphviz's prologue, doctype and comments are dropped (a
# doctype is invalid inside HTML), and so is its fixed size in points:
# the diagram fills the slide's width, {height=...} on the image sets its
# height.
cat > "$tmp/inline-svg.lua" <<'EOF'
local function attr(s)
  return (s:gsub('&', '&amp;'):gsub('"', '&quot;'):gsub('<', '&lt;'))
end
function Image(img)
  if not img.src:match('%.svg$') then return nil end
  local f = io.open(img.src, 'r')
  if not f then return nil end -- not a rendered diagram: pandoc embeds it
  local svg = f:read('a')
  f:close()
  svg = svg:gsub('<%?xml.-%?>', ''):gsub('<!DOCTYPE.->', ''):gsub('<!%-%-.-%-%->', '')
  svg = svg:gsub('<svg width="[^"]*" height="[^"]*"', '<svg', 1)
  local open = string.format('<svg class="diagram" role="img" aria-label="%s" style="height:%s"',
    attr(pandoc.utils.stringify(img.caption)), attr(img.attributes.height or '420px'))
  return pandoc.RawInline('html', (svg:gsub('^%s*<svg', function() return open end, 1)))
end
EOF

# dzslides' own style is made for a few words per slide (80px headings,
# 50px text).  These decks are technical, so: smaller type, room for code
# and diagrams, no slide-in animation (a screenshot must not catch a slide
# half-way), and a white page around the slide instead of black bars.
cat > "$tmp/theme.html" <<'EOF'
<style>
html { background: white; }
section { padding: 26px 44px; font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif;
  font-size: 21px; line-height: 1.35; color: #222; transition: none !important; }
section > h1 { margin: 0 0 14px; font-size: 32px; text-align: left; color: #1d3557;
  border-bottom: 3px solid #e63946; padding-bottom: 6px; }
section.title h1.title { margin: 150px 0 0; font-size: 50px; text-align: center; border: none; }
section.title h1.subtitle { margin: 24px 0 0; font-size: 26px; text-align: center; color: #457b9d;
  border: none; }
footer { font-size: 18px; padding: 18px 40px; }
p { margin: 8px 0; font-size: 21px; }
ul, ol { margin: 6px 0 6px 28px; }
li { margin: 4px 0; }
li > ul, li > ol { margin: 2px 0 2px 24px; font-size: 0.92em; }
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.88em; color: #7a2e14; }
pre { margin: 10px 0; padding: 8px 14px; background: #f4f5f7; border-left: 4px solid #457b9d;
  font-size: 15px; line-height: 1.3; white-space: pre; overflow: hidden; }
pre.small { font-size: 13px; }
div.sourceCode { margin: 0; overflow: visible; background: none; }
pre code { color: #222; font-size: 1em; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 19px; }
th, td { padding: 4px 12px; border-bottom: 1px solid #ccc; text-align: left; }
blockquote { height: auto; margin: 10px 0; padding: 8px 16px; font-size: 20px;
  background: #fff6e0; color: #222; border-left: 4px solid #f4a261; }
blockquote:before, blockquote:after { content: none; }
svg.diagram { display: block; width: 100%; margin: 6px auto; }
</style>
EOF
# A pandoc template that prints just the deck's title (for the index).
# shellcheck disable=SC2016 # $title$ is pandoc syntax, not a shell expansion
printf '$title$' > "$tmp/title.tpl"

cat > "$out/index.html.tmp" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>podlab slides</title>
<style>body { font-family: 'DejaVu Sans', sans-serif; margin: 40px; } li { margin: 8px 0; }</style>
</head><body>
<h1>podlab slides</h1>
<ul>
EOF
count=0
for dir in "$src"/[0-9][0-9]-*; do
	[ -f "$dir/slides.md" ] || continue
	deck=$(basename "$dir")
	# --self-contained would download a remote image, script or style and
	# embed it: refuse instead, the build must not need the network.
	remote=$(grep -noiE "!\[[^]]*\]\( *<?(https?:)?//[^) ]*|<(script|link|img|iframe|source|video|audio|embed|object)[^>]*(src|href|data) *= *[\"']?(https?:)?//[^\"' >]*|url\( *[\"']?(https?:)?//[^)]*|@import" \
		"$dir/slides.md" | head -n 1 || true)
	if [ -n "$remote" ]; then
		echo "slides/build.sh: $deck/slides.md line ${remote%%:*} loads '${remote#*:}' from the network;" \
			"decks must build and show offline: put the file into slides/$deck/ and refer to it by name" >&2
		exit 1
	fi
	mkdir "$tmp/$deck"
	for d in "$dir"/*.dot; do
		[ -e "$d" ] || continue
		name=$(basename "$d" .dot)
		dot -Tsvg "$d" -o "$tmp/$deck/$name.svg"
		# A stand-alone copy for handouts and other documents.
		cp "$tmp/$deck/$name.svg" "$out/$deck-$name.svg"
	done
	# pandoc runs in the diagrams' directory, where the filter finds them;
	# other images come from the deck's own directory.
	(cd "$tmp/$deck" && pandoc --from markdown --to dzslides --standalone --self-contained \
		--slide-level=1 --lua-filter="$tmp/inline-svg.lua" --include-in-header="$tmp/theme.html" \
		--resource-path=".:$dir" --output="$out/$deck.html" "$dir/slides.md")
	title=$(pandoc --quiet --to html --template="$tmp/title.tpl" "$dir/slides.md")
	printf '<li><a href="%s.html">%s</a> &mdash; %s</li>\n' "$deck" "$deck" "${title:-$deck}" >> "$out/index.html.tmp"
	echo "built $out/$deck.html"
	count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "slides/build.sh: no slides/NN-name/slides.md found in $src" >&2; exit 1; }
printf '</ul>\n</body></html>\n' >> "$out/index.html.tmp"
mv "$out/index.html.tmp" "$out/index.html"
echo "built $out/index.html"
