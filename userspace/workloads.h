/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workloads of the workshop's init that live in their own files (every userspace .c file is linked
 * into init by scripts/run.sh).  A workload prints its data as "# NAME: k=v ..." lines and returns
 * its result; init.c prints the KTAP result line (see common.h).
 */
#ifndef WORKLOADS_H
#define WORKLOADS_H

#include "common.h"

/* v4l2_dmabuf.c: vivid capture -> dma-buf -> vivid output -> looped vivid capture, checked. */
enum ktap_status v4l2_dmabuf_workload(int frames);

/*
 * net_pair.c: TCP (MIB MiB each way, checked) and DATAGRAMS UDP round trips between two network
 * namespaces over the run's two virtio-net NICs (DMA API, page_pool), then their unbind.
 */
enum ktap_status net_pair_workload(long mib, int datagrams);

/* soak.c: the soak mode of init ('make soak'), SECONDS long, failing FAIL_PERCENT % of allocations. */
void soak_main(long seconds, const char *fail_percent);

#endif /* WORKLOADS_H */
