// Data-parallel collectives on libtorch's own c10d: a TCPStore rendezvous and a Gloo or NCCL process
// group (docs/scaling.md). The only translation unit that sees Gloo's headers (Debian's
// libgloo-dev): ProcessGroupGloo.hpp declares nothing without USE_C10D_GLOO, and its symbols live
// in libtorch_cpu, so nothing else is linked. NCCL's group lives in libtorch_cuda and needs the CUDA
// headers, so it is made by a library of its own (Shim/nccl), opened here when asked for.
#define USE_C10D_GLOO 1

#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <dlfcn.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "common.hpp"
#include "nccl_entry.hpp"

struct kt_process_group_s {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::Backend> backend;
    // A collective that failed inside a forward or backward pass (where Swift cannot be thrown
    // to): the op went on with the local value and the failure waits here for the trainer.
    std::mutex mutex;
    std::string deferredFailure;

    // Σ over ranks of a copy of t; on failure, records it and returns the copy (the local value).
    at::Tensor sumOrDefer(const at::Tensor &t) {
        std::vector<at::Tensor> one{t.detach().clone(at::MemoryFormat::Contiguous)};
        try {
            backend->allreduce(one)->wait();
        } catch (const std::exception &e) {
            std::lock_guard<std::mutex> lock(mutex);
            if (deferredFailure.empty()) deferredFailure = e.what();
        }
        return one[0];
    }
};

namespace {

using kinema::argumentError;

std::vector<at::Tensor> tensorsOf(const kt_tensor *tensors, int64_t n) {
    std::vector<at::Tensor> out;
    out.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) out.push_back(tensors[i]->tensor);
    return out;
}

// One collective per tensor (Gloo's multi-tensor allreduce sums the tensors of one call into each
// other: it is meant for one tensor per local device), all queued before the first wait, so the
// group's worker threads pipeline them.
template <typename Issue>
void runEach(std::vector<at::Tensor> &tensors, Issue issue) {
    std::vector<c10::intrusive_ptr<c10d::Work>> work;
    work.reserve(tensors.size());
    for (auto &t : tensors) {
        std::vector<at::Tensor> one{t};
        work.push_back(issue(one));
    }
    for (auto &w : work) w->wait();
}

// Σ over ranks, differentiable: every rank's loss depends on the sum, so the gradient of the
// ranks' summed loss with respect to one rank's input is the sum of the ranks' output gradients —
// an allreduce again (what PyTorch's SyncBatchNorm does in its backward).
struct AllReduceSum : public torch::autograd::Function<AllReduceSum> {
    static at::Tensor forward(torch::autograd::AutogradContext *ctx, at::Tensor input, int64_t group) {
        ctx->saved_data["group"] = group;
        return reinterpret_cast<kt_process_group_s *>(group)->sumOrDefer(input);
    }
    static torch::autograd::variable_list backward(
        torch::autograd::AutogradContext *ctx, torch::autograd::variable_list outputs) {
        auto group = reinterpret_cast<kt_process_group_s *>(ctx->saved_data["group"].toInt());
        return {group->sumOrDefer(outputs[0]), at::Tensor()};
    }
};

// libkinema_nccl.so, from this library's own folder (where the Makefile builds both), opened once
// libtorch_cuda is loaded: until then its ProcessGroupNCCL symbols do not resolve. Returns its
// entry point, or nullptr with the reason in `why`.
decltype(&kt_nccl_backend_new) ncclEntry(std::string &why) {
    static std::mutex mutex;
    static decltype(&kt_nccl_backend_new) entry = nullptr;
    std::lock_guard<std::mutex> lock(mutex);
    if (entry) return entry;
    Dl_info self{};
    if (!dladdr(reinterpret_cast<void *>(&kt_process_group_new), &self) || !self.dli_fname) {
        why = "cannot locate the torch shim's own folder";
        return nullptr;
    }
    std::string path = self.dli_fname;
    path = path.substr(0, path.rfind('/') + 1) + KT_NCCL_LIBRARY;
    if (access(path.c_str(), F_OK) != 0) {
        why = path + " was not built: `make shims` builds it on a machine where `make setup` gathered the "
                     "CUDA and NCCL headers (Tools/setup/cuda.sh)";
        return nullptr;
    }
    if (!at::globalContext().hasCUDA()) {
        why = "NCCL needs a CUDA GPU, and libtorch sees none (`kinema info --cuda` says why)";
        return nullptr;
    }
    void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *error = dlerror();
        why = "cannot load " + path + ": " + (error ? error : "unknown");
        return nullptr;
    }
    entry = reinterpret_cast<decltype(&kt_nccl_backend_new)>(dlsym(handle, "kt_nccl_backend_new"));
    if (!entry) why = path + " has no kt_nccl_backend_new";
    return entry;
}

c10::intrusive_ptr<c10d::Backend> glooBackend(
    const c10::intrusive_ptr<c10d::Store> &store, int32_t rank, int32_t world_size, std::chrono::milliseconds timeout,
    const char *interface) {
    auto gloo = c10d::ProcessGroupGloo::Options::create(timeout);
    gloo->devices.push_back(
        interface && *interface ? c10d::ProcessGroupGloo::createDeviceForInterface(interface)
                                : c10d::ProcessGroupGloo::createDefaultDevice());
    return c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, world_size, gloo);
}

}  // namespace

extern "C" {

int32_t kt_nccl_problem(char **out) {
    KINEMA_GUARD({
        KT_REQUIRE(out, "NULL argument");
        std::string why;
        *out = ncclEntry(why) ? nullptr : strdup(why.c_str());
        return KT_OK;
    })
}

int32_t kt_process_group_new(
    const char *host, int32_t port, int32_t rank, int32_t world_size, bool serve_store, const char *prefix,
    int64_t timeout_ms, const char *interface, const char *backend_name, int32_t device_index, kt_process_group *out) {
    KINEMA_GUARD({
        KT_REQUIRE(host && prefix && backend_name && out, "NULL argument");
        const std::string kind = backend_name;
        KT_REQUIRE(kind == "gloo" || kind == "nccl", "backend must be gloo or nccl");
        KT_REQUIRE(kind == "gloo" || device_index >= 0, "NCCL needs a CUDA device index");
        KT_REQUIRE(world_size >= 1 && rank >= 0 && rank < world_size, "rank must be in 0..<world_size");
        KT_REQUIRE(port > 0 && port < 65536, "port must be in 1...65535");
        KT_REQUIRE(timeout_ms > 0, "timeout must be positive");
        const auto timeout = std::chrono::milliseconds(timeout_ms);
        c10d::TCPStoreOptions options;
        options.port = static_cast<uint16_t>(port);
        options.isServer = serve_store;
        options.numWorkers = world_size;
        // Every rank counts itself in (TCPStore::waitForWorkers increments the count, then waits
        // for world_size), clients too, as PyTorch's own rendezvous does.
        options.waitWorkers = true;
        options.timeout = timeout;
        c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::TCPStore>(host, options);
        if (*prefix) store = c10::make_intrusive<c10d::PrefixStore>(prefix, store);

        c10::intrusive_ptr<c10d::Backend> backend;
        if (kind == "gloo") {
            backend = glooBackend(store, rank, world_size, timeout, interface);
        } else {
            std::string why;
            auto nccl = ncclEntry(why);
            if (!nccl) return kinema::fail(KT_ERR_LOAD, "no NCCL process group: " + why);
            if (char *failure = nccl(&store, rank, world_size, timeout_ms, device_index, &backend)) {
                std::string message = failure;
                free(failure);
                return kinema::fail(KT_ERR_DISTRIBUTED, "NCCL process group: " + message);
            }
        }
        *out = new kt_process_group_s{std::move(store), std::move(backend)};
        return KT_OK;
    })
}

void kt_process_group_free(kt_process_group group) { delete group; }

int32_t kt_process_group_allreduce_sum(kt_process_group group, const kt_tensor *tensors, int64_t n) {
    KINEMA_GUARD({
        KT_REQUIRE(group && (tensors || n == 0) && n >= 0, "NULL argument");
        auto list = tensorsOf(tensors, n);
        for (auto &t : list) KT_REQUIRE(t.is_contiguous(), "allreduce needs contiguous tensors");
        runEach(list, [&](std::vector<at::Tensor> &one) { return group->backend->allreduce(one); });
        return KT_OK;
    })
}

int32_t kt_process_group_broadcast(kt_process_group group, const kt_tensor *tensors, int64_t n, int32_t root) {
    KINEMA_GUARD({
        KT_REQUIRE(group && (tensors || n == 0) && n >= 0, "NULL argument");
        KT_REQUIRE(root >= 0 && root < group->backend->getSize(), "root must be a rank of the group");
        auto list = tensorsOf(tensors, n);
        for (auto &t : list) KT_REQUIRE(t.is_contiguous(), "broadcast needs contiguous tensors");
        // The copy into parameters that require grad must not be recorded by autograd.
        at::NoGradGuard noGrad;
        c10d::BroadcastOptions options;
        options.rootRank = root;
        runEach(list, [&](std::vector<at::Tensor> &one) { return group->backend->broadcast(one, options); });
        return KT_OK;
    })
}

int32_t kt_process_group_allreduce_sum_differentiable(kt_process_group group, kt_tensor input, kt_tensor *out) {
    KINEMA_GUARD({
        KT_REQUIRE(group && input && out, "NULL argument");
        *out = kinema::wrap(AllReduceSum::apply(input->tensor, reinterpret_cast<int64_t>(group)));
        return KT_OK;
    })
}

int32_t kt_process_group_take_deferred_failure(kt_process_group group, char **out) {
    KINEMA_GUARD({
        KT_REQUIRE(group && out, "NULL argument");
        std::lock_guard<std::mutex> lock(group->mutex);
        *out = group->deferredFailure.empty() ? nullptr : strdup(group->deferredFailure.c_str());
        group->deferredFailure.clear();
        return KT_OK;
    })
}

int32_t kt_process_group_barrier(kt_process_group group) {
    KINEMA_GUARD({
        KT_REQUIRE(group, "NULL argument");
        group->backend->barrier()->wait();
        return KT_OK;
    })
}

}  // extern "C"
