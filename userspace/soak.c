// SPDX-License-Identifier: GPL-2.0
/*
 * The soak mode of the workshop's init ('make soak', kernel argument soak=SECONDS): set up fault
 * injection for the soak threads (task-filter) and kmemleak, load /dma_soak.ko (soak/dma_soak.c),
 * which runs its bad inputs and its soak before its init returns, then print dma-debug's state, remove
 * the module (its devices go, and their dma-debug records with them), print the state again, and let
 * kmemleak scan once the soak's objects are older than its 5 s minimum age.
 *
 * Lines for the host (scripts/soak_summary.py), besides the module's '@@ soak ' lines:
 *   @@ dma-api NAME VALUE / @@ dma-devices LINE		after the soak, module loaded
 *   @@ dma-api-end NAME VALUE / @@ dma-devices-end LINE	after the module's devices are gone
 *   @@ soak injected failslab=N fail_page_alloc=N
 *   @@ soak kmemleak baseline=N objects=N
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "workloads.h"

#define DEBUGFS		"/sys/kernel/debug"
#define FAIL_TIMES	1000000000L

static void wr(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		printf("init: soak: cannot write '%s' to %s: %s\n", val, path, strerror(errno));
	if (fd >= 0)
		close(fd);
	fflush(stdout);
}

static long rd_long(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 0) : -1;
}

/* Count kmemleak's "unreferenced object" entries; print them when asked. */
static long kmemleak_count(int print)
{
	static char buf[1 << 16];
	long count = 0;
	ssize_t n;
	int fd = open(DEBUGFS "/kmemleak", O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		char *p = buf;

		buf[n] = 0;
		while ((p = strstr(p, "unreferenced object"))) {
			count++;
			p++;
		}
		if (print)
			fputs(buf, stdout);
	}
	close(fd);
	fflush(stdout);
	return count;
}

static long soak_bad_reports, soak_bad_expected;
static int soak_failed;

static void fail_setup(const char *name, const char *prob)
{
	char path[128], times[32];

	snprintf(times, sizeof(times), "%ld", FAIL_TIMES);
#define SET(attr, val) do { snprintf(path, sizeof(path), DEBUGFS "/%s/" attr, name); wr(path, val); } while (0)
	SET("task-filter", "Y");
	SET("ignore-gfp-wait", "N");
	SET("verbose", "0");
	SET("interval", "1");
	SET("times", times);
	SET("probability", prob);
	if (!strcmp(name, "fail_page_alloc")) {
		SET("ignore-gfp-highmem", "N");
		SET("min-order", "0");
	}
#undef SET
}

static long fail_done(const char *name)
{
	char path[128];
	long left;

	snprintf(path, sizeof(path), DEBUGFS "/%s/probability", name);
	wr(path, "0");
	snprintf(path, sizeof(path), DEBUGFS "/%s/times", name);
	left = rd_long(path);
	return left < 0 ? -1 : FAIL_TIMES - left;
}

#define API	DEBUGFS "/dma-api/"
#define CTL	DEBUGFS "/dma_soak/"

/*
 * The bad inputs, one at a time: the DMA-API reports each caused (error_count before and after;
 * all_errors=1 prints every one) and the tracker's counts, which must come back.
 */
static void bad_inputs(void)
{
	static char list[8192];
	long total = 0, total_exp = 0;
	int fd, failed = 0;
	char *line, *save;
	ssize_t n;

	fd = open(CTL "bad", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, list, sizeof(list) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		printf("@@ soak bad-total reports=0 expected=0 result=FAIL (no " CTL "bad)\n");
		fflush(stdout);
		return;
	}
	list[n] = 0;
	wr(API "all_errors", "1");
	for (line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		long e0 = rd_long(API "error_count"), l0 = rd_long(API "tracked_lines");
		long p0 = rd_long(API "tracked_pages"), e1, l1, p1;
		int num, exp, off = 0, ok;

		if (sscanf(line, "%d %d %n", &num, &exp, &off) < 2 || !off)
			continue;
		fd = open(CTL "bad", O_WRONLY);
		snprintf(list + sizeof(list) - 16, 16, "%d", num);
		ok = fd >= 0 && write(fd, list + sizeof(list) - 16, strlen(list + sizeof(list) - 16)) > 0;
		if (fd >= 0)
			close(fd);
		e1 = rd_long(API "error_count");
		l1 = rd_long(API "tracked_lines");
		p1 = rd_long(API "tracked_pages");
		ok = ok && e1 - e0 == exp && l1 == l0 && p1 == p0;
		printf("@@ soak bad %s reports=%ld expected=%d tracked_lines=%ld(%+ld) tracked_pages=%ld(%+ld) result=%s\n",
		       line + off, e1 - e0, exp, l1, l1 - l0, p1, p1 - p0, ok ? "ok" : "FAIL");
		fflush(stdout);
		total += e1 - e0;
		total_exp += exp;
		failed |= !ok;
	}
	wr(API "all_errors", "0");
	printf("@@ soak bad-total reports=%ld expected=%ld result=%s\n", total, total_exp,
	       failed ? "FAIL" : "ok");
	soak_bad_reports = total;
	soak_bad_expected = total_exp;
	soak_failed |= failed;
	fflush(stdout);
}

/* The soak itself: writing to dma_soak/run returns when it is over. */
static void soak_run(void)
{
	long e0 = rd_long(API "error_count"), u0 = rd_long(API "untracked_mappings");
	long e1, u1, expected;
	int fd = open(CTL "run", O_WRONLY);

	if (fd < 0 || write(fd, "1", 1) != 1) {
		printf("@@ soak run result=FAIL (%s)\n", strerror(errno));
		soak_failed = 1;
	}
	if (fd >= 0)
		close(fd);
	e1 = rd_long(API "error_count");
	u1 = rd_long(API "untracked_mappings");
	expected = rd_long(CTL "run");
	printf("@@ soak tracker untracked_mappings=%ld\n", u1 - u0);
	printf("@@ soak reports soak=%ld soak_expected=%ld bad=%ld bad_expected=%ld\n", e1 - e0,
	       expected, soak_bad_reports, soak_bad_expected);
	printf("@@ soak end result=%s\n", !soak_failed && e1 - e0 == expected ? "ok" : "FAIL");
	fflush(stdout);
}

void soak_main(long seconds, const char *fail_percent)
{
	long baseline, leaks, slab, pages;
	char params[64];
	int fd;

	printf("init: soak: %ld s, failslab and fail_page_alloc fail %s%% of the soak threads' allocations\n",
	       seconds, fail_percent);
	fflush(stdout);

	/* kmemleak: no automatic scan; what boot left behind is the baseline, then cleared */
	wr(DEBUGFS "/kmemleak", "scan=off");
	wr(DEBUGFS "/kmemleak", "scan");
	baseline = kmemleak_count(1);
	wr(DEBUGFS "/kmemleak", "clear");

	fail_setup("failslab", fail_percent);
	fail_setup("fail_page_alloc", fail_percent);

	snprintf(params, sizeof(params), "seconds=%ld", seconds);
	fd = open("/dma_soak.ko", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0)) {
		printf("@@ soak load result=FAIL (%s)\n", strerror(errno));
		fflush(stdout);
	}
	if (fd >= 0)
		close(fd);

	bad_inputs();
	soak_run();

	slab = fail_done("failslab");
	pages = fail_done("fail_page_alloc");
	printf("@@ soak injected failslab=%ld fail_page_alloc=%ld\n", slab, pages);
	fflush(stdout);
	dump_dma_api("dma-api");
	dump_dma_devices("dma-devices");

	if (syscall(SYS_delete_module, "dma_soak", O_NONBLOCK))
		printf("@@ soak unload result=FAIL (%s)\n", strerror(errno));
	fflush(stdout);
	dump_dma_api("dma-api-end");
	dump_dma_devices("dma-devices-end");

	/* kmemleak reports objects at least 5 s old: wait, then scan twice */
	printf("init: soak: kmemleak scan (objects must be older than 5 s)\n");
	fflush(stdout);
	sleep(6);
	wr(DEBUGFS "/kmemleak", "scan");
	sleep(1);
	wr(DEBUGFS "/kmemleak", "scan");
	leaks = kmemleak_count(1);
	printf("@@ soak kmemleak baseline=%ld objects=%ld\n", baseline, leaks);
	fflush(stdout);
}
