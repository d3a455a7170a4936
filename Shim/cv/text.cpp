// Text labels: OpenCV's Hershey simplex font, anti-aliased, measured by its ink.
//
// cv::getTextSize is only an estimate of where cv::putText draws: brackets, bars and descenders
// reach past it by up to a fifth of the text height, and thick strokes reach left of the origin.
// So the text is rendered once into a coverage mask whose box is measured on the ink itself
// (united with the font's tallest and deepest glyphs, so every text of one size has the same box
// and baseline), and blended into the image inside that box only: a label never touches a pixel
// outside the box it reports.
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstring>
#include <string>

#include "common.hpp"

namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr size_t kMaxTextBytes = 1024;
constexpr int32_t kMaxTextHeight = 512;
constexpr int32_t kMaxThickness = 64;
constexpr int32_t kMaxPadding = 1024;
// putText works in 16.16 fixed point: coordinates must stay well inside ±32767 px.
constexpr int kMaxExtent = 16384;

// What is wrong with the text arguments, or an empty string.
std::string textProblem(const char *text, int32_t textHeight, int32_t thickness, int32_t padding) {
    if (!text) return "text is NULL";
    size_t length = std::strlen(text);
    if (length > kMaxTextBytes) return "text is " + std::to_string(length) + " bytes, at most " + std::to_string(kMaxTextBytes);
    for (size_t i = 0; i < length; ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c > 0x7E)
            return "text byte " + std::to_string(i) + " (0x" + cv::format("%02X", c) +
                   ") is not printable ASCII, the only characters the Hershey fonts have";
    }
    if (textHeight < 1 || textHeight > kMaxTextHeight)
        return "text height " + std::to_string(textHeight) + " must be in 1..." + std::to_string(kMaxTextHeight);
    if (thickness < 1 || thickness > kMaxThickness)
        return "thickness " + std::to_string(thickness) + " must be in 1..." + std::to_string(kMaxThickness);
    if (padding < 0 || padding > kMaxPadding)
        return "padding " + std::to_string(padding) + " must be in 0..." + std::to_string(kMaxPadding);
    return {};
}

// The rows and columns the ink of `mask` covers (empty when nothing was drawn).
cv::Rect inkBox(const cv::Mat &mask) { return cv::boundingRect(mask); }

// The text's anti-aliased coverage (0 = none, 255 = full), CV_8UC1 of exactly the text's box grown
// by `padding` on every side; `problem` is set instead when the text is too large to draw.
cv::Mat coverage(const std::string &text, int32_t textHeight, int32_t thickness, int32_t padding, std::string &problem) {
    const double scale = cv::getFontScaleFromHeight(kFont, textHeight, thickness);
    int baseline = 0;
    const cv::Size size = cv::getTextSize(text, kFont, scale, thickness, &baseline);
    // Generous room around the estimate for the ink that falls outside it.
    const int margin = textHeight + thickness + 2;
    const int canvasHeight = size.height + baseline + 2 * margin;
    if (size.width + 2 * margin > kMaxExtent || canvasHeight > kMaxExtent) {
        problem = "the text is about " + std::to_string(size.width) + " px wide at height " + std::to_string(textHeight) +
                  "; it must stay under " + std::to_string(kMaxExtent - 2 * margin) + " px (shorter text or a smaller height)";
        return {};
    }
    const cv::Point origin(margin, margin + size.height);  // putText's origin is the baseline's left end

    // Every printable glyph drawn over each other at the same origin: the font's vertical extent.
    int widest = 0;
    for (char c = 0x21; c <= 0x7E; ++c) widest = std::max(widest, cv::getTextSize(std::string(1, c), kFont, scale, thickness, nullptr).width);
    cv::Mat glyphs = cv::Mat::zeros(canvasHeight, widest + 2 * margin, CV_8UC1);
    for (char c = 0x21; c <= 0x7E; ++c) cv::putText(glyphs, std::string(1, c), origin, kFont, scale, cv::Scalar(255), thickness, cv::LINE_AA);
    const cv::Rect font = inkBox(glyphs);

    cv::Mat ink = cv::Mat::zeros(canvasHeight, size.width + 2 * margin, CV_8UC1);
    cv::putText(ink, text, origin, kFont, scale, cv::Scalar(255), thickness, cv::LINE_AA);
    cv::Rect box(origin.x, font.y, size.width, font.height);  // the advance, the font's rows
    const cv::Rect drawn = inkBox(ink);
    if (!drawn.empty()) box |= drawn;

    cv::Mat out = cv::Mat::zeros(box.height + 2 * padding, box.width + 2 * padding, CV_8UC1);
    ink(box).copyTo(out(cv::Rect(padding, padding, box.width, box.height)));
    return out;
}

}  // namespace

extern "C" {

int32_t kcv_text_size(const char *text, int32_t text_height, int32_t thickness, int32_t padding, int32_t *width,
                      int32_t *height) {
    KINEMA_GUARD({
        KCV_REQUIRE(width && height, "NULL argument");
        std::string problem = textProblem(text, text_height, thickness, padding);
        KCV_REQUIRE(problem.empty(), problem);
        cv::Mat mask = coverage(text, text_height, thickness, padding, problem);
        KCV_REQUIRE(problem.empty(), problem);
        *width = mask.cols;
        *height = mask.rows;
        return KCV_OK;
    })
}

int32_t kcv_put_text(void *rgb, int32_t width, int32_t height, const char *text, int32_t x, int32_t y,
                     int32_t text_height, int32_t thickness, int32_t padding, const uint8_t *color,
                     const uint8_t *background) {
    KINEMA_GUARD({
        KCV_REQUIRE(rgb && color, "NULL argument");
        KCV_REQUIRE(width > 0 && height > 0, "the image size must be positive");
        std::string problem = textProblem(text, text_height, thickness, padding);
        KCV_REQUIRE(problem.empty(), problem);
        KCV_REQUIRE(x > -kMaxExtent && x < kMaxExtent && y > -kMaxExtent && y < kMaxExtent,
                    "the text position must lie within ±" + std::to_string(kMaxExtent) + " px");
        cv::Mat mask = coverage(text, text_height, thickness, padding, problem);
        KCV_REQUIRE(problem.empty(), problem);

        cv::Mat canvas(height, width, CV_8UC3, rgb);
        const cv::Rect box(x, y, mask.cols, mask.rows);
        const cv::Rect visible = box & cv::Rect(0, 0, width, height);
        for (int row = visible.y; row < visible.y + visible.height; ++row) {
            const uint8_t *a = mask.ptr<uint8_t>(row - y);
            uint8_t *p = canvas.ptr<uint8_t>(row);
            for (int col = visible.x; col < visible.x + visible.width; ++col) {
                const int alpha = a[col - x];
                for (int k = 0; k < 3; ++k) {
                    uint8_t &v = p[col * 3 + k];
                    if (background) v = background[k];
                    // Coverage blending, rounded: v + (color − v) · α / 255.
                    v = static_cast<uint8_t>((v * (255 - alpha) + color[k] * alpha + 127) / 255);
                }
            }
        }
        return KCV_OK;
    })
}

}  // extern "C"
