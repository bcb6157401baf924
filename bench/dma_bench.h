/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma-bench (not part of the series): what bench/dma_bench.c asks of the benchmarked kernel, which
 * scripts/bench.sh provides by appending bench/tracker-*.c to kernel/dma/debug.c and inserting
 * bench/cow-hook-switch.c into mm/memory.c.  bench.sh copies this header into kernel/dma/.
 */
#ifndef DMA_BENCH_H
#define DMA_BENCH_H

#include <linux/types.h>

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
bool dma_bench_cow_hook_present(void);
void dma_bench_cow_hook_set(bool on);

#endif /* DMA_BENCH_H */
