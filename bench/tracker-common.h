/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma-bench: appended to kernel/dma/debug.c of a benchmarked tree by
 * scripts/bench.sh (not part of the series), so that it can count the
 * tracker's own objects, which are static in debug.c (with bench/tracker-k1.c
 * or bench/tracker-k2.c after it).
 */
#include <linux/version.h>
#include "dma_bench.h"

/* Linux 7 records single and page mappings as dma_debug_phy entries, 6.12 as dma_debug_single. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
#define DMA_BENCH_PAGE_ENTRY	dma_debug_phy
#else
#define DMA_BENCH_PAGE_ENTRY	dma_debug_single
#endif

/* The dma_debug_entry objects in use: every kernel with dma-debug has them. */
static void dma_bench_entries(struct dma_bench_mem *m)
{
	unsigned long flags;

	memset(m, 0, sizeof(*m));
	spin_lock_irqsave(&free_entries_lock, flags);
	m->entries = nr_total_entries - num_free_entries;
	spin_unlock_irqrestore(&free_entries_lock, flags);
	m->entry_size = sizeof(struct dma_debug_entry);
	m->node_size = sizeof(struct xa_node);
}

/* In bench/tracker-k1.c or bench/tracker-k2.c, after this file */
static void dma_bench_entry_fill(struct dma_debug_entry *e, struct device *dev,
				 struct page *page);
static void dma_bench_tracker_cycle(struct dma_debug_entry *e);

/*
 * One piece at a time, @n times each, of what dma-debug does for a page
 * mapping of @page by @dev (the "prof_*" figures; the rest of a map+unmap,
 * its checks and accounting, is the difference to the map_page figure).
 */
bool dma_bench_profile(struct device *dev, struct page *page, unsigned int n,
		       struct dma_bench_prof *p)
{
	unsigned long stack[DMA_DEBUG_STACKTRACE_ENTRIES];
	struct dma_debug_entry *e, *found;
	struct hash_bucket *bucket;
	unsigned long flags;
	unsigned int i;
	u64 t0;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		stack_trace_save(stack, ARRAY_SIZE(stack), 1);
	p->stack = div_u64(ktime_get_ns() - t0, n);

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		e = dma_entry_alloc();
		if (!e)
			return false;
		/* Nothing for the tracker to remove */
		e->direction = DMA_TO_DEVICE;
		dma_entry_free(e);
	}
	p->entry = div_u64(ktime_get_ns() - t0, n);

	e = dma_entry_alloc();
	if (!e)
		return false;
	dma_bench_entry_fill(e, dev, page);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		bucket = get_hash_bucket(e, &flags);
		hash_bucket_add(bucket, e);
		put_hash_bucket(bucket, flags);
		bucket = get_hash_bucket(e, &flags);
		found = bucket_find_exact(bucket, e);
		if (found)
			hash_bucket_del(found);
		put_hash_bucket(bucket, flags);
		if (!found) {
			/* The entry is not in the hash: it was never added */
			e->direction = DMA_TO_DEVICE;
			dma_entry_free(e);
			return false;
		}
	}
	p->hash = div_u64(ktime_get_ns() - t0, n);

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		dma_bench_tracker_cycle(e);
	p->tracker = div_u64(ktime_get_ns() - t0, n);

	e->direction = DMA_TO_DEVICE;
	dma_entry_free(e);
	return true;
}
