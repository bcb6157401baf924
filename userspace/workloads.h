/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workloads of the workshop's init that live in their own files (every userspace .c file is linked
 * into init by scripts/run.sh).  Each prints one '@@ workload NAME ops=N result=ok|FAIL ...' line.
 */
#ifndef WORKLOADS_H
#define WORKLOADS_H

/* v4l2_dmabuf.c: vivid capture -> dma-buf -> vivid output -> looped vivid capture, checked. */
void v4l2_dmabuf_workload(int frames);

#endif /* WORKLOADS_H */
