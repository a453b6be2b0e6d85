/* stage03 - copy-on-write, seen from the upper directory.
 *
 *   build/stage03 IMAGE     (make one: podlab image import build/rootfs.tar busybox)
 *
 * Creates a container of IMAGE in the store (ctrstore.c), then, as root of
 * a user namespace (unshare.c), mounts its overlay (driver.c) and changes
 * three things through the merged view: writes a new file, appends to a
 * file of the image, deletes one.  It prints what appeared in the upper
 * directory -- a new file, a copied-up file, a whiteout -- and what
 * `podlab diff` makes of it, then removes the container.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ctrstore.h"
#include "driver.h"
#include "unshare.h"

struct demo {
	struct pl_storage st;
	struct pl_ctr c;
	char options[65536];
};

static void append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int inside(void *arg, pl_error **err)
{
	struct demo *d = arg;
	if (mount("overlay", d->c.rootfs, "overlay", 0, d->options) < 0)
		return pl_fail(err, errno, "cannot mount the overlay (try a newer kernel, or see podlab info)");
	char path[4400];
	snprintf(path, sizeof path, "%s/hello.txt", d->c.rootfs);
	append(path, "written in the container\n");
	snprintf(path, sizeof path, "%s/etc/hosts", d->c.rootfs);
	append(path, "10.0.0.1 copied-up\n");
	snprintf(path, sizeof path, "%s/etc/hostname", d->c.rootfs);
	unlink(path);
	umount2(d->c.rootfs, MNT_DETACH);
	printf("what the upper directory holds now:\n");
	const char *show[] = { "hello.txt", "etc/hosts", "etc/hostname" };
	for (int i = 0; i < 3; i++) {
		struct stat st;
		snprintf(path, sizeof path, "%s/upper/%s", d->c.dir, show[i]);
		if (lstat(path, &st) < 0)
			printf("  %-14s (absent)\n", show[i]);
		else if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0))
			printf("  %-14s character device 0:0 -- a whiteout: deleted\n", show[i]);
		else
			printf("  %-14s a file of %lld bytes%s\n", show[i], (long long)st.st_size,
			       i == 1 ? " -- the image's file, copied up, then changed" : " -- new");
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: stage03 IMAGE\n");
		return 2;
	}
	static struct demo d;
	struct pl_image img;
	pl_error *err = NULL;
	if (pl_storage_open(&d.st, &err) < 0 || pl_image_get(&d.st, argv[1], &img, &err) < 0 ||
	    pl_ctr_create(&d.st, &img, NULL, PL_DRIVER_OVERLAY, &d.c, &err) < 0)
		goto fail;
	if (pl_ctr_overlay_options(&d.st, &d.c, d.options, sizeof d.options, &err) < 0 || pl_in_userns(inside, &d, &err) < 0)
		goto fail_rm;
	printf("\npodlab diff:\n");
	fflush(stdout);
	pl_ctr_diff(&d.st, &d.c, stdout, &err);
	pl_ctr_remove(&d.st, &d.c, NULL);
	pl_image_free(&img);
	return 0;
fail_rm:
	pl_ctr_remove(&d.st, &d.c, NULL);
fail:
	pl_error_print(err, stderr, "stage03");
	pl_error_free(&err);
	return 125;
}
