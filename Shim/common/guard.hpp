// The one exception guard every exported shim function uses (docs/architecture-notes.md, "The C boundary").
// It catches everything — C++ exceptions must never unwind into Swift frames — and records the
// kind and message in a thread-local error record that the Swift side reads right after the call.
#pragma once

#include <cstdint>
#include <exception>
#include <new>
#include <string>

namespace kinema {

struct ErrorRecord {
    int32_t kind = 0;
    std::string message;
    std::string detail;
};

inline ErrorRecord &lastError() {
    thread_local ErrorRecord record;
    return record;
}

inline int32_t fail(int32_t kind, std::string message, std::string detail = {}) {
    auto &e = lastError();
    e.kind = kind;
    e.detail = detail.empty() ? message : std::move(detail);
    e.message = std::move(message);
    return kind;
}

}  // namespace kinema

// KINEMA_GUARD(body) runs body (which returns a status) and turns every exception into a status.
// KINEMA_EXTRA_CATCHES lets a shim add its engine's own exception types ahead of the generic ones.
#ifndef KINEMA_EXTRA_CATCHES
#define KINEMA_EXTRA_CATCHES
#endif

#define KINEMA_GUARD(...)                                                                    \
    try {                                                                                    \
        __VA_ARGS__                                                                          \
    }                                                                                        \
    KINEMA_EXTRA_CATCHES                                                                     \
    catch (const std::bad_alloc &e) {                                                        \
        return ::kinema::fail(KINEMA_STATUS_OUT_OF_MEMORY, std::string("out of memory: ") + e.what()); \
    }                                                                                        \
    catch (const std::exception &e) {                                                        \
        return ::kinema::fail(KINEMA_STATUS_STD, e.what());                                  \
    }                                                                                        \
    catch (...) {                                                                            \
        return ::kinema::fail(KINEMA_STATUS_UNKNOWN, "unknown C++ exception");               \
    }
