#!/bin/sh
# batch.sh BUILD - instructor mode: a directory of submissions, graded in
# parallel, each in its own podlab-check, into one gradebook.
#
# Three submissions of lab 01: the untouched starter, the solution, and a
# file that does not compile.  The gradebook must rank them as that, with
# a results.json per student, and a broken build must cost only its owner.
set -u
build=$1
. tests/integration/lib.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podlab-batch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
subs="$tmp/submissions"
mkdir -p "$subs"
cp -r labs/01-userns "$subs/alice"
cp -r labs/01-userns "$subs/bob"
(cd "$subs/bob" && patch -s -p1 < "$OLDPWD/solutions/01-userns/solution.patch")
mkdir "$subs/carol, jr"
echo 'this is not C' > "$subs/carol, jr/ids.c"

"$build/podlab-check" --batch "$subs" --workers 3 --out "$tmp/grades" --stage 01 --timeout 10 > "$tmp/batch.log" 2>&1
rc=$?
[ $rc = 0 ] && ok "batch: exit 0, every submission graded" || { not_ok "batch exit $rc"; tail -5 "$tmp/batch.log" | sed 's/^/    /'; }
book="$tmp/grades/gradebook.csv"
python3 - "$book" "$tmp/grades" << 'PY' && ok "gradebook: starter low, solution full, broken build 0, a results.json each" || not_ok "gradebook: $(cat "$book")"
import csv, json, sys, os
rows = {r["student"]: r for r in csv.DictReader(open(sys.argv[1]))}
assert set(rows) == {"alice", "bob", "carol, jr"}, rows.keys()   # a comma in a name survives CSV quoting
a, b, c = rows["alice"], rows["bob"], rows["carol, jr"]
assert all(r["status"] == "graded" for r in rows.values())
assert int(b["score"]) == int(b["max_score"]) > 0, b
assert int(a["score"]) < int(a["max_score"]) / 2, a
assert int(c["score"]) == 0, c
assert "01.runs" in a and b["01.runs"] != "0" and a["01.uid-map"] == "0"
for name in rows:
    doc = json.load(open(os.path.join(sys.argv[2], name, "results.json")))
    assert "tests" in doc and "score" in doc
PY
grep -q "^podlab-check: grading" "$tmp/batch.log" && [ "$(grep -c '^podlab-check: .* done' "$tmp/batch.log")" = 3 ] \
	&& ok "three graded, each reported" || not_ok "log: $(cat "$tmp/batch.log")"
finish
