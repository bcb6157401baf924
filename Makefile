# SPDX-License-Identifier: GPL-2.0
# The workshop: fetch a Linux kernel from Debian, apply the series, build it, test it on QEMU.
# See README.md.  Every target installs what it needs (apt-get, as root or through sudo).
#
# Two parameters, for every target (make help lists them):
#   BASE=7.2|6.12          the kernel base: config/bases/$(BASE).env (default 7.2)
#   ARCH=arm|arm64|x86_64  the architecture: config/arch/$(ARCH).env (default arm)
# They reach the scripts through the environment (scripts/lib.sh reads them).
ifdef BASE
export BASE
endif
ifdef ARCH
export ARCH
endif

.PHONY: all run check check-arches lint test soak tree export deps checkpatch kunit bench range-diff clean help

all: run

## make               build the patched kernel and boot it on QEMU virt with the workloads
run: deps tree
	@bash scripts/run.sh

## make check         the tests: checkpatch every patch, the series' KUnit suites on every KUnit target
##                    (kunit/targets), a seconds-long bench smoke run, and the run gate (the run kernel
##                    with the short workloads: no unexpected DMA-API report, the expected one seen)
check:
	@bash scripts/check.sh

## make check-arches the series' KUnit suites on the other architectures (kunit/targets with tier = arches:
##                    x86_64 on q35, arm64 on virt with an SMMUv3) and the run gate on arm64 (virtio
##                    disks behind the SMMU, NICs on virtio-mmio: cow-storm, odirect-fork, v4l2-dmabuf,
##                    mm-cow, net-pair, true-positive, free-mapped);
##                    not in CI (its budget): run it before resolving what they test
check-arches:
	@CHECK_TIER=arches CHECK_BENCH=0 RUN_GATE_ARCH=arm64 RUN_GATE_BASES=7.2 \
		RUN_GATE_WORKLOADS=cow-storm,odirect-fork,v4l2-dmabuf,mm-cow,net-pair,true-positive,free-mapped bash scripts/check.sh

## make lint          the gates' own tests (shellcheck, tests/), then upstream gates: git am onto a
##                    pristine tree, kernel-doc, W=1 and sparse (FULL=1: also every patch builds alone,
##                    and build-only arm LPAE, arm64, x86_64 with DMA_API_DEBUG=y/n); no QEMU
lint: tree
	@bash scripts/lint.sh

## make test          only the gates' own tests: shellcheck and the unit tests in tests/ (seconds; no
##                    kernel tree, no QEMU)
test:
	@LINT_STEPS="shellcheck gates" bash scripts/lint.sh

## make soak          the series under stress and fault injection with KASAN, lockdep and kmemleak on
##                    QEMU virt -smp 2 (not in CI; SOAK_SECONDS=120, SOAK_FAIL=10 percent)
soak: deps tree
	@bash scripts/soak.sh

## make tree          create or refresh build/linux-$(BASE): the pristine kernel (fetched from Debian by
##                    scripts/fetch-kernel.sh; tag base) + the base's series (a base without one yet:
##                    the base tree only)
tree: deps
	@bash scripts/tree.sh

## make export        regenerate the base's series (patches/ for 7.2, patches-6.12/) from base..HEAD in build/linux-$(BASE)
export:
	@bash scripts/export.sh

## make range-diff    the 6.12 backport against the 7.2 series: git range-diff of base..HEAD in
##                    build/linux-6.12 and build/linux-7.2, one line per patch ('=' same, '!' differs,
##                    '<' 6.12 only, '>' 7.2 only); the full output in build/range-diff.txt
range-diff:
	@bash scripts/range-diff.sh

## make deps          install the host packages (for ARCH) that the workshop needs
deps:
	@bash scripts/deps.sh

## make checkpatch    checkpatch --strict over every patch of the base's series
checkpatch: tree
	@bash scripts/checkpatch.sh

## make kunit T=virt  build and run one KUnit target only (kunit/targets)
kunit: tree
	@bash scripts/kunit.sh $(or $(T),virt)

## make bench         what the series costs: K0 (no dma-debug), K1 (upstream), K2 (series) on QEMU;
##                    BENCHMARKS.md
bench: deps tree
	@bash scripts/bench.sh

## make clean         remove every build output: KUnit, run, soak, bench, lint and armel build dirs,
##                    the apt lists of the workshop's own (build/apt), summaries, json and logs; keeps
##                    build/linux-* (your work trees, with commits that may not be exported yet) and
##                    build/src (the downloaded kernel sources; remove it by hand to fetch them again)
clean:
	rm -rf build/kunit-* build/run build/run-* build/soak build/soak-* build/bench build/lint \
		build/armel build/apt build/*.json build/*.log build/*.txt build/.apt-updated

## make help          this text
##
## Parameters: BASE=7.2|6.12 (the kernel base, config/bases/*.env; default 7.2) and
## ARCH=arm|arm64|x86_64 (config/arch/*.env; default arm), e.g. make tree BASE=6.12.
help:
	@grep -E '^##' Makefile | sed -e 's/^## \{0,1\}/  /'
