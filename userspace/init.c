// SPDX-License-Identifier: GPL-2.0
/*
 * init for the workshop's QEMU boot ('make'): mount the pseudo file systems, run the workloads,
 * print what dma-debug saw and power off.  Static, cross-compiled; no libc beyond the basics.
 *
 * Lines for the host start with "@@ " (see scripts/run.sh):
 *   @@ workload NAME ops=N result=ok|FAIL [detail]
 *   @@ dma-api FILE VALUE
 *   @@ dma-devices LINE		(each line of /sys/kernel/debug/dma-api/devices)
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

/* Print each line of /sys/kernel/debug/dma-api/devices as '@@ KEY LINE'. */
void dump_dma_devices(const char *key)
{
	static char buf[1 << 16];
	char *line, *save;
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(DEBUGFS "/dma-api/devices", O_RDONLY);
	if (fd < 0) {
		say("init: no " DEBUGFS "/dma-api/devices in this kernel\n");
		return;
	}
	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		say("@@ %s %s\n", key, line);
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
	do_mount("proc", "/proc", "proc");
	do_mount("sysfs", "/sys", "sysfs");
	do_mount("debugfs", DEBUGFS, "debugfs");
	do_mount("devtmpfs", "/dev", "devtmpfs");
	do_mount("tmpfs", "/tmp", "tmpfs");
	say("@@ init cpus=%ld\n", sysconf(_SC_NPROCESSORS_ONLN));

	if (soak_requested()) {
		soak_main(soak_seconds, soak_fail);
		say("@@ done\n");
		sync();
		reboot(RB_AUTOBOOT);
		return 0;
	}

	say("init: workload cow-storm: 4 processes on 2 CPUs fork and write 2 x 4 MiB, 8 rounds\n");
	cow_storm(4, 8, 4UL << 20);

	say("init: workload odirect-fork: O_DIRECT I/O on /dev/vda while the process forks, 200 forks\n");
	odirect_fork("/dev/vda", 200);

	say("init: workload v4l2-dmabuf: vivid-000 capture buffers exported as dma-bufs, imported by vivid-001's output, looped back and compared, 100 frames\n");
	v4l2_dmabuf_workload(100);

	dump_dma_api("dma-api");
	dump_dma_devices("dma-devices");
	say("@@ done\n");
	sync();
	reboot(RB_AUTOBOOT);	/* QEMU runs with -no-reboot: this ends it */
	return 0;
}
