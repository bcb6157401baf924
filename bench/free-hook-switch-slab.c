/*
 * dma-bench (not part of the series): scripts/bench.sh inserts this into
 * mm/slub.c of the K2 tree, next to bench/free-hook-switch-pages.c in
 * mm/page_alloc.c, which defines the switch.  bench.sh also puts the switch
 * in front of slab_free_hook()'s test of the slab's DMA mark, so that "off"
 * leaves out the whole check, the mark's test included.
 */
#include <linux/jump_label.h>
DECLARE_STATIC_KEY_FALSE(dma_bench_free_hook_off);
