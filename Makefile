# Kinema — make setup | build | test | demo | bench | docs | clean
# `make test` and `make demo` run the idempotent `make setup` first, so a fresh clone needs nothing else.

DEPS      := $(CURDIR)/.deps
SHIM_OUT  := $(CURDIR)/.build-shim
LIBTORCH  := $(DEPS)/libtorch
export PKG_CONFIG_PATH := $(DEPS)/pkgconfig$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))

JOBS      ?= $(shell nproc)
CXX       ?= g++
# SHIM_SANITIZE=address|thread instruments the shims (make test-asan / test-tsan, below).
SHIM_SANITIZE ?=
SHIM_SAN_FLAGS := $(if $(SHIM_SANITIZE),-fsanitize=$(SHIM_SANITIZE) -fno-omit-frame-pointer -g)
CXXFLAGS  := -std=c++17 -O2 -fPIC -Wall -Wno-unused-function -fvisibility=hidden -DNDEBUG $(SHIM_SAN_FLAGS)
# Rpaths go on the command line (never in Package.swift): the shim and libtorch live in the checkout.
RPATHS    := -Xlinker -rpath -Xlinker $(SHIM_OUT) -Xlinker -rpath -Xlinker $(LIBTORCH)/lib
SWIFT_FLAGS = $(RPATHS) -j $(JOBS) --scratch-path $(SCRATCH)

TORCH_SHIM_SRC := $(wildcard Shim/torch/*.cpp)
TORCH_SHIM_OBJ := $(patsubst Shim/torch/%.cpp,$(SHIM_OUT)/torch/%.o,$(TORCH_SHIM_SRC))
TORCH_SHIM_HDR := Sources/CKinemaTorch/kinema_torch.h Shim/torch/common.hpp Shim/torch/nccl_entry.hpp Shim/common/guard.hpp
CV_SHIM_SRC    := $(wildcard Shim/cv/*.cpp)
CV_SHIM_OBJ    := $(patsubst Shim/cv/%.cpp,$(SHIM_OUT)/cv/%.o,$(CV_SHIM_SRC))
CV_SHIM_HDR    := Sources/CKinemaCV/kinema_cv.h $(wildcard Shim/cv/*.hpp) Shim/common/guard.hpp
# A second build folder (e.g. SCRATCH=.build-video) lets several builds run side by side.
SCRATCH   ?= .build

.PHONY: setup shims build testdata test fuzz fuzz-build test-matrix test-collectives demo bench bench-deps docs fixtures fixtures-check clean benchmark-data browser results results-ablations device-bundle robustness-table

setup:
	@Tools/setup/setup.sh $(DEPS)

# libkinema_nccl.so only where Tools/setup/cuda.sh gathered the CUDA and NCCL headers (a GPU machine).
NCCL_CFLAGS := $(LIBTORCH)/cuda/nccl.cflags
shims: setup $(SHIM_OUT)/libkinema_torch.so $(SHIM_OUT)/libkinema_cv.so
	@if [ -f $(NCCL_CFLAGS) ]; then $(MAKE) --no-print-directory $(SHIM_OUT)/libkinema_nccl.so; fi

$(SHIM_OUT)/torch/%.o: Shim/torch/%.cpp $(TORCH_SHIM_HDR) $(DEPS)/libtorch/.kinema-installed
	@mkdir -p $(dir $@)
	@echo "  CXX  $<"
	@$(CXX) $(CXXFLAGS) -ISources/CKinemaTorch $$(pkg-config --cflags kinema-libtorch) -c $< -o $@

$(SHIM_OUT)/libkinema_torch.so: $(TORCH_SHIM_OBJ)
	@echo "  LD   $@"
	@$(CXX) $(SHIM_SAN_FLAGS) -shared -o $@ $^ $$(pkg-config --libs kinema-libtorch) -Wl,-rpath,$(LIBTORCH)/lib -ldl

# ProcessGroupNCCL's symbols stay undefined here: libtorch_cuda, loaded globally by --device cuda
# before this library is opened, provides them. The cache-line size is pinned to c10's own
# fallback (64), which its CUDA headers align members to, so GCC's tuning cannot change a layout.
$(SHIM_OUT)/libkinema_nccl.so: Shim/nccl/process_group_nccl.cpp Shim/torch/nccl_entry.hpp $(NCCL_CFLAGS)
	@echo "  CXX  $@"
	@$(CXX) $(CXXFLAGS) --param destructive-interference-size=64 \
		$$(pkg-config --cflags kinema-libtorch) $$(cat $(NCCL_CFLAGS)) -shared -o $@ $< \
		$$(pkg-config --libs kinema-libtorch)

$(SHIM_OUT)/cv/%.o: Shim/cv/%.cpp $(CV_SHIM_HDR)
	@mkdir -p $(dir $@)
	@echo "  CXX  $<"
	@$(CXX) $(CXXFLAGS) -ISources/CKinemaCV $$(pkg-config --cflags opencv4) -c $< -o $@

$(SHIM_OUT)/libkinema_cv.so: $(CV_SHIM_OBJ)
	@echo "  LD   $@"
	@$(CXX) $(SHIM_SAN_FLAGS) -shared -o $@ $^ $$(pkg-config --libs opencv4)

build: shims
	swift build $(SWIFT_FLAGS)

# Real footage and images for the video/motion tests (third-party data: downloaded, never committed);
# the MME target tests read the demo's vtest.avi (walking people before a fixed camera) too.
testdata:
	@Tools/data/fetch.sh $(DEPS)/data
	@Tools/data/fetch-demo.sh $(DEPS)/data
benchmark-data: ; @Tools/data/fetch-benchmark.sh $(DEPS)/data
# A headless browser for the report test (Debian's chromium-headless-shell, only when none is there).
browser: ; @Tools/setup/browser.sh

# docs/results.md: MoSI, CGM-Net (CNN rows), VideoMAE and MME (ViT rows) pretrained on the motion
# benchmark's training videos, fine-tuned, linear-probed and few-shot beside tuned scratch baselines
# over seeds; the benchmark's controls; motion quality against optical flow (resumable; < 100 min).
results: shims benchmark-data testdata
	swift build -c release --product kinema $(SWIFT_FLAGS)
	KINEMA=$(SCRATCH)/release/kinema Tools/results/comparison.sh

# docs/results-ablations.md: the papers' ablations at CPU scale (resumable; hours, across sessions).
results-ablations: shims benchmark-data testdata
	swift build -c release --product kinema $(SWIFT_FLAGS)
	KINEMA=$(SCRATCH)/release/kinema Tools/results/ablations.sh

test: shims testdata browser
	swift build --build-tests $(SWIFT_FLAGS)
	swift test --skip-build $(SWIFT_FLAGS)
	@$(MAKE) --no-print-directory example

# Fuzzing (docs/fuzzing.md): one libFuzzer binary (KINEMA_FUZZ_TARGET picks the reader) built with
# the address sanitizer in a folder of its own, then FUZZ_SECONDS on each target, one after the
# other. ASan must own malloc, so this build links the torch shim without tcmalloc (a pkg-config
# folder of its own). `make test` replays Fuzz/corpus and Fuzz/regressions in the ordinary build.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= safetensors flow trajectories config annotations image
FUZZ_SCRATCH := .build-fuzz
FUZZ_PC      := $(DEPS)/pkgconfig-fuzz
FUZZ_FLAGS   := --sanitize fuzzer --sanitize address -Xswiftc -DKINEMA_FUZZER \
	-Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp

fuzz-build: shims
	@mkdir -p $(FUZZ_PC)
	@cp $(DEPS)/pkgconfig/kinema-cv.pc $(DEPS)/pkgconfig/kinema-libtorch.pc $(FUZZ_PC)/
	@sed 's/-L[^ ]* -ltcmalloc_minimal //' $(DEPS)/pkgconfig/kinema-torch.pc >$(FUZZ_PC)/kinema-torch.pc
	PKG_CONFIG_PATH=$(FUZZ_PC) swift build --product kinema-fuzz $(FUZZ_FLAGS) $(RPATHS) -j $(JOBS) --scratch-path $(FUZZ_SCRATCH)

fuzz: fuzz-build
	Fuzz/run.sh $(FUZZ_SCRATCH)/debug/kinema-fuzz $(FUZZ_SECONDS) $(FUZZ_SCRATCH) $(FUZZ_TARGETS)

# Two ranks of a Gloo group inside one test process, one thread each (DataParallelTests): kept out
# of `make test`, where one run crashed in libstdc++ on a rank's thread while other suites ran in
# parallel (the multi-process LaunchCommandTests there cover data parallelism end to end).
test-collectives: shims testdata
	swift build --build-tests $(SWIFT_FLAGS)
	KINEMA_COLLECTIVE_TESTS=1 swift test --skip-build $(SWIFT_FLAGS) --filter DataParallelTests

# The whole suite with 1 and 2 threads, oneDNN off, and libtorch/oneDNN held to AVX2 and to the
# baseline instruction set: tolerances must hold on any x86-64 CPU (slow; not part of CI).
test-matrix: shims testdata
	swift build --build-tests $(SWIFT_FLAGS)
	Tools/test/matrix.sh $(SWIFT_FLAGS)

# The main job: fetch real photos and footage, build, run MoSI on the photos (Grad-CAM on the
# video), MME and CGM-Net on the video, write runs/demo/ with report.html.
demo: shims
	@Tools/data/fetch-demo.sh $(DEPS)/data
	swift build -c release --product kinema $(SWIFT_FLAGS)
	$(SCRATCH)/release/kinema demo $(DEPS)/data/photos-demo $(DEPS)/data/videos/vtest.avi --output runs/demo

# Regenerates the parity fixtures under Tests/Fixtures with the pinned PyTorch (needs the network
# once, for PyPI; CI never runs this: it uses the committed fixtures).
PYREF := $(DEPS)/pyref
$(PYREF)/.installed: Tools/fixtures/requirements.txt
	python3 -m venv $(PYREF)
	$(PYREF)/bin/pip install -q -r Tools/fixtures/requirements.txt
	touch $@

fixtures: $(PYREF)/.installed
	@for f in Tools/fixtures/gen_*.py; do echo "  GEN  $$f"; $(PYREF)/bin/python $$f || exit 1; done

# Regenerates every fixture into a scratch folder and compares it with the committed ones (names,
# dtypes, shapes, metadata; inputs bit for bit, outputs within a stated tolerance): see
# Tools/fixtures/README.md.
fixtures-check: $(PYREF)/.installed
	@$(PYREF)/bin/python Tools/fixtures/check_fixtures.py

# docs/robustness-cases.md: the bad-input matrix's rows as the tests (RobustnessTests) produce them.
robustness-table: shims testdata
	swift build --build-tests $(SWIFT_FLAGS)
	@rm -rf $(SCRATCH)/robustness && KINEMA_ROBUSTNESS_TABLE=$(SCRATCH)/robustness swift test --skip-build $(SWIFT_FLAGS) --filter RobustnessTests
	@{ echo "# Bad inputs, case by case"; echo; \
	   echo "Generated by \`make robustness-table\` from \`Tests/RobustnessTests\` (what the code does, not what it should do); see [robustness.md](robustness.md)."; echo; \
	   for f in videos images configs checkpoints "dataset lists" "flow files"; do cat "$(SCRATCH)/robustness/$$f.md"; done; } > docs/robustness-cases.md
	@grep -c '^| ' docs/robustness-cases.md | xargs -I{} echo "docs/robustness-cases.md: {} table lines"

# Kinema vs PyTorch (as users run it, and at its best: tcmalloc, channels-last) and vs OpenCV-Python,
# in the same run (release build). The PyTorch/opencv-python 4.10 reference lives in .deps/pyref;
# Debian's python3-opencv (4.6, Kinema's own OpenCV) gives the same-OpenCV rows; vtest.avi and the
# demo photos come from fetch-demo.sh; the MME rows (kinema-bench --only mme) read `make testdata`'s
# videos and Middlebury Grove3. BENCH_FLAGS / VIDEO_BENCH_FLAGS pass options, e.g.
#   make bench BENCH_FLAGS="--only step --sizes demo --repeats 7" VIDEO_BENCH_FLAGS="--rows flow.dis-fast"
DEBIAN_PYTHON := /usr/bin/python3
BENCH_FLAGS       ?=
VIDEO_BENCH_FLAGS ?=
bench: shims bench-deps testdata $(PYREF)/.installed
	swift build -c release --product kinema $(SWIFT_FLAGS)
	swift build -c release --product kinema-bench $(SWIFT_FLAGS)
	swift build -c release --product kinema-video-bench $(SWIFT_FLAGS)
	$(SCRATCH)/release/kinema-bench --python $(PYREF)/bin/python $(BENCH_FLAGS)
	$(SCRATCH)/release/kinema-video-bench --python $(PYREF)/bin/python --debian-python $(DEBIAN_PYTHON) $(VIDEO_BENCH_FLAGS)

# What Tools/device/check.sh runs on a GPU machine (docs/scaling.md, "The device check"), which has
# PyTorch but no Swift toolchain, OpenCV or tcmalloc: kinema-device-check with the Swift runtime
# linked in (stripped and xz-compressed: Foundation's ICU data makes it 60 MB, and at most 64 MiB
# travel to the device machine), the torch shim and tcmalloc, in .device-bundle (git-ignored, ~16 MB).
DEVICE_BUNDLE := $(CURDIR)/.device-bundle
device-bundle: shims
	swift build -c release --product kinema-device-check --static-swift-stdlib $(SWIFT_FLAGS)
	@rm -rf $(DEVICE_BUNDLE) && mkdir -p $(DEVICE_BUNDLE)/bin $(DEVICE_BUNDLE)/lib
	strip -o $(DEVICE_BUNDLE)/bin/kinema-device-check $(SCRATCH)/release/kinema-device-check
	xz -T0 $(DEVICE_BUNDLE)/bin/kinema-device-check
	cp $(SHIM_OUT)/libkinema_torch.so $(DEVICE_BUNDLE)/lib/
	@if [ -f $(SHIM_OUT)/libkinema_nccl.so ]; then cp $(SHIM_OUT)/libkinema_nccl.so $(DEVICE_BUNDLE)/lib/; \
	else echo "device-bundle: no libkinema_nccl.so (KINEMA_CUDA=1 make setup builds it): the check will say so"; fi
	cp -L $(DEPS)/lib/libtcmalloc_minimal.so $(DEVICE_BUNDLE)/lib/libtcmalloc_minimal.so.4
	@du -sh $(DEVICE_BUNDLE)

# What the bench needs beyond `make setup`: the demo's footage and photos, and Debian's OpenCV for Python.
bench-deps:
	@Tools/data/fetch-demo.sh $(DEPS)/data
	@$(DEBIAN_PYTHON) -c "import cv2, numpy" 2>/dev/null || { \
	    echo "bench: installing Debian's python3-opencv (OpenCV 4.6, as Kinema links) and python3-numpy"; \
	    sudo_cmd=""; [ "$$(id -u)" -ne 0 ] && sudo_cmd="sudo"; \
	    $$sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo_cmd apt-get install -y -qq python3-opencv python3-numpy >/dev/null; }

# DocC API documentation of the public libraries (swift-docc-plugin): one archive per module under
# $(SCRATCH)/docs, laid out for static hosting; view one with e.g.
#   python3 -m http.server -d .build/docs/KinemaTensor.doccarchive  →  http://localhost:8000/documentation/kinematensor
DOC_TARGETS := KinemaTensor KinemaNN KinemaModels KinemaVideo
docs: shims
	@mkdir -p $(SCRATCH)/docs
	swift package --scratch-path $(SCRATCH) --allow-writing-to-directory $(SCRATCH)/docs \
	    generate-documentation $(addprefix --target ,$(DOC_TARGETS)) --output-path $(SCRATCH)/docs \
	    --transform-for-static-hosting

# --- Installing, the example package, the sanitizers ---------------------------------------------
# make install PREFIX=/opt/kinema: the shims, their headers and pkg-config files for packages that
# depend on Kinema, which then build and run with PKG_CONFIG_PATH=$(PREFIX)/lib/pkgconfig alone
# (libtorch stays in .deps; Tools/install/install.sh says how): docs/using-kinema-in-your-package.md.
.PHONY: install example test-asan test-tsan
PREFIX ?= /usr/local
install: shims
	@Tools/install/install.sh $(PREFIX) $(SHIM_OUT) $(DEPS)

# Examples/KinemaHello, a package of its own depending on this checkout, built as a user would: the
# shims installed into .build-example/prefix, nothing but PKG_CONFIG_PATH set (env -i), its own
# scratch folder (it compiles the Kinema modules it uses, not the CLI or the tests). Part of `make test`.
EXAMPLE_OUT := $(CURDIR)/.build-example
example: shims
	@Tools/install/install.sh $(EXAMPLE_OUT)/prefix $(SHIM_OUT) $(DEPS) >/dev/null
	cd Examples/KinemaHello && env -i HOME="$$HOME" PATH="$$PATH" PKG_CONFIG_PATH=$(EXAMPLE_OUT)/prefix/lib/pkgconfig \
	    swift build -j $(JOBS) --scratch-path $(EXAMPLE_OUT)
	env -i $(EXAMPLE_OUT)/debug/kinema-hello

# make test-asan: the whole suite under AddressSanitizer, one test target per process (ASan ends the
# process at its first report, which would hide the other targets'); make test-tsan: the tests that
# run threads (TSAN_TESTS) under ThreadSanitizer. Slow, so outside CI; results in docs/sanitizers.md.
# Either can be narrowed, e.g. make test-asan ASAN_TARGETS=KinemaVideoTests, TSAN_TESTS=refetcher.
# The shims are rebuilt instrumented into .build-shim-asan|tsan with the toolchain's clang++, whose
# sanitizer runtime is the one swiftc links into the test executable (GCC's libasan would be a second
# runtime in the process), and installed there by install.sh without tcmalloc, which cannot share
# malloc with a sanitizer (its pkg-config files need no $(RPATHS)).
SAN_CXX := $(dir $(realpath $(shell command -v swift)))clang++
# $(call san-swift,asan,build --build-tests,address): a swift command line of one sanitizer build.
san-swift = PKG_CONFIG_PATH=$(CURDIR)/.build-shim-$(1)/prefix/lib/pkgconfig swift \
	$(2) -j $(JOBS) --scratch-path .build-$(1) --sanitize=$(3)
define san-build
	@$(MAKE) --no-print-directory SHIM_OUT=$(CURDIR)/.build-shim-$(1) CXX=$(SAN_CXX) SHIM_SANITIZE=$(2) \
	    $(CURDIR)/.build-shim-$(1)/libkinema_torch.so $(CURDIR)/.build-shim-$(1)/libkinema_cv.so
	@Tools/install/install.sh $(CURDIR)/.build-shim-$(1)/prefix $(CURDIR)/.build-shim-$(1) $(DEPS) --no-tcmalloc >/dev/null
	$(call san-swift,$(1),build --build-tests,$(2))
endef

# detect_leaks=0: what LeakSanitizer reports at exit is memory kept for the process's lifetime by
# design (the torch shim's operator handles, whose cache map is destroyed at exit; XCTest's run
# objects), and every report fails the target: docs/sanitizers.md, "Leaks".
# allocator_may_return_null=1: the shim contract tests ask for terabytes to see KCV_ERR_OUT_OF_MEMORY,
# which ASan's allocator otherwise reports as an error instead of failing the allocation.
ASAN_ENV := ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1
ASAN_TARGETS ?= $(notdir $(wildcard Tests/*Tests))
test-asan: setup testdata
	$(call san-build,asan,address)
	@failed=""; for target in $(ASAN_TARGETS); do echo "test-asan: $$target"; \
	    $(ASAN_ENV) $(call san-swift,asan,test --skip-build,address) --filter "^$$target\." || failed="$$failed $$target"; \
	done; [ -z "$$failed" ] || { echo "test-asan: failed in$$failed"; exit 1; }

# The tests that run threads: the prefetcher and parallelMap (and the generators and loaders on them),
# the shims' per-thread error records, Ctrl-C during training and `kinema prepare`, `kinema launch`.
TSAN_TESTS ?= refetcher|parallelMap|OnAnyNumberOfThreads|AtAnyThreadCount|VideoClipLoaderTests|MoSIDataTests|theErrorRecordIsPerThread|TrainingInterruptTests|PrepareCommandTests|LaunchCommandTests
TSAN_ENV := TSAN_OPTIONS="suppressions=$(CURDIR)/Tools/sanitizers/tsan.supp halt_on_error=0"
test-tsan: setup testdata
	$(call san-build,tsan,thread)
	$(TSAN_ENV) $(call san-swift,tsan,test --skip-build,thread) --filter '$(TSAN_TESTS)'

clean:
	rm -rf .build $(FUZZ_SCRATCH) $(SHIM_OUT) $(EXAMPLE_OUT) .build-asan .build-tsan .build-shim-asan .build-shim-tsan
