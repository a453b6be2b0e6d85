/* host.h - looking at container processes from the host's side. */
#ifndef PODLAB_CHECK_HOST_H
#define PODLAB_CHECK_HOST_H

#include <sys/types.h>

/* The pid of the process whose argv[0] is `argv0` and one of whose
 * arguments is exactly `marker`, or 0.  Checks pass a unique file name to
 * the probe and find it this way. */
pid_t host_find_process(const char *argv0, const char *marker);

/* Real, effective, saved and filesystem uid of a process, as the host sees
 * them (the Uid: line of /proc/PID/status).  All -1 if it is gone. */
void host_process_uids(pid_t pid, uid_t ids[4]);

#endif
