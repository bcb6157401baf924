# SPDX-License-Identifier: GPL-2.0
# The workshop: fetch Linux 6.12 LTS from Debian, apply patches/, build for ARM, test on QEMU.
# See README.md.  Every target installs what it needs (apt-get, as root or through sudo).

.PHONY: all run check lint soak tree export deps checkpatch kunit bench clean help

all: run

## make          build the patched kernel and boot it on QEMU virt with the workloads
run: deps tree
	@bash scripts/run.sh

## make check    checkpatch every patch and run the series' KUnit suites on QEMU ARM
check:
	@bash scripts/check.sh

## make lint     upstream gates: git am onto a pristine tree, kernel-doc, W=1 and sparse (FULL=1: also
##               every patch builds alone, and build-only arm LPAE, arm64, x86_64 with DMA_API_DEBUG=y/n)
lint: tree
	@bash scripts/lint.sh

## make soak     the series under stress and fault injection with KASAN, lockdep and kmemleak on QEMU
##               virt -smp 2 (not in CI; SOAK_SECONDS=120, SOAK_FAIL=10 percent)
soak: deps tree
	@bash scripts/soak.sh

## make tree     create or refresh build/linux: pristine kernel (tag base) + patches/
tree: deps
	@bash scripts/tree.sh

## make export   regenerate patches/ from base..HEAD in build/linux
export:
	@bash scripts/export.sh

deps:
	@bash scripts/deps.sh

checkpatch: tree
	@bash scripts/checkpatch.sh

## make kunit T=virt   build and run one KUnit target only
kunit: tree
	@bash scripts/kunit.sh $(or $(T),virt)

## make bench   what the series costs: K0 (no dma-debug), K1 (upstream), K2 (series) on QEMU; BENCHMARKS.md
bench: deps tree
	@bash scripts/bench.sh

## make clean    remove build outputs but keep build/linux (your work tree)
clean:
	rm -rf build/kunit-* build/run build/run-virt build/soak build/soak-virt build/*.json build/*.log \
		build/run-summary.txt build/soak-summary.txt

help:
	@grep -E '^## ' Makefile | sed 's/^## /  /'
