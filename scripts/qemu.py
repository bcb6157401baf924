#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The one place that builds QEMU command lines: machine profiles and what a boot needs.

    qemu.py argv --profile P --kernel FILE [--initrd FILE] [--dtb FILE] [--append ARGS]
                 [--disk FILE]... [--nic OPTS]... [--smp N] [--memory MIB] [-- EXTRA-QEMU-ARGS...]
        prints the command line, one argument per line (scripts/boot.sh runs it); each --nic is a
        virtio-net NIC on one QEMU hub with the other NICs (nothing leaves the guest), OPTS more
        of its device options (e.g. mrg_rxbuf=off)
    qemu.py dumpdtb --profile P --out FILE [--smp N] [--memory MIB]
        writes the device tree QEMU makes for the machine (QEMU 'virt' makes it at start-up)
    qemu.py kunit-config --profile P --out FILE [--kconfig OPTS] [--cmdline ARGS]
                 [--smp N] [--memory MIB] [--dtb FILE]
        writes a kunit.py --qemu_config file (absolute paths baked in)
    qemu.py profiles [--default ARCH]
        lists the profiles (--default: prints the profile that make/make soak boot for ARCH)

Every command line says what it needs: -nodefaults (no default NIC, whose option ROM is in the
ipxe-qemu package; no default monitor, drives or display), then an explicit serial console.  The QEMU
binary and the kernel's console come from config/arch/<arch>.env; a profile holds the machine.
"""
import argparse
import os
import subprocess
import sys
from dataclasses import dataclass, field

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass(frozen=True)
class Profile:
    """A QEMU machine as the workshop boots it."""
    arch: str                    # config/arch/<arch>.env: QEMU_BIN, CONSOLE, KARCH, KIMAGE
    machine: str                 # -machine
    smp: int                     # default -smp
    memory: int                  # default -m (MiB)
    kconfig: tuple[str, ...]     # options the kernel needs to boot on this machine
    cpu: str = ''                # -cpu, when the machine's default is not wanted
    disk_device: str = 'virtio-blk-device'
    # The virtio-net NIC of the machine (boot_argv's nics), with iommu_platform=on like the disks.  A
    # PCI NIC says romfile= (no option ROM: efi-virtio.rom is in ipxe-qemu, which the workshop does
    # not install).
    nic_device: str = 'virtio-net-device'
    # -global settings every boot on this machine gets (virtio-mmio: non-legacy, so that a device
    # with iommu_platform=on negotiates VIRTIO_F_ACCESS_PLATFORM and uses the DMA API).
    globals: tuple[str, ...] = ()
    description: str = ''
    extra: tuple[str, ...] = field(default=())
    # A device on this machine is bound to a driver and translated by an IOMMU through iommu-dma
    # (scripts/bench.sh then also measures with dma_bench.iommu=1).
    iommu: bool = False


ARM_VIRT_KCONFIG = ('CONFIG_ARCH_VIRT=y', 'CONFIG_SERIAL_AMBA_PL011=y',
                    'CONFIG_SERIAL_AMBA_PL011_CONSOLE=y')

PROFILES: dict[str, Profile] = {
    'arm-virt': Profile(
        arch='arm', machine='virt', smp=2, memory=1024, kconfig=ARM_VIRT_KCONFIG,
        globals=('virtio-mmio.force-legacy=false',),
        description='QEMU virt, Cortex-A15 (non-aliasing VIPT), 2 CPUs'),
    'arm-virt-lpae': Profile(
        arch='arm', machine='virt', smp=2, memory=1024,
        kconfig=ARM_VIRT_KCONFIG + ('CONFIG_ARM_LPAE=y',),
        globals=('virtio-mmio.force-legacy=false',),
        description='QEMU virt with an ARM_LPAE kernel (the 32-bit ARM configuration with SWIOTLB)'),
    'arm-versatilepb': Profile(
        arch='arm', machine='versatilepb', smp=1, memory=256,
        kconfig=('CONFIG_ARCH_MULTI_V7=n', 'CONFIG_ARCH_MULTI_V5=y', 'CONFIG_ARCH_VERSATILE=y',
                 'CONFIG_SERIAL_AMBA_PL011=y', 'CONFIG_SERIAL_AMBA_PL011_CONSOLE=y'),
        description='QEMU versatilepb, ARM926EJ-S (ARMv5, VIVT data cache), 1 CPU, at most 256 MiB'),
    # Booted by the KUnit targets x86_64 and arm64 (make check-arches).
    # The SMMUv3 of QEMU virt translates for its PCIe host bridge only: the disks are PCI and so is a
    # virtio-rng, there for the KUnit tests that need a device that iommu-dma maps for (non-transitional:
    # a legacy virtio device cannot offer iommu_platform).
    'arm64-virt-smmuv3': Profile(
        arch='arm64', machine='virt,iommu=smmuv3', cpu='cortex-a57', smp=2, memory=1024,
        kconfig=('CONFIG_SERIAL_AMBA_PL011=y', 'CONFIG_SERIAL_AMBA_PL011_CONSOLE=y',
                 'CONFIG_PCI=y', 'CONFIG_PCI_HOST_GENERIC=y', 'CONFIG_IOMMU_SUPPORT=y',
                 'CONFIG_ARM_SMMU_V3=y', 'CONFIG_VIRTIO_MENU=y', 'CONFIG_VIRTIO_PCI=y'),
        disk_device='virtio-blk-pci-non-transitional',
        # The run's NICs are virtio-mmio, so dma-direct: as PCI devices behind the SMMU they make
        # 7.2 print a lockdep splat when they probe (config/arch/arm64.env).
        nic_device='virtio-net-device',
        globals=('virtio-mmio.force-legacy=false',),
        extra=('-device', 'virtio-rng-pci-non-transitional,iommu_platform=on'),
        iommu=True,
        description='QEMU virt with an SMMUv3 in front of PCIe (a virtio-rng behind it), Cortex-A57, '
                    '2 CPUs'),
    'x86_64-q35': Profile(
        arch='x86_64', machine='q35', smp=2, memory=1024,
        kconfig=('CONFIG_SERIAL_8250=y', 'CONFIG_SERIAL_8250_CONSOLE=y'),
        disk_device='virtio-blk-pci',
        nic_device='virtio-net-pci,romfile=',
        description='QEMU q35 under TCG, 2 CPUs'),
}

# The machine that 'make' and 'make soak' boot, per architecture.
DEFAULT: dict[str, str] = {'arm': 'arm-virt', 'arm64': 'arm64-virt-smmuv3', 'x86_64': 'x86_64-q35'}


def arch_env(arch: str) -> dict[str, str]:
    """The KEY=VALUE lines of config/arch/<arch>.env."""
    path = os.path.join(TOP, 'config', 'arch', arch + '.env')
    env: dict[str, str] = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#') or '=' not in line:
                continue
            key, _, value = line.partition('=')
            env[key.strip()] = value.strip().strip('"\'')
    return env


def profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise SystemExit(f'ERROR: unknown QEMU profile {name!r}; known: {" ".join(sorted(PROFILES))} '
                         '(scripts/qemu.py)') from None


def machine_args(p: Profile, smp: int | None, memory: int | None, machine_opts: str = '') -> list[str]:
    """-nodefaults, the machine, its CPUs and memory: the start of every command line."""
    env = arch_env(p.arch)
    machine = p.machine + (',' + machine_opts if machine_opts else '')
    args = [env['QEMU_BIN'], '-nodefaults', '-machine', machine]
    if p.cpu:
        args += ['-cpu', p.cpu]
    args += ['-smp', str(smp or p.smp), '-m', str(memory or p.memory)]
    return args + list(p.extra)


def boot_argv(p: Profile, kernel: str, append: str = '', initrd: str = '', dtb: str = '',
              disks: tuple[str, ...] = (), smp: int | None = None, memory: int | None = None,
              extra: tuple[str, ...] = (), nics: tuple[str, ...] = ()) -> list[str]:
    """A boot with the serial console on stdio and no reboot (a panic or a poweroff ends QEMU).
    Each of nics is a virtio-net NIC (its extra device options, or ''), all on QEMU hub 0: they
    reach each other and nothing else."""
    console = arch_env(p.arch)['CONSOLE']
    args = machine_args(p, smp, memory) + ['-nographic', '-serial', 'stdio', '-no-reboot',
                                           '-kernel', kernel]
    if initrd:
        args += ['-initrd', initrd]
    if dtb:
        args += ['-dtb', dtb]
    for g in p.globals:
        args += ['-global', g]
    for i, disk in enumerate(disks):
        args += ['-drive', f'if=none,id=disk{i},file={disk},format=raw,cache=unsafe',
                 '-device', f'{p.disk_device},drive=disk{i},iommu_platform=on']
    for i, opts in enumerate(nics):
        args += ['-netdev', f'hubport,id=nic{i},hubid=0',
                 '-device', f'{p.nic_device},netdev=nic{i},mac=52:54:00:12:34:{0x56 + i:02x},'
                 f'iommu_platform=on' + (f',{opts}' if opts else '')]
    args += ['-append', f'console={console} {append}'.strip()]
    return args + list(extra)


def dumpdtb_argv(p: Profile, out: str, smp: int | None = None, memory: int | None = None) -> list[str]:
    """QEMU writes its device tree to OUT and exits (the same -smp/-m as the boot that uses it)."""
    return machine_args(p, smp, memory, machine_opts=f'dumpdtb={out}') + ['-nographic']


def kunit_config(p: Profile, dtb: str = '', cmdline: str = '', kconfig: tuple[str, ...] = (),
                 smp: int | None = None, memory: int | None = None) -> str:
    """The text of a kunit.py --qemu_config file.  kunit.py starts its own command line with
    'qemu-system-<qemu_arch> -nodefaults -m 1024 ... -nographic -serial stdio' and appends these
    extra parameters (a later -m wins)."""
    env = arch_env(p.arch)
    extra = machine_args(p, smp, memory)[2:]	# kunit.py spells the binary and -nodefaults
    if dtb:
        extra += ['-dtb', os.path.abspath(dtb)]
    options = '\n'.join(p.kconfig + tuple(kconfig))
    qemu_arch = env['QEMU_BIN'].removeprefix('qemu-system-')
    return f'''# SPDX-License-Identifier: GPL-2.0
# Generated by scripts/qemu.py (profile {p.arch}/{p.machine}); do not edit: regenerated by scripts/kunit.sh.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch={env['KARCH']!r},
			   kconfig={options + chr(10)!r},
			   qemu_arch={qemu_arch!r},
			   kernel_path={env['KIMAGE']!r},
			   kernel_command_line={f"console={env['CONSOLE']} {cmdline}".strip()!r},
			   extra_qemu_params={extra!r})
'''


def dumpdtb(p: Profile, out: str, smp: int | None, memory: int | None) -> int:
    argv = dumpdtb_argv(p, out, smp, memory)
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    if r.returncode != 0 or not os.path.isfile(out):
        sys.stderr.write(r.stdout + r.stderr)
        print(f'ERROR: QEMU did not write its device tree {out} (exit {r.returncode}): '
              f'{" ".join(argv)}', file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if '--' in argv:
        i = argv.index('--')
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(prog='qemu.py', description=__doc__.split('\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument('--profile', required=True)
    common.add_argument('--smp', type=int)
    common.add_argument('--memory', type=int)
    a = sub.add_parser('argv', parents=[common])
    a.add_argument('--kernel', required=True)
    a.add_argument('--initrd', default='')
    a.add_argument('--dtb', default='')
    a.add_argument('--append', default='')
    a.add_argument('--disk', action='append', default=[])
    a.add_argument('--nic', action='append', default=[], metavar='OPTS')
    d = sub.add_parser('dumpdtb', parents=[common])
    d.add_argument('--out', required=True)
    k = sub.add_parser('kunit-config', parents=[common])
    k.add_argument('--out', required=True)
    k.add_argument('--dtb', default='')
    k.add_argument('--cmdline', default='')
    k.add_argument('--kconfig', default='', help='space-separated CONFIG_X=y options')
    pr = sub.add_parser('profiles')
    pr.add_argument('--default', metavar='ARCH')
    args = ap.parse_args(argv)
    if args.cmd == 'profiles' and args.default:
        if args.default not in DEFAULT:
            print(f'ERROR: no default QEMU profile for ARCH={args.default} (scripts/qemu.py DEFAULT)',
                  file=sys.stderr)
            return 1
        print(DEFAULT[args.default])
        return 0
    if args.cmd == 'profiles':
        for name, p in sorted(PROFILES.items()):
            print(f'{name:20} {p.description}')
        return 0
    p = profile(args.profile)
    if args.cmd == 'argv':
        print('\n'.join(boot_argv(p, args.kernel, args.append, args.initrd, args.dtb,
                                  tuple(args.disk), args.smp, args.memory, tuple(extra),
                                  tuple(args.nic))))
        return 0
    if args.cmd == 'dumpdtb':
        return dumpdtb(p, args.out, args.smp, args.memory)
    with open(args.out, 'w', encoding='utf-8') as f:
        f.write(kunit_config(p, args.dtb, args.cmdline, tuple(args.kconfig.split()),
                             args.smp, args.memory))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
