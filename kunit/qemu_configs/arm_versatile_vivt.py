# SPDX-License-Identifier: GPL-2.0
# kunit.py --qemu_config for the VIVT-cache target: QEMU 'versatilepb' (ARM926EJ-S, ARMv5, one CPU).
# On a VIVT data cache, dma_cache_maint_page() pins a highmem page's kmap with kmap_high_get(); QEMU
# 'virt' (Cortex-A15, non-aliasing VIPT) never takes that path.
#
# versatilepb has at most 256 MiB of RAM: '-m 256' comes after kunit.py's own '-m 1024' and wins, and
# 'vmalloc=880M' shrinks lowmem to 128 MiB, so the other 128 MiB are HighMem.  The machine boots from a
# device tree only: kunit.py's 'make all' builds the versatile dtbs (CONFIG_ARCH_VERSATILE) in the
# build directory, which is read from kunit.py's own --build_dir argument.
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
CONFIG_ARCH_MULTI_V7=n
CONFIG_ARCH_MULTI_V5=y
CONFIG_ARCH_VERSATILE=y
CONFIG_SERIAL_AMBA_PL011=y
CONFIG_SERIAL_AMBA_PL011_CONSOLE=y
CONFIG_HIGHMEM=y
''',
			   qemu_arch='arm',
			   kernel_path='arch/arm/boot/zImage',
			   kernel_command_line='console=ttyAMA0 vmalloc=880M',
			   extra_qemu_params=['-machine', 'versatilepb', '-m', '256',
					      '-dtb', os.path.abspath(os.path.join(
						      _build_dir(), 'arch/arm/boot/dts/arm/versatile-pb.dtb'))])
