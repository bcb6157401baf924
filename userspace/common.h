/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the workshop's init (init.c, its workloads in net_pair.c and v4l2_dmabuf.c, and
 * its soak mode, soak.c): console output, small file reads and writes, the kernel command line, KTAP
 * lines and failures, the clock, dma-debug's state.
 *
 * Everything init prints for the host is KTAP (Documentation/dev-tools/ktap.rst), parsed by
 * scripts/summary.py: "KTAP version 1", a plan "1..N", one "ok N NAME" / "not ok N NAME" per
 * planned test, and "# " diagnostic lines.  A diagnostic "# KEY: k=v k=v ..." (only k=v tokens) is
 * data the summary tables are made of; any other "# KEY: text" is a note.
 */
#ifndef COMMON_H
#define COMMON_H

#include <stddef.h>
#include <sys/types.h>

#define DEBUGFS		"/sys/kernel/debug"

/* printf() to the console, flushed at once (init's stdout is /dev/console). */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Read up to len - 1 bytes of a file into buf, NUL-terminated; the length, or -1 (buf is ""). */
ssize_t read_file(const char *path, char *buf, size_t len);
/* The number a file starts with (strtol base 0), or -1. */
long read_long(const char *path);
/* Write val to a file: 0, or -1 with errno set. */
int write_file(const char *path, const char *val);

/* The value of NAME= on the kernel command line (up to a blank) in buf: 0, or -1 if absent. */
int cmdline_arg(const char *name, char *buf, size_t len);

/* KTAP: the header and plan of a (sub)test at depth INDENT (4 spaces a level), and results. */
enum ktap_status { KTAP_OK, KTAP_FAIL, KTAP_SKIP };
void ktap_header(int indent, const char *subtest, int planned);
void ktap_result(int indent, int num, const char *name, enum ktap_status st, const char *skip_why);
/* A workload's failure: print "# NAME: error: TEXT" and return KTAP_FAIL. */
enum ktap_status fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* CLOCK_MONOTONIC in nanoseconds. */
long long now_ns(void);

/* dma-debug's state: "# KEY: NAME=VALUE" for each small dma-api file, "# KEY: LINE" for devices. */
void dump_dma_api(const char *key);
void dump_dma_devices(const char *key);

#endif /* COMMON_H */
