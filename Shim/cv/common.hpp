// Shared by the OpenCV shim's translation units: the guard with cv::Exception, the kcv_mat handle,
// argument checks and the conversions between borrowed views and cv::Mat headers.
#pragma once

#include <opencv2/core.hpp>

#include <memory>
#include <string>

#include "kinema_cv.h"

#define KINEMA_STATUS_OUT_OF_MEMORY KCV_ERR_OUT_OF_MEMORY
#define KINEMA_STATUS_STD KCV_ERR_STD
#define KINEMA_STATUS_UNKNOWN KCV_ERR_UNKNOWN
// OpenCV reports a failed allocation as a cv::Exception with code StsNoMem: an out-of-memory error.
#define KINEMA_EXTRA_CATCHES                                                                       \
    catch (const cv::Exception &e) {                                                               \
        return ::kinema::fail(e.code == cv::Error::StsNoMem ? KCV_ERR_OUT_OF_MEMORY : KCV_ERR_OPENCV, e.what()); \
    }
#include "../common/guard.hpp"

struct kcv_mat {
    cv::Mat mat;  // always continuous
};

namespace kinema::cv_shim {

#define KCV_REQUIRE(cond, message)                                      \
    do {                                                                \
        if (!(cond)) return ::kinema::fail(KCV_ERR_ARGUMENT, message);   \
    } while (0)

inline int cvDepth(int32_t depth) {
    switch (depth) {
        case KCV_U8: return CV_8U;
        case KCV_F32: return CV_32F;
        case KCV_F64: return CV_64F;
        default: return -1;
    }
}

inline int32_t kcvDepth(int cvDepthCode) {
    switch (cvDepthCode) {
        case CV_8U: return KCV_U8;
        case CV_32F: return KCV_F32;
        case CV_64F: return KCV_F64;
        default: return -1;
    }
}

// Checks a borrowed view; returns an empty string when it is usable, else what is wrong.
inline std::string viewProblem(const kcv_view &v, const char *name) {
    std::string n(name);
    if (!v.data) return n + ": data is NULL";
    if (v.width <= 0 || v.height <= 0) return n + ": empty size " + std::to_string(v.width) + "x" + std::to_string(v.height);
    if (v.channels < 1 || v.channels > 512) return n + ": bad channel count " + std::to_string(v.channels);
    if (cvDepth(v.depth) < 0) return n + ": unknown depth code";
    return {};
}

#define KCV_REQUIRE_VIEW(view, name)                                                   \
    do {                                                                               \
        std::string problem_ = ::kinema::cv_shim::viewProblem(view, name);             \
        if (!problem_.empty()) return ::kinema::fail(KCV_ERR_ARGUMENT, problem_);       \
    } while (0)

// A cv::Mat header over a borrowed view (no copy; OpenCV never writes through it here).
inline cv::Mat header(const kcv_view &v) {
    return cv::Mat(v.height, v.width, CV_MAKETYPE(cvDepth(v.depth), v.channels), const_cast<void *>(v.data));
}

// Hands a matrix to the caller as an owned, packed kcv_mat.
// The most pixels an image file may decode to (2^27: 134 megapixels, 1 GiB at 16-bit RGBA).
constexpr uint64_t kMaxDecodedPixels = uint64_t(1) << 27;

// cv::imdecode refusing, before allocating them, images over kMaxDecodedPixels: returns an empty
// matrix and says why in `problem` (decode_limit.cpp).
cv::Mat decodeBounded(const cv::Mat &encoded, int flags, std::string *problem);

inline kcv_mat *give(cv::Mat m) {
    if (!m.isContinuous()) m = m.clone();
    return new kcv_mat{std::move(m)};
}

// Hands two matrices to the caller (the second only when outB is not NULL), writing no
// out-parameter unless every handle was made, so a failure part-way leaks nothing.
inline void giveBoth(cv::Mat a, cv::Mat b, kcv_mat **outA, kcv_mat **outB) {
    std::unique_ptr<kcv_mat> first(give(std::move(a)));
    std::unique_ptr<kcv_mat> second(outB ? give(std::move(b)) : nullptr);
    *outA = first.release();
    if (outB) *outB = second.release();
}

// RGB(A)/gray (Kinema's order) → BGR (OpenCV's order) for colour views; gray stays gray.
cv::Mat toBGR(const cv::Mat &rgb);
// Any 8-bit gray/RGB/RGBA matrix → 1-channel gray.
cv::Mat toGray(const cv::Mat &image);
// BGR/BGRA/gray (OpenCV's order) → `channels` 8-bit channels in Kinema's order (1 gray, 3 RGB, 4 RGBA).
cv::Mat fromBGR(const cv::Mat &bgr, int channels);
// Kinema's resize: INTER_AREA when shrinking (in either direction), INTER_LINEAR otherwise.
cv::Mat resized(const cv::Mat &image, cv::Size size);

}  // namespace kinema::cv_shim
