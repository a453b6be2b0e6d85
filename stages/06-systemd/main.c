/* stage06 - the units for a pod, without a pod.
 *
 *   build/stage06 [--new]
 *
 * Prints what `podlab generate systemd` writes for a pod "shop" that
 * publishes 8080:80, with one container "shop-web" running busybox
 * httpd: the pod's unit and the container's, bound to it (always in the
 * --new form, as generate writes a pod's members), then the unit of a
 * container outside any pod, "solo": with --new, made by its unit;
 * without, started and stopped as it exists.  Nothing is
 * created; the point is to read the lines (dependencies, process
 * tracking, Exec quoting) next to stages/06-systemd/README.md, and to
 * feed them to `systemd-analyze verify --user`.
 */
#include <stdio.h>
#include <string.h>

#include "systemd.h"

int main(int argc, char **argv)
{
	struct pl_unit_opts o = { .new_ = argc > 1 && strcmp(argv[1], "--new") == 0, .restart = "on-failure",
				  .stop_timeout = 10, .self = "/usr/local/bin/podlab" };
	/* What the container's record keeps: the words of its podlab run. */
	char *args[] = { "run", "-d", "--pod", "shop", "--name", "shop-web", "busybox", "httpd", "-f", "-p", "80", NULL };
	char *create[] = { "-p", "8080:80/tcp", NULL }, *members[] = { "shop-web" };
	const char *id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char *solo[] = { "run", "--name", "solo", "busybox", "sleep", "1000", NULL };
	struct pl_unit_opts member = o;
	member.new_ = true; /* a pod's unit makes its members anew each time */
	if (pl_unit_pod(stdout, &o, "shop", create, members, 1) < 0)
		return 1;
	printf("\n");
	if (pl_unit_container(stdout, &member, "shop-web", id, args, "shop") < 0)
		return 1;
	printf("\n");
	return pl_unit_container(stdout, &o, "solo", id, solo, NULL) < 0 ? 1 : 0;
}
