# mklab.awk - cut one lab's holes out of a runtime source file.
#
#   awk -v lab=01 -v mode=starter  -f mklab.awk runtime/ids.c
#   awk -v lab=01 -v mode=solution -f mklab.awk runtime/ids.c
#
# A hole in the runtime looks like this:
#
#       /* LAB 01 BEGIN owned-by: what to write, and hints */
#       ...the reference code...
#       /* LAB 01 END owned-by: return false; */
#
# starter:  the BEGIN comment (now saying "LAB 01 TODO"), then the stub
#           written after the colon of the END line, in place of the code;
# solution: the same comment, then the reference code.
# Markers of other labs are removed and their code kept, so each lab can
# be done on its own.  lab=all stubs every lab's holes (make dist-student).
function number(line) {
	match(line, /LAB [0-9][0-9] (BEGIN|END)/)
	return substr(line, RSTART + 4, 2)
}
BEGIN { state = "code" }
/LAB [0-9][0-9] BEGIN/ {
	if (lab == "all" || number($0) == lab) {
		sub(/LAB [0-9][0-9] BEGIN/, "LAB " number($0) " TODO")
		print
		state = index($0, "*/") ? "ours" : "ours-comment"
	} else {
		state = index($0, "*/") ? "code" : "other-comment"
	}
	next
}
/LAB [0-9][0-9] END/ {
	if ((lab == "all" || number($0) == lab) && mode == "starter") {
		indent = $0
		sub(/[^ \t].*$/, "", indent)
		stub = $0
		sub(/^.*LAB [0-9][0-9] END[^:]*: */, "", stub)
		sub(/ *\*\/ *$/, "", stub)
		print indent stub
	}
	state = "code"
	next
}
state == "ours-comment" { print; if (index($0, "*/")) state = "ours"; next }
state == "other-comment" { if (index($0, "*/")) state = "code"; next }
state == "ours" { if (mode == "solution") print; next }
{ print }
