/* imagestore.h - what image.c shares with imageload.c and containers.c. */
#ifndef PODLAB_IMAGESTORE_H
#define PODLAB_IMAGESTORE_H

#include "image.h"

/* Unpack a layer blob into layers/DIFFID (once), after checking its
 * decompressed digest against `expect` (a diff id in hex; NULL: no check).
 * The diff id is written to `diffid`. */
int pl_store_add_layer(const struct pl_storage *st, const char *blob, const char *expect, char *diffid,
		       pl_error **err);

int pl_store_save_image(const struct pl_storage *st, const struct pl_image *img, pl_error **err);

/* Remove a layer no image record uses any more. */
int pl_store_gc_layer(const struct pl_storage *st, const char *diffid, pl_error **err);

/* Remove a tree that may hold files of subordinate ids (via the userns). */
int pl_store_remove_tree(const char *path, pl_error **err);

#endif
