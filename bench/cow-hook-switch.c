/*
 * dma-bench (not part of the series): scripts/bench.sh inserts this into
 * mm/memory.c of the K2 tree, so that the benchmark can switch the COW hook
 * off and on at run time.  On, it costs one static-branch no-op.
 */
#include <linux/jump_label.h>
static DEFINE_STATIC_KEY_FALSE(dma_bench_cow_hook_off);
bool dma_bench_cow_hook_present(void);
void dma_bench_cow_hook_set(bool on);
bool dma_bench_cow_hook_present(void)
{
	return true;
}

void dma_bench_cow_hook_set(bool on)
{
	if (on)
		static_branch_disable(&dma_bench_cow_hook_off);
	else
		static_branch_enable(&dma_bench_cow_hook_off);
}

#define debug_dma_assert_idle(page)						\
	do {									\
		if (!static_branch_unlikely(&dma_bench_cow_hook_off))		\
			debug_dma_assert_idle(page);				\
	} while (0)
