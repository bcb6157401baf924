/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workloads of the workshop's init that live in their own files (every userspace .c file is linked
 * into init by scripts/run.sh).  Each prints one '@@ workload NAME ops=N result=ok|FAIL ...' line.
 */
#ifndef WORKLOADS_H
#define WORKLOADS_H

/* v4l2_dmabuf.c: vivid capture -> dma-buf -> vivid output -> looped vivid capture, checked. */
void v4l2_dmabuf_workload(int frames);

/* init.c: print /sys/kernel/debug/dma-api's values and devices file as '@@ KEY ...' lines. */
void dump_dma_api(const char *key);
void dump_dma_devices(const char *key);

/* soak.c: the soak mode of init ('make soak'), SECONDS long, failing FAIL_PERCENT % of allocations. */
void soak_main(long seconds, const char *fail_percent);

#endif /* WORKLOADS_H */
