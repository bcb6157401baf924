/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma-bench (not part of the series): what bench/dma_bench.c asks of the benchmarked kernel, which
 * scripts/bench.sh provides by appending bench/tracker-*.c to kernel/dma/debug.c (and
 * bench/tracker-k2-objects.c to kernel/dma/debug_tracker.c where the series has it) and inserting
 * bench/cow-hook-switch.c into mm/memory.c.  bench.sh copies this header into kernel/dma/.
 */
#ifndef DMA_BENCH_H
#define DMA_BENCH_H

#include <linux/types.h>
#include <linux/xarray.h>

/**
 * struct dma_bench_mem - the dma-debug tracker's own memory
 * @entries: dma_debug_entry objects in use
 * @entry_size: bytes per entry
 * @records: tracker objects other than tree nodes (the series: one per page)
 * @record_size: bytes per record
 * @nodes: radix-tree/XArray nodes of the tracker's own trees
 * @node_size: bytes per node
 * @fixed: memory allocated once whatever the number of mappings
 */
struct dma_bench_mem {
	unsigned long entries, entry_size;
	unsigned long records, record_size;
	unsigned long nodes, node_size;
	unsigned long fixed;
};

void dma_bench_tracker_mem(struct dma_bench_mem *m);
/* The series' tracker objects (bench/tracker-k2-objects.c), for dma_bench_tracker_mem() */
void dma_bench_tracker_objects(struct dma_bench_mem *m);

/* Nodes of the XArray (or radix tree) below @entry; the caller holds its lock. */
static inline unsigned long dma_bench_count_nodes(void *entry)
{
	struct xa_node *node;
	unsigned long n = 1;
	unsigned int i;

	if (!xa_is_node(entry))
		return 0;
	node = xa_to_node(entry);
	for (i = 0; i < XA_CHUNK_SIZE; i++)
		n += dma_bench_count_nodes(rcu_dereference_raw(node->slots[i]));
	return n;
}

/**
 * struct dma_bench_prof - where dma-debug's work on a page mapping goes
 * @stack: ns of stack_trace_save() of the map-site stack
 * @entry: ns of dma_entry_alloc() + dma_entry_free() (the stack included)
 * @hash: ns of adding an entry to its hash bucket, finding it and removing it
 * @tracker: ns of tracking and untracking a one-page DMA_FROM_DEVICE mapping
 *	(upstream: its first cacheline in the radix tree)
 */
struct dma_bench_prof {
	u64 stack, entry, hash, tracker;
};

struct device;
struct page;
bool dma_bench_profile(struct device *dev, struct page *page, unsigned int n,
		       struct dma_bench_prof *p);
bool dma_bench_cow_hook_present(void);
void dma_bench_cow_hook_set(bool on);
/* The free checks' switch: mm/page_alloc.c of the K2 tree (bench/free-hook-switch-pages.c) */
bool dma_bench_free_hook_present(void);
bool dma_bench_reap_pass(void);
void dma_bench_free_hook_set(bool on);

#endif /* DMA_BENCH_H */
