// SPDX-License-Identifier: GPL-2.0
/*
 * dma-bench: what dma-debug costs, measured from inside the kernel.
 *
 * Not part of the patch series: scripts/bench.sh copies this file into
 * kernel/dma/ of every benchmarked tree (K0: base without dma-debug, K1:
 * base with upstream dma-debug, K2: the series), so that the same code
 * measures all of them.  It is a KUnit suite only to be run at boot by
 * the kernel's own KUnit runner; it asserts nothing about speed.
 *
 * Figures, each at every level of live DMA_FROM_DEVICE one-page mappings
 * that the benchmark holds (0, 10^3, 10^4, 10^5 by default):
 *   map_page  ns per dma_map_page() + dma_mapping_error() + dma_unmap_page()
 *   map_sg    ns per dma_map_sg() + dma_unmap_sg() of 16 one-page entries
 *   cow_off / cow_on
 *             ns per copy-on-write fault (write to a read-faulted page of a
 *             private mapping of a shmem file), with the series' COW hook
 *             switched off / on; kernels without the hook report cow_off only
 *   free_page_off / free_page_on
 *             ns per alloc_page() + __free_page() (in batches of 16), with the
 *             series' free checks switched off / on; kernels without them
 *             report free_page_off only
 *   kfree_off / kfree_on
 *             the same for kmalloc(128) + kfree()
 *   mem       the tracker's own objects (see dma_bench_tracker_mem())
 *   reap      ns of one pass of the series' idle-record work that frees
 *             nothing (see dma_bench_reap_pass()); series that have it only
 *   prof_stack, prof_entry, prof_hash, prof_tracker
 *             ns per piece of dma-debug's work on a page mapping, each timed
 *             alone (see dma_bench_profile()); kernels with dma-debug only
 *   tput_off / tput_on  (case "throughput")
 *             COW faults per second of 2 kthreads on 2 CPUs sharing one mm
 *   mb_page, mb_sg  (figure 7, kernels with CONFIG_DMA_MAP_BENCHMARK)
 *             ns per map+unmap of a page / a 16-entry sg list as the kernel's
 *             own dma_map_benchmark (kernel/dma/map_benchmark.c) measures it,
 *             1 thread; case "map_benchmark_smp": mbs1_* and mbs2_*, the same
 *             with 1 and 2 threads on 2 CPUs (no -icount)
 *
 * dma_bench.iommu=1 maps for a device behind an IOMMU instead of the KUnit
 * device (dma-direct): the first PCI device that is bound to a driver and
 * translated by iommu-dma (QEMU virt with an SMMUv3: the virtio-rng behind
 * it); the suite fails when there is none.
 *
 * Under QEMU -icount shift=0 a nanosecond of guest time is one instruction.
 * Results are printed as lines starting with "dma-bench: ".
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/iommu-dma.h>
#include <linux/iommu.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/moduleparam.h>
#include <linux/pagemap.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/vmalloc.h>

/* Figure 7 drives 7.2's dma_map_benchmark (its SG mode, device_set_driver_override()) */
#if IS_ENABLED(CONFIG_DMA_MAP_BENCHMARK) && LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0)
#define DMA_BENCH_MB 1
#include <linux/fs.h>
#include <linux/map_benchmark.h>
#include <linux/mount.h>
#endif

#include "dma_bench.h"
#include "dma_testdev.h"

DMA_TEST_PARAM(uint, unsigned int, live_max, 100000, "highest number of live mappings held");
DMA_TEST_PARAM(uint, unsigned int, rounds, 7, "rounds per figure and level");
DMA_TEST_PARAM(uint, unsigned int, ops, 1000, "map+unmap operations per round");
DMA_TEST_PARAM(uint, unsigned int, cow_pages, 256, "pages copied on write per round (per thread)");
DMA_TEST_PARAM(uint, unsigned int, tput_ms, 1000, "duration of one throughput trial in ms");
DMA_TEST_PARAM(bool, bool, iommu, false, "map for a PCI device behind an IOMMU (iommu-dma)");
DMA_TEST_PARAM(uint, unsigned int, mb_seconds, 1, "seconds per dma_map_benchmark run (figure 7; 0: none)");

#define DMA_BENCH_OP_PAGES	16

/* shmem_file_setup()'s flags: an unsigned long up to 6.x, a vma_flags_t since (7.2: EMPTY_VMA_FLAGS) */
#ifdef EMPTY_VMA_FLAGS
#define DMA_BENCH_NO_VMA_FLAGS	EMPTY_VMA_FLAGS
#else
#define DMA_BENCH_NO_VMA_FLAGS	0
#endif

/* Kernels with dma-debug get their own from scripts/bench.sh (tracker-*.c). */
void __weak dma_bench_tracker_mem(struct dma_bench_mem *m)
{
	memset(m, 0, sizeof(*m));
}

/* Kernels with dma-debug get it from scripts/bench.sh (tracker-common.h). */
bool __weak dma_bench_profile(struct device *dev, struct page *page, unsigned int n,
			      struct dma_bench_prof *p)
{
	return false;
}

/* The K2 tree's mm/memory.c overrides these (see scripts/bench.sh). */
bool __weak dma_bench_cow_hook_present(void)
{
	return false;
}

void __weak dma_bench_cow_hook_set(bool on)
{
}

/* bench/tracker-k2-reap.c overrides it, when the series has an idle-record work. */
bool __weak dma_bench_reap_pass(void)
{
	return false;
}

/* The K2 tree's mm/page_alloc.c overrides these, when the series has the free checks. */
bool __weak dma_bench_free_hook_present(void)
{
	return false;
}

void __weak dma_bench_free_hook_set(bool on)
{
}

#define DMA_BENCH_FREE_BATCH	16

struct dma_bench {
	struct kunit *test;
	struct device *dev;
	struct page **live;
	dma_addr_t *live_dma;
	unsigned int nr_live;
	struct page *op[DMA_BENCH_OP_PAGES];
	struct sg_table sgt;
	struct file *file;
	unsigned long addr;
	unsigned int nr_cow;
	u64 *val;
	bool iommu_dev;		/* @dev is a reference to a PCI device behind an IOMMU */
#ifdef DMA_BENCH_MB
	struct platform_device *mb_pdev;	/* bound to dma_map_benchmark */
	struct vfsmount *mb_mnt;		/* debugfs, for its dma_map_benchmark file */
	struct file *mb_file;
	struct map_benchmark __user *mb_param;	/* the ioctl's argument, in user memory */
#endif
};

#if IS_ENABLED(CONFIG_PCI) && IS_ENABLED(CONFIG_IOMMU_DMA)
static int dma_bench_iommu_match(struct device *dev, const void *data)
{
	return dev->driver && device_iommu_mapped(dev) && use_dma_iommu(dev);
}

/* The first bound PCI device that iommu-dma maps for, with a reference; NULL if none. */
static struct device *dma_bench_find_iommu_dev(void)
{
	return bus_find_device(&pci_bus_type, NULL, NULL, dma_bench_iommu_match);
}
#else
static struct device *dma_bench_find_iommu_dev(void)
{
	return NULL;
}
#endif

static void dma_bench_print(const char *fig, unsigned int live, const u64 *val,
			    unsigned int n)
{
	char buf[256];
	int len = 0;
	unsigned int i;

	for (i = 0; i < n && len < sizeof(buf); i++)
		len += scnprintf(buf + len, sizeof(buf) - len, " %llu", val[i]);
	pr_info("dma-bench: %s live=%u:%s\n", fig, live, buf);
}

static void dma_bench_release(struct kunit *test, struct dma_bench *b)
{
	unsigned int i;

	while (b->nr_live) {
		b->nr_live--;
		dma_unmap_page(b->dev, b->live_dma[b->nr_live], PAGE_SIZE,
			       DMA_FROM_DEVICE);
	}
	if (b->live) {
		for (i = 0; i < live_max && b->live[i]; i++)
			__free_page(b->live[i]);
		vfree(b->live);
		b->live = NULL;
	}
	vfree(b->live_dma);
	b->live_dma = NULL;
	for (i = 0; i < DMA_BENCH_OP_PAGES; i++)
		if (b->op[i])
			__free_page(b->op[i]);
	sg_free_table(&b->sgt);
	if (b->file)
		fput(b->file);
	if (b->iommu_dev) {
		put_device(b->dev);
		b->iommu_dev = false;
	}
#ifdef DMA_BENCH_MB
	if (b->mb_file)
		fput(b->mb_file);
	b->mb_file = NULL;
	if (!IS_ERR_OR_NULL(b->mb_mnt))
		kern_unmount(b->mb_mnt);
	b->mb_mnt = NULL;
	if (b->mb_pdev)
		platform_device_unregister(b->mb_pdev);
	b->mb_pdev = NULL;
#endif
}

static void dma_bench_exit(struct kunit *test)
{
	struct dma_bench *b = test->priv;

	if (b)
		dma_bench_release(test, b);
	dma_bench_cow_hook_set(true);
	dma_bench_free_hook_set(true);
}

static int dma_bench_init(struct kunit *test)
{
	struct dma_bench *b;
	struct scatterlist *sg;
	unsigned int i;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	test->priv = b;
	b->test = test;
	b->val = kunit_kcalloc(test, 2 * rounds, sizeof(*b->val), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->val);

	if (iommu) {
		/* The device's driver set its masks: keep them */
		b->dev = dma_bench_find_iommu_dev();
		KUNIT_ASSERT_NOT_NULL_MSG(test, b->dev,
					  "dma_bench.iommu=1: no bound PCI device behind an IOMMU with iommu-dma");
		b->iommu_dev = true;
		pr_info("dma-bench: device %s (%s), behind an IOMMU\n", dev_name(b->dev),
			dev_driver_string(b->dev));
	} else {
		b->dev = kunit_device_register(test, "dma-bench");
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->dev);
		KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(b->dev, DMA_BIT_MASK(32)), 0);
	}

	/* Live pages: any page will do, highmem included */
	b->live = vzalloc(array_size(live_max, sizeof(*b->live)));
	b->live_dma = vzalloc(array_size(live_max, sizeof(*b->live_dma)));
	KUNIT_ASSERT_TRUE(test, b->live && b->live_dma);
	for (i = 0; i < live_max; i++) {
		b->live[i] = alloc_page(GFP_HIGHUSER | __GFP_NOWARN);
		KUNIT_ASSERT_NOT_NULL_MSG(test, b->live[i], "page %u of %u", i, live_max);
	}

	/* The pages the timed operations map: lowmem, as most drivers' */
	for (i = 0; i < DMA_BENCH_OP_PAGES; i++) {
		b->op[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, b->op[i]);
	}
	KUNIT_ASSERT_EQ(test, sg_alloc_table(&b->sgt, DMA_BENCH_OP_PAGES, GFP_KERNEL), 0);
	for_each_sgtable_sg(&b->sgt, sg, i)
		sg_set_page(sg, b->op[i], PAGE_SIZE, 0);
	return 0;
}

/* Hold @target live one-page DMA_FROM_DEVICE mappings. */
static void dma_bench_grow(struct kunit *test, struct dma_bench *b, unsigned int target)
{
	dma_addr_t dma;

	while (b->nr_live < target) {
		dma = dma_map_page(b->dev, b->live[b->nr_live], 0, PAGE_SIZE, DMA_FROM_DEVICE);
		KUNIT_ASSERT_FALSE(test, dma_mapping_error(b->dev, dma));
		b->live_dma[b->nr_live++] = dma;
	}
}

static u64 dma_bench_map_page_round(struct kunit *test, struct dma_bench *b)
{
	unsigned int i;
	dma_addr_t dma;
	u64 t0, t;

	t0 = ktime_get_ns();
	for (i = 0; i < ops; i++) {
		dma = dma_map_page(b->dev, b->op[i % DMA_BENCH_OP_PAGES], 0, PAGE_SIZE,
				   DMA_FROM_DEVICE);
		if (unlikely(dma_mapping_error(b->dev, dma)))
			break;
		dma_unmap_page(b->dev, dma, PAGE_SIZE, DMA_FROM_DEVICE);
	}
	t = ktime_get_ns() - t0;
	KUNIT_ASSERT_EQ(test, i, ops);
	return div_u64(t, ops);
}

static u64 dma_bench_map_sg_round(struct kunit *test, struct dma_bench *b)
{
	unsigned int i, n = max(ops / 8, 1U);
	int mapped = 0;
	u64 t0, t;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		mapped = dma_map_sg(b->dev, b->sgt.sgl, DMA_BENCH_OP_PAGES, DMA_FROM_DEVICE);
		if (unlikely(mapped <= 0))
			break;
		dma_unmap_sg(b->dev, b->sgt.sgl, DMA_BENCH_OP_PAGES, DMA_FROM_DEVICE);
	}
	t = ktime_get_ns() - t0;
	KUNIT_ASSERT_EQ(test, i, n);
	return div_u64(t, n);
}

/* ns per alloc_page() + __free_page(), in batches (the pages stay on this CPU's lists) */
static u64 dma_bench_free_page_round(struct kunit *test)
{
	struct page *pages[DMA_BENCH_FREE_BATCH];
	unsigned int i, j, n = max(ops / DMA_BENCH_FREE_BATCH, 1U);
	bool failed;
	u64 t0, t;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		for (j = 0; j < DMA_BENCH_FREE_BATCH; j++)
			pages[j] = alloc_page(GFP_KERNEL);
		failed = false;
		for (j = 0; j < DMA_BENCH_FREE_BATCH; j++)
			if (pages[j])
				__free_page(pages[j]);
			else
				failed = true;
		if (failed)
			break;
	}
	t = ktime_get_ns() - t0;
	KUNIT_ASSERT_EQ_MSG(test, i, n, "alloc_page() failed");
	return div_u64(t, n * DMA_BENCH_FREE_BATCH);
}

/* ns per kmalloc(128) + kfree(), in batches */
static u64 dma_bench_kfree_round(struct kunit *test)
{
	void *objs[DMA_BENCH_FREE_BATCH];
	unsigned int i, j, n = max(ops / DMA_BENCH_FREE_BATCH, 1U);
	u64 t0, t;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		for (j = 0; j < DMA_BENCH_FREE_BATCH; j++)
			objs[j] = kmalloc(128, GFP_KERNEL);
		for (j = 0; j < DMA_BENCH_FREE_BATCH; j++)
			kfree(objs[j]);
		for (j = 0; j < DMA_BENCH_FREE_BATCH; j++)
			if (!objs[j])
				break;
		if (j < DMA_BENCH_FREE_BATCH)
			break;
	}
	t = ktime_get_ns() - t0;
	KUNIT_ASSERT_EQ_MSG(test, i, n, "kmalloc() failed");
	return div_u64(t, n * DMA_BENCH_FREE_BATCH);
}

/* Figure 6: @round with the free checks off and on alternately, when the kernel has them */
static void dma_bench_free_figure(struct kunit *test, struct dma_bench *b, const char *name,
				  u64 (*round)(struct kunit *test), unsigned int live)
{
	bool hook = dma_bench_free_hook_present();
	char fig[32];
	unsigned int r;

	dma_bench_free_hook_set(false);
	round(test);
	for (r = 0; r < rounds; r++) {
		dma_bench_free_hook_set(false);
		b->val[r] = round(test);
		if (hook) {
			dma_bench_free_hook_set(true);
			b->val[rounds + r] = round(test);
		}
	}
	dma_bench_free_hook_set(true);
	snprintf(fig, sizeof(fig), "%s_off", name);
	dma_bench_print(fig, live, b->val, rounds);
	if (hook) {
		snprintf(fig, sizeof(fig), "%s_on", name);
		dma_bench_print(fig, live, b->val + rounds, rounds);
	}
}

#ifdef DMA_BENCH_MB
/*
 * Figure 7: the kernel's own dma_map_benchmark, driven as tools/dma/dma_map_benchmark
 * drives it: a platform device bound to the dma_map_benchmark driver with
 * driver_override (dma-direct, as the KUnit device of figure 1), and the
 * DMA_MAP_BENCHMARK ioctl of its debugfs file with the parameters in user memory.
 * Returns false, with a KUnit failure, when a step fails.
 */
static bool dma_bench_mb_setup(struct kunit *test, struct dma_bench *b)
{
	struct file_system_type *debugfs;
	unsigned long addr;

	b->mb_pdev = platform_device_alloc("dma-bench-mb", PLATFORM_DEVID_NONE);
	KUNIT_ASSERT_NOT_NULL(test, b->mb_pdev);
	KUNIT_ASSERT_EQ(test, device_set_driver_override(&b->mb_pdev->dev, "dma_map_benchmark"), 0);
	if (platform_device_add(b->mb_pdev)) {
		platform_device_put(b->mb_pdev);
		b->mb_pdev = NULL;
		KUNIT_FAIL(test, "platform_device_add() failed");
		return false;
	}
	KUNIT_ASSERT_NOT_NULL_MSG(test, b->mb_pdev->dev.driver,
				  "dma_map_benchmark did not bind to %s", dev_name(&b->mb_pdev->dev));

	debugfs = get_fs_type("debugfs");
	KUNIT_ASSERT_NOT_NULL(test, debugfs);
	b->mb_mnt = kern_mount(debugfs);
	put_filesystem(debugfs);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->mb_mnt);
	b->mb_file = file_open_root_mnt(b->mb_mnt, "dma_map_benchmark", O_RDWR, 0);
	if (IS_ERR(b->mb_file)) {
		KUNIT_FAIL(test, "opening debugfs dma_map_benchmark: %ld", PTR_ERR(b->mb_file));
		b->mb_file = NULL;
		return false;
	}
	KUNIT_ASSERT_NOT_NULL(test, b->mb_file->f_op->unlocked_ioctl);

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_TRUE(test, addr && !IS_ERR_VALUE(addr));
	b->mb_param = (struct map_benchmark __user *)addr;
	return true;
}

/* One dma_map_benchmark run; ns per map+unmap and per thread (its averages are in 100 ns) */
static u64 dma_bench_mb_run(struct kunit *test, struct dma_bench *b, u8 mode, u32 granule,
			    u32 threads)
{
	struct map_benchmark p = {
		.threads = threads,
		.seconds = mb_seconds,
		.node = NUMA_NO_NODE,
		.dma_bits = 32,
		.dma_dir = DMA_MAP_FROM_DEVICE,
		.granule = granule,
		.map_mode = mode,
	};
	long ret;

	KUNIT_ASSERT_EQ(test, copy_to_user(b->mb_param, &p, sizeof(p)), 0);
	ret = b->mb_file->f_op->unlocked_ioctl(b->mb_file, DMA_MAP_BENCHMARK,
					       (unsigned long)b->mb_param);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "DMA_MAP_BENCHMARK: %ld", ret);
	KUNIT_ASSERT_EQ(test, copy_from_user(&p, b->mb_param, sizeof(p)), 0);
	/* No loop completed, or the averages never came back: no figure, not 0 ns */
	KUNIT_ASSERT_GT_MSG(test, p.avg_map_100ns + p.avg_unmap_100ns, 0,
			    "dma_map_benchmark measured nothing (mode %u, %u thread(s))", mode, threads);
	return (p.avg_map_100ns + p.avg_unmap_100ns) * 100;
}

/* Print figure 7 at @live: a page and a 16-entry sg list, with @threads threads */
static void dma_bench_mb_figures(struct kunit *test, struct dma_bench *b, const char *prefix,
				 u32 threads, unsigned int n, unsigned int live)
{
	char fig[32];
	unsigned int r;

	for (r = 0; r < n; r++)
		b->val[r] = dma_bench_mb_run(test, b, DMA_MAP_BENCH_SINGLE_MODE, 1, threads);
	snprintf(fig, sizeof(fig), "%s_page", prefix);
	dma_bench_print(fig, live, b->val, n);
	for (r = 0; r < n; r++)
		b->val[r] = dma_bench_mb_run(test, b, DMA_MAP_BENCH_SG_MODE, DMA_BENCH_OP_PAGES,
					     threads);
	snprintf(fig, sizeof(fig), "%s_sg", prefix);
	dma_bench_print(fig, live, b->val, n);
}
#else
static bool dma_bench_mb_setup(struct kunit *test, struct dma_bench *b)
{
	return false;
}

static void dma_bench_mb_figures(struct kunit *test, struct dma_bench *b, const char *prefix,
				 u32 threads, unsigned int n, unsigned int live)
{
}
#endif

/* A private mapping of a shmem file whose pages are all in the page cache */
static void dma_bench_cow_setup(struct kunit *test, struct dma_bench *b, unsigned int nr)
{
	struct folio *folio;
	unsigned int i;

	b->nr_cow = nr;
	b->file = shmem_file_setup("dma-bench", (loff_t)nr * PAGE_SIZE, DMA_BENCH_NO_VMA_FLAGS);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->file);
	for (i = 0; i < nr; i++) {
		folio = shmem_read_folio(b->file->f_mapping, i);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, folio);
		folio_put(folio);
	}
	b->addr = kunit_vm_mmap(test, b->file, 0, (unsigned long)nr * PAGE_SIZE,
				PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	KUNIT_ASSERT_TRUE_MSG(test, b->addr && !IS_ERR_VALUE(b->addr), "vm_mmap() failed: %ld",
			      (long)b->addr);
}

/*
 * Read-fault @nr pages at @addr (untimed), write to each (timed: one
 * copy-on-write fault each), drop the copies.  Return the ns of the writes.
 */
static s64 dma_bench_cow_pass(struct mm_struct *mm, unsigned long addr, unsigned int nr)
{
	unsigned long a, end = addr + (unsigned long)nr * PAGE_SIZE;
	char c;
	u64 t0, t;

	for (a = addr; a < end; a += PAGE_SIZE)
		if (get_user(c, (char __user *)a))
			return -EFAULT;
	t0 = ktime_get_ns();
	for (a = addr; a < end; a += PAGE_SIZE)
		if (put_user(1, (char __user *)a))
			return -EFAULT;
	t = ktime_get_ns() - t0;
	if (do_madvise(mm, addr, end - addr, MADV_DONTNEED))
		return -EINVAL;
	return t;
}

static u64 dma_bench_cow_round(struct kunit *test, struct dma_bench *b)
{
	s64 t = dma_bench_cow_pass(current->mm, b->addr, b->nr_cow);

	KUNIT_ASSERT_GE(test, t, 0);
	return div_u64(t, b->nr_cow);
}

static void dma_bench_mem_print(unsigned int live)
{
	struct dma_bench_mem m;

	dma_bench_tracker_mem(&m);
	pr_info("dma-bench: mem live=%u: entries=%lu entry_size=%lu records=%lu record_size=%lu nodes=%lu node_size=%lu fixed=%lu\n",
		live, m.entries, m.entry_size, m.records, m.record_size, m.nodes, m.node_size,
		m.fixed);
}

static unsigned int dma_bench_next_level(unsigned int live)
{
	unsigned int next = live ? live * 10 : 1000;

	if (live >= live_max)
		return UINT_MAX;
	return min(next, live_max);
}

/* Figure 5: where dma-debug's work on a page mapping goes, piece by piece */
static void dma_bench_profile_figures(struct kunit *test, struct dma_bench *b,
				      unsigned int live)
{
	static const char * const names[] = {
		"prof_stack", "prof_entry", "prof_hash", "prof_tracker",
	};
	struct dma_bench_prof prof;
	u64 *val[ARRAY_SIZE(names)];
	unsigned int i, r;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		val[i] = kunit_kcalloc(test, rounds, sizeof(u64), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, val[i]);
	}
	for (r = 0; r < rounds; r++) {
		KUNIT_ASSERT_TRUE(test, dma_bench_profile(b->dev, b->op[0], ops, &prof));
		val[0][r] = prof.stack;
		val[1][r] = prof.entry;
		val[2][r] = prof.hash;
		val[3][r] = prof.tracker;
	}
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		dma_bench_print(names[i], live, val[i], rounds);
		kunit_kfree(test, val[i]);
	}
}

/* Figures 1, 2 and 4, at every level of live mappings (run under -icount) */
static void dma_bench_icount(struct kunit *test)
{
	struct dma_bench *b = test->priv;
	bool hook = dma_bench_cow_hook_present();
	struct dma_bench_prof prof;
	unsigned int live, r;
	bool mb;

	dma_bench_cow_setup(test, b, cow_pages);
	/* Through the IOMMU, figure 7 would still map for dma-direct: not there */
	mb = mb_seconds && !b->iommu_dev && dma_bench_mb_setup(test, b);
	pr_info("dma-bench: start live_max=%u rounds=%u ops=%u cow_pages=%u hook=%d free_hook=%d cpus=%u iommu=%d map_benchmark=%d reap=%d\n",
		live_max, rounds, ops, cow_pages, hook, dma_bench_free_hook_present(),
		num_online_cpus(), b->iommu_dev, mb, dma_bench_reap_pass());

	for (live = 0; live != UINT_MAX; live = dma_bench_next_level(live)) {
		dma_bench_grow(test, b, live);

		/* Warm up caches and the allocators, then measure. */
		dma_bench_map_page_round(test, b);
		for (r = 0; r < rounds; r++)
			b->val[r] = dma_bench_map_page_round(test, b);
		dma_bench_print("map_page", live, b->val, rounds);

		dma_bench_map_sg_round(test, b);
		for (r = 0; r < rounds; r++)
			b->val[r] = dma_bench_map_sg_round(test, b);
		dma_bench_print("map_sg", live, b->val, rounds);

		if (dma_bench_profile(b->dev, b->op[0], ops, &prof))
			dma_bench_profile_figures(test, b, live);

		/* COW hook off and on alternately, when the kernel has it */
		dma_bench_cow_hook_set(false);
		dma_bench_cow_round(test, b);
		for (r = 0; r < rounds; r++) {
			dma_bench_cow_hook_set(false);
			b->val[r] = dma_bench_cow_round(test, b);
			if (hook) {
				dma_bench_cow_hook_set(true);
				b->val[rounds + r] = dma_bench_cow_round(test, b);
			}
		}
		dma_bench_cow_hook_set(true);
		dma_bench_print("cow_off", live, b->val, rounds);
		if (hook)
			dma_bench_print("cow_on", live, b->val + rounds, rounds);

		dma_bench_free_figure(test, b, "free_page", dma_bench_free_page_round, live);
		dma_bench_free_figure(test, b, "kfree", dma_bench_kfree_round, live);

		if (mb)
			dma_bench_mb_figures(test, b, "mb", 1, 1, live);

		/* Figure 8: the idle-record work's walk of every record */
		if (dma_bench_reap_pass()) {
			for (r = 0; r < rounds; r++) {
				u64 t0 = ktime_get_ns();

				dma_bench_reap_pass();
				b->val[r] = ktime_get_ns() - t0;
			}
			dma_bench_print("reap", live, b->val, rounds);
		}

		dma_bench_mem_print(live);
	}
	pr_info("dma-bench: done\n");
}

struct dma_bench_thread {
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long addr;
	unsigned int nr;
	atomic_t *start;
	bool *stop;
	u64 faults;
	int err;
	struct completion done;
};

static int dma_bench_thread_fn(void *data)
{
	struct dma_bench_thread *t = data;
	s64 rc;

	kthread_use_mm(t->mm);
	/* Start together: each thread announces itself and waits for both */
	atomic_inc(t->start);
	while (atomic_read(t->start) < 2)
		cpu_relax();
	while (!READ_ONCE(*t->stop)) {
		rc = dma_bench_cow_pass(t->mm, t->addr, t->nr);
		if (rc < 0) {
			t->err = rc;
			break;
		}
		t->faults += t->nr;
		cond_resched();
	}
	kthread_unuse_mm(t->mm);
	complete(&t->done);
	return 0;
}

/* One trial: COW faults per second of 2 threads on CPUs 0 and 1 */
static u64 dma_bench_tput_trial(struct kunit *test, struct dma_bench *b)
{
	struct dma_bench_thread t[2] = {};
	atomic_t start = ATOMIC_INIT(0);
	bool stop = false;
	u64 t0, ns;
	int i;

	for (i = 0; i < 2; i++) {
		t[i].mm = current->mm;
		t[i].addr = b->addr + (unsigned long)i * cow_pages * PAGE_SIZE;
		t[i].nr = cow_pages;
		t[i].start = &start;
		t[i].stop = &stop;
		init_completion(&t[i].done);
		t[i].task = kthread_create(dma_bench_thread_fn, &t[i], "dma-bench/%d", i);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t[i].task);
		kthread_bind(t[i].task, i);
	}
	/* No busy wait here: this thread may share a CPU with one of them. */
	t0 = ktime_get_ns();
	for (i = 0; i < 2; i++)
		wake_up_process(t[i].task);
	msleep(tput_ms);
	WRITE_ONCE(stop, true);
	for (i = 0; i < 2; i++)
		wait_for_completion(&t[i].done);
	ns = ktime_get_ns() - t0;
	for (i = 0; i < 2; i++)
		KUNIT_ASSERT_EQ(test, t[i].err, 0);
	return div64_u64((t[0].faults + t[1].faults) * NSEC_PER_SEC, ns);
}

/* Figure 3: 2-thread COW throughput, hook on and off alternately (no -icount) */
static void dma_bench_throughput(struct kunit *test)
{
	struct dma_bench *b = test->priv;
	unsigned int live, r;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 CPUs");
	if (!dma_bench_cow_hook_present())
		kunit_skip(test, "this kernel has no COW hook");

	dma_bench_cow_setup(test, b, 2 * cow_pages);
	pr_info("dma-bench: start live_max=%u rounds=%u tput_ms=%u cow_pages=%u hook=1 cpus=%u\n",
		live_max, rounds, tput_ms, cow_pages, num_online_cpus());

	for (live = 0; live != UINT_MAX; live = dma_bench_next_level(live)) {
		dma_bench_grow(test, b, live);
		for (r = 0; r < rounds; r++) {
			/* A B B A: neither state always runs first */
			dma_bench_cow_hook_set(r & 1);
			b->val[r + (r & 1 ? 0 : rounds)] = dma_bench_tput_trial(test, b);
			dma_bench_cow_hook_set(!(r & 1));
			b->val[r + (r & 1 ? rounds : 0)] = dma_bench_tput_trial(test, b);
		}
		dma_bench_cow_hook_set(true);
		dma_bench_print("tput_on", live, b->val, rounds);
		dma_bench_print("tput_off", live, b->val + rounds, rounds);
	}
	pr_info("dma-bench: done\n");
}

/*
 * Figure 7 on 2 CPUs (no -icount): dma_map_benchmark with 1 and then 2 threads,
 * @rounds runs each, at every level of live mappings; skipped by kernels
 * without it (CONFIG_DMA_MAP_BENCHMARK, before 7.2).
 */
static void dma_bench_map_benchmark_smp(struct kunit *test)
{
	struct dma_bench *b = test->priv;
	unsigned int live;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 CPUs");
	if (!IS_ENABLED(DMA_BENCH_MB) || !mb_seconds || b->iommu_dev)
		kunit_skip(test, "no dma_map_benchmark (CONFIG_DMA_MAP_BENCHMARK, 7.2), or mb_seconds=0");
	KUNIT_ASSERT_TRUE(test, dma_bench_mb_setup(test, b));
	pr_info("dma-bench: start live_max=%u rounds=%u mb_seconds=%u cpus=%u map_benchmark=1\n",
		live_max, rounds, mb_seconds, num_online_cpus());
	for (live = 0; live != UINT_MAX; live = dma_bench_next_level(live)) {
		dma_bench_grow(test, b, live);
		dma_bench_mb_figures(test, b, "mbs1", 1, rounds, live);
		dma_bench_mb_figures(test, b, "mbs2", 2, rounds, live);
	}
	pr_info("dma-bench: done\n");
}

static struct kunit_case dma_bench_cases[] = {
	KUNIT_CASE_SLOW(dma_bench_icount),
	KUNIT_CASE_SLOW(dma_bench_throughput),
	KUNIT_CASE_SLOW(dma_bench_map_benchmark_smp),
	{}
};

static struct kunit_suite dma_bench_suite = {
	.name = "dma-bench",
	.init = dma_bench_init,
	.exit = dma_bench_exit,
	.test_cases = dma_bench_cases,
};
kunit_test_suite(dma_bench_suite);

MODULE_DESCRIPTION("Benchmark of DMA-API debugging (not for upstream)");
MODULE_LICENSE("GPL");
