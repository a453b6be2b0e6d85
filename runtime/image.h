/* image.h - images: ordered layers plus a little configuration.
 *
 * podlab reads images in the three forms an offline machine meets:
 *   - a root filesystem tarball (`podlab image import`, like podman import),
 *     which becomes a one-layer image;
 *   - an OCI image layout (a directory, or a tar of one: `podman save
 *     --format oci-archive`): index.json -> manifest -> config and layers,
 *     every blob named by its digest;
 *   - a `docker save` / `podman save` archive: manifest.json -> config and
 *     layer tars.
 * Every digest is checked (a blob's own name, and each layer against the
 * config's rootfs.diff_ids) before the image is stored; on any failure
 * nothing is kept.
 */
#ifndef PODLAB_IMAGE_H
#define PODLAB_IMAGE_H

#include <stdio.h>

#include "digest.h"
#include "storage.h"

#define PL_MAX_LAYERS 64
#define PL_MAX_CONFIG 64

struct pl_image {
	char name[129];
	size_t n_layers;
	char layers[PL_MAX_LAYERS][PL_DIGEST_HEX + 1]; /* diff ids, bottom first */
	char *env[PL_MAX_CONFIG + 1];                    /* KEY=VALUE, NULL-ended */
	char *cmd[PL_MAX_CONFIG + 1];                    /* entrypoint + cmd, NULL-ended */
	char workdir[1024];
};

int pl_image_import(const struct pl_storage *st, const char *tarball, const char *name, pl_error **err);

/* Load an OCI layout or docker archive.  `name` overrides the name the
 * image carries; the name used is written to `used`. */
int pl_image_load(const struct pl_storage *st, const char *path, const char *name, char *used, size_t len,
		  pl_error **err);

int pl_image_get(const struct pl_storage *st, const char *name, struct pl_image *img, pl_error **err);
void pl_image_free(struct pl_image *img);

int pl_image_list(const struct pl_storage *st, FILE *out, pl_error **err);
int pl_image_remove(const struct pl_storage *st, const char *name, pl_error **err);

/* Directory of an unpacked layer, and its tarball. */
void pl_layer_dir(const struct pl_storage *st, const char *diffid, char *buf, size_t len);
void pl_layer_tar(const struct pl_storage *st, const char *diffid, char *buf, size_t len);

#endif
