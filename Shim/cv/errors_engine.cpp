// The error record's accessors and OpenCV's global settings.
#include <opencv2/core/utils/logger.hpp>

#include <cstdlib>

#include "common.hpp"

namespace {
// OpenCV's own log lines ("[ERROR:0@0.5] global cap_ffmpeg_impl.hpp … Failed to initialize
// VideoCapture") say in its words what the error Kinema returns says about the file: silent
// unless the user asks for them with OPENCV_LOG_LEVEL.
const bool openCVLogSilenced = [] {
    if (!std::getenv("OPENCV_LOG_LEVEL")) cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    return true;
}();
}  // namespace

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
