// SPDX-License-Identifier: GPL-2.0
/*
 * init for the workshop's QEMU boot ('make'): mount the pseudo file systems, run the workloads,
 * print what dma-debug saw and power off.  Static, cross-compiled; no libc beyond the basics.
 *
 * Lines for the host start with "@@ " (see scripts/run.sh):
 *   @@ workload NAME ops=N result=ok|FAIL [detail]
 *   @@ dma-maps NAME N			DMA map calls made while workload NAME ran
 *   @@ expect-report NAME TEXT		workload NAME must cause one DMA-API report containing TEXT
 *   @@ dma-api FILE VALUE
 *   @@ dma-devices LINE			/sys/kernel/debug/dma-api/devices, if the kernel has it
 *   @@ dma-device-maps DEV EVENT N	map calls of the whole run per device (dma tracepoints)
 *   @@ done
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

#include "workloads.h"

#define PAGE		4096UL
#define DEBUGFS		"/sys/kernel/debug"

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void do_mount(const char *src, const char *dst, const char *type)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, NULL) && errno != EBUSY)
		say("init: mount %s on %s: %s\n", type, dst, strerror(errno));
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

/* Workload 'cow-storm': processes on both CPUs fork and write over private anonymous and file pages. */
static void cow_storm(int workers, int rounds, size_t len)
{
	long total = 0;
	int fail = 0;
	int w;

	for (w = 0; w < workers; w++) {
		int pfd[2];

		if (pipe(pfd))
			return;
		if (fork() == 0) {
			char name[64];
			long sum = 0, n;
			int fd, r;

			close(pfd[0]);
			pin_to_cpu(w % 2);
			snprintf(name, sizeof(name), "/tmp/cow-%d", w);
			fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
			if (fd < 0 || ftruncate(fd, len))
				_exit(1);
			for (size_t off = 0; off < len; off += PAGE)
				if (pwrite(fd, "f", 1, off) != 1)
					_exit(1);
			for (r = 0; r < rounds; r++) {
				n = cow_round(fd, len, r);
				if (n < 0) {
					sum = -1;
					break;
				}
				sum += n;
			}
			if (write(pfd[1], &sum, sizeof(sum)) != sizeof(sum))
				_exit(1);
			_exit(0);
		}
		close(pfd[1]);
		{
			long sum = -1;
			int status;

			wait(&status);
			if (read(pfd[0], &sum, sizeof(sum)) != sizeof(sum) || sum < 0)
				fail = 1;
			else
				total += sum;
			close(pfd[0]);
		}
	}
	say("@@ workload cow-storm ops=%ld result=%s workers=%d rounds=%d pages=%zu\n",
	    total, fail ? "FAIL" : "ok", workers, rounds, len / PAGE);
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

static void odirect_fork(const char *disk, int forks)
{
	struct od_state st = { .fail = 0 };
	pthread_t thr;
	char *mem, *other;
	long nforks = 0;
	int i;

	st.fd = open(disk, O_RDWR | O_DIRECT);
	if (st.fd < 0) {
		say("@@ workload odirect-fork ops=0 result=FAIL open %s: %s\n", disk, strerror(errno));
		return;
	}
	/* The I/O buffer and the pages the main thread writes share one anonymous mapping. */
	mem = mmap(NULL, OD_CHUNK + (1UL << 20), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return;
	st.buf = mem;
	other = mem + OD_CHUNK;
	touch_pages(mem, OD_CHUNK + (1UL << 20), 1);
	if (pthread_create(&thr, NULL, od_io_thread, &st))
		return;
	pin_to_cpu(1);
	for (i = 0; i < forks; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			st.fail = 1;
			break;
		}
		if (pid == 0) {
			touch_pages(other, 1UL << 20, 'c');
			_exit(check_pages(other, 1UL << 20, 'c') ? 1 : 0);
		}
		touch_pages(other, 1UL << 20, 'p');
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			st.fail = 1;
		nforks++;
	}
	st.stop = 1;
	pthread_join(thr, NULL);
	close(st.fd);
	munmap(mem, OD_CHUNK + (1UL << 20));
	say("@@ workload odirect-fork ops=%ld result=%s ios=%ld forks=%ld\n", st.ios + nforks,
	    st.fail ? "FAIL" : "ok", st.ios, nforks);
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
		chdir("/tmp");
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
	char path[64], val[32];
	int c;

	for (c = 'a'; c <= 'h'; c++) {
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), "/sys/block/vd%c/size", c);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, val, sizeof(val) - 1);
		close(fd);
		val[n > 0 ? n : 0] = 0;
		if (strtoul(val, NULL, 10) == mib * 2048) {
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
		say("init: no 32 MiB swap disk: mm-cow's swap tests will skip\n");
		return;
	}
	info[0] = 1;					/* version */
	info[1] = (32UL << 20) / PAGE - 1;		/* last_page */
	memcpy(hdr + PAGE - 10, "SWAPSPACE2", 10);
	fd = open(disk, O_WRONLY);
	if (fd < 0 || pwrite(fd, hdr, PAGE, 0) != PAGE || fsync(fd)) {
		say("init: writing the swap header on %s failed: %s\n", disk, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	if (swapon(disk, 0))
		say("init: swapon %s: %s\n", disk, strerror(errno));
	else
		say("init: swap on %s (32 MiB)\n", disk);
}

/*
 * Workload 'mm-cow': the kernel's own tools/testing/selftests/mm/cow.c, cross-built from the
 * kernel tree by scripts/run.sh (/bin/mm-cow): COW with fork, R/O and R/W pinning (gup_test,
 * CONFIG_GUP_TEST), vmsplice, KSM, ...  Tests of features the run kernel lacks (THP and hugetlb:
 * 32-bit ARM has them only with LPAE) skip.
 */
static void mm_cow(void)
{
	char *argv[] = { "/bin/mm-cow", NULL };
	char *envp[] = { "PATH=/bin", NULL };
	struct ksft_totals t = { 0 };
	int status = run_relayed("mm-cow", argv, envp, ksft_line, &t);
	int ok = status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && t.seen && !t.fail &&
		 !t.error && !t.xpass;

	say("@@ workload mm-cow ops=%d result=%s pass=%d skip=%d fail=%d xfail=%d error=%d exit=%d%s\n",
	    t.pass + t.fail + t.xfail + t.xpass + t.error, ok ? "ok" : "FAIL", t.pass, t.skip, t.fail,
	    t.xfail, t.error, status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1,
	    t.seen ? "" : " error: no '# Totals:' line");
}

/*
 * Workload 'v4l2-compliance': Debian's armel v4l2-compliance (v4l-utils, unpacked into the
 * initramfs by scripts/run.sh) on every vivid video node, with streaming tests (-s) and DMABUF
 * streaming on buffers exported by a capture node of the other vivid instance (-e).
 */
struct v4l2c_totals {
	int seen, total, ok, failed, warnings;
	int in_stream, stream_ok, stream_fail;
	char stream_failed[160];	/* names of the failed streaming tests */
};

static void v4l2c_line(const char *line, void *arg)
{
	struct v4l2c_totals *t = arg;
	int tot, ok, failed, warn;
	const char *p;

	if (strstr(line, "Streaming ioctls:"))
		t->in_stream = 1;
	p = strstr(line, "Total for ");
	if (p && sscanf(p, "Total for %*s device %*[^:]: %d, Succeeded: %d, Failed: %d, Warnings: %d",
			&tot, &ok, &failed, &warn) == 4) {
		t->seen++;
		t->total += tot;
		t->ok += ok;
		t->failed += failed;
		t->warnings += warn;
		t->in_stream = 0;
		return;
	}
	/* A streaming test's result ends its line (after the frame counters): "test NAME: OK". */
	for (p = NULL; t->in_stream && (line = strstr(line, "test ")); line++)
		p = line;
	if (!p || !strstr(p, ": "))
		return;
	if (strstr(p, ": OK")) {
		t->stream_ok++;
	} else if (strstr(p, ": FAIL")) {
		t->stream_fail++;
		if (strlen(t->stream_failed) + strlen(p) + 3 < sizeof(t->stream_failed))
			strcat(strcat(strcat(t->stream_failed, " '"), p), "'");
	}
}

/* The name of /dev/videoN (e.g. "vivid-000-vid-cap"), from sysfs. */
static int video_name(int n, char *buf, size_t len)
{
	char path[64];
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/video4linux/video%d/name", n);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	r = read(fd, buf, len - 1);
	close(fd);
	buf[r > 0 ? r : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static void v4l2_compliance(int frames)
{
	static const char prog[] = "/usr/bin/v4l2-compliance";
	char *envp[] = { "PATH=/usr/bin:/bin",
			 "LD_LIBRARY_PATH=/lib/arm-linux-gnueabi:/usr/lib/arm-linux-gnueabi", NULL };
	char names[8][40], dev[16], exp[16], count[16], fails[8 * 41] = "";
	struct v4l2c_totals all = { 0 };
	int n, m, nodes = 0, bad = 0;

	if (access(prog, X_OK)) {
		say("@@ workload v4l2-compliance ops=0 result=FAIL error: %s is not in the initramfs\n", prog);
		return;
	}
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
		{
			char *argv[] = { (char *)prog, "-d", dev, "-s", count, "-e", exp, NULL };

			say("init: v4l2-compliance -d %s (%s) -s %s -e %s (%s)\n", dev, names[n], count,
			    exp, names[m]);
			status = run_relayed("v4l2-compliance", argv, envp, v4l2c_line, &t);
		}
		nodes++;
		/* The gate: every streaming test passes (the others are only counted: README). */
		if (!t.seen || t.stream_fail || !t.stream_ok || status < 0 || WIFSIGNALED(status)) {
			bad++;
			strcat(strcat(fails, " "), names[n]);
			say("init: v4l2-compliance on %s: %d streaming test(s) failed:%s\n", names[n],
			    t.stream_fail, t.stream_failed);
		}
		all.total += t.total;
		all.ok += t.ok;
		all.failed += t.failed;
		all.warnings += t.warnings;
		all.stream_ok += t.stream_ok;
		all.stream_fail += t.stream_fail;
	}
	say("@@ workload v4l2-compliance ops=%d result=%s nodes=%d streaming=%d streaming_fail=%d pass=%d fail=%d warnings=%d%s%s\n",
	    all.total, nodes && !bad ? "ok" : "FAIL", nodes, all.stream_ok + all.stream_fail,
	    all.stream_fail, all.ok, all.failed, all.warnings, bad ? " failed nodes:" : "",
	    bad ? fails : (nodes ? "" : " error: no vivid node"));
}

/*
 * Workload 'true-positive': the NET_DMA bug, on purpose.  The series' test module
 * (lib/test_dma_assert_idle.c, CONFIG_TEST_DMA_ASSERT_IDLE) takes a page of this process with
 * get_user_pages() (a reference, not FOLL_PIN) and keeps it mapped DMA_FROM_DEVICE for its test
 * device; the process forks and writes to the page, so the COW fault copies a page a device may
 * still be writing to.  Exactly one report naming the device and the pfn must follow: the line
 * '@@ expect-report' tells run_summary.py which.  The child never writes (that would be a
 * second copy of the same page); the mapping is released afterwards.
 */
#define TP_FILE DEBUGFS "/test_dma_assert_idle/user_page"

static void true_positive(void)
{
	unsigned long pfn = 0, new_pfn = 0;
	char cmd[64], state[96] = "", dev[64] = "";
	int fd, status, pfd[2], mapped = 0;
	const char *err = NULL;
	ssize_t n;
	char *buf;
	pid_t pid;

	buf = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fd = open(TP_FILE, O_RDWR);
	if (buf == MAP_FAILED || fd < 0) {
		say("@@ workload true-positive ops=0 result=FAIL %s: %s (CONFIG_TEST_DMA_ASSERT_IDLE=y?)\n",
		    TP_FILE, strerror(errno));
		return;
	}
	buf[0] = 'a';
	snprintf(cmd, sizeof(cmd), "map %p", (void *)buf);
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd)) {
		err = "map failed";
		goto out;
	}
	mapped = 1;
	n = pread(fd, state, sizeof(state) - 1, 0);
	state[n > 0 ? n : 0] = 0;
	if (sscanf(state, "pfn 0x%lx device %63s", &pfn, dev) != 2 || pfn != user_pfn(buf)) {
		err = "the module maps another page than the process's";
		goto out;
	}
	say("@@ expect-report true-positive %s: cpu touching an active dma mapped page [pfn=0x%lx]\n",
	    dev, pfn);
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
	say("@@ workload true-positive ops=%d result=%s cow_copies=%d device=%s pfn=0x%lx copy_pfn=0x%lx%s%s\n",
	    err ? 0 : 1, err ? "FAIL" : "ok", err ? 0 : 1, dev[0] ? dev : "-", pfn, new_pfn,
	    err ? " error: " : "", err ? err : "");
}

/*
 * DMA mappings per workload: the kernel's dma tracepoints fire at the same call sites as
 * dma-debug's hooks (kernel/dma/mapping.c), one event per map call (an sg list is one).
 * Events written = entries + overrun in each CPU's ring buffer (nothing reads it).
 */
#define TRACEFS "/sys/kernel/tracing"

static const char *const dma_map_events[] = {
	"dma_map_page", "dma_map_sg", "dma_map_resource", "dma_alloc", "dma_alloc_pages",
	"dma_alloc_sgt", NULL,
};

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static int dma_events_on;

static void dma_events_enable(void)
{
	char path[128];
	int i;

	do_mount("tracefs", TRACEFS, "tracefs");
	for (i = 0; dma_map_events[i]; i++) {
		snprintf(path, sizeof(path), TRACEFS "/events/dma/%s/enable", dma_map_events[i]);
		if (write_file(path, "1"))
			return;
		/* Per-device counts for the whole run (CONFIG_HIST_TRIGGERS), read by dump_dma_maps(). */
		snprintf(path, sizeof(path), TRACEFS "/events/dma/%s/trigger", dma_map_events[i]);
		write_file(path, "hist:keys=device:vals=hitcount:size=256");
	}
	dma_events_on = !write_file(TRACEFS "/tracing_on", "1");
}

static long dma_events_written(void)
{
	long total = 0;
	int cpu;

	if (!dma_events_on)
		return -1;
	for (cpu = 0; ; cpu++) {
		char path[96], buf[512], *p;
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), TRACEFS "/per_cpu/cpu%d/stats", cpu);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			break;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = 0;
		if ((p = strstr(buf, "entries: ")))
			total += strtol(p + 9, NULL, 10);
		if ((p = strstr(buf, "overrun: ")))
			total += strtol(p + 9, NULL, 10);
	}
	return total;
}

/* Run a workload and print '@@ dma-maps NAME N': the DMA map calls made while it ran. */
#define RUN_COUNTED(name, call) do {					\
		long __before = dma_events_written();			\
		call;							\
		if (__before >= 0)					\
			say("@@ dma-maps %s %ld\n", name,		\
			    dma_events_written() - __before);		\
	} while (0)

/*
 * The kernel argument workloads= selects what runs: "full" (the default, 'make'), "short"
 * ('make check': cow-storm, v4l2-dmabuf and true-positive with small counts) or a comma-separated
 * list of workload names (full counts), e.g. workloads=v4l2-compliance,true-positive.
 */
static char workloads_arg[256] = "full";

static void read_workloads_arg(void)
{
	char buf[1024], *p;
	ssize_t n;
	int fd = open("/proc/cmdline", O_RDONLY);

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	p = strstr(buf, "workloads=");
	if (p && (p == buf || p[-1] == ' ')) {
		p += strlen("workloads=");
		snprintf(workloads_arg, sizeof(workloads_arg), "%.*s", (int)strcspn(p, " \n"), p);
	}
}

static int short_run(void)
{
	return !strcmp(workloads_arg, "short");
}

static int want(const char *name)
{
	size_t len = strlen(name);
	const char *p;

	if (!strcmp(workloads_arg, "full"))
		return 1;
	if (short_run())
		return !strcmp(name, "cow-storm") || !strcmp(name, "v4l2-dmabuf") ||
		       !strcmp(name, "true-positive");
	for (p = workloads_arg; (p = strstr(p, name)); p += len)
		if ((p == workloads_arg || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return 1;
	return 0;
}

/* The map calls of the whole run per device and kind: '@@ dma-device-maps DEVICE EVENT N'. */
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
				say("@@ dma-device-maps %s %s %lu\n", dev, dma_map_events[i], n);
		fclose(f);
	}
}

/* The per-device counters (dma-api/devices), when the kernel has them: '@@ KEY LINE'. */
void dump_dma_devices(const char *key)
{
	FILE *f = fopen(DEBUGFS "/dma-api/devices", "r");
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		say("@@ %s %s\n", key, line);
	}
	fclose(f);
}

/* Print every small file of /sys/kernel/debug/dma-api as '@@ KEY NAME VALUE' (first line). */
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
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), DEBUGFS "/dma-api/%s", files[i]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n < 0)
			n = 0;
		buf[n] = 0;
		buf[strcspn(buf, "\n")] = 0;
		say("@@ %s %s %s\n", key, files[i], buf[0] ? buf : "-");
	}
}

static long soak_seconds;
static char soak_fail[16] = "10";

/* 'make soak' boots with soak=SECONDS (and soak_fail=PERCENT) on the kernel command line. */
static int soak_requested(void)
{
	char buf[1024] = "", *p;
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strstr(buf, "soak_fail=");
	if (p)
		sscanf(p + 10, "%15[0-9]", soak_fail);
	for (p = buf; (p = strstr(p, "soak=")); p++)
		if (p == buf || p[-1] == ' ') {
			soak_seconds = strtol(p + 5, NULL, 10);
			return soak_seconds > 0;
		}
	return 0;
}

int main(void)
{
	int quick;

	do_mount("proc", "/proc", "proc");
	do_mount("sysfs", "/sys", "sysfs");
	do_mount("debugfs", DEBUGFS, "debugfs");
	do_mount("devtmpfs", "/dev", "devtmpfs");
	do_mount("tmpfs", "/tmp", "tmpfs");
	if (soak_requested()) {
		say("@@ init cpus=%ld mode=soak\n", sysconf(_SC_NPROCESSORS_ONLN));
		soak_main(soak_seconds, soak_fail);
		say("@@ done\n");
		sync();
		reboot(RB_AUTOBOOT);
		return 0;
	}
	read_workloads_arg();
	quick = short_run();
	dma_events_enable();
	say("@@ init cpus=%ld mode=%s\n", sysconf(_SC_NPROCESSORS_ONLN), workloads_arg);

	if (want("cow-storm")) {
		if (quick) {
			say("init: workload cow-storm (short): 2 processes on 2 CPUs fork and write 2 x 1 MiB, 2 rounds\n");
			RUN_COUNTED("cow-storm", cow_storm(2, 2, 1UL << 20));
		} else {
			say("init: workload cow-storm: 4 processes on 2 CPUs fork and write 2 x 4 MiB, 8 rounds\n");
			RUN_COUNTED("cow-storm", cow_storm(4, 8, 4UL << 20));
		}
	}
	if (want("odirect-fork")) {
		char disk[16];

		say("init: workload odirect-fork: O_DIRECT I/O on the 64 MiB virtio disk while the process forks, 200 forks\n");
		RUN_COUNTED("odirect-fork", odirect_fork(find_disk(64, disk, sizeof(disk)) ?: "/dev/vda", 200));
	}
	/*
	 * Before v4l2-dmabuf: v4l2-compliance's DMABUF tests import buffers exported by the node of
	 * the same kind of the other instance, which must be as large as its own; vivid's instances
	 * start alike, but v4l2-dmabuf leaves them with different inputs, outputs and formats.
	 */
	if (want("v4l2-compliance")) {
		say("init: workload v4l2-compliance: Debian's v4l2-compliance on every vivid node, streaming and DMABUF import (-s -e)\n");
		RUN_COUNTED("v4l2-compliance", v4l2_compliance(10));
	}
	if (want("v4l2-dmabuf")) {
		say("init: workload v4l2-dmabuf%s: vivid-000 capture buffers exported as dma-bufs, imported by vivid-001's output, looped back and compared, %d frames\n",
		    quick ? " (short)" : "", quick ? 20 : 100);
		RUN_COUNTED("v4l2-dmabuf", v4l2_dmabuf_workload(quick ? 20 : 100));
	}
	if (want("mm-cow")) {
		swap_on();
		say("init: workload mm-cow: the kernel's tools/testing/selftests/mm/cow.c\n");
		RUN_COUNTED("mm-cow", mm_cow());
	}
	/* Last: after its one expected report, dma-debug prints no more (num_errors=1). */
	if (want("true-positive")) {
		say("init: workload true-positive: a user page kept mapped DMA_FROM_DEVICE by the test module, then fork and write\n");
		RUN_COUNTED("true-positive", true_positive());
	}

	dump_dma_api("dma-api");
	dump_dma_devices("dma-devices");
	dump_dma_maps();
	say("@@ done\n");
	sync();
	reboot(RB_AUTOBOOT);	/* QEMU runs with -no-reboot: this ends it */
	return 0;
}
