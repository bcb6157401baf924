
/* Upstream dma-debug: one radix-tree key per mapping (its first cacheline) */
void dma_bench_tracker_mem(struct dma_bench_mem *m)
{
	unsigned long flags;

	memset(m, 0, sizeof(*m));
	spin_lock_irqsave(&free_entries_lock, flags);
	m->entries = nr_total_entries - num_free_entries;
	spin_unlock_irqrestore(&free_entries_lock, flags);
	m->entry_size = sizeof(struct dma_debug_entry);

	spin_lock_irqsave(&radix_lock, flags);
	m->nodes = dma_bench_count_nodes(rcu_dereference_raw(dma_active_cacheline.xa_head));
	spin_unlock_irqrestore(&radix_lock, flags);
	m->node_size = sizeof(struct xa_node);
}
