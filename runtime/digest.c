/* digest.c - SHA-256 with OpenSSL's libcrypto (see digest.h). */
#include "digest.h"

#include <archive.h>
#include <ctype.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

static void to_hex(const unsigned char *md, char hex[PL_DIGEST_HEX + 1])
{
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

int pl_sha256_file(const char *path, char hex[PL_DIGEST_HEX + 1], pl_error **err)
{
	cleanup_fclose FILE *in = fopen(path, "rbe");
	if (in == NULL)
		return pl_fail(err, errno, "cannot read %s", path);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	unsigned char buf[65536], md[32];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	if (ferror(in))
		return pl_fail(err, EIO, "cannot read %s", path);
	to_hex(md, hex);
	return 0;
}

int pl_sha256_uncompressed(const char *path, char hex[PL_DIGEST_HEX + 1], pl_error **err)
{
	/* libarchive's "raw" format with every filter: the decompressed
	 * stream, byte for byte, whatever the compression was. */
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	struct archive_entry *entry;
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK || archive_read_next_header(a, &entry) != ARCHIVE_OK) {
		pl_fail(err, EINVAL, "cannot read %s: %s", path, archive_error_string(a) ? archive_error_string(a) : "?");
		archive_read_free(a);
		return -1;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	unsigned char buf[65536], md[32];
	la_ssize_t n;
	while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	int rc = 0;
	if (n < 0)
		rc = pl_fail(err, EIO, "cannot decompress %s: %s", path, archive_error_string(a));
	archive_read_free(a);
	to_hex(md, hex);
	return rc;
}

bool pl_digest_parse(const char *digest, char hex[PL_DIGEST_HEX + 1])
{
	if (digest == NULL || strncmp(digest, "sha256:", 7) != 0 || strlen(digest) != 7 + PL_DIGEST_HEX)
		return false;
	for (int i = 0; i < PL_DIGEST_HEX; i++) {
		char c = digest[7 + i];
		if (!isxdigit((unsigned char)c) || isupper((unsigned char)c))
			return false;
	}
	memcpy(hex, digest + 7, PL_DIGEST_HEX + 1);
	return true;
}
