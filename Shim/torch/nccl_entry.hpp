// What the torch shim and the NCCL library (Shim/nccl, libkinema_nccl.so) agree on: the one
// function that library exports, which the torch shim looks up with dlsym when a process group asks
// for NCCL. Both are built with the same compiler and libtorch headers, so c10 types may cross.
#pragma once

#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include <cstdint>

#define KT_NCCL_LIBRARY "libkinema_nccl.so"

// A ProcessGroupNCCL of `world_size` ranks meeting through `store`, bound to GPU `device_index`;
// returns NULL, or a message (malloc'd) saying why there is none.
extern "C" char *kt_nccl_backend_new(
    const c10::intrusive_ptr<c10d::Store> *store, int32_t rank, int32_t world_size, int64_t timeout_ms,
    int32_t device_index, c10::intrusive_ptr<c10d::Backend> *out);
