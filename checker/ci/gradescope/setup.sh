#!/bin/sh
# setup.sh - Gradescope runs this once, as root, when it builds the
# autograder image.  Put the podlab kit in the autograder zip as
# source/podlab (next to this file and run_autograder).
set -eu
kit=${AUTOGRADER_ROOT:-/autograder}/source/podlab
apt-get update
make -C "$kit" deps all
