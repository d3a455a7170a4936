// Boxed operator dispatch: Swift pushes arguments in schema order onto a thread-local stack and
// calls an operator found by name. This reaches every ATen op (autograd included) through the
// same dispatcher PyTorch uses, so an op's maths is libtorch's by construction and the shim needs
// no per-op C function. Defaults come from the op's schema, like TorchScript's calling convention.
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common.hpp"

struct kt_op_s {
    c10::OperatorHandle handle;
};

namespace {

struct CallState {
    std::vector<c10::IValue> args;
    std::vector<bool> useDefault;
    std::string pendingError;  // a push that went wrong; reported by the next kt_call
    std::vector<c10::IValue> results;

    void clearArgs() {
        args.clear();
        useDefault.clear();
        pendingError.clear();
    }
};

CallState &callState() {
    thread_local CallState state;
    return state;
}

template <typename Make>
void push(Make &&make, bool isDefault = false) noexcept {
    auto &s = callState();
    try {
        s.args.push_back(make());
        s.useDefault.push_back(isDefault);
    } catch (const std::exception &e) {
        s.pendingError = std::string("could not push an argument: ") + e.what();
    } catch (...) {
        s.pendingError = "could not push an argument";
    }
}

bool isFloatType(const c10::TypePtr &type) {
    if (type->kind() == c10::TypeKind::FloatType) return true;
    if (auto optional = type->cast<c10::OptionalType>()) return isFloatType(optional->getElementType());
    return false;
}

// Swift passes integral literals as ints; a `float` formal needs a double IValue.
c10::IValue coerce(c10::IValue value, const c10::Argument &formal) {
    if (value.isInt() && isFloatType(formal.type())) return c10::IValue(static_cast<double>(value.toInt()));
    return value;
}

// An array argument's pointer may be NULL only when it has no elements.
void requireArray(const void *v, int64_t n) {
    if (n < 0) throw std::invalid_argument("negative array length " + std::to_string(n));
    if (!v && n > 0) throw std::invalid_argument("NULL array with " + std::to_string(n) + " elements");
}

int32_t resultIndexError(int32_t i) {
    return kinema::argumentError(("no result at index " + std::to_string(i)).c_str());
}

}  // namespace

extern "C" {

int32_t kt_op_find(const char *name, const char *overload, kt_op *out) {
    KINEMA_GUARD({
        KT_REQUIRE(name && overload && out, "NULL argument");
        // Operator handles live as long as the process; cache them so repeated lookups are cheap.
        static std::mutex mutex;
        static std::unordered_map<std::string, kt_op_s *> cache;
        const std::string key = std::string(name) + "." + overload;
        std::lock_guard<std::mutex> lock(mutex);
        auto found = cache.find(key);
        if (found == cache.end()) {
            auto handle = c10::Dispatcher::singleton().findSchemaOrThrow(name, overload);
            found = cache.emplace(key, new kt_op_s{handle}).first;
        }
        *out = found->second;
        return KT_OK;
    })
}

int32_t kt_op_schema(kt_op op, char **out) {
    KINEMA_GUARD({
        KT_REQUIRE(op && out, "NULL argument");
        std::ostringstream s;
        s << op->handle.schema();
        const std::string text = s.str();
        *out = static_cast<char *>(std::malloc(text.size() + 1));
        if (!*out) throw std::bad_alloc();
        std::memcpy(*out, text.c_str(), text.size() + 1);
        return KT_OK;
    })
}

void kt_args_begin(void) { callState().clearArgs(); }

void kt_arg_tensor(kt_tensor t) {
    push([&] { return t ? c10::IValue(t->tensor) : c10::IValue(); });
}
void kt_arg_none(void) {
    push([] { return c10::IValue(); });
}
void kt_arg_default(void) {
    push([] { return c10::IValue(); }, /*isDefault=*/true);
}
void kt_arg_int(int64_t v) {
    push([&] { return c10::IValue(v); });
}
void kt_arg_double(double v) {
    push([&] { return c10::IValue(v); });
}
void kt_arg_bool(bool v) {
    push([&] { return c10::IValue(v); });
}
void kt_arg_ints(const int64_t *v, int64_t n) {
    push([&] {
        requireArray(v, n);
        return c10::IValue(std::vector<int64_t>(v, v + n));
    });
}
void kt_arg_doubles(const double *v, int64_t n) {
    push([&] {
        requireArray(v, n);
        return c10::IValue(std::vector<double>(v, v + n));
    });
}
void kt_arg_bools(const bool *v, int64_t n) {
    push([&] {
        requireArray(v, n);
        c10::List<bool> list;
        list.reserve(n);
        for (int64_t i = 0; i < n; ++i) list.push_back(v[i]);
        return c10::IValue(list);
    });
}
void kt_arg_tensors(const kt_tensor *v, int64_t n) {
    push([&] {
        requireArray(v, n);
        std::vector<at::Tensor> list;
        list.reserve(n);
        for (int64_t i = 0; i < n; ++i) {
            if (!v[i]) throw std::invalid_argument("NULL tensor in a tensor list");
            list.push_back(v[i]->tensor);
        }
        return c10::IValue(list);
    });
}
void kt_arg_optional_tensors(const kt_tensor *v, int64_t n) {
    push([&] {
        requireArray(v, n);
        c10::List<std::optional<at::Tensor>> list;
        list.reserve(n);
        for (int64_t i = 0; i < n; ++i)
            list.push_back(v[i] ? std::optional<at::Tensor>(v[i]->tensor) : std::nullopt);
        return c10::IValue(list);
    });
}
void kt_arg_string(const char *s) {
    push([&] {
        if (!s) throw std::invalid_argument("NULL string");
        return c10::IValue(std::string(s));
    });
}
void kt_arg_dtype(int32_t code) {
    push([&] {
        if (code < 0 || code >= static_cast<int32_t>(c10::ScalarType::NumOptions))
            throw std::invalid_argument("unknown dtype code " + std::to_string(code));
        return c10::IValue(static_cast<int64_t>(code));
    });
}
void kt_arg_device(int32_t type, int32_t index) {
    push([&] {
        const auto deviceType = static_cast<c10::DeviceType>(type);
        if (type < 0 || !c10::isValidDeviceType(deviceType))
            throw std::invalid_argument("unknown device type " + std::to_string(type));
        return c10::IValue(c10::Device(deviceType, static_cast<c10::DeviceIndex>(index)));
    });
}
void kt_arg_generator(kt_generator g) {
    push([&] { return g ? c10::IValue(g->generator) : c10::IValue(); });
}

int32_t kt_call(kt_op op, int32_t *nresults) {
    KINEMA_GUARD({
        auto &s = callState();
        // The pushed arguments are consumed by this call whatever happens.
        struct ClearOnExit {
            CallState &s;
            ~ClearOnExit() { s.clearArgs(); }
        } clear{s};
        s.results.clear();  // the previous call's results are gone, whatever happens to this one
        KT_REQUIRE(op, "NULL op");
        if (!s.pendingError.empty()) return kinema::argumentError(s.pendingError.c_str());
        const auto &schema = op->handle.schema();
        const auto &formals = schema.arguments();
        if (s.args.size() > formals.size()) {
            std::ostringstream m;
            m << schema.name() << " takes " << formals.size() << " arguments but " << s.args.size()
              << " were given; schema: " << schema;
            return kinema::fail(KT_ERR_ARGUMENT, m.str());
        }
        torch::jit::Stack stack;
        stack.reserve(formals.size());
        for (size_t i = 0; i < formals.size(); ++i) {
            if (i < s.args.size() && !s.useDefault[i]) {
                stack.push_back(coerce(std::move(s.args[i]), formals[i]));
            } else if (formals[i].default_value()) {
                stack.push_back(*formals[i].default_value());
            } else {
                std::ostringstream m;
                m << schema.name() << ": argument '" << formals[i].name() << "' has no default; schema: " << schema;
                return kinema::fail(KT_ERR_ARGUMENT, m.str());
            }
        }
        op->handle.callBoxed(stack);
        s.results = std::move(stack);
        if (nresults) *nresults = static_cast<int32_t>(s.results.size());
        return KT_OK;
    })
}

int32_t kt_call_tensor(kt_op op, kt_tensor *out) {
    int32_t status = kt_call(op, nullptr);
    if (status != KT_OK) return status;
    status = kt_result_tensor(0, out);
    kt_results_clear();
    return status;
}

void kt_results_clear(void) { callState().results.clear(); }

int32_t kt_result_tensor(int32_t i, kt_tensor *out) {
    KINEMA_GUARD({
        KT_REQUIRE(out, "NULL argument");
        auto &results = callState().results;
        if (i < 0 || static_cast<size_t>(i) >= results.size()) return resultIndexError(i);
        const auto &v = results[i];
        if (v.isNone()) {
            *out = nullptr;
        } else {
            KT_REQUIRE(v.isTensor(), "the result is not a tensor");
            *out = kinema::wrap(v.toTensor());
        }
        return KT_OK;
    })
}

int32_t kt_result_tensors(int32_t i, kt_tensor *out, int64_t capacity, int64_t *count) {
    KINEMA_GUARD({
        KT_REQUIRE(count && (out || capacity == 0), "NULL argument");
        auto &results = callState().results;
        if (i < 0 || static_cast<size_t>(i) >= results.size()) return resultIndexError(i);
        KT_REQUIRE(results[i].isTensorList(), "the result is not a tensor list");
        auto list = results[i].toTensorVector();
        const int64_t n = std::min<int64_t>(capacity, list.size());
        // Make every handle before writing any, so a failure part-way leaks none.
        std::vector<std::unique_ptr<kt_tensor_s>> handles;
        handles.reserve(n);
        for (int64_t k = 0; k < n; ++k) handles.emplace_back(kinema::wrap(list[k]));
        for (int64_t k = 0; k < n; ++k) out[k] = handles[k].release();
        *count = static_cast<int64_t>(list.size());
        return KT_OK;
    })
}

int32_t kt_result_int(int32_t i, int64_t *out) {
    KINEMA_GUARD({
        KT_REQUIRE(out, "NULL argument");
        auto &results = callState().results;
        if (i < 0 || static_cast<size_t>(i) >= results.size()) return resultIndexError(i);
        const auto &v = results[i];
        KT_REQUIRE(v.isInt() || v.isBool(), "the result is not an integer");
        *out = v.isInt() ? v.toInt() : static_cast<int64_t>(v.toBool());
        return KT_OK;
    })
}

int32_t kt_result_double(int32_t i, double *out) {
    KINEMA_GUARD({
        KT_REQUIRE(out, "NULL argument");
        auto &results = callState().results;
        if (i < 0 || static_cast<size_t>(i) >= results.size()) return resultIndexError(i);
        const auto &v = results[i];
        KT_REQUIRE(v.isDouble() || v.isInt() || v.isBool(), "the result is not a number");
        *out = v.isDouble() ? v.toDouble() : v.isInt() ? static_cast<double>(v.toInt()) : double(v.toBool());
        return KT_OK;
    })
}

int32_t kt_result_bool(int32_t i, bool *out) {
    KINEMA_GUARD({
        KT_REQUIRE(out, "NULL argument");
        auto &results = callState().results;
        if (i < 0 || static_cast<size_t>(i) >= results.size()) return resultIndexError(i);
        KT_REQUIRE(results[i].isBool(), "the result is not a bool");
        *out = results[i].toBool();
        return KT_OK;
    })
}

}  // extern "C"
