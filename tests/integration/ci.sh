#!/bin/sh
# ci.sh BUILD - the grading templates of checker/ci, run here as the
# graders would run them.
set -u
build=$1
. tests/integration/lib.sh
top=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podlab-ci.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Gradescope: /autograder laid out in a scratch directory.
ag="$tmp/autograder"
mkdir -p "$ag/source" "$ag/submission"
ln -s "$top" "$ag/source/podlab"
cp labs/01-userns/*.c "$ag/submission/"
(cd "$ag/submission" && patch -s -p1 < "$top/solutions/01-userns/solution.patch")
AUTOGRADER_ROOT="$ag" PODLAB_LAB=01-userns sh checker/ci/gradescope/run_autograder > "$tmp/gs.log" 2>&1
rc=$?
python3 - "$ag/results/results.json" << 'PY' && [ $rc = 0 ] && ok "Gradescope run_autograder: the solution gets every point in results.json" \
	|| { not_ok "run_autograder (exit $rc)"; tail -5 "$tmp/gs.log" | sed 's/^/    /'; }
import json, sys
d = json.load(open(sys.argv[1]))
most = sum(t["max_score"] for t in d["tests"])
assert most > 0 and d["score"] == most, (d["score"], most)
PY
rm -rf "$ag/submission" "$ag/results" && mkdir -p "$ag/submission/labs"
cp -r labs/01-userns "$ag/submission/labs/"
AUTOGRADER_ROOT="$ag" PODLAB_LAB=01-userns sh checker/ci/gradescope/run_autograder > "$tmp/gs2.log" 2>&1
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(not (0 <= d["score"] < 5 and d["tests"]))' \
	"$ag/results/results.json" && ok "Gradescope: the starter, found under labs/01-userns, scores (almost) nothing" \
	|| not_ok "starter via run_autograder: $(head -c 300 "$ag/results/results.json")"
out=$(AUTOGRADER_ROOT="$ag" sh checker/ci/gradescope/run_autograder 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -q PODLAB_LAB && ok "Gradescope: without PODLAB_LAB it stops and says what to set" \
	|| not_ok "no PODLAB_LAB: $rc $out"

# GitHub Classroom: the workflow's grading step, and the workflow itself.
GITHUB_OUTPUT="$tmp/gh.out" PODLAB_RESULTS="$tmp/classroom.json" sh checker/ci/classroom/grade.sh labs/01-userns \
	> "$tmp/gh.log" 2>&1
rc=$?
python3 - "$tmp/gh.out" << 'PY' && [ $rc = 0 ] && ok "Classroom grade.sh: base64 results for the grading reporter" \
	|| { not_ok "grade.sh (exit $rc)"; tail -5 "$tmp/gh.log" | sed 's/^/    /'; }
import base64, json, sys
line = [l for l in open(sys.argv[1]) if l.startswith("result=")][-1]
d = json.loads(base64.b64decode(line.split("=", 1)[1]))
assert d["version"] == 1 and d["status"] in ("pass", "fail") and d["tests"] and d["max_score"] > 0
PY
python3 - checker/ci/classroom/podlab-autograding.yml << 'PY' && ok "the Classroom workflow is valid YAML and runs grade.sh" || not_ok "workflow"
import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
steps = w["jobs"]["grade"]["steps"]
assert any("grade.sh" in s.get("run", "") for s in steps)
assert any(s.get("uses", "").startswith("classroom-resources/autograding-grading-reporter") for s in steps)
PY
finish
