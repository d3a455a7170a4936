// Tensor handles: creation from host memory, copies back, metadata, autograd, generators.
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/variable.h>

#include <cstring>
#include <sstream>

#include "common.hpp"

using kinema::wrap;

namespace {

bool validDType(int32_t dtype) {
    switch (static_cast<at::ScalarType>(dtype)) {
        case at::kByte: case at::kChar: case at::kShort: case at::kInt: case at::kLong:
        case at::kHalf: case at::kFloat: case at::kDouble: case at::kBool: case at::kBFloat16:
            return true;
        default:
            return false;
    }
}

char *copyString(const std::string &s) {
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (!out) throw std::bad_alloc();
    std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

}  // namespace

extern "C" {

void kt_tensor_free(kt_tensor t) { delete t; }

int32_t kt_tensor_alias(kt_tensor t, kt_tensor *out) {
    KINEMA_GUARD({
        KT_REQUIRE(t && out, "NULL argument");
        *out = new kt_tensor_s{t->tensor};
        return KT_OK;
    })
}

int32_t kt_tensor_from_data(const void *data, size_t nbytes, const int64_t *sizes, int64_t ndim,
                            int32_t dtype, kt_tensor *out) {
    KINEMA_GUARD({
        KT_REQUIRE(out && (sizes || ndim == 0) && ndim >= 0, "NULL argument or negative rank");
        KT_REQUIRE(validDType(dtype), "unsupported dtype code");
        for (int64_t i = 0; i < ndim; ++i) KT_REQUIRE(sizes[i] >= 0, "negative size");
        auto options = at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype));
        at::Tensor t = at::empty(at::IntArrayRef(sizes, ndim), options);
        const size_t expected = t.nbytes();
        if (expected != nbytes)
            return kinema::argumentError(("the buffer holds " + std::to_string(nbytes) + " bytes but the shape needs " +
                                          std::to_string(expected)).c_str());
        if (nbytes > 0) {
            KT_REQUIRE(data, "data is NULL");
            std::memcpy(t.data_ptr(), data, nbytes);
        }
        *out = wrap(std::move(t));
        return KT_OK;
    })
}

int32_t kt_tensor_copy_to(kt_tensor t, void *dst, size_t nbytes) {
    KINEMA_GUARD({
        KT_REQUIRE(t, "NULL tensor");
        at::Tensor host = t->tensor.detach().to(at::kCPU).contiguous();
        if (host.nbytes() != nbytes)
            return kinema::argumentError(("the destination holds " + std::to_string(nbytes) + " bytes but the tensor has " +
                                          std::to_string(host.nbytes())).c_str());
        if (nbytes > 0) {
            KT_REQUIRE(dst, "dst is NULL");
            std::memcpy(dst, host.data_ptr(), nbytes);
        }
        return KT_OK;
    })
}

int32_t kt_tensor_ndim(kt_tensor t, int64_t *out) {
    KINEMA_GUARD({
        KT_REQUIRE(t && out, "NULL argument");
        *out = t->tensor.dim();
        return KT_OK;
    })
}

int32_t kt_tensor_sizes(kt_tensor t, int64_t *out, int64_t capacity) {
    KINEMA_GUARD({
        KT_REQUIRE(t && (out || capacity == 0), "NULL argument");
        auto sizes = t->tensor.sizes();
        for (int64_t i = 0; i < std::min<int64_t>(capacity, sizes.size()); ++i) out[i] = sizes[i];
        return KT_OK;
    })
}

int32_t kt_tensor_strides(kt_tensor t, int64_t *out, int64_t capacity) {
    KINEMA_GUARD({
        KT_REQUIRE(t && (out || capacity == 0), "NULL argument");
        auto strides = t->tensor.strides();
        for (int64_t i = 0; i < std::min<int64_t>(capacity, strides.size()); ++i) out[i] = strides[i];
        return KT_OK;
    })
}

int32_t kt_tensor_dtype(kt_tensor t, int32_t *out) {
    KINEMA_GUARD({
        KT_REQUIRE(t && out, "NULL argument");
        *out = static_cast<int32_t>(t->tensor.scalar_type());
        return KT_OK;
    })
}

const char *kt_dtype_name(int32_t code) {
    if (code < 0 || code >= static_cast<int32_t>(at::ScalarType::NumOptions)) return "UNKNOWN_SCALAR";
    return c10::toString(static_cast<at::ScalarType>(code));
}

int32_t kt_tensor_device(kt_tensor t, int32_t *type, int32_t *index) {
    KINEMA_GUARD({
        KT_REQUIRE(t && type && index, "NULL argument");
        auto device = t->tensor.device();
        *type = static_cast<int32_t>(device.type());
        *index = device.index();
        return KT_OK;
    })
}

int32_t kt_tensor_is_contiguous(kt_tensor t, bool *out) {
    KINEMA_GUARD({
        KT_REQUIRE(t && out, "NULL argument");
        *out = t->tensor.is_contiguous();
        return KT_OK;
    })
}

int32_t kt_tensor_use_count(kt_tensor t, int64_t *out) {
    KINEMA_GUARD({
        KT_REQUIRE(t && out, "NULL argument");
        *out = static_cast<int64_t>(t->tensor.use_count());
        return KT_OK;
    })
}

int32_t kt_tensor_impl_id(kt_tensor t, uintptr_t *out) {
    KINEMA_GUARD({
        KT_REQUIRE(t && out, "NULL argument");
        *out = reinterpret_cast<uintptr_t>(t->tensor.unsafeGetTensorImpl());
        return KT_OK;
    })
}

int32_t kt_tensor_set_data(kt_tensor t, kt_tensor source) {
    KINEMA_GUARD({
        KT_REQUIRE(t && source, "NULL argument");
        t->tensor.set_data(source->tensor);
        return KT_OK;
    })
}

int32_t kt_tensor_description(kt_tensor t, char **out) {
    KINEMA_GUARD({
        KT_REQUIRE(t && out, "NULL argument");
        std::ostringstream s;
        s << t->tensor;
        *out = copyString(s.str());
        return KT_OK;
    })
}

int32_t kt_tensor_requires_grad(kt_tensor t, bool *out) {
    KINEMA_GUARD({
        KT_REQUIRE(t && out, "NULL argument");
        *out = t->tensor.requires_grad();
        return KT_OK;
    })
}

int32_t kt_tensor_set_requires_grad(kt_tensor t, bool requires_grad) {
    KINEMA_GUARD({
        KT_REQUIRE(t, "NULL tensor");
        t->tensor.set_requires_grad(requires_grad);
        return KT_OK;
    })
}

int32_t kt_tensor_is_leaf(kt_tensor t, bool *out) {
    KINEMA_GUARD({
        KT_REQUIRE(t && out, "NULL argument");
        *out = t->tensor.is_leaf();
        return KT_OK;
    })
}

int32_t kt_tensor_grad(kt_tensor t, kt_tensor *out) {
    KINEMA_GUARD({
        KT_REQUIRE(t && out, "NULL argument");
        *out = wrap(t->tensor.grad());
        return KT_OK;
    })
}

int32_t kt_tensor_set_grad(kt_tensor t, kt_tensor grad) {
    KINEMA_GUARD({
        KT_REQUIRE(t, "NULL tensor");
        t->tensor.mutable_grad() = grad ? grad->tensor : at::Tensor();
        return KT_OK;
    })
}

int32_t kt_tensor_backward(kt_tensor t, kt_tensor grad_output, bool retain_graph, bool create_graph) {
    KINEMA_GUARD({
        KT_REQUIRE(t, "NULL tensor");
        at::Tensor gradient = grad_output ? grad_output->tensor : at::Tensor();
        t->tensor.backward(gradient, retain_graph, create_graph);
        return KT_OK;
    })
}

int32_t kt_generator_new(uint64_t seed, int32_t device_type, int32_t device_index, kt_generator *out) {
    KINEMA_GUARD({
        KT_REQUIRE(out, "NULL argument");
        auto type = static_cast<c10::DeviceType>(device_type);
        at::Generator g;
        if (type == c10::DeviceType::CPU) {
            g = at::make_generator<at::CPUGeneratorImpl>(seed);
        } else {
            g = at::globalContext().defaultGenerator(c10::Device(type, device_index)).clone();
            g.set_current_seed(seed);
        }
        *out = new kt_generator_s{std::move(g)};
        return KT_OK;
    })
}

void kt_generator_free(kt_generator g) { delete g; }

int32_t kt_generator_get_state(kt_generator g, kt_tensor *out) {
    KINEMA_GUARD({
        KT_REQUIRE(g && out, "NULL argument");
        std::lock_guard<std::mutex> lock(g->generator.mutex());
        *out = wrap(g->generator.get_state());
        return KT_OK;
    })
}

int32_t kt_generator_set_state(kt_generator g, kt_tensor state) {
    KINEMA_GUARD({
        KT_REQUIRE(g && state, "NULL argument");
        std::lock_guard<std::mutex> lock(g->generator.mutex());
        g->generator.set_state(state->tensor);
        return KT_OK;
    })
}

}  // extern "C"
