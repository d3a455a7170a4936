// The error record's accessors and the engine-global settings (threads, seeds, determinism,
// grad mode, CUDA loading). Settings are explicit API so the CLI and the tests can pin them.
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <c10/core/GradMode.h>
#include <torch/headeronly/version.h>
#include <dirent.h>
#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "common.hpp"

using kinema::argumentError;
using kinema::fail;

extern "C" {

int32_t kt_last_error_kind(void) { return kinema::lastError().kind; }
const char *kt_last_error_message(void) { return kinema::lastError().message.c_str(); }
const char *kt_last_error_detail(void) { return kinema::lastError().detail.c_str(); }
void kt_clear_last_error(void) {
    auto &e = kinema::lastError();
    e.kind = KT_OK;
    e.message.clear();
    e.detail.clear();
}
void kt_string_free(char *s) { std::free(s); }

const char *kt_torch_version(void) { return TORCH_VERSION; }

const char *kt_torch_runtime_version(void) {
    // show_config() lists the build settings, among them "TORCH_VERSION=x.y.z".
    static const std::string version = [] {
        try {
            const std::string config = at::show_config();
            const std::string key = "TORCH_VERSION=";
            auto start = config.find(key);
            if (start == std::string::npos) return std::string("unknown");
            start += key.size();
            auto end = config.find_first_of(", \n", start);
            return config.substr(start, end - start);
        } catch (...) {
            return std::string("unknown");
        }
    }();
    return version.c_str();
}

int32_t kt_set_num_threads(int32_t n) {
    KINEMA_GUARD({
        KT_REQUIRE(n > 0, "the number of threads must be positive");
        at::set_num_threads(n);
        return KT_OK;
    })
}

int32_t kt_get_num_threads(int32_t *out) {
    KINEMA_GUARD({
        KT_REQUIRE(out, "out is NULL");
        *out = at::get_num_threads();
        return KT_OK;
    })
}

int32_t kt_manual_seed(uint64_t seed) {
    KINEMA_GUARD({
        at::manual_seed(seed);
        return KT_OK;
    })
}

int32_t kt_set_deterministic(bool enabled) {
    KINEMA_GUARD({
        at::globalContext().setDeterministicAlgorithms(enabled, /*warn_only=*/false);
        return KT_OK;
    })
}

int32_t kt_set_allow_tf32(bool enabled) {
    KINEMA_GUARD({
        at::globalContext().setAllowTF32CuBLAS(enabled);
        at::globalContext().setAllowTF32CuDNN(enabled);
        return KT_OK;
    })
}

int32_t kt_set_grad_enabled(bool enabled, bool *previous) {
    KINEMA_GUARD({
        if (previous) *previous = c10::GradMode::is_enabled();
        c10::GradMode::set_enabled(enabled);
        return KT_OK;
    })
}

bool kt_is_grad_enabled(void) { return c10::GradMode::is_enabled(); }

int32_t kt_set_onednn_enabled(bool enabled) {
    KINEMA_GUARD({
        at::globalContext().setUserEnabledMkldnn(enabled);
        return KT_OK;
    })
}

int32_t kt_get_onednn_enabled(bool *out) {
    KINEMA_GUARD({
        KT_REQUIRE(out, "out is NULL");
        *out = at::globalContext().userEnabledMkldnn();
        return KT_OK;
    })
}

}  // extern "C"

namespace {
// KINEMA_ONEDNN=0 turns oneDNN (mkldnn) kernels off for the whole process before any op runs, as
// torch.backends.mkldnn.enabled = False does: the way to check that results do not depend on
// which CPU kernels libtorch picks (make test-matrix), and a workaround for a kernel bug.
const bool onednnFromEnvironment = [] {
    const char *value = std::getenv("KINEMA_ONEDNN");
    if (value && std::strcmp(value, "0") == 0) at::globalContext().setUserEnabledMkldnn(false);
    return true;
}();
}  // namespace

extern "C" {

int32_t kt_torch_library_dir(char **out) {
    KINEMA_GUARD({
        KT_REQUIRE(out, "out is NULL");
        Dl_info info;
        if (!dladdr(reinterpret_cast<void *>(&at::globalContext), &info) || !info.dli_fname)
            return fail(KT_ERR_LOAD, "cannot tell where libtorch_cpu was loaded from");
        std::string file = info.dli_fname;
        const auto slash = file.rfind('/');
        *out = strdup(slash == std::string::npos ? "." : file.substr(0, slash).c_str());
        return KT_OK;
    })
}

namespace {
// The shared libraries in `folder` other than `except`, loaded globally in whatever order their
// dependencies allow: libtorch_cuda.so carries no RUNPATH (PyTorch's Python preloads the NVIDIA
// libraries before importing it), so its dependencies must already be loaded when it is.
// Returns the reason each library that could not be loaded gave.
std::string preloadFolder(const std::string &folder, const std::string &except) {
    std::vector<std::string> pending;
    if (DIR *dir = opendir(folder.c_str())) {
        while (const dirent *entry = readdir(dir)) {
            const std::string name = entry->d_name;
            if (name.rfind("lib", 0) == 0 && name.find(".so") != std::string::npos && folder + "/" + name != except)
                pending.push_back(folder + "/" + name);
        }
        closedir(dir);
    }
    std::string failures;
    for (bool progress = true; progress && !pending.empty();) {
        progress = false;
        failures.clear();
        std::vector<std::string> still;
        for (const auto &file : pending) {
            if (dlopen(file.c_str(), RTLD_NOW | RTLD_GLOBAL)) {
                progress = true;
            } else {
                const char *why = dlerror();
                failures += std::string("\n  ") + (why ? why : file);
                still.push_back(file);
            }
        }
        pending.swap(still);
    }
    return failures;
}
}  // namespace

int32_t kt_cuda_load(const char *path) {
    KINEMA_GUARD({
        KT_REQUIRE(path, "path is NULL");
        const std::string file = path;
        const auto slash = file.rfind('/');
        const std::string unloaded = slash == std::string::npos ? "" : preloadFolder(file.substr(0, slash), file);
        // RTLD_GLOBAL: libtorch_cuda's static initialisers register the CUDA kernels and hooks
        // with the dispatcher that libtorch_cpu already holds.
        void *handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
        if (!handle) {
            const char *why = dlerror();
            std::string message = std::string("cannot load ") + path + ": " + (why ? why : "unknown");
            if (!unloaded.empty()) message += "\nlibraries beside it that did not load:" + unloaded;
            return fail(KT_ERR_LOAD, message);
        }
        return KT_OK;
    })
}

int32_t kt_cuda_device_count(int32_t *out) {
    KINEMA_GUARD({
        KT_REQUIRE(out, "out is NULL");
        *out = at::globalContext().hasCUDA() ? static_cast<int32_t>(at::detail::getCUDAHooks().deviceCount()) : 0;
        return KT_OK;
    })
}

int32_t kt_cuda_synchronize(int32_t device_index) {
    KINEMA_GUARD({
        at::detail::getCUDAHooks().deviceSynchronize(device_index);
        return KT_OK;
    })
}

}  // extern "C"
