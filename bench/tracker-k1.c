/* Upstream dma-debug: one radix-tree key per mapping (its first cacheline) */
void dma_bench_tracker_mem(struct dma_bench_mem *m)
{
	unsigned long flags;

	dma_bench_entries(m);
	spin_lock_irqsave(&radix_lock, flags);
	m->nodes = dma_bench_count_nodes(rcu_dereference_raw(dma_active_cacheline.xa_head));
	spin_unlock_irqrestore(&radix_lock, flags);
}

/* An entry as dma_map_page() of @page makes it, for the profile */
static void dma_bench_entry_fill(struct dma_debug_entry *e, struct device *dev,
				 struct page *page)
{
	e->type = DMA_BENCH_PAGE_ENTRY;
	e->dev = dev;
	e->paddr = page_to_phys(page);
	e->dev_addr = e->paddr;
	e->size = PAGE_SIZE;
	e->direction = DMA_FROM_DEVICE;
}

/* Track and untrack @e: its first cacheline in the radix tree */
static void dma_bench_tracker_cycle(struct dma_debug_entry *e)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
	bool clean;

	if (!active_cacheline_insert(e, &clean))
		active_cacheline_remove(e);
#else
	if (!active_cacheline_insert(e))
		active_cacheline_remove(e);
#endif
}
