// Autocast regions (torch.autocast): libtorch's own per-thread autocast state, entered and left as
// PyTorch's context manager does, so the ops called inside (through the boxed dispatcher) are cast
// by libtorch's Autocast dispatch keys exactly as in PyTorch.
#include <ATen/autocast_mode.h>

#include "common.hpp"

using kinema::fail;

namespace {
bool autocastDevice(int32_t type, at::DeviceType *out) {
    switch (type) {
    case 0: *out = at::kCPU; return true;
    case 1: *out = at::kCUDA; return true;
    default: return false;
    }
}
}  // namespace

extern "C" {

int32_t kt_autocast_enter(int32_t device_type, int32_t dtype, bool *was_enabled, int32_t *was_dtype) {
    KINEMA_GUARD({
        KT_REQUIRE(was_enabled && was_dtype, "out is NULL");
        at::DeviceType device;
        KT_REQUIRE(autocastDevice(device_type, &device), "autocast: device type must be CPU or CUDA");
        KT_REQUIRE(dtype >= 0 && dtype < static_cast<int32_t>(at::ScalarType::NumOptions), "unknown dtype code");
        const auto scalar = static_cast<at::ScalarType>(dtype);
        KT_REQUIRE(scalar == at::kHalf || scalar == at::kBFloat16, "autocast dtype must be float16 or bfloat16");
        *was_enabled = at::autocast::is_autocast_enabled(device);
        *was_dtype = static_cast<int32_t>(at::autocast::get_autocast_dtype(device));
        // torch.autocast.__enter__: dtype, then enabled, then one level deeper.
        at::autocast::set_autocast_dtype(device, scalar);
        at::autocast::set_autocast_enabled(device, true);
        at::autocast::increment_nesting();
        return KT_OK;
    })
}

int32_t kt_autocast_exit(int32_t device_type, bool was_enabled, int32_t was_dtype) {
    KINEMA_GUARD({
        at::DeviceType device;
        KT_REQUIRE(autocastDevice(device_type, &device), "autocast: device type must be CPU or CUDA");
        KT_REQUIRE(was_dtype >= 0 && was_dtype < static_cast<int32_t>(at::ScalarType::NumOptions), "unknown dtype code");
        // torch.autocast.__exit__: the outermost region drops the cache of casted weights.
        if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
        at::autocast::set_autocast_enabled(device, was_enabled);
        at::autocast::set_autocast_dtype(device, static_cast<at::ScalarType>(was_dtype));
        return KT_OK;
    })
}

int32_t kt_autocast_is_enabled(int32_t device_type, bool *out) {
    KINEMA_GUARD({
        KT_REQUIRE(out, "out is NULL");
        at::DeviceType device;
        KT_REQUIRE(autocastDevice(device_type, &device), "autocast: device type must be CPU or CUDA");
        *out = at::autocast::is_autocast_enabled(device);
        return KT_OK;
    })
}

}  // extern "C"
