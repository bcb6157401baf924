/*
 * The series: one small record per tracked page in 64 XArray shards, spans
 * (coherent buffers) in an XArray of their own, a filter.  Per-line counts
 * exist only on pages where two partial mappings share a line, which the
 * benchmark never makes (it maps whole pages).
 */
void dma_bench_tracker_mem(struct dma_bench_mem *m)
{
	struct dma_debug_tracker_size size;
	unsigned long flags;
	unsigned int i;

	dma_bench_entries(m);
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

/* An entry as dma_map_page() of @page makes it, for the profile */
static void dma_bench_entry_fill(struct dma_debug_entry *e, struct device *dev,
				 struct page *page)
{
	e->type = dma_debug_phy;
	e->dev = dev;
	e->paddr = page_to_phys(page);
	e->psize = PAGE_SIZE;
	e->dev_addr = e->paddr;
	e->size = PAGE_SIZE;
	e->direction = DMA_FROM_DEVICE;
}

/* Track and untrack @e: a record for its page, counting the whole page */
static void dma_bench_tracker_cycle(struct dma_debug_entry *e)
{
	struct dma_debug_overlap ov = {};

	if (!dma_debug_track(e, &ov))
		dma_debug_untrack(e);
}
