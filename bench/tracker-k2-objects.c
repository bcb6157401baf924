// SPDX-License-Identifier: GPL-2.0
/*
 * dma-bench (not part of the series): appended by scripts/bench.sh to the file
 * that holds the series' active-mapping tracker (kernel/dma/debug_tracker.c, or
 * kernel/dma/debug.c where the tracker is still in it), so that it can count the
 * tracker's objects, which are static there.  The series: one small record per
 * tracked page in 64 XArray shards, spans (coherent buffers) in an XArray of
 * their own, a filter.  Per-line counts exist only on pages where two partial
 * mappings share a line, which the benchmark never makes (it maps whole pages).
 */
#include "dma_bench.h"

void dma_bench_tracker_objects(struct dma_bench_mem *m)
{
	struct dma_debug_tracker_size size;
	unsigned long flags;
	unsigned int i;

	dma_debug_tracker_size(&size);
	m->records = size.records;
	m->record_size = dma_debug_page_cache ? kmem_cache_size(dma_debug_page_cache) : 0;
	for (i = 0; i < DMA_DEBUG_TRACKER_SHARDS; i++) {
		xa_lock_irqsave(&dma_debug_pages[i], flags);
		m->nodes += dma_bench_count_nodes(rcu_dereference_raw(dma_debug_pages[i].xa_head));
		xa_unlock_irqrestore(&dma_debug_pages[i], flags);
	}
	xa_lock_irqsave(&dma_debug_spans, flags);
	m->nodes += dma_bench_count_nodes(rcu_dereference_raw(dma_debug_spans.xa_head));
	xa_unlock_irqrestore(&dma_debug_spans, flags);
	m->fixed = dma_debug_filter != &dma_debug_no_filter ? dma_debug_filter->mask + 1 : 0;
}
