// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by init.c, soak.c and v4l2_dmabuf.c: see common.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

ssize_t read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (fd >= 0) {
		n = read(fd, buf, len - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = 0;
	return n;
}

long read_long(const char *path)
{
	char buf[64];

	return read_file(path, buf, sizeof(buf)) > 0 ? strtol(buf, NULL, 0) : -1;
}

int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	err = errno;
	close(fd);
	errno = n < 0 ? err : EIO;
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

int cmdline_arg(const char *name, char *buf, size_t len)
{
	char cmdline[1024];
	size_t nlen = strlen(name);
	const char *p;

	if (read_file("/proc/cmdline", cmdline, sizeof(cmdline)) <= 0)
		return -1;
	for (p = cmdline; (p = strstr(p, name)); p++)
		if ((p == cmdline || p[-1] == ' ') && p[nlen] == '=') {
			p += nlen + 1;
			snprintf(buf, len, "%.*s", (int)strcspn(p, " \n"), p);
			return 0;
		}
	return -1;
}

void ktap_header(int indent, const char *subtest, int planned)
{
	say("%*sKTAP version 1\n", 4 * indent, "");
	if (subtest)
		say("%*s# Subtest: %s\n", 4 * indent, "", subtest);
	say("%*s1..%d\n", 4 * indent, "", planned);
}

void ktap_result(int indent, int num, const char *name, enum ktap_status st, const char *skip_why)
{
	if (st == KTAP_SKIP)
		say("%*sok %d %s # SKIP %s\n", 4 * indent, "", num, name, skip_why);
	else
		say("%*s%s %d %s\n", 4 * indent, "", st == KTAP_OK ? "ok" : "not ok", num, name);
}

void dump_dma_devices(const char *key)
{
	FILE *f = fopen(DEBUGFS "/dma-api/devices", "r");
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		say("# %s: %s\n", key, line);
	}
	fclose(f);
}

void dump_dma_api(const char *key)
{
	static const char *const files[] = {
		"error_count", "all_errors", "num_errors", "num_free_entries", "min_free_entries",
		"nr_total_entries", "driver_filter", "disabled",
		"tracked_pages", "tracked_lines", "untracked_mappings", NULL,
	};
	char path[128], buf[256];
	int i;

	for (i = 0; files[i]; i++) {
		snprintf(path, sizeof(path), DEBUGFS "/dma-api/%s", files[i]);
		if (read_file(path, buf, sizeof(buf)) < 0)
			continue;
		buf[strcspn(buf, "\n")] = 0;
		say("# %s: %s=%s\n", key, files[i], buf[0] ? buf : "-");
	}
}

enum ktap_status fail(const char *name, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	say("# %s: error: %s\n", name, msg);
	return KTAP_FAIL;
}

long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
