// The error record's accessors and OpenCV's global settings.
#include <cstdlib>

#include "common.hpp"

extern "C" {

int32_t kcv_last_error_kind(void) { return kinema::lastError().kind; }
const char *kcv_last_error_message(void) { return kinema::lastError().message.c_str(); }
void kcv_clear_last_error(void) {
    auto &e = kinema::lastError();
    e.kind = KCV_OK;
    e.message.clear();
    e.detail.clear();
}
void kcv_string_free(char *s) { std::free(s); }

const char *kcv_opencv_version(void) { return CV_VERSION; }

int32_t kcv_set_num_threads(int32_t n) {
    KINEMA_GUARD({
        cv::setNumThreads(n);
        return KCV_OK;
    })
}

}  // extern "C"
