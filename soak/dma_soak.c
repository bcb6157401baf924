// SPDX-License-Identifier: GPL-2.0
/*
 * dma_soak: the 'make soak' driver for the dma-debug series.  Not part of the series: an out-of-tree
 * module built against the soak kernel (scripts/soak.sh) and loaded by the soak init
 * (userspace/soak.c), which sets up fault injection and drives it through debugfs (a module
 * cannot read dma-api's debugfs files itself: they have no read_iter):
 *
 * 1. dma_soak/bad lists the bad inputs ("NUMBER EXPECTED_REPORTS NAME"); writing a number runs that
 *    one, on a device whose dma_map_ops only pretend (so that a bad unmap or a huge mapping cannot
 *    hurt real memory).  The init reads error_count and the tracker's counts around each.
 * 2. Writing to dma_soak/run runs the soak and returns when it is over; reading it gives the number
 *    of DMA-API reports the soak expected.  The soak: two threads per CPU map and unmap single, page (highmem), sg and coherent buffers in
 *    every direction through dma-direct, for 'seconds' seconds, on a device of their own and on
 *    devices registered and removed all the time (per-device records created and released).  Their
 *    DMA-API calls run with current->make_it_fail set, so failslab and fail_page_alloc (configured
 *    with task-filter by the init) fail a fraction of what dma-debug and the tracker allocate there.
 *    One operation in eight calls debug_dma_assert_idle() on its page while it is mapped (one report
 *    expected if the device may write to it; that mapping is made without injected failures, so that
 *    it is surely tracked) and every operation calls it again after the unmap (no report).
 *
 * Output for the host (scripts/summary.py soak): KTAP through printk.  At load,
 * "# dma_soak: bad_inputs=N" (the number of bad inputs dma_soak/bad lists); the soak is a KTAP
 * subtest of the init's test "soak" (userspace/soak.c), one result per planned thread:
 *	    KTAP version 1
 *	    # Subtest: soak
 *	    1..T
 *	    # soak-start: seconds=S threads_per_cpu=N inject=0|1
 *	    # thread: idx=I cpu=C single=N page=N sg=N coherent=N churned=N
 *	    ok|not ok I thread-I		(not ok: not started, or not one operation done)
 *	    # ops: total=N single=N page=N sg=N coherent=N asserts_mapped=N asserts_idle=N
 *	    # devices: churned=N churn_failed=N persistent=N
 *	    # failures: map_failed=N own_alloc_failed=N
 *	    # expect: soak_expected=N
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "dma_testdev.h"

DMA_TEST_PARAM(uint, unsigned int, seconds, 120, "how long the soak runs (default 120)");
DMA_TEST_PARAM(uint, unsigned int, threads_per_cpu, 2, "soak threads per online CPU (default 2)");
DMA_TEST_PARAM(bool, bool, inject, true,
	       "set make_it_fail around the soak's DMA-API calls (default Y)");

#define SOAK_DRV	"dma_soak"
#define SOAK_ASSERT_EVERY	8
#define SOAK_CHURN_EVERY	40
#define SOAK_MAX_THREADS	16

static atomic_long_t soak_expected = ATOMIC_LONG_INIT(0);

/* ---- the driver the soak's devices bind to ---- */

static int soak_probe(struct platform_device *pdev)
{
	return dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
}

static struct platform_driver soak_driver = {
	.probe = soak_probe,
	.driver = { .name = SOAK_DRV },
};

static struct platform_device *soak_new_device(void)
{
	struct platform_device_info info = {
		.name = SOAK_DRV,
		.id = PLATFORM_DEVID_AUTO,
		.dma_mask = DMA_BIT_MASK(32),
	};

	return platform_device_register_full(&info);
}

/* ---- fake DMA ops for the bad inputs: addresses are physical, nothing is touched ---- */

static struct page *soak_fake_coherent;

static dma_addr_t soak_fake_map_page(struct device *dev, struct page *page, unsigned long off,
				     size_t size, enum dma_data_direction dir, unsigned long attrs)
{
	return page_to_phys(page) + off;
}

static void soak_fake_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
				 enum dma_data_direction dir, unsigned long attrs)
{
}

static int soak_fake_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
			    enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = sg_phys(sg);
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

static void soak_fake_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
			       enum dma_data_direction dir, unsigned long attrs)
{
}

static dma_addr_t soak_fake_map_resource(struct device *dev, phys_addr_t phys, size_t size,
					 enum dma_data_direction dir, unsigned long attrs)
{
	return phys;
}

static void *soak_fake_alloc(struct device *dev, size_t size, dma_addr_t *dma, gfp_t gfp,
			     unsigned long attrs)
{
	*dma = page_to_phys(soak_fake_coherent);
	return page_address(soak_fake_coherent);
}

static void soak_fake_free(struct device *dev, size_t size, void *cpu, dma_addr_t dma,
			   unsigned long attrs)
{
}

static const struct dma_map_ops soak_fake_ops = {
	.map_page = soak_fake_map_page,
	.unmap_page = soak_fake_unmap_page,
	.map_sg = soak_fake_map_sg,
	.unmap_sg = soak_fake_unmap_sg,
	.map_resource = soak_fake_map_resource,
	.unmap_resource = soak_fake_unmap_page,
	.alloc = soak_fake_alloc,
	.free = soak_fake_free,
};

/* ---- 1. bad inputs, one per write of its number to dma_soak/bad ---- */

#define SOAK_MAX_BAD	32
static const char *soak_bad_name[SOAK_MAX_BAD];
static int soak_bad_expected[SOAK_MAX_BAD];
static int soak_nr_bad;
static int soak_bad_which, soak_bad_idx;

/*
 * Run the body of bad input number soak_bad_which only; with soak_bad_which < 0, list them all
 * (name and the number of DMA-API reports each must cause) without running any.
 */
#define BAD(name, expected, ...) do {						\
		int i_ = soak_bad_idx++;					\
		if (soak_bad_which < 0 && i_ < SOAK_MAX_BAD) {			\
			soak_bad_name[i_] = name;				\
			soak_bad_expected[i_] = expected;			\
			soak_nr_bad = i_ + 1;					\
		} else if (i_ == soak_bad_which) {				\
			pr_info("soak: bad input %d: %s\n", i_, name);		\
			__VA_ARGS__;						\
		}								\
	} while (0)

static int soak_bad_inputs(struct device *real, int which)
{
	struct platform_device *pdev;
	struct scatterlist sg[2];
	struct device *dev;
	struct page *page;
	dma_addr_t dma;
	void *buf, *cpu;
	unsigned long nopfn;
	int n, ret = 0;

	soak_bad_which = which;
	soak_bad_idx = 0;
	pdev = soak_new_device();
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	dev = &pdev->dev;
	set_dma_ops(dev, &soak_fake_ops);
	page = alloc_pages(GFP_KERNEL, 1);
	soak_fake_coherent = alloc_page(GFP_KERNEL);
	if (!page || !soak_fake_coherent) {
		ret = -ENOMEM;
		goto out;
	}
	buf = page_address(page);
	/* The first pfn after the end of memory: no struct page */
	nopfn = ARCH_PFN_OFFSET + max_mapnr;
	if (pfn_valid(nopfn)) {
		pr_err("soak: pfn 0x%lx after the end of memory has a struct page\n", nopfn);
		ret = -EINVAL;
		goto out;
	}

	BAD("assert_idle(NULL)", 0, debug_dma_assert_idle(NULL));
	BAD("assert_idle(pfn without struct page, idle)", 0,
	    debug_dma_assert_idle(pfn_to_page(nopfn)));
	BAD("map_resource(pfn without struct page)+assert_idle+unmap", 0, {
		dma = dma_map_resource(dev, PFN_PHYS(nopfn), PAGE_SIZE, DMA_BIDIRECTIONAL, 0);
		if (!dma_mapping_error(dev, dma)) {
			debug_dma_assert_idle(pfn_to_page(nopfn));
			dma_unmap_resource(dev, dma, PAGE_SIZE, DMA_BIDIRECTIONAL, 0);
		}
	});
	BAD("zero-length map_single (real device)", 0, {
		dma = dma_map_single(real, buf, 0, DMA_FROM_DEVICE);
		if (!dma_mapping_error(real, dma)) {
			debug_dma_assert_idle(page);
			dma_unmap_single(real, dma, 0, DMA_FROM_DEVICE);
		}
	});
	BAD("zero-length map_page at offset 100 (fake ops)", 0, {
		dma = dma_map_page(dev, page, 100, 0, DMA_BIDIRECTIONAL);
		if (!dma_mapping_error(dev, dma)) {
			debug_dma_assert_idle(page);
			dma_unmap_page(dev, dma, 0, DMA_BIDIRECTIONAL);
		}
	});
	BAD("zero-length sg entry (fake ops)", 0, {
		sg_init_table(sg, 1);
		sg_set_page(sg, page, 0, 0);
		n = dma_map_sg(dev, sg, 1, DMA_FROM_DEVICE);
		if (n)
			dma_unmap_sg(dev, sg, 1, DMA_FROM_DEVICE);
	});
	BAD("huge-length map_page 256 MiB to_device (fake ops)", 0, {
		dma = dma_map_page(dev, page, 0, SZ_256M, DMA_TO_DEVICE);
		if (!dma_mapping_error(dev, dma))
			dma_unmap_page(dev, dma, SZ_256M, DMA_TO_DEVICE);
	});
	BAD("huge-length map_page 64 MiB bidirectional (fake ops)+assert_idle", 1, {
		dma = dma_map_page(dev, page, 0, SZ_64M, DMA_BIDIRECTIONAL);
		if (!dma_mapping_error(dev, dma)) {
			debug_dma_assert_idle(page + 1);
			dma_unmap_page(dev, dma, SZ_64M, DMA_BIDIRECTIONAL);
		}
	});

	/* Never mapped, double unmap and wrong size, at every mapping type */
	BAD("unmap_single never mapped", 1,
	    dma_unmap_single(dev, page_to_phys(page), 64, DMA_TO_DEVICE));
	BAD("unmap_page never mapped", 1,
	    dma_unmap_page(dev, page_to_phys(page) + 128, 64, DMA_FROM_DEVICE));
	BAD("unmap_sg never mapped", 1, {
		sg_init_table(sg, 1);
		sg_set_page(sg, page, 256, 0);
		sg->dma_address = page_to_phys(page);
		sg_dma_len(sg) = 256;
		dma_unmap_sg(dev, sg, 1, DMA_BIDIRECTIONAL);
	});
	BAD("free_coherent never allocated", 1,
	    dma_free_coherent(dev, PAGE_SIZE, page_address(soak_fake_coherent),
			      page_to_phys(soak_fake_coherent)));

	BAD("unmap_single twice", 1, {
		dma = dma_map_single(dev, buf, 512, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, dma))
			break;
		dma_unmap_single(dev, dma, 512, DMA_FROM_DEVICE);
		dma_unmap_single(dev, dma, 512, DMA_FROM_DEVICE);
	});
	BAD("unmap_page twice", 1, {
		dma = dma_map_page(dev, page + 1, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
		if (dma_mapping_error(dev, dma))
			break;
		dma_unmap_page(dev, dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
		dma_unmap_page(dev, dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	});
	BAD("unmap_sg twice", 1, {
		sg_init_table(sg, 1);
		sg_set_page(sg, page, 1024, 0);
		n = dma_map_sg(dev, sg, 1, DMA_FROM_DEVICE);
		dma_unmap_sg(dev, sg, 1, DMA_FROM_DEVICE);
		dma_unmap_sg(dev, sg, 1, DMA_FROM_DEVICE);
	});
	BAD("free_coherent twice", 1, {
		cpu = dma_alloc_coherent(dev, PAGE_SIZE, &dma, GFP_KERNEL);
		dma_free_coherent(dev, PAGE_SIZE, cpu, dma);
		dma_free_coherent(dev, PAGE_SIZE, cpu, dma);
	});

	BAD("unmap_single wrong size", 1, {
		dma = dma_map_single(dev, buf, 2048, DMA_BIDIRECTIONAL);
		if (dma_mapping_error(dev, dma))
			break;
		dma_unmap_single(dev, dma, 1024, DMA_BIDIRECTIONAL);
	});
	BAD("unmap_page wrong size", 1, {
		dma = dma_map_page(dev, page, 0, 2 * PAGE_SIZE, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, dma))
			break;
		dma_unmap_page(dev, dma, PAGE_SIZE, DMA_FROM_DEVICE);
	});
	BAD("unmap_sg wrong size", 1, {
		sg_init_table(sg, 2);
		sg_set_page(&sg[0], page, PAGE_SIZE, 0);
		sg_set_page(&sg[1], page + 1, 512, 0);
		n = dma_map_sg(dev, sg, 2, DMA_FROM_DEVICE);
		sg_dma_len(&sg[1]) = 1024;
		dma_unmap_sg(dev, sg, 2, DMA_FROM_DEVICE);
	});
	BAD("free_coherent wrong size", 1, {
		cpu = dma_alloc_coherent(dev, PAGE_SIZE, &dma, GFP_KERNEL);
		dma_free_coherent(dev, 2 * PAGE_SIZE, cpu, dma);
	});

out:
	platform_device_unregister(pdev);
	if (page)
		__free_pages(page, 1);
	if (soak_fake_coherent)
		__free_page(soak_fake_coherent);
	soak_fake_coherent = NULL;
	return ret;
}

/* ---- 2. the soak ---- */

struct soak_worker {
	struct task_struct *task;
	struct platform_device *pdev;
	unsigned int cpu, idx;
	unsigned long ops[4], asserts_mapped, asserts_idle, map_failed, own_alloc_failed;
	unsigned long churned, churn_failed, syncs;
};

static const enum dma_data_direction soak_dirs[] = {
	DMA_BIDIRECTIONAL, DMA_TO_DEVICE, DMA_FROM_DEVICE,
};

static inline void soak_fail_on(void)
{
#ifdef CONFIG_FAULT_INJECTION
	if (inject)
		current->make_it_fail = true;
#endif
}

static inline void soak_fail_off(void)
{
#ifdef CONFIG_FAULT_INJECTION
	current->make_it_fail = false;
#endif
}

/*
 * Serialises the soak's reports: dma-debug's error_count is a plain "+= 1" (racy by design, see
 * err_printk() in kernel/dma/debug.c), so two reports on two CPUs at once may count as one, and the
 * soak could not tell that from a missed report.  Only these asserts report during the soak.
 */
static DEFINE_SPINLOCK(soak_report_lock);

/* Assert on a page while it is mapped: a report is expected if the device may write to it. */
static void soak_assert_mapped(struct soak_worker *w, struct page *page, bool writable)
{
	spin_lock(&soak_report_lock);
	debug_dma_assert_idle(page);
	spin_unlock(&soak_report_lock);
	w->asserts_mapped++;
	if (writable)
		atomic_long_inc(&soak_expected);
}

static void soak_op(struct soak_worker *w, struct device *dev, unsigned int op,
		    enum dma_data_direction dir, bool assert)
{
	bool writable = dir != DMA_TO_DEVICE;
	struct scatterlist sgl[3];
	struct page *page, *pages[3];
	unsigned int off, len, i, nr;
	dma_addr_t dma;
	void *cpu;
	int n;

	/* Mappings asserted on are made without injected failures: they must be tracked. */
	switch (op) {
	case 0:	/* dma_map_single() of part of a lowmem page */
	case 1:	/* dma_map_page() of part of a highmem page */
		page = alloc_page(op ? GFP_HIGHUSER : GFP_KERNEL);
		if (!page) {
			w->own_alloc_failed++;
			return;
		}
		off = get_random_u32_below(PAGE_SIZE / 2);
		len = 1 + get_random_u32_below(PAGE_SIZE - off);
		if (!assert)
			soak_fail_on();
		if (op)
			dma = dma_map_page(dev, page, off, len, dir);
		else
			dma = dma_map_single(dev, page_address(page) + off, len, dir);
		soak_fail_off();
		if (dma_mapping_error(dev, dma)) {
			w->map_failed++;
			__free_page(page);
			return;
		}
		if (assert)
			soak_assert_mapped(w, page, writable);
		dma_sync_single_for_cpu(dev, dma, len, dir);
		dma_sync_single_for_device(dev, dma, len, dir);
		w->syncs += 2;
		soak_fail_on();
		if (op)
			dma_unmap_page(dev, dma, len, dir);
		else
			dma_unmap_single(dev, dma, len, dir);
		soak_fail_off();
		debug_dma_assert_idle(page);
		w->asserts_idle++;
		__free_page(page);
		break;
	case 2:	/* dma_map_sg() of 1-3 pages, lowmem and highmem */
		nr = 1 + get_random_u32_below(3);
		sg_init_table(sgl, nr);
		for (i = 0; i < nr; i++) {
			pages[i] = alloc_page(i & 1 ? GFP_HIGHUSER : GFP_KERNEL);
			if (!pages[i]) {
				w->own_alloc_failed++;
				while (i--)
					__free_page(pages[i]);
				return;
			}
			off = i ? 0 : get_random_u32_below(PAGE_SIZE / 2);
			sg_set_page(&sgl[i], pages[i], PAGE_SIZE - off, off);
		}
		if (!assert)
			soak_fail_on();
		n = dma_map_sg(dev, sgl, nr, dir);
		soak_fail_off();
		if (n <= 0) {
			w->map_failed++;
		} else {
			if (assert)
				soak_assert_mapped(w, pages[nr - 1], writable);
			dma_sync_sg_for_cpu(dev, sgl, nr, dir);
			dma_sync_sg_for_device(dev, sgl, nr, dir);
			w->syncs += 2;
			soak_fail_on();
			dma_unmap_sg(dev, sgl, nr, dir);
			soak_fail_off();
		}
		for (i = 0; i < nr; i++) {
			debug_dma_assert_idle(pages[i]);
			w->asserts_idle++;
			__free_page(pages[i]);
		}
		break;
	case 3:	/* dma_alloc_coherent() of 1-2 pages: always device-writable */
		len = (1 + get_random_u32_below(2)) * PAGE_SIZE - get_random_u32_below(64);
		if (!assert)
			soak_fail_on();
		cpu = dma_alloc_coherent(dev, len, &dma, GFP_KERNEL);
		soak_fail_off();
		if (!cpu) {
			w->map_failed++;
			return;
		}
		memset(cpu, 0x5a, len);
		page = pfn_valid(PHYS_PFN(dma)) ? pfn_to_page(PHYS_PFN(dma)) : NULL;
		if (assert && page)
			soak_assert_mapped(w, page, true);
		soak_fail_on();
		dma_free_coherent(dev, len, cpu, dma);
		soak_fail_off();
		if (page) {
			debug_dma_assert_idle(page);
			w->asserts_idle++;
		}
		break;
	}
	w->ops[op]++;
}

/* A device registered, bound, used for one operation of each type, and removed */
static void soak_churn(struct soak_worker *w, unsigned long n)
{
	struct platform_device *pdev = soak_new_device();
	unsigned int op;

	if (IS_ERR(pdev)) {
		w->churn_failed++;
		return;
	}
	for (op = 0; op < 4; op++)
		soak_op(w, &pdev->dev, op, soak_dirs[(n + op) % 3], false);
	platform_device_unregister(pdev);
	w->churned++;
}

static int soak_thread(void *data)
{
	struct soak_worker *w = data;
	unsigned long end = jiffies + seconds * HZ, n = 0;

	while (!kthread_should_stop() && time_before(jiffies, end)) {
		unsigned int op = n % 4;

		soak_op(w, &w->pdev->dev, op, soak_dirs[(n / 4) % 3],
			n % SOAK_ASSERT_EVERY == SOAK_ASSERT_EVERY - 1);
		if (n % SOAK_CHURN_EVERY == SOAK_CHURN_EVERY - 1)
			soak_churn(w, n);
		n++;
		cond_resched();
	}
	/* Wait to be stopped: kthread_stop() must find us alive */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static struct soak_worker soak_workers[SOAK_MAX_THREADS];
static unsigned int soak_nr_workers;
static DEFINE_MUTEX(soak_lock);

static int soak_run(void)
{
	unsigned long ops = 0, totals[4] = {}, asserts_mapped = 0, asserts_idle = 0;
	unsigned long map_failed = 0, own_failed = 0, churned = 0, churn_failed = 0, started = 0;
	unsigned int cpu, i, t;

	if (soak_nr_workers)
		return -EBUSY;
	/* Every planned thread gets a slot, and a result: a thread that did not start fails. */
	for_each_online_cpu(cpu)
		for (t = 0; t < threads_per_cpu && soak_nr_workers < SOAK_MAX_THREADS; t++) {
			soak_workers[soak_nr_workers].cpu = cpu;
			soak_workers[soak_nr_workers].idx = soak_nr_workers;
			soak_nr_workers++;
		}
	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: soak\n");
	pr_info("    1..%u\n", soak_nr_workers);
	pr_info("    # soak-start: seconds=%u threads_per_cpu=%u inject=%d\n", seconds,
		threads_per_cpu, inject);
	atomic_long_set(&soak_expected, 0);
	for (i = 0; i < soak_nr_workers; i++) {
		struct soak_worker *w = &soak_workers[i];

		w->pdev = soak_new_device();
		if (IS_ERR(w->pdev)) {
			pr_info("    # thread: error: no device for thread %u (%ld)\n", i,
				PTR_ERR(w->pdev));
			w->pdev = NULL;
			continue;
		}
		w->task = kthread_create_on_cpu(soak_thread, w, w->cpu, "dma_soak/%u");
		if (IS_ERR(w->task)) {
			pr_info("    # thread: error: thread %u not created (%ld)\n", i,
				PTR_ERR(w->task));
			w->task = NULL;
			continue;
		}
		started++;
	}
	pr_info("    # soak: %lu threads on %u CPUs for %u s\n", started, num_online_cpus(), seconds);
	for (i = 0; i < soak_nr_workers; i++)
		if (soak_workers[i].task)
			wake_up_process(soak_workers[i].task);

	for (t = 0; t < seconds; t += 10) {
		msleep(min(10U, seconds - t) * 1000);
		pr_info("    # soak: %u/%u s\n", min(t + 10, seconds), seconds);
	}

	for (i = 0; i < soak_nr_workers; i++) {
		struct soak_worker *w = &soak_workers[i];
		unsigned long done = 0;

		if (w->task)
			kthread_stop(w->task);
		for (t = 0; t < 4; t++) {
			totals[t] += w->ops[t];
			done += w->ops[t];
		}
		ops += done;
		asserts_mapped += w->asserts_mapped;
		asserts_idle += w->asserts_idle;
		map_failed += w->map_failed;
		own_failed += w->own_alloc_failed;
		churned += w->churned;
		churn_failed += w->churn_failed;
		pr_info("    # thread: idx=%u cpu=%u single=%lu page=%lu sg=%lu coherent=%lu churned=%lu\n",
			i, w->cpu, w->ops[0], w->ops[1], w->ops[2], w->ops[3], w->churned);
		pr_info("    %s %u thread-%u\n", w->task && done ? "ok" : "not ok", i + 1, i);
	}

	pr_info("    # ops: total=%lu single=%lu page=%lu sg=%lu coherent=%lu asserts_mapped=%lu asserts_idle=%lu\n",
		ops, totals[0], totals[1], totals[2], totals[3], asserts_mapped, asserts_idle);
	pr_info("    # devices: churned=%lu churn_failed=%lu persistent=%lu\n", churned,
		churn_failed, started);
	pr_info("    # failures: map_failed=%lu own_alloc_failed=%lu\n", map_failed, own_failed);
	pr_info("    # expect: soak_expected=%ld\n", atomic_long_read(&soak_expected));
	return 0;
}

/*
 * dma_soak/bad: read the bad inputs ("NUMBER EXPECTED_REPORTS NAME" lines); write a number to run
 * that one.  dma_soak/run: write anything to run the soak (the write returns when it is over); read
 * the number of DMA-API reports it expected.
 */
static ssize_t soak_bad_read(struct file *f, char __user *ubuf, size_t count, loff_t *ppos)
{
	char *buf = kzalloc(PAGE_SIZE, GFP_KERNEL);
	size_t len = 0;
	ssize_t ret;
	int i;

	if (!buf)
		return -ENOMEM;
	for (i = 0; i < soak_nr_bad; i++)
		len += scnprintf(buf + len, PAGE_SIZE - len, "%d %d %s\n", i,
				 soak_bad_expected[i], soak_bad_name[i]);
	ret = simple_read_from_buffer(ubuf, count, ppos, buf, len);
	kfree(buf);
	return ret;
}

static ssize_t soak_bad_write(struct file *f, const char __user *ubuf, size_t count,
			      loff_t *ppos)
{
	struct platform_device *real;
	int which, ret;

	ret = kstrtoint_from_user(ubuf, count, 0, &which);
	if (ret)
		return ret;
	if (which < 0 || which >= soak_nr_bad)
		return -EINVAL;
	mutex_lock(&soak_lock);
	real = soak_new_device();
	if (IS_ERR(real)) {
		ret = PTR_ERR(real);
	} else {
		ret = soak_bad_inputs(&real->dev, which);
		platform_device_unregister(real);
	}
	mutex_unlock(&soak_lock);
	return ret ? ret : count;
}

/* The file_operations of dma_soak/NAME: soak_NAME_read() and soak_NAME_write(). */
#define SOAK_FOPS(name)							\
	static const struct file_operations soak_##name##_fops = {	\
		.owner = THIS_MODULE,					\
		.read = soak_##name##_read,				\
		.write = soak_##name##_write,				\
		.llseek = default_llseek,				\
	}

SOAK_FOPS(bad);

static ssize_t soak_run_read(struct file *f, char __user *ubuf, size_t count, loff_t *ppos)
{
	char buf[32];
	int len = scnprintf(buf, sizeof(buf), "%ld\n", atomic_long_read(&soak_expected));

	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t soak_run_write(struct file *f, const char __user *ubuf, size_t count,
			      loff_t *ppos)
{
	int ret;

	mutex_lock(&soak_lock);
	ret = soak_run();
	mutex_unlock(&soak_lock);
	return ret ? ret : count;
}

SOAK_FOPS(run);

static struct dentry *soak_dir;

static int __init dma_soak_init(void)
{
	int ret;

	ret = platform_driver_register(&soak_driver);
	if (ret)
		return ret;
	/* List the bad inputs: a set-up failure there fails the load (the init reports it) */
	ret = soak_bad_inputs(NULL, -1);
	pr_info("# dma_soak: bad_inputs=%d\n", soak_nr_bad);
	if (ret || !soak_nr_bad) {
		pr_err("dma_soak: listing the bad inputs failed (%d)\n", ret);
		platform_driver_unregister(&soak_driver);
		return ret ?: -EINVAL;
	}
	soak_dir = debugfs_create_dir("dma_soak", NULL);
	debugfs_create_file("bad", 0600, soak_dir, NULL, &soak_bad_fops);
	debugfs_create_file("run", 0600, soak_dir, NULL, &soak_run_fops);
	return 0;
}

static void __exit dma_soak_exit(void)
{
	unsigned int i;

	debugfs_remove_recursive(soak_dir);
	for (i = 0; i < soak_nr_workers; i++)
		if (soak_workers[i].pdev)
			platform_device_unregister(soak_workers[i].pdev);
	platform_driver_unregister(&soak_driver);
}

module_init(dma_soak_init);
module_exit(dma_soak_exit);
MODULE_DESCRIPTION("Soak test of dma-debug under fault injection (make soak)");
MODULE_LICENSE("GPL");
