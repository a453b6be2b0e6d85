/* stage06 - the units for a pod, without a pod.
 *
 *   build/stage06 [--new]
 *
 * Prints what `podlab generate systemd` writes for a pod "shop" that
 * publishes 8080:80, with one container "shop-web" running busybox
 * httpd: the pod's unit and the container's, bound to it.  Nothing is
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
	char *ports[] = { "8080:80/tcp" }, *members[] = { "shop-web" };
	const char *id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	if (pl_unit_pod(stdout, &o, "shop", "", ports, 1, members, 1) < 0)
		return 1;
	printf("\n");
	return pl_unit_container(stdout, &o, "shop-web", id, args, "shop") < 0 ? 1 : 0;
}
