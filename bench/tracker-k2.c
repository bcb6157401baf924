/* The series (bench/tracker-k2-objects.c counts its tracker objects) */
void dma_bench_tracker_mem(struct dma_bench_mem *m)
{
	dma_bench_entries(m);
	dma_bench_tracker_objects(m);
}

/* An entry as dma_map_page() of @page makes it, for the profile */
static void dma_bench_entry_fill(struct dma_debug_entry *e, struct device *dev,
				 struct page *page)
{
	e->type = DMA_BENCH_PAGE_ENTRY;
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
