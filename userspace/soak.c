// SPDX-License-Identifier: GPL-2.0
/*
 * The soak mode of the workshop's init ('make soak', kernel argument soak=SECONDS): set up fault
 * injection for the soak threads (task-filter) and kmemleak, load /dma_soak.ko (soak/dma_soak.c),
 * run its bad inputs one at a time and its soak through its debugfs files, print dma-debug's state,
 * remove the module (its devices go, and their dma-debug records with them), print the state again,
 * and let kmemleak scan once the soak's objects are older than its 5 s minimum age.
 *
 * Output for the host (scripts/summary.py soak) is KTAP (see common.h), five tests:
 *   KTAP version 1
 *   1..5
 *   # init: cpus=C mode=soak seconds=S fail=PERCENT tests=load,bad-inputs,soak,unload,kmemleak
 *   # start NAME: WHAT
 *   ok|not ok 1 load				(the module prints "# dma_soak: bad_inputs=N")
 *       KTAP version 1				bad-inputs: a subtest, one result per bad input
 *       # Subtest: bad-inputs
 *       1..N
 *       # bad-input: reports=N expected=N tracked_lines=N(+D) tracked_pages=N(+D)
 *       ok|not ok I NAME
 *   # bad-total: reports=N expected=N
 *   ok|not ok 2 bad-inputs
 *       ...					soak: the module's own subtest (printk), one result per thread
 *   # tracker: untracked_mappings=N
 *   # reports: soak=N soak_expected=N bad=N bad_expected=N
 *   # injected: failslab=N fail_page_alloc=N
 *   # dma-api: NAME=VALUE / # dma-devices: LINE	after the soak, module loaded
 *   ok|not ok 3 soak
 *   # dma-api-end: NAME=VALUE / # dma-devices-end: LINE	after the module's devices are gone
 *   ok|not ok 4 unload
 *   # kmemleak: baseline=N objects=N
 *   ok|not ok 5 kmemleak
 *   # init: done
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"
#include "workloads.h"

#define FAIL_TIMES	1000000000L
#define API		DEBUGFS "/dma-api/"
#define CTL		DEBUGFS "/dma_soak/"
#define MAX_BAD		64

static void wr(const char *path, const char *val)
{
	if (write_file(path, val))
		say("# soak: cannot write '%s' to %s: %s\n", val, path, strerror(errno));
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
			say("%s", buf);
	}
	close(fd);
	return count;
}

static void fail_setup(const char *name, const char *prob)
{
	static const char *const attrs[][2] = {
		{ "task-filter", "Y" }, { "ignore-gfp-wait", "N" }, { "verbose", "0" },
		{ "interval", "1" }, { "times", NULL }, { "probability", NULL },
		{ "ignore-gfp-highmem", "N" }, { "min-order", "0" },	/* fail_page_alloc only */
	};
	char path[128], times[32];
	unsigned int i, n = strcmp(name, "fail_page_alloc") ? 6 : 8;

	snprintf(times, sizeof(times), "%ld", FAIL_TIMES);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), DEBUGFS "/%s/%s", name, attrs[i][0]);
		wr(path, attrs[i][1] ? attrs[i][1] : i == 4 ? times : prob);
	}
}

static long fail_done(const char *name)
{
	char path[128];
	long left;

	snprintf(path, sizeof(path), DEBUGFS "/%s/probability", name);
	wr(path, "0");
	snprintf(path, sizeof(path), DEBUGFS "/%s/times", name);
	left = read_long(path);
	return left < 0 ? -1 : FAIL_TIMES - left;
}

static long soak_bad_reports, soak_bad_expected;

static enum ktap_status load_module(long seconds)
{
	char params[64];
	int fd, ret = -1;

	snprintf(params, sizeof(params), "seconds=%ld", seconds);
	fd = open("/dma_soak.ko", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ret = syscall(SYS_finit_module, fd, params, 0);
		close(fd);
	}
	if (ret)
		say("# load: error: /dma_soak.ko: %s\n", strerror(errno));
	return ret ? KTAP_FAIL : KTAP_OK;
}

/*
 * Run one bad input (dma_soak/bad's line "NUMBER EXPECTED NAME"): the DMA-API reports it caused
 * (error_count before and after; all_errors=1 prints every one) and the tracker's counts, which
 * must come back.
 */
static enum ktap_status bad_input(int num, int exp)
{
	long e0 = read_long(API "error_count"), l0 = read_long(API "tracked_lines");
	long p0 = read_long(API "tracked_pages"), e1, l1, p1;
	char arg[16];
	int ran;

	snprintf(arg, sizeof(arg), "%d", num);
	ran = !write_file(CTL "bad", arg);
	e1 = read_long(API "error_count");
	l1 = read_long(API "tracked_lines");
	p1 = read_long(API "tracked_pages");
	say("    # bad-input: reports=%ld expected=%d tracked_lines=%ld(%+ld) tracked_pages=%ld(%+ld)\n",
	    e1 - e0, exp, l1, l1 - l0, p1, p1 - p0);
	if (!ran)
		say("    # bad-input: error: writing %s to " CTL "bad failed: %s\n", arg,
		    strerror(errno));
	soak_bad_reports += e1 - e0;
	soak_bad_expected += exp;
	return ran && e0 >= 0 && e1 - e0 == exp && l1 == l0 && p1 == p0 ? KTAP_OK : KTAP_FAIL;
}

/* The bad inputs, one at a time, as a KTAP subtest with one result per input the module lists. */
static enum ktap_status bad_inputs(void)
{
	static char list[8192];
	char *line, *save, *names[MAX_BAD];
	int num[MAX_BAD], exp[MAX_BAD], n = 0, i, failed = 0;

	if (read_file(CTL "bad", list, sizeof(list)) <= 0) {
		say("# bad-inputs: error: no list in " CTL "bad (is dma_soak.ko loaded?)\n");
		return KTAP_FAIL;
	}
	for (line = strtok_r(list, "\n", &save); line && n < MAX_BAD;
	     line = strtok_r(NULL, "\n", &save), n++) {
		int off = 0;

		names[n] = line;
		if (sscanf(line, "%d %d %n", &num[n], &exp[n], &off) < 2 || !off)
			num[n] = -1;
		else
			names[n] = line + off;
	}
	wr(API "all_errors", "1");
	ktap_header(1, "bad-inputs", n);
	for (i = 0; i < n; i++) {
		enum ktap_status st = KTAP_FAIL;

		if (num[i] < 0)
			say("    # bad-input: error: unreadable line '%s' in " CTL "bad\n", names[i]);
		else
			st = bad_input(num[i], exp[i]);
		failed |= st != KTAP_OK;
		ktap_result(1, i + 1, names[i], st, NULL);
	}
	wr(API "all_errors", "0");
	say("# bad-total: reports=%ld expected=%ld\n", soak_bad_reports, soak_bad_expected);
	return failed || !n || soak_bad_reports != soak_bad_expected ? KTAP_FAIL : KTAP_OK;
}

/* The soak itself: writing to dma_soak/run returns when it is over (the module prints a subtest). */
static enum ktap_status soak_run(void)
{
	long e0 = read_long(API "error_count"), u0 = read_long(API "untracked_mappings");
	long e1, u1, expected, slab, pages;
	int ran = !write_file(CTL "run", "1");

	if (!ran)
		say("# soak: error: writing to " CTL "run failed: %s\n", strerror(errno));
	e1 = read_long(API "error_count");
	u1 = read_long(API "untracked_mappings");
	expected = read_long(CTL "run");
	slab = fail_done("failslab");
	pages = fail_done("fail_page_alloc");
	say("# tracker: untracked_mappings=%ld\n", u1 - u0);
	say("# reports: soak=%ld soak_expected=%ld bad=%ld bad_expected=%ld\n", e1 - e0, expected,
	    soak_bad_reports, soak_bad_expected);
	say("# injected: failslab=%ld fail_page_alloc=%ld\n", slab, pages);
	dump_dma_api("dma-api");
	dump_dma_devices("dma-devices");
	if (ran && (e0 < 0 || e1 - e0 != expected))
		say("# soak: error: %ld DMA-API reports during the soak, %ld expected\n", e1 - e0,
		    expected);
	return ran && e0 >= 0 && e1 - e0 == expected ? KTAP_OK : KTAP_FAIL;
}

static enum ktap_status unload_module(void)
{
	int ret = syscall(SYS_delete_module, "dma_soak", O_NONBLOCK);

	if (ret)
		say("# unload: error: delete_module(dma_soak): %s\n", strerror(errno));
	dump_dma_api("dma-api-end");
	dump_dma_devices("dma-devices-end");
	return ret ? KTAP_FAIL : KTAP_OK;
}

/* kmemleak reports objects at least 5 s old: wait, then scan twice */
static enum ktap_status kmemleak_end(long baseline)
{
	long leaks;

	sleep(6);
	wr(DEBUGFS "/kmemleak", "scan");
	sleep(1);
	wr(DEBUGFS "/kmemleak", "scan");
	leaks = kmemleak_count(1);
	say("# kmemleak: baseline=%ld objects=%ld\n", baseline, leaks);
	if (leaks)
		say("# kmemleak: error: %ld unreferenced object(s) after the soak (-1: no kmemleak)\n",
		    leaks);
	return leaks ? KTAP_FAIL : KTAP_OK;
}

void soak_main(long seconds, const char *fail_percent)
{
	enum ktap_status st;
	long baseline;

	ktap_header(0, NULL, 5);
	say("# init: cpus=%ld mode=soak seconds=%ld fail=%s tests=load,bad-inputs,soak,unload,kmemleak\n",
	    sysconf(_SC_NPROCESSORS_ONLN), seconds, fail_percent);

	/* kmemleak: no automatic scan; what boot left behind is the baseline, then cleared */
	wr(DEBUGFS "/kmemleak", "scan=off");
	wr(DEBUGFS "/kmemleak", "scan");
	baseline = kmemleak_count(1);
	wr(DEBUGFS "/kmemleak", "clear");
	fail_setup("failslab", fail_percent);
	fail_setup("fail_page_alloc", fail_percent);

	say("# start load: /dma_soak.ko seconds=%ld\n", seconds);
	ktap_result(0, 1, "load", load_module(seconds), NULL);
	say("# start bad-inputs: each of the module's bad inputs once, on a device with fake dma_map_ops\n");
	ktap_result(0, 2, "bad-inputs", bad_inputs(), NULL);
	say("# start soak: %ld s, failslab and fail_page_alloc fail %s%% of the soak threads' allocations\n",
	    seconds, fail_percent);
	ktap_result(0, 3, "soak", soak_run(), NULL);
	say("# start unload: remove dma_soak (its devices and their dma-debug records go)\n");
	ktap_result(0, 4, "unload", unload_module(), NULL);
	say("# start kmemleak: scan once the soak's objects are older than 5 s\n");
	st = kmemleak_end(baseline);
	ktap_result(0, 5, "kmemleak", st, NULL);
}
