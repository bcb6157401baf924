/*
 * dma-bench (not part of the series): scripts/bench.sh inserts this into
 * mm/page_alloc.c of the K2 tree, when the series has the free checks, so
 * that the benchmark can switch them off and on at run time (the slab's
 * check through bench/free-hook-switch-slab.c, in mm/slub.c).  On, they
 * cost one static-branch no-op more each.
 */
#include <linux/jump_label.h>
DEFINE_STATIC_KEY_FALSE(dma_bench_free_hook_off);
EXPORT_SYMBOL_GPL(dma_bench_free_hook_off);
bool dma_bench_free_hook_present(void);
void dma_bench_free_hook_set(bool on);
bool dma_bench_free_hook_present(void)
{
	return true;
}

void dma_bench_free_hook_set(bool on)
{
	if (on)
		static_branch_disable(&dma_bench_free_hook_off);
	else
		static_branch_enable(&dma_bench_free_hook_off);
}

#define debug_dma_check_free_pages(page, nr)					\
	do {									\
		if (!static_branch_unlikely(&dma_bench_free_hook_off))		\
			debug_dma_check_free_pages(page, nr);			\
	} while (0)
