/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the workshop's test drivers share (not part of the series): bench/dma_bench.c (copied into
 * kernel/dma/ by scripts/bench.sh) and soak/dma_soak.c (built out of tree by scripts/soak.sh);
 * both scripts copy this header next to them.
 */
#ifndef DMA_TESTDEV_H
#define DMA_TESTDEV_H

#include <linux/moduleparam.h>

/* A read-only module parameter NAME of C type CTYPE (module_param type PTYPE), VALUE by default. */
#define DMA_TEST_PARAM(ptype, ctype, name, value, desc)		\
	static ctype name = value;				\
	module_param(name, ptype, 0444);			\
	MODULE_PARM_DESC(name, desc)

#endif /* DMA_TESTDEV_H */
