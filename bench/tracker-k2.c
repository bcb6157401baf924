/* The series: one record per tracked page, 64 XArray shards, a filter */
void dma_bench_tracker_mem(struct dma_bench_mem *m)
{
	unsigned long flags;
	unsigned int i;

	dma_bench_entries(m);
	m->records = atomic_long_read(&dma_debug_tracked_pages);
	m->record_size = dma_debug_page_cache ? kmem_cache_size(dma_debug_page_cache) : 0;
	for (i = 0; i < DMA_DEBUG_TRACKER_SHARDS; i++) {
		xa_lock_irqsave(&dma_debug_pages[i], flags);
		m->nodes += dma_bench_count_nodes(rcu_dereference_raw(dma_debug_pages[i].xa_head));
		xa_unlock_irqrestore(&dma_debug_pages[i], flags);
	}
	m->fixed = dma_debug_filter ? dma_debug_filter_mask + 1 : 0;
}
