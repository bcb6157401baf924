/* Upstream dma-debug: one radix-tree key per mapping (its first cacheline) */
void dma_bench_tracker_mem(struct dma_bench_mem *m)
{
	unsigned long flags;

	dma_bench_entries(m);
	spin_lock_irqsave(&radix_lock, flags);
	m->nodes = dma_bench_count_nodes(rcu_dereference_raw(dma_active_cacheline.xa_head));
	spin_unlock_irqrestore(&radix_lock, flags);
}
