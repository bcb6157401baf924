# SPDX-License-Identifier: GPL-2.0
# kunit.py --qemu_config for the 'lpae' target: QEMU 'virt' (Cortex-A15) with an ARM_LPAE kernel, the only
# 32-bit ARM configuration with SWIOTLB, booted with swiotlb=force so that every streaming DMA mapping of
# memory with struct page goes through a bounce buffer.  Memory and device tree as on the 'virt' target
# (arm_virt_smp.py): '-m 1280' with 'mem=1024M', and QEMU's device tree plus a no-map shared-dma-pool region
# that scripts/kunit.sh makes in the build directory (kunit.dtb).
import os
import sys

from ..qemu_config import QemuArchParams


def _build_dir():
	for i, arg in enumerate(sys.argv):
		if arg.startswith('--build_dir='):
			return arg.split('=', 1)[1]
		if arg == '--build_dir' and i + 1 < len(sys.argv):
			return sys.argv[i + 1]
	return '.kunit'	# kunit.py's default


QEMU_ARCH = QemuArchParams(linux_arch='arm',
			   kconfig='''
CONFIG_ARCH_VIRT=y
CONFIG_SERIAL_AMBA_PL011=y
CONFIG_SERIAL_AMBA_PL011_CONSOLE=y
CONFIG_ARM_LPAE=y
''',
			   qemu_arch='arm',
			   kernel_path='arch/arm/boot/zImage',
			   kernel_command_line='console=ttyAMA0 mem=1024M swiotlb=force',
			   extra_qemu_params=['-machine', 'virt', '-smp', '2', '-m', '1280',
					      '-dtb', os.path.abspath(os.path.join(_build_dir(), 'kunit.dtb'))])
