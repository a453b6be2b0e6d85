/* host.c - reading /proc on the host (see host.h). */
#include "host.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pid_t host_find_process(const char *argv0, const char *marker)
{
	DIR *d = opendir("/proc");
	pid_t found = 0;
	for (struct dirent *e; d && !found && (e = readdir(d)) != NULL;) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		char path[300], buf[4096];
		snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
		FILE *f = fopen(path, "re");
		if (f == NULL)
			continue;
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = '\0';
		/* Arguments are separated by NUL bytes.  podlab's own command
		 * line holds the marker too: only argv0 tells the two apart. */
		if (strcmp(buf, argv0) != 0)
			continue;
		for (size_t i = 0; i < n; i += strlen(buf + i) + 1)
			if (strcmp(buf + i, marker) == 0)
				found = (pid_t)atoi(e->d_name);
	}
	if (d)
		closedir(d);
	return found;
}

void host_process_uids(pid_t pid, uid_t ids[4])
{
	ids[0] = ids[1] = ids[2] = ids[3] = (uid_t)-1;
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	while (f && fgets(line, sizeof line, f)) {
		unsigned a, b, c, d;
		if (sscanf(line, "Uid: %u %u %u %u", &a, &b, &c, &d) == 4) {
			ids[0] = a, ids[1] = b, ids[2] = c, ids[3] = d;
			break;
		}
	}
	if (f)
		fclose(f);
}
