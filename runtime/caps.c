/* caps.c - capability sets with libcap (see caps.h). */
#include "caps.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "trace.h"

static const cap_value_t defaults[] = {
	CAP_CHOWN,  CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID,  CAP_KILL,        CAP_NET_BIND_SERVICE,
	CAP_SETFCAP, CAP_SETGID,      CAP_SETPCAP, CAP_SETUID, CAP_SYS_CHROOT,
};

/* The highest capability this kernel knows (libcap asks the kernel). */
static int last_cap(void)
{
	int bits = (int)cap_max_bits();
	return bits > 0 && bits <= 64 ? bits - 1 : CAP_LAST_CAP;
}

uint64_t pl_caps_default(void)
{
	uint64_t mask = 0;
	for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
		mask |= 1ULL << defaults[i];
	return mask;
}

int pl_caps_parse(const char *name, uint64_t *mask, pl_error **err)
{
	char buf[64];
	size_t n = strlen(name);
	if (n == 0 || n + 5 > sizeof buf)
		return pl_fail(err, EINVAL, "invalid capability name '%s'", name);
	if (strcasecmp(name, "ALL") == 0) {
		*mask = last_cap() == 63 ? ~0ULL : (1ULL << (last_cap() + 1)) - 1;
		return 0;
	}
	/* Accept "net_raw" and "CAP_NET_RAW" alike; libcap knows the names. */
	snprintf(buf, sizeof buf, "%s%s", strncasecmp(name, "CAP_", 4) == 0 ? "" : "cap_", name);
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	cap_value_t v;
	if (cap_from_name(buf, &v) < 0 || v < 0 || v > 63) {
		pl_fail(err, EINVAL, "unknown capability '%s'", name);
		return pl_fix(err, "use a name from capabilities(7), e.g. NET_RAW or CAP_NET_RAW, or ALL");
	}
	*mask = 1ULL << v;
	return 0;
}

int pl_caps_resolve(const char *const *add, size_t n_add, const char *const *drop, size_t n_drop, uint64_t *mask,
		    pl_error **err)
{
	uint64_t m = pl_caps_default(), bit;
	for (size_t i = 0; i < n_add; i++) {
		if (pl_caps_parse(add[i], &bit, err) < 0)
			return pl_wrap(err, "--cap-add");
		m |= bit;
	}
	for (size_t i = 0; i < n_drop; i++) {
		if (pl_caps_parse(drop[i], &bit, err) < 0)
			return pl_wrap(err, "--cap-drop");
		m &= ~bit;
	}
	*mask = m;
	return 0;
}

void pl_caps_format(uint64_t mask, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int c = 0; c <= last_cap(); c++) {
		if (!(mask & (1ULL << c)))
			continue;
		char *name = cap_to_name(c);
		const char *shown = name && strncasecmp(name, "cap_", 4) == 0 ? name + 4 : name;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", used ? "," : "", shown ? shown : "?");
		for (char *p = buf + used; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		cap_free(name);
	}
}

int pl_caps_apply(uint64_t mask, pl_error **err)
{
	char names[1024];
	pl_caps_format(mask, names, sizeof names);
	pl_trace("keep capabilities %s; drop the rest from the bounding set; set no_new_privs", names);
	/* LAB 07 BEGIN cap-drop: keep only the capabilities in `mask`.
	 * 1. For every capability 0..last_cap() not in mask, drop it from the
	 *    bounding set (cap_drop_bound).  This is what limits root: at
	 *    execve() root's permitted set is refilled from the bounding set.
	 * 2. Build a cap_t (cap_init) whose effective and permitted sets are
	 *    the mask, inheritable empty, and install it (cap_set_proc).
	 * 3. Clear the ambient set (cap_reset_ambient).
	 * 4. prctl(PR_SET_NO_NEW_PRIVS, 1): execve() can then never grant
	 *    more (setuid bits and file capabilities are ignored). */
	for (int c = 0; c <= last_cap(); c++)
		if (!(mask & (1ULL << c)) && cap_drop_bound(c) < 0)
			return pl_fail(err, errno, "cannot drop capability %d from the bounding set", c);
	cap_t caps = cap_init();
	if (caps == NULL)
		return pl_fail(err, errno, "cannot allocate a capability set");
	for (int c = 0; c <= last_cap(); c++) {
		if (!(mask & (1ULL << c)))
			continue;
		cap_value_t v = c;
		cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET);
		cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET);
	}
	int rc = cap_set_proc(caps);
	int e = errno;
	cap_free(caps);
	if (rc < 0)
		return pl_fail(err, e, "cannot set the process's capabilities");
	if (CAP_AMBIENT_SUPPORTED() && cap_reset_ambient() < 0)
		return pl_fail(err, errno, "cannot clear the ambient capabilities");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return pl_fail(err, errno, "cannot set no_new_privs");
	return 0;
	/* LAB 07 END cap-drop: return pl_todo(err, "07", "cap-drop"); */
}
