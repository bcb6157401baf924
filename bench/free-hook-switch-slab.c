/*
 * dma-bench (not part of the series): scripts/bench.sh inserts this into
 * mm/slub.c of the K2 tree, next to bench/free-hook-switch-pages.c in
 * mm/page_alloc.c, which defines the switch.
 */
#include <linux/jump_label.h>
DECLARE_STATIC_KEY_FALSE(dma_bench_free_hook_off);

#define debug_dma_check_free_object(obj, size)					\
	do {									\
		if (!static_branch_unlikely(&dma_bench_free_hook_off))		\
			debug_dma_check_free_object(obj, size);			\
	} while (0)
