#!/bin/sh
# grade.sh LABDIR - grade a lab in GitHub Classroom (called by
# podlab-autograding.yml; runnable locally too).
#
# Installs what the kit needs (with sudo on a hosted runner), builds it,
# grades LABDIR with podlab-check in Classroom's format, and hands the
# result to the grading reporter as the step output `result` (base64 of
# the JSON), which is how autograding-grading-reporter reads a runner.
set -eu
lab=${1:?usage: grade.sh labs/NN-name}
top=$(cd "$(dirname "$0")/../../.." && pwd)
if [ "$(id -u)" != 0 ] && command -v sudo > /dev/null && sudo -n true 2> /dev/null; then
	sudo make -C "$top" deps
else
	make -C "$top" deps
fi
make -C "$top" all > /dev/null
out=${PODLAB_RESULTS:-$top/build/classroom-results.json}
rc=0
"$top/build/podlab-check" --format classroom --output "$out" "$lab" || rc=$?
[ "$rc" -le 1 ] || { echo "grade.sh: podlab-check could not grade $lab (exit $rc)" >&2; exit "$rc"; }
echo "result=$(base64 -w0 "$out")" >> "${GITHUB_OUTPUT:-/dev/null}"
echo "grade.sh: results in $out"
