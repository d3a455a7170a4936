// libtorch's NCCL process group (c10d::ProcessGroupNCCL), in a library of its own: its header needs
// the CUDA and NCCL headers (USE_C10D_NCCL; the Options struct's layout follows nccl.h's version
// macros, so they must be those of the NCCL that torch pins), and its code lives in
// libtorch_cuda.so, which exists only where CUDA is loaded. Tools/setup/cuda.sh gathers the headers
// on a GPU machine, the Makefile builds this library there, and the torch shim opens it
// (kt_process_group_new with backend "nccl") after libtorch_cuda has been loaded globally, which
// resolves the symbols left undefined here.
#define USE_C10D_NCCL 1

#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>

#include <chrono>
#include <cstring>
#include <exception>

#include "../torch/nccl_entry.hpp"

extern "C" __attribute__((visibility("default"))) char *kt_nccl_backend_new(
    const c10::intrusive_ptr<c10d::Store> *store, int32_t rank, int32_t world_size, int64_t timeout_ms,
    int32_t device_index, c10::intrusive_ptr<c10d::Backend> *out) {
    try {
        auto options = c10d::ProcessGroupNCCL::Options::create();
        options->timeout = std::chrono::milliseconds(timeout_ms);
        auto backend = c10::make_intrusive<c10d::ProcessGroupNCCL>(*store, rank, world_size, options);
        // As torch.distributed.init_process_group(device_id=…): the rank's GPU is known, so the
        // communicator is made for it at once (not guessed from the rank at the first collective).
        const at::Device device(at::kCUDA, static_cast<c10::DeviceIndex>(device_index));
        backend->setBoundDeviceId(device);
        backend->eagerConnectSingleDevice(device);
        *out = backend;
        return nullptr;
    } catch (const c10::Error &e) {
        return strdup(e.what_without_backtrace());
    } catch (const std::exception &e) {
        return strdup(e.what());
    }
}
