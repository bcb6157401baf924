# SPDX-License-Identifier: GPL-2.0
# kunit.py --qemu_config for the main target: QEMU 'virt' (Cortex-A15), 2 CPUs, and with kunit.py's
# fixed -m 1024 and VMSPLIT_3G the top 256 MiB are HighMem.
from ..qemu_config import QemuArchParams

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
			   kernel_command_line='console=ttyAMA0',
			   extra_qemu_params=['-machine', 'virt', '-smp', '2'])
