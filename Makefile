# Kinema — make setup | build | test | demo | bench | clean
# `make test` and `make demo` run the idempotent `make setup` first, so a fresh clone needs nothing else.

DEPS      := $(CURDIR)/.deps
SHIM_OUT  := $(CURDIR)/.build-shim
LIBTORCH  := $(DEPS)/libtorch
export PKG_CONFIG_PATH := $(DEPS)/pkgconfig$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))

JOBS      ?= $(shell nproc)
CXX       ?= g++
CXXFLAGS  := -std=c++17 -O2 -fPIC -Wall -Wno-unused-function -fvisibility=hidden -DNDEBUG
# Rpaths go on the command line (never in Package.swift): the shim and libtorch live in the checkout.
RPATHS    := -Xlinker -rpath -Xlinker $(SHIM_OUT) -Xlinker -rpath -Xlinker $(LIBTORCH)/lib
SWIFT_FLAGS := $(RPATHS) -j $(JOBS)

TORCH_SHIM_SRC := $(wildcard Shim/torch/*.cpp)
TORCH_SHIM_OBJ := $(patsubst Shim/torch/%.cpp,$(SHIM_OUT)/torch/%.o,$(TORCH_SHIM_SRC))
TORCH_SHIM_HDR := Sources/CKinemaTorch/kinema_torch.h Shim/torch/common.hpp Shim/common/guard.hpp

.PHONY: setup shims build test demo bench clean

setup:
	@Tools/setup/setup.sh $(DEPS)

shims: setup $(SHIM_OUT)/libkinema_torch.so

$(SHIM_OUT)/torch/%.o: Shim/torch/%.cpp $(TORCH_SHIM_HDR) $(DEPS)/libtorch/.kinema-installed
	@mkdir -p $(dir $@)
	@echo "  CXX  $<"
	@$(CXX) $(CXXFLAGS) -ISources/CKinemaTorch $$(pkg-config --cflags kinema-libtorch) -c $< -o $@

$(SHIM_OUT)/libkinema_torch.so: $(TORCH_SHIM_OBJ)
	@echo "  LD   $@"
	@$(CXX) -shared -o $@ $^ $$(pkg-config --libs kinema-libtorch) -Wl,-rpath,$(LIBTORCH)/lib -ldl

build: shims
	swift build $(SWIFT_FLAGS)

test: shims
	swift build --build-tests $(SWIFT_FLAGS)
	swift test --skip-build $(SWIFT_FLAGS)

clean:
	rm -rf .build $(SHIM_OUT)
