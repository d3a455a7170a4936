// Shared by the torch shim's translation units: handle types, the guard with c10's exception
// classes, and small conversions.
#pragma once

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include "kinema_torch.h"

#define KINEMA_STATUS_OUT_OF_MEMORY KT_ERR_OUT_OF_MEMORY
#define KINEMA_STATUS_STD KT_ERR_STD
#define KINEMA_STATUS_UNKNOWN KT_ERR_UNKNOWN
#define KINEMA_EXTRA_CATCHES                                                                  \
    catch (const c10::OutOfMemoryError &e) { return kinema::torchFail(KT_ERR_OUT_OF_MEMORY, e); } \
    catch (const c10::IndexError &e) { return kinema::torchFail(KT_ERR_INDEX, e); }           \
    catch (const c10::ValueError &e) { return kinema::torchFail(KT_ERR_VALUE, e); }           \
    catch (const c10::TypeError &e) { return kinema::torchFail(KT_ERR_TYPE, e); }             \
    catch (const c10::NotImplementedError &e) { return kinema::torchFail(KT_ERR_NOT_IMPLEMENTED, e); } \
    catch (const c10::DistError &e) { return kinema::torchFail(KT_ERR_DISTRIBUTED, e); }     \
    catch (const c10::Error &e) { return kinema::torchFail(KT_ERR_TORCH, e); }
#include "../common/guard.hpp"

struct kt_tensor_s {
    at::Tensor tensor;
};
struct kt_generator_s {
    at::Generator generator;
};

namespace kinema {

inline int32_t torchFail(int32_t kind, const c10::Error &e) {
    return fail(kind, e.what_without_backtrace(), e.what());
}

inline int32_t argumentError(const char *what) { return fail(KT_ERR_ARGUMENT, what); }

inline kt_tensor wrap(at::Tensor t) {
    if (!t.defined()) return nullptr;
    return new kt_tensor_s{std::move(t)};
}

#define KT_REQUIRE(cond, message)                          \
    do {                                                   \
        if (!(cond)) return ::kinema::argumentError(message); \
    } while (0)

}  // namespace kinema
