/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma-bench: appended to kernel/dma/debug.c of a benchmarked tree by
 * scripts/bench.sh (not part of the series), so that it can count the
 * tracker's own objects, which are static in debug.c.
 */
struct dma_bench_mem {
	unsigned long entries, entry_size;
	unsigned long records, record_size;
	unsigned long nodes, node_size;
	unsigned long fixed;
};

void dma_bench_tracker_mem(struct dma_bench_mem *m);

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
