// SPDX-License-Identifier: GPL-2.0
/*
 * init for the workshop's QEMU boot ('make'): mount the pseudo file systems, run the workloads,
 * print what dma-debug saw and power off.  Static, cross-compiled; no libc beyond the basics.
 *
 * Output for the host (scripts/summary.py run) is KTAP (see common.h):
 *   KTAP version 1
 *   1..N					N: the workloads the kernel argument workloads= plans
 *   # init: cpus=C mode=MODE tests=NAME,NAME,...
 *   # start NAME: WHAT			a workload starts (DMA-API reports from here are its)
 *   # expect-report: NAME TEXT		workload NAME must cause one DMA-API report containing TEXT
 *   # NAME: ops=N k=v ...			what the workload did (its row in the summary table)
 *   # NAME: error: TEXT			why it failed
 *   # NAME: dma_maps=N			DMA map calls made while it ran (dma tracepoints)
 *   ok|not ok I NAME			one per planned workload, always (also when it fails early)
 *   # dma-api: FILE=VALUE			/sys/kernel/debug/dma-api after the workloads
 *   # dma-devices: LINE			/sys/kernel/debug/dma-api/devices, if the kernel has it
 *   # dma-device-maps: DEV EVENT N	map calls of the whole run per device (dma tracepoints)
 *   # init: done
 * Programs the workloads run (mm-cow, v4l2-compliance) have their output relayed as "NAME: LINE".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "workloads.h"

#define PAGE		4096UL

static void do_mount(const char *src, const char *dst, const char *type)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, NULL) && errno != EBUSY)
		say("# init: mount %s on %s: %s\n", type, dst, strerror(errno));
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Write one byte in every page of [p, p + len): each write to a shared-after-fork page is a COW fault. */
static unsigned long touch_pages(char *p, size_t len, char v)
{
	unsigned long n = 0;
	size_t off;

	for (off = 0; off < len; off += PAGE, n++)
		p[off] = v;
	return n;
}

static int check_pages(const char *p, size_t len, char v)
{
	size_t off;

	for (off = 0; off < len; off += PAGE)
		if (p[off] != v)
			return -1;
	return 0;
}
/*
 * One COW round in a worker: anonymous and file-backed (tmpfs, i.e. shmem) private memory is
 * written, the worker forks, and both sides write every page again so every page is copied.
 * Returns the number of COW writes, or -1 if a process read back wrong data.
 */
static long cow_round(int fd, size_t len, int round)
{
	char *anon, *file;
	long writes = 0;
	int status;
	pid_t pid;

	anon = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	file = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (anon == MAP_FAILED || file == MAP_FAILED)
		return -1;
	touch_pages(anon, len, 'a');
	/* Read-fault half of the file pages first (wp_page_copy), write the rest directly (do_cow_fault). */
	if (check_pages(file, len / 2, 'f'))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		touch_pages(anon, len, 'c');
		touch_pages(file, len, 'c');
		_exit(check_pages(anon, len, 'c') || check_pages(file, len, 'c') ? 1 : 0);
	}
	writes += touch_pages(anon, len, 'p' + round % 2);
	writes += touch_pages(file, len, 'p' + round % 2);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		writes = -1;
	else if (check_pages(anon, len, 'p' + round % 2) || check_pages(file, len, 'p' + round % 2))
		writes = -1;
	else
		writes += 2 * len / PAGE;	/* the child's writes */
	munmap(anon, len);
	munmap(file, len);
	return writes;
}

/* What a cow-storm worker tells the parent (one write, atomic on a pipe: less than PIPE_BUF). */
struct cow_report {
	long writes;		/* COW writes, or -1 if a process read back wrong data */
	long long t0, t1;	/* CLOCK_MONOTONIC ns: the first round starts, the last one ends */
	int cpu0, cpu1;		/* the CPU the worker ran on at t0 and at t1 */
	int worker;
};

/* One worker: set up its file, say it is ready, wait for the start, run the rounds, report. */
static void cow_worker(int w, int cpu, int ready, int go, int out, int rounds, size_t len)
{
	struct cow_report rep = { .worker = w };
	char name[64], c;
	int fd, r;

	pin_to_cpu(cpu);
	snprintf(name, sizeof(name), "/tmp/cow-%d", w);
	fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, len))
		_exit(1);
	for (size_t off = 0; off < len; off += PAGE)
		if (pwrite(fd, "f", 1, off) != 1)
			_exit(1);
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 0)	/* EOF: all start together */
		_exit(1);
	rep.cpu0 = sched_getcpu();
	rep.t0 = now_ns();
	for (r = 0; r < rounds; r++) {
		long n = cow_round(fd, len, r);

		if (n < 0) {
			rep.writes = -1;
			break;
		}
		rep.writes += n;
	}
	rep.t1 = now_ns();
	rep.cpu1 = sched_getcpu();
	_exit(write(out, &rep, sizeof(rep)) == sizeof(rep) ? 0 : 1);
}

/*
 * The longest time two workers on different CPUs ran at once (ns; 0 if none did), and those
 * CPUs.
 */
static long long cow_overlap(const struct cow_report *rep, int n, int *cpu_a, int *cpu_b)
{
	long long best = 0;
	int i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			long long lo = rep[i].t0 > rep[j].t0 ? rep[i].t0 : rep[j].t0;
			long long hi = rep[i].t1 < rep[j].t1 ? rep[i].t1 : rep[j].t1;

			if (rep[i].cpu0 == rep[j].cpu0 || hi - lo <= best)
				continue;
			best = hi - lo;
			*cpu_a = rep[i].cpu0 < rep[j].cpu0 ? rep[i].cpu0 : rep[j].cpu0;
			*cpu_b = rep[i].cpu0 < rep[j].cpu0 ? rep[j].cpu0 : rep[i].cpu0;
		}
	return best;
}

#define COW_MAX_WORKERS	8

/*
 * Workload 'cow-storm': processes pinned to the CPUs in turn fork and write over private anonymous
 * and file pages, all at the same time: every worker is forked and set up first, then a pipe
 * barrier (its write end closed) releases them together.  Each worker reports when it ran and on
 * which CPU; with 2 CPUs online, the workload fails unless two workers on different CPUs ran at once.
 */
static enum ktap_status cow_storm(int workers, int rounds, size_t len)
{
	static const char me[] = "cow-storm";
	struct cow_report rep[COW_MAX_WORKERS];
	int ready[2], go[2], out[2], w, forked = 0, bad = 0, got = 0, cpu_a = -1, cpu_b = -1;
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	pid_t pid[COW_MAX_WORKERS];
	long long overlap, base = 0;
	int fork_err = 0;
	long total = 0;
	char c;

	if (workers > COW_MAX_WORKERS)
		return fail(me, "%d workers, at most %d", workers, COW_MAX_WORKERS);
	if (pipe(ready) || pipe(go) || pipe(out))
		return fail(me, "pipe: %s", strerror(errno));
	for (w = 0; w < workers; w++) {
		pid[w] = fork();
		if (pid[w] < 0) {
			fork_err = errno;
			break;
		}
		if (pid[w] == 0) {
			close(ready[0]);
			close(go[1]);
			close(out[0]);
			cow_worker(w, (int)(w % (ncpus > 1 ? ncpus : 1)), ready[1], go[0], out[1],
				   rounds, len);
		}
		forked++;
	}
	close(ready[1]);
	close(go[0]);
	close(out[1]);
	/* Every worker set up (or dead: read() then sees EOF early), then the start for all */
	for (w = 0; w < forked && read(ready[0], &c, 1) == 1; w++)
		;
	close(go[1]);
	for (w = 0; w < forked; w++) {
		int status;

		if (waitpid(pid[w], &status, 0) != pid[w] || !WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	while (got < forked && read(out[0], &rep[got], sizeof(rep[got])) == sizeof(rep[got])) {
		if (rep[got].writes < 0)
			bad++;
		else
			total += rep[got].writes;
		got++;
	}
	close(ready[0]);
	close(out[0]);
	overlap = cow_overlap(rep, got, &cpu_a, &cpu_b);
	for (w = 0; w < got; w++)	/* times from the first start */
		if (!w || rep[w].t0 < base)
			base = rep[w].t0;
	for (w = 0; w < got; w++)
		say("# %s: worker=%d cpu=%d cpu_end=%d start_us=%lld end_us=%lld writes=%ld\n", me,
		    rep[w].worker, rep[w].cpu0, rep[w].cpu1, (rep[w].t0 - base) / 1000,
		    (rep[w].t1 - base) / 1000, rep[w].writes);
	if (overlap > 0)
		say("# %s: workers overlapped %lld us on CPUs %d,%d\n", me, overlap / 1000, cpu_a, cpu_b);
	else
		say("# %s: no two workers on different CPUs ran at the same time\n", me);
	say("# %s: ops=%ld workers=%d rounds=%d pages=%lu overlap_us=%lld cpus=%ld\n", me, total,
	    got, rounds, len / PAGE, overlap / 1000, ncpus);
	if (forked < workers)
		return fail(me, "fork of worker %d: %s", forked, strerror(fork_err));
	if (bad || got < forked)
		return fail(me, "%d of %d workers failed or read back wrong data, %d reported", bad,
			    forked, got);
	if (ncpus >= 2 && overlap <= 0)
		return fail(me, "the workers did not run concurrently on 2 CPUs");
	return KTAP_OK;
}

/*
 * Workload 'odirect-fork': one thread does O_DIRECT writes and reads of the virtio disk (real DMA
 * through the DMA API) into a buffer, checking every read, while the main thread of the same process
 * forks and writes to other pages of the same memory (the classic O_DIRECT-vs-fork pattern; since
 * 5.x the kernel pins O_DIRECT pages with FOLL_PIN and copies pinned pages at fork, so no page under
 * DMA is ever copied on write: no report is expected).
 */
#define OD_CHUNK	(64 * 1024)
#define OD_SPAN		(16UL << 20)
#define OD_OTHER	(1UL << 20)

struct od_state {
	int fd;
	char *buf;		/* OD_CHUNK, the I/O buffer */
	long ios;
	int fail;
	volatile int stop;
};

static void *od_io_thread(void *arg)
{
	struct od_state *st = arg;
	unsigned int round = 0;

	pin_to_cpu(0);
	while (!st->stop) {
		off_t off = (off_t)(round % (OD_SPAN / OD_CHUNK)) * OD_CHUNK;
		unsigned char v = (unsigned char)(round * 7 + 1);
		size_t i;

		memset(st->buf, v, OD_CHUNK);
		if (pwrite(st->fd, st->buf, OD_CHUNK, off) != OD_CHUNK)
			st->fail = 1;
		memset(st->buf, 0, OD_CHUNK);
		if (pread(st->fd, st->buf, OD_CHUNK, off) != OD_CHUNK)
			st->fail = 1;
		for (i = 0; i < OD_CHUNK; i += 512)
			if ((unsigned char)st->buf[i] != v)
				st->fail = 1;
		st->ios += 2;
		round++;
	}
	return NULL;
}

static enum ktap_status odirect_fork(const char *disk, int forks)
{
	static const char me[] = "odirect-fork";
	struct od_state st = { .fail = 0 };
	long nforks = 0;
	pthread_t thr;
	char *mem;
	int i, err;

	if (!disk)
		return fail(me, "no 64 MiB virtio disk (scripts/run.sh attaches one)");
	st.fd = open(disk, O_RDWR | O_DIRECT);
	if (st.fd < 0)
		return fail(me, "open %s: %s", disk, strerror(errno));
	/* The I/O buffer and the pages the main thread writes share one anonymous mapping. */
	mem = mmap(NULL, OD_CHUNK + OD_OTHER, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (mem == MAP_FAILED) {
		close(st.fd);
		return fail(me, "mmap: %s", strerror(errno));
	}
	st.buf = mem;
	touch_pages(mem, OD_CHUNK + OD_OTHER, 1);
	err = pthread_create(&thr, NULL, od_io_thread, &st);
	if (err) {
		close(st.fd);
		munmap(mem, OD_CHUNK + OD_OTHER);
		return fail(me, "pthread_create: %s", strerror(err));
	}
	pin_to_cpu(1);
	for (i = 0; i < forks; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			st.fail = 1;
			break;
		}
		if (pid == 0) {
			touch_pages(mem + OD_CHUNK, OD_OTHER, 'c');
			_exit(check_pages(mem + OD_CHUNK, OD_OTHER, 'c') ? 1 : 0);
		}
		touch_pages(mem + OD_CHUNK, OD_OTHER, 'p');
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			st.fail = 1;
		nforks++;
	}
	st.stop = 1;
	pthread_join(thr, NULL);
	close(st.fd);
	munmap(mem, OD_CHUNK + OD_OTHER);
	say("# %s: ops=%ld ios=%ld forks=%ld\n", me, st.ios + nforks, st.ios, nforks);
	if (st.fail)
		return fail(me, "an I/O, a fork or a read-back check failed (%ld forks of %d)", nforks,
			    forks);
	return KTAP_OK;
}

/* The pfn that maps user address p, from /proc/self/pagemap (init runs as root), or 0. */
static unsigned long user_pfn(const void *p)
{
	unsigned long long ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, sizeof(ent), (off_t)((unsigned long)p / PAGE) * sizeof(ent)) != sizeof(ent))
		ent = 0;
	close(fd);
	return (ent >> 63) & 1 ? (unsigned long)(ent & ((1ULL << 55) - 1)) : 0;
}

/*
 * Run a third-party test program with its output relayed to the console, each line prefixed with
 * "NAME: "; on_line() sees every line.  Returns the exit status (as waitpid() gives it), or -1.
 */
static int run_relayed(const char *name, char *const argv[], char *const envp[],
		       void (*on_line)(const char *line, void *arg), void *arg)
{
	char line[1024];
	int pfd[2], status;
	pid_t pid;
	FILE *f;

	if (access(argv[0], X_OK) || pipe(pfd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		if (chdir("/tmp") == 0)
			execve(argv[0], argv, envp);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		say("%s: %s\n", name, line);
		if (on_line)
			on_line(line, arg);
	}
	if (f)
		fclose(f);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

struct ksft_totals {
	int seen, pass, fail, xfail, xpass, skip, error;
};

static void ksft_line(const char *line, void *arg)
{
	struct ksft_totals *t = arg;

	if (sscanf(line, "# Totals: pass:%d fail:%d xfail:%d xpass:%d skip:%d error:%d", &t->pass,
		   &t->fail, &t->xfail, &t->xpass, &t->skip, &t->error) == 6)
		t->seen = 1;
}

/*
 * The virtio disks are told apart by size (scripts/run.sh): the odirect-fork disk has
 * 64 MiB, the swap disk 32 MiB.  Returns "/dev/vdX" in buf, or NULL.
 */
static const char *find_disk(unsigned long mib, char *buf, size_t len)
{
	char path[64];
	int c;

	for (c = 'a'; c <= 'h'; c++) {
		snprintf(path, sizeof(path), "/sys/block/vd%c/size", c);
		if (read_long(path) == (long)(mib * 2048)) {
			snprintf(buf, len, "/dev/vd%c", c);
			return buf;
		}
	}
	return NULL;
}

/*
 * Swap on the second virtio disk (through the DMA API too): mm-cow's "swapped out" tests need
 * MADV_PAGEOUT to work, and swap-out/swap-in is DMA to and from pages that COW then copies.
 * The header is mkswap's: version 1, last page, "SWAPSPACE2" at the end of the first page.
 */
static void swap_on(void)
{
	unsigned char hdr[PAGE] = { 0 };
	unsigned int *info = (unsigned int *)(hdr + 1024);
	char disk[16];
	int fd;

	if (!find_disk(32, disk, sizeof(disk))) {
		say("# mm-cow: no 32 MiB swap disk: mm-cow's swap tests will skip\n");
		return;
	}
	info[0] = 1;					/* version */
	info[1] = (32UL << 20) / PAGE - 1;		/* last_page */
	memcpy(hdr + PAGE - 10, "SWAPSPACE2", 10);
	fd = open(disk, O_WRONLY);
	if (fd < 0 || pwrite(fd, hdr, PAGE, 0) != PAGE || fsync(fd)) {
		say("# mm-cow: writing the swap header on %s failed: %s\n", disk, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	if (swapon(disk, 0))
		say("# mm-cow: swapon %s: %s\n", disk, strerror(errno));
	else
		say("# mm-cow: swap on %s (32 MiB)\n", disk);
}

/*
 * Workload 'mm-cow': the kernel's own tools/testing/selftests/mm/cow.c, cross-built from the
 * kernel tree by scripts/run.sh (/bin/mm-cow): COW with fork, R/O and R/W pinning (gup_test,
 * CONFIG_GUP_TEST), vmsplice, KSM, ...  Tests of features the run kernel lacks (THP and hugetlb:
 * 32-bit ARM has them only with LPAE) skip.
 */
static enum ktap_status mm_cow(void)
{
	static const char me[] = "mm-cow";
	char *argv[] = { "/bin/mm-cow", NULL };
	char *envp[] = { "PATH=/bin", NULL };
	struct ksft_totals t = { 0 };
	int status, code;

	swap_on();
	status = run_relayed(me, argv, envp, ksft_line, &t);
	code = status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	say("# %s: ops=%d pass=%d skip=%d fail=%d xfail=%d error=%d exit=%d\n", me,
	    t.pass + t.fail + t.xfail + t.xpass + t.error, t.pass, t.skip, t.fail, t.xfail, t.error,
	    code);
	if (status < 0)
		return fail(me, "%s did not run (not in the initramfs?)", argv[0]);
	if (!t.seen)
		return fail(me, "no '# Totals:' line (exit status %d)", code);
	if (code || t.fail || t.error || t.xpass)
		return fail(me, "%d failed, %d errors, %d xpass, exit status %d", t.fail, t.error,
			    t.xpass, code);
	return KTAP_OK;
}

/*
 * Workload 'v4l2-compliance': Debian's v4l2-compliance (v4l-utils of the base's Debian release,
 * unpacked into the initramfs by scripts/initramfs.sh) on every vivid video node, with streaming
 * tests (-s) and DMABUF streaming on buffers exported by a capture node of the other vivid
 * instance (-e).  The gate is its totals: every test passes, except the failures that
 * /etc/v4l2-compliance.known names (config/run-v4l2-compliance-$BASE.known: failures of the base
 * kernel itself, lines "KIND TEST", e.g. "vid-cap VIDIOC_G_FMT"); every failure must be one that
 * the program's "Total ... Failed: N" lines count, and every streaming test must pass.
 */
#define V4L2C_KNOWN	"/etc/v4l2-compliance.known"

struct v4l2c_totals {
	int seen, total, ok, failed, warnings;
	int in_stream, stream_ok, stream_fail;
	int fail_lines, known_fail;	/* "test NAME: FAIL" lines; those the known list names */
	const char *kind;		/* the node's kind, e.g. "vid-cap" */
	const char *known;		/* the known list, or NULL */
	char unknown[240];		/* the failed tests the list does not name */
	char stream_failed[160];	/* names of the failed streaming tests */
};

/* Append 'TEXT' to BUF (of LEN bytes) while it fits. */
static void note(char *buf, size_t len, const char *text, size_t tlen)
{
	size_t n = strlen(buf);

	if (n + tlen + 4 < len)
		snprintf(buf + n, len - n, " '%.*s'", (int)tlen, text);
}

/* Does the known list name the test NAME (NLEN bytes) on a node of kind KIND? */
static int v4l2c_known(const char *list, const char *kind, const char *name, size_t nlen)
{
	size_t klen = strlen(kind);
	const char *l, *e;

	for (l = list; l && *l; l = e + (*e == '\n')) {
		e = l + strcspn(l, "\n");
		if (*l != '#' && (size_t)(e - l) == klen + 1 + nlen && !strncmp(l, kind, klen) &&
		    l[klen] == ' ' && !strncmp(l + klen + 1, name, nlen))
			return 1;
	}
	return 0;
}

static void v4l2c_line(const char *line, void *arg)
{
	struct v4l2c_totals *t = arg;
	int tot, ok, failed, warn;
	const char *p, *q, *name;

	if (strstr(line, "Streaming ioctls:"))
		t->in_stream = 1;
	p = strstr(line, "Total for ");
	/* "Grand Total for ...": a sum of totals already counted (media device mode). */
	if (p && (p - line < 6 || strncmp(p - 6, "Grand ", 6)) &&
	    sscanf(p, "Total for %*s device %*[^:]: %d, Succeeded: %d, Failed: %d, Warnings: %d",
		   &tot, &ok, &failed, &warn) == 4) {
		t->seen++;
		t->total += tot;
		t->ok += ok;
		t->failed += failed;
		t->warnings += warn;
		t->in_stream = 0;
		return;
	}
	/* A test's result ends its line (streaming: after the frame counters): "test NAME: OK". */
	for (p = NULL; (line = strstr(line, "test ")); line++)
		p = line;
	if (!p || !(q = strstr(p, ": ")))
		return;
	name = p + 5;
	if (!strncmp(q, ": OK", 4)) {
		t->stream_ok += t->in_stream;
	} else if (!strncmp(q, ": FAIL", 6)) {
		t->fail_lines++;
		if (t->known && v4l2c_known(t->known, t->kind, name, q - name))
			t->known_fail++;
		else
			note(t->unknown, sizeof(t->unknown), name, q - name);
		if (t->in_stream) {
			t->stream_fail++;
			note(t->stream_failed, sizeof(t->stream_failed), name, q - name);
		}
	}
}

/* The name of /dev/videoN (e.g. "vivid-000-vid-cap"), from sysfs. */
static int video_name(int n, char *buf, size_t len)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/class/video4linux/video%d/name", n);
	if (read_file(path, buf, len) < 0)
		return -1;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static enum ktap_status v4l2_compliance(int frames)
{
	static const char me[] = "v4l2-compliance";
	static const char prog[] = "/usr/bin/v4l2-compliance";
	/* Debian's armel (6.12) or armhf (7.2) libraries, without an ld.so.cache. */
	char *envp[] = { "PATH=/usr/bin:/bin",
			 "LD_LIBRARY_PATH=/lib/arm-linux-gnueabi:/usr/lib/arm-linux-gnueabi:"
			 "/usr/lib/arm-linux-gnueabihf", NULL };
	char names[8][40], dev[16], exp[16], count[16], fails[8 * 41] = "", known[4096];
	struct v4l2c_totals all = { 0 };
	int n, m, nodes = 0, bad = 0, nknown = 0;

	if (access(prog, X_OK))
		return fail(me, "%s is not in the initramfs", prog);
	if (read_file(V4L2C_KNOWN, known, sizeof(known)) < 0)
		known[0] = 0;
	for (n = 0; known[n]; n++)
		nknown += known[n] == '\n';
	say("# %s: %d known failure(s) of the base kernel (%s)\n", me, nknown, V4L2C_KNOWN);
	for (n = 0; n < 8; n++)
		if (video_name(n, names[n], sizeof(names[n])))
			names[n][0] = 0;
	snprintf(count, sizeof(count), "%d", frames);
	for (n = 0; n < 8; n++) {
		struct v4l2c_totals t = { 0 };
		int status;

		if (strncmp(names[n], "vivid-", 6))
			continue;
		/* The exporter: the node of the same kind (capture, output) of another instance. */
		for (m = 0; m < 8; m++)
			if (!strncmp(names[m], "vivid-", 6) && strncmp(names[m], names[n], 9) &&
			    !strcmp(names[m] + 9, names[n] + 9))
				break;
		if (m == 8)
			continue;
		snprintf(dev, sizeof(dev), "/dev/video%d", n);
		snprintf(exp, sizeof(exp), "/dev/video%d", m);
		t.kind = names[n] + 10;		/* "vivid-000-vid-cap": "vid-cap" */
		t.known = known;
		{
			char *argv[] = { (char *)prog, "-d", dev, "-s", count, "-e", exp, NULL };

			say("# %s: -d %s (%s) -s %s -e %s (%s)\n", me, dev, names[n], count, exp,
			    names[m]);
			status = run_relayed(me, argv, envp, v4l2c_line, &t);
		}
		nodes++;
		/*
		 * The gate, on the totals: no failure but the known ones, each failure one that the
		 * totals count (a failure the parser cannot name cannot be judged), every streaming
		 * test passed, and the program ended by itself.
		 */
		if (!t.seen || t.failed != t.fail_lines || t.unknown[0] || t.stream_fail ||
		    !t.stream_ok || status < 0 || WIFSIGNALED(status)) {
			bad++;
			strcat(strcat(fails, " "), names[n]);
			say("# %s: on %s: totals %d, failed %d (%d named, %d known), streaming failed %d, status %d;"
			    " failed and not known:%s\n", me, names[n], t.total, t.failed, t.fail_lines,
			    t.known_fail, t.stream_fail, status, t.unknown[0] ? t.unknown : " -");
		} else if (t.known_fail) {
			say("# %s: on %s: %d known failure(s) of the base kernel, no other\n", me,
			    names[n], t.known_fail);
		}
		all.total += t.total;
		all.ok += t.ok;
		all.failed += t.failed;
		all.warnings += t.warnings;
		all.stream_ok += t.stream_ok;
		all.stream_fail += t.stream_fail;
		all.known_fail += t.known_fail;
	}
	say("# %s: ops=%d nodes=%d streaming=%d streaming_fail=%d pass=%d fail=%d known_fail=%d"
	    " warnings=%d\n", me, all.total, nodes, all.stream_ok + all.stream_fail, all.stream_fail,
	    all.ok, all.failed, all.known_fail, all.warnings);
	if (!nodes)
		return fail(me, "no vivid node");
	if (bad)
		return fail(me, "failed nodes:%s", fails);
	return KTAP_OK;
}

/*
 * Workload 'true-positive': the NET_DMA bug, on purpose.  The series' test module
 * (lib/test_dma_assert_idle.c, CONFIG_TEST_DMA_ASSERT_IDLE) takes a page of this process with
 * get_user_pages() (a reference, not FOLL_PIN) and keeps it mapped DMA_FROM_DEVICE for its test
 * device; the process forks and writes to the page, so the COW fault copies a page a device may
 * still be writing to.  Exactly one report naming the device and the pfn must follow: the line
 * '# expect-report:' tells scripts/summary.py which.  The child never writes (that would be a
 * second copy of the same page); the mapping is released afterwards.
 */
#define TP_FILE DEBUGFS "/test_dma_assert_idle/user_page"

static enum ktap_status true_positive(void)
{
	static const char me[] = "true-positive";
	unsigned long pfn = 0, new_pfn = 0;
	char cmd[64], state[96] = "", dev[64] = "";
	int fd, status, pfd[2], mapped = 0;
	const char *err = NULL;
	char *buf;
	pid_t pid;

	buf = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return fail(me, "mmap: %s", strerror(errno));
	fd = open(TP_FILE, O_RDWR);
	if (fd < 0) {
		munmap(buf, PAGE);
		return fail(me, "%s: %s (CONFIG_TEST_DMA_ASSERT_IDLE=y?)", TP_FILE, strerror(errno));
	}
	buf[0] = 'a';
	snprintf(cmd, sizeof(cmd), "map %p", (void *)buf);
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd)) {
		err = "map failed";
		goto out;
	}
	mapped = 1;
	if (read_file(TP_FILE, state, sizeof(state)) < 0 ||
	    sscanf(state, "pfn 0x%lx device %63s", &pfn, dev) != 2 || pfn != user_pfn(buf)) {
		err = "the module maps another page than the process's";
		goto out;
	}
	say("# expect-report: %s %s: cpu touching an active dma mapped page [pfn=0x%lx]\n", me, dev,
	    pfn);
	if (pipe(pfd)) {
		err = "pipe failed";
		goto out;
	}
	pid = fork();
	if (pid == 0) {
		char c;

		close(pfd[1]);
		/* Keep the page shared until the parent has written; never write to it. */
		_exit(read(pfd[0], &c, 1) < 0 ? 1 : 0);
	}
	close(pfd[0]);
	if (pid < 0) {
		err = "fork failed";
		close(pfd[1]);
		goto out;
	}
	buf[0] = 'b';			/* the COW copy: the report */
	new_pfn = user_pfn(buf);
	close(pfd[1]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		err = "the child failed";
	else if (!new_pfn || new_pfn == pfn)
		err = "the write after fork did not copy the page";
out:
	if (mapped && write(fd, "unmap", 5) != 5 && !err)
		err = "unmap failed";
	close(fd);
	munmap(buf, PAGE);
	say("# %s: ops=%d cow_copies=%d device=%s pfn=0x%lx copy_pfn=0x%lx\n", me, err ? 0 : 1,
	    err ? 0 : 1, dev[0] ? dev : "-", pfn, new_pfn);
	return err ? fail(me, "%s", err) : KTAP_OK;
}

/*
 * Workload 'free-mapped': a driver that kfree()s a buffer before it unmaps it, on purpose.  The
 * series' test module (lib/test_dma_assert_idle.c, file freed_buffer) kmalloc()s a buffer and maps
 * it DMA_FROM_DEVICE for its test device ("map"), then kfree()s it and only then unmaps it
 * ("free"): dma-debug must report the free exactly once, naming the device and the buffer's pfn,
 * which the module tells between the two ('# expect-report:', printed before the report so that
 * the kernel's lines cannot cut it).  dma-debug prints one report a boot (num_errors=1) and
 * true-positive's took it: this workload allows one more first.  A base whose series has no free
 * check leaves it out (config/bases/<base>.env: RUN_EXCLUDE_WORKLOADS).
 */
#define FREE_FILE DEBUGFS "/test_dma_assert_idle/freed_buffer"

static enum ktap_status free_mapped(void)
{
	static const char me[] = "free-mapped";
	char state[96] = "", dev[64] = "";
	unsigned long pfn = 0;
	const char *err = NULL;

	if (access(FREE_FILE, W_OK))
		return fail(me, "%s: %s (CONFIG_TEST_DMA_ASSERT_IDLE=y, a series with the free check?)",
			    FREE_FILE, strerror(errno));
	if (write_file(DEBUGFS "/dma-api/num_errors", "1"))
		err = "could not allow one more report (dma-api/num_errors)";
	else if (write_file(FREE_FILE, "map"))
		err = "the module could not map a buffer";
	else if (read_file(FREE_FILE, state, sizeof(state)) < 0 ||
		 sscanf(state, "pfn 0x%lx device %63s", &pfn, dev) != 2)
		err = "the module did not say which buffer it mapped";
	if (!err) {
		say("# expect-report: %s %s: freeing memory that a device may still write to [pfn=0x%lx]\n",
		    me, dev, pfn);
		if (write_file(FREE_FILE, "free"))
			err = "the module could not free the mapped buffer";
		/* Let the kernel finish printing the report before more lines of ours */
		usleep(200000);
	}
	say("# %s: ops=%d device=%s pfn=0x%lx\n", me, err ? 0 : 1, dev[0] ? dev : "-", pfn);
	return err ? fail(me, "%s", err) : KTAP_OK;
}

static enum ktap_status run_free_mapped(int quick)
{
	(void)quick;
	return free_mapped();
}

/*
 * DMA mappings per workload: the kernel's dma tracepoints fire at the same call sites as
 * dma-debug's hooks (kernel/dma/mapping.c), one event per map call (an sg list is one).
 * Events written = entries + overrun in each CPU's ring buffer (nothing reads it).
 * The map events of every base: 6.12 has dma_map_page and dma_map_resource, 7.2 one
 * dma_map_phys for both; a base has only some of them.
 */
#define TRACEFS "/sys/kernel/tracing"

static const char *const dma_map_events[] = {
	"dma_map_page", "dma_map_phys", "dma_map_sg", "dma_map_resource", "dma_alloc",
	"dma_alloc_pages", "dma_alloc_sgt", NULL,
};

static int dma_events_on;

static void dma_events_enable(void)
{
	char path[128], missing[160] = "";
	int i, on = 0;

	do_mount("tracefs", TRACEFS, "tracefs");
	for (i = 0; dma_map_events[i]; i++) {
		snprintf(path, sizeof(path), TRACEFS "/events/dma/%s/enable", dma_map_events[i]);
		if (write_file(path, "1")) {
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " %s",
				 dma_map_events[i]);
			continue;
		}
		on++;
		/* Per-device counts for the whole run (CONFIG_HIST_TRIGGERS), read by dump_dma_maps(). */
		snprintf(path, sizeof(path), TRACEFS "/events/dma/%s/trigger", dma_map_events[i]);
		write_file(path, "hist:keys=device:vals=hitcount:size=256");
	}
	say("# init: dma map tracepoints: %d enabled, not in this kernel:%s\n", on,
	    missing[0] ? missing : " -");
	dma_events_on = on && !write_file(TRACEFS "/tracing_on", "1");
}

static long dma_events_written(void)
{
	long total = 0;
	int cpu;

	if (!dma_events_on)
		return -1;
	for (cpu = 0; ; cpu++) {
		char path[96], buf[512], *p;

		snprintf(path, sizeof(path), TRACEFS "/per_cpu/cpu%d/stats", cpu);
		if (read_file(path, buf, sizeof(buf)) < 0)
			break;
		if ((p = strstr(buf, "entries: ")))
			total += strtol(p + 9, NULL, 10);
		if ((p = strstr(buf, "overrun: ")))
			total += strtol(p + 9, NULL, 10);
	}
	return total;
}

/* The map calls of the whole run per device and kind: '# dma-device-maps: DEVICE EVENT N'. */
static void dump_dma_maps(void)
{
	char path[128], line[256], dev[96];
	unsigned long n;
	int i;

	for (i = 0; dma_map_events[i]; i++) {
		FILE *f;

		snprintf(path, sizeof(path), TRACEFS "/events/dma/%s/hist", dma_map_events[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "{ device: %95s } hitcount: %lu", dev, &n) == 2)
				say("# dma-device-maps: %s %s %lu\n", dev, dma_map_events[i], n);
		fclose(f);
	}
}

/* The workloads, in the order they run. */
static enum ktap_status run_cow_storm(int quick)
{
	return quick ? cow_storm(2, 2, 1UL << 20) : cow_storm(4, 8, 4UL << 20);
}

static enum ktap_status run_odirect_fork(int quick)
{
	char disk[16];

	(void)quick;
	return odirect_fork(find_disk(64, disk, sizeof(disk)), 200);
}

static enum ktap_status run_v4l2_compliance(int quick)
{
	(void)quick;
	return v4l2_compliance(10);
}

static enum ktap_status run_v4l2_dmabuf(int quick)
{
	return v4l2_dmabuf_workload(quick ? 20 : 100);
}

static enum ktap_status run_net_pair(int quick)
{
	return quick ? net_pair_workload(4, 200) : net_pair_workload(32, 1000);
}

static enum ktap_status run_mm_cow(int quick)
{
	(void)quick;
	return mm_cow();
}

static enum ktap_status run_true_positive(int quick)
{
	(void)quick;
	return true_positive();
}

struct workload {
	const char *name;
	int in_short;			/* part of workloads=short ('make check') */
	enum ktap_status (*run)(int quick);
	const char *what, *what_short;	/* printed when it starts */
};

static const struct workload workloads[] = {
	{ "cow-storm", 1, run_cow_storm,
	  "4 processes on 2 CPUs at once fork and write 2 x 4 MiB, 8 rounds",
	  "2 processes on 2 CPUs at once fork and write 2 x 1 MiB, 2 rounds" },
	{ "odirect-fork", 0, run_odirect_fork,
	  "O_DIRECT I/O on the 64 MiB virtio disk while the process forks, 200 forks", NULL },
	/*
	 * Before v4l2-dmabuf: v4l2-compliance's DMABUF tests import buffers exported by the node of
	 * the same kind of the other instance, which must be as large as its own; vivid's instances
	 * start alike, but v4l2-dmabuf leaves them with different inputs, outputs and formats.
	 */
	{ "v4l2-compliance", 0, run_v4l2_compliance,
	  "Debian's v4l2-compliance on every vivid node, streaming and DMABUF import (-s -e)", NULL },
	{ "v4l2-dmabuf", 1, run_v4l2_dmabuf,
	  "vivid-000 capture buffers exported as dma-bufs, imported by vivid-001's output, looped back and compared, 100 frames",
	  "vivid-000 capture buffers exported as dma-bufs, imported by vivid-001's output, looped back and compared, 20 frames" },
	{ "net-pair", 1, run_net_pair,
	  "TCP 32 MiB each way and 1000 UDP round trips between two network namespaces over two virtio-net NICs",
	  "TCP 4 MiB each way and 200 UDP round trips between two network namespaces over two virtio-net NICs" },
	{ "mm-cow", 0, run_mm_cow, "the kernel's tools/testing/selftests/mm/cow.c", NULL },
	/* Last: after its one expected report, dma-debug prints no more (num_errors=1). */
	{ "true-positive", 1, run_true_positive,
	  "a user page kept mapped DMA_FROM_DEVICE by the test module, then fork and write", NULL },
	{ "free-mapped", 1, run_free_mapped,
	  "a kmalloc() buffer mapped DMA_FROM_DEVICE by the test module, kfree()d before its unmap", NULL },
};
#define NR_WORKLOADS	(int)(sizeof(workloads) / sizeof(workloads[0]))

/* Is NAME in the comma-separated LIST? */
static int in_list(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (p = list; (p = strstr(p, name)); p += len)
		if ((p == list || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return 1;
	return 0;
}

/*
 * The kernel argument workloads= selects what runs: "full" (the default, 'make'), "short"
 * ('make check': cow-storm, v4l2-dmabuf, net-pair, true-positive and free-mapped, small counts) or a comma-separated
 * list of workload names (full counts), e.g. workloads=v4l2-compliance,true-positive.  Every name
 * of the list is planned: an unknown one is reported as a failed test.
 */
static int plan_workloads(const char *arg, const char *planned[], int max)
{
	int full = !strcmp(arg, "full"), quick = !strcmp(arg, "short"), n = 0, i;
	char list[256], *tok, *save;

	for (i = 0; i < NR_WORKLOADS && n < max; i++)
		if (full || (quick && workloads[i].in_short) || (!quick && in_list(arg, workloads[i].name)))
			planned[n++] = workloads[i].name;
	if (full || quick)
		return n;
	snprintf(list, sizeof(list), "%s", arg);
	for (tok = strtok_r(list, ",", &save); tok && n < max; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_WORKLOADS && strcmp(tok, workloads[i].name); i++)
			;
		if (i == NR_WORKLOADS)
			planned[n++] = strdup(tok);
	}
	return n;
}

static enum ktap_status run_workload(const char *name, int quick)
{
	const struct workload *w = NULL;
	enum ktap_status st;
	long before, after;
	int i;

	for (i = 0; i < NR_WORKLOADS; i++)
		if (!strcmp(workloads[i].name, name))
			w = &workloads[i];
	if (!w)
		return fail(name, "unknown workload (see workloads[] in userspace/init.c)");
	say("# start %s: %s\n", name, quick && w->what_short ? w->what_short : w->what);
	before = dma_events_written();
	st = w->run(quick);
	after = dma_events_written();
	if (before >= 0 && after >= 0)
		say("# %s: dma_maps=%ld\n", name, after - before);
	return st;
}

static void power_off(void)
{
	say("# init: done\n");
	sync();
	reboot(RB_AUTOBOOT);	/* QEMU runs with -no-reboot: this ends it */
}

int main(void)
{
	char arg[256] = "full", tests[512] = "", soak[32], soak_fail[16] = "10", exclude[128] = "";
	const char *planned[16];
	int n, i, quick;

	do_mount("proc", "/proc", "proc");
	do_mount("sysfs", "/sys", "sysfs");
	do_mount("debugfs", DEBUGFS, "debugfs");
	do_mount("devtmpfs", "/dev", "devtmpfs");
	do_mount("tmpfs", "/tmp", "tmpfs");
	/* 'make soak' boots with soak=SECONDS (and soak_fail=PERCENT) on the kernel command line. */
	if (!cmdline_arg("soak", soak, sizeof(soak)) && strtol(soak, NULL, 10) > 0) {
		cmdline_arg("soak_fail", soak_fail, sizeof(soak_fail));
		soak_main(strtol(soak, NULL, 10), soak_fail);
		power_off();
		return 0;
	}
	cmdline_arg("workloads", arg, sizeof(arg));
	/* workloads_exclude=NAME,...: planned, reported as skipped (a base without what they test) */
	cmdline_arg("workloads_exclude", exclude, sizeof(exclude));
	quick = !strcmp(arg, "short");
	n = plan_workloads(arg, planned, 16);
	for (i = 0; i < n; i++)
		snprintf(tests + strlen(tests), sizeof(tests) - strlen(tests), "%s%s", i ? "," : "",
			 planned[i]);
	ktap_header(0, NULL, n);
	say("# init: cpus=%ld mode=%s tests=%s\n", sysconf(_SC_NPROCESSORS_ONLN), arg,
	    n ? tests : "-");
	dma_events_enable();
	for (i = 0; i < n; i++)
		if (exclude[0] && in_list(exclude, planned[i]))
			ktap_result(0, i + 1, planned[i], KTAP_SKIP,
				    "excluded on this base (workloads_exclude)");
		else
			ktap_result(0, i + 1, planned[i], run_workload(planned[i], quick), NULL);
	dump_dma_api("dma-api");
	dump_dma_devices("dma-devices");
	dump_dma_maps();
	power_off();
	return 0;
}
