# SPDX-License-Identifier: GPL-2.0
# kunit.py --qemu_config for the main target: QEMU 'virt' (Cortex-A15), 2 CPUs.
#
# '-m 1280' (after kunit.py's own '-m 1024', so it wins) with 'mem=1024M' leaves 256 MiB of RAM that the
# kernel does not manage (0x80000000-0x8fffffff: memory without struct page for kernel/dma/coherent_kunit.c),
# while with VMSPLIT_3G the top 256 MiB of the 1 GiB the kernel manages are still HighMem.  The device tree
# is QEMU's own plus a no-map shared-dma-pool region: scripts/kunit.sh makes it in the build directory
# (kunit.dtb) from kunit/dts/virt-nopage.dtsi, with the same '-smp 2 -m 1280'.
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
CONFIG_SMP=y
CONFIG_HIGHMEM=y
''',
			   qemu_arch='arm',
			   kernel_path='arch/arm/boot/zImage',
			   kernel_command_line='console=ttyAMA0 mem=1024M',
			   extra_qemu_params=['-machine', 'virt', '-smp', '2', '-m', '1280',
					      '-dtb', os.path.abspath(os.path.join(_build_dir(), 'kunit.dtb'))])
