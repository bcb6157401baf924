/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma-bench: appended to kernel/dma/debug.c of a benchmarked tree by
 * scripts/bench.sh (not part of the series), so that it can count the
 * tracker's own objects, which are static in debug.c (with bench/tracker-k1.c
 * or bench/tracker-k2.c after it).
 */
#include "dma_bench.h"

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

/* Nodes of the XArray (or radix tree) below @entry; the caller holds its lock. */
static unsigned long dma_bench_count_nodes(void *entry)
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
