// SPDX-License-Identifier: GPL-2.0
/*
 * dma-bench (not part of the series): appended by scripts/bench.sh to the
 * series' kernel/dma/debug_tracker.c when its tracker keeps idle records for a
 * work item to free (dma_debug_reap()), for figure 8: the cost of one pass of
 * that work.
 */

/*
 * One pass as the work makes it once a second while idle records remain, with
 * an age that no record reaches: it walks every record and frees none.
 */
bool dma_bench_reap_pass(void)
{
	unsigned long kept;

	dma_debug_reap(ULONG_MAX / 2, 0, ULONG_MAX, &kept);
	return true;
}
