#!/bin/sh
# dist.sh BUILD - make dist-student hands out the labs without their answers.
#
# The tarball must hold no solutions/, no mutants (they quote the code
# they break), and no hole's reference code in any file: for every hole
# marked in runtime/, the distinctive lines of its code are looked for in
# every file of the tarball.  And it must still work: the kit builds, a
# starter grades low, and the starter plus the solution (which the
# instructor keeps) grades full -- each lab on its own.
set -u
build=$1
. tests/integration/lib.sh
command -v git > /dev/null && git rev-parse --git-dir > /dev/null 2>&1 \
	|| { echo "SKIP: not a git checkout: dist-student packs committed files"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podlab-dist.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sh tools/dist-student.sh "$tmp/kit.tar.gz" > "$tmp/dist.log" 2>&1 && ok "dist-student built $(tail -1 "$tmp/dist.log" | cut -d' ' -f2-)" \
	|| { not_ok "dist-student failed"; cat "$tmp/dist.log"; finish; }
mkdir "$tmp/x" && tar -C "$tmp/x" -xzf "$tmp/kit.tar.gz"
kit="$tmp/x/podlab"
[ ! -e "$kit/solutions" ] && [ ! -e "$kit/tests/fixtures/mutants" ] && ok "no solutions/, no mutants" \
	|| not_ok "solutions or mutants in the tarball"
python3 - runtime "$kit" << 'PY' && ok "no hole's reference code appears in any file of the kit" || not_ok "a solution leaked"
import os, re, sys
runtime, kit = sys.argv[1], sys.argv[2]
holes = []
for name in sorted(os.listdir(runtime)):
    if not name.endswith(".c"):
        continue
    text = open(os.path.join(runtime, name)).read()
    for m in re.finditer(r"LAB (\d\d) BEGIN ([\w-]+):.*?\*/\n(.*?)/\* LAB \1 END", text, re.S):
        lines = {l.strip() for l in m.group(3).splitlines()}
        lines = {l for l in lines if len(l) >= 25 and not l.startswith(("/*", "*", "//"))}
        if len(lines) >= 2:
            holes.append((m.group(1), m.group(2), lines))
assert holes, "no holes found"
files = {}
for root, _, names in os.walk(kit):
    for n in names:
        p = os.path.join(root, n)
        try:
            files[p] = {l.strip() for l in open(p, encoding="utf-8").read().splitlines()}
        except (UnicodeDecodeError, OSError):
            pass  # binary: the compiled reference objects
leaks = []
for lab, hole, lines in holes:
    for p, content in files.items():
        found = len(lines & content)
        if found * 2 >= len(lines):
            leaks.append(f"{lab}:{hole}: {found}/{len(lines)} lines in {os.path.relpath(p, kit)}")
print(f"{len(holes)} holes looked for in {len(files)} files")
for l in leaks:
    print("  leak:", l)
sys.exit(1 if leaks else 0)
PY
# It still works: build, then grade lab 01 as a student would.
if (cd "$kit" && make -s all > "$tmp/make.log" 2>&1); then
	ok "the student kit builds (reference objects linked for the stubbed files)"
	(cd "$kit" && build/podlab-check --stage 01 labs/01-userns > "$tmp/starter.out" 2>&1)
	cp -r "$kit/labs/01-userns" "$tmp/solved" && (cd "$tmp/solved" && patch -s -p1 < "$OLDPWD/solutions/01-userns/solution.patch")
	(cd "$kit" && build/podlab-check --stage 01 "$tmp/solved" > "$tmp/solved.out" 2>&1)
	s=$(sed -n 's/^Score: \([0-9]*\)\/\([0-9]*\).*/\1 \2/p' "$tmp/starter.out")
	f=$(sed -n 's/^Score: \([0-9]*\)\/\([0-9]*\).*/\1 \2/p' "$tmp/solved.out")
	[ -n "$s" ] && [ "${s%% *}" -lt 5 ] && [ -n "$f" ] && [ "${f%% *}" -ge $((${f#* } - 2)) ] \
		&& ok "in the kit: the starter scores ${s% *}, starter + solution ${f% *} of ${f#* }" \
		|| { not_ok "grading in the kit: starter '$s', solved '$f'"; tail -5 "$tmp/solved.out" | sed 's/^/    /'; }
else
	not_ok "the student kit does not build"; tail -10 "$tmp/make.log" | sed 's/^/    /'
fi
finish
