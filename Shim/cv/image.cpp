// Images: owned matrices, decoding/encoding, colour conversion, resizing, warping, drawing.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "common.hpp"

namespace kinema::cv_shim {

cv::Mat toBGR(const cv::Mat &rgb) {
    cv::Mat out;
    switch (rgb.channels()) {
        case 3: cv::cvtColor(rgb, out, cv::COLOR_RGB2BGR); return out;
        case 4: cv::cvtColor(rgb, out, cv::COLOR_RGBA2BGRA); return out;
        default: return rgb;
    }
}

cv::Mat toGray(const cv::Mat &image) {
    cv::Mat out;
    switch (image.channels()) {
        case 3: cv::cvtColor(image, out, cv::COLOR_RGB2GRAY); return out;
        case 4: cv::cvtColor(image, out, cv::COLOR_RGBA2GRAY); return out;
        default: return image;
    }
}

// An area shrink split into bands of destination rows resized in parallel. OpenCV 4.6 runs an area
// resize of a video frame as one stripe (it asks for a stripe per 64 K destination pixels), so on
// one core. A band gives exactly the pixels the whole resize gives when its edges fall on whole
// source rows and the vertical scale sh/dh is exact in binary: OpenCV's area weights for the band's
// rows are then those of the same rows of the whole image. Anything else is resized in one call.
static cv::Mat areaResized(const cv::Mat &image, cv::Size size) {
    cv::Mat out(size, image.type());
    // The row weights repeat every sh/whole source rows (dh/whole destination rows).
    const int sh = image.rows, dh = size.height, whole = std::gcd(sh, dh);
    const double scale = 1.0 / (double(dh) / sh);  // OpenCV's vertical scale
    const bool exact = std::fma(scale, double(dh), -double(sh)) == 0;
    const int bands = exact && image.cols >= size.width && sh >= dh ? std::min(cv::getNumThreads(), whole) : 1;
    if (bands < 2) {
        cv::resize(image, out, size, 0, 0, cv::INTER_AREA);
        return out;
    }
    cv::parallel_for_(cv::Range(0, bands), [&](const cv::Range &range) {
        for (int b = range.start; b < range.end; ++b) {
            const int first = whole * b / bands, last = whole * (b + 1) / bands;
            cv::Mat band = out.rowRange(first * (dh / whole), last * (dh / whole));
            cv::resize(image.rowRange(first * (sh / whole), last * (sh / whole)), band, band.size(), 0, 0, cv::INTER_AREA);
        }
    }, bands);
    return out;
}

cv::Mat resized(const cv::Mat &image, cv::Size size) {
    if (size.width < image.cols || size.height < image.rows) return areaResized(image, size);
    cv::Mat out;
    cv::resize(image, out, size, 0, 0, cv::INTER_LINEAR);
    return out;
}

cv::Mat fromBGR(const cv::Mat &bgr, int channels) {
    static const int codes[5][5] = {
        // to:   -, gray,                 -,  RGB,                   RGBA
        {-1, -1, -1, -1, -1},
        {-1, -2, -1, cv::COLOR_GRAY2RGB, cv::COLOR_GRAY2RGBA},   // from gray
        {-1, -1, -1, -1, -1},
        {-1, cv::COLOR_BGR2GRAY, -1, cv::COLOR_BGR2RGB, cv::COLOR_BGR2RGBA},     // from BGR
        {-1, cv::COLOR_BGRA2GRAY, -1, cv::COLOR_BGRA2RGB, cv::COLOR_BGRA2RGBA},  // from BGRA
    };
    int code = codes[bgr.channels()][channels];
    if (code == -2) return bgr;
    cv::Mat out;
    cv::cvtColor(bgr, out, code);
    return out;
}

}  // namespace kinema::cv_shim

namespace {

using namespace kinema::cv_shim;

bool isJPEG(const uint8_t *bytes, size_t length) {
    return length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
}

// libjpeg decodes a cut-off file with a warning and grey rows; the end-of-image marker (FF D9)
// near the end tells a complete file from a truncated one (a little trailing padding is allowed).
bool jpegHasEnd(const uint8_t *bytes, size_t length) {
    size_t from = length > 64 ? length - 64 : 0;
    for (size_t i = length - 1; i > from; --i)
        if (bytes[i - 1] == 0xFF && bytes[i] == 0xD9) return true;
    return false;
}

// Samples of any depth OpenCV decodes → 8 bit.
cv::Mat to8Bit(const cv::Mat &m, int32_t *bitDepth) {
    cv::Mat out;
    switch (m.depth()) {
        case CV_8U: *bitDepth = 8; return m;
        case CV_16U: *bitDepth = 16; m.convertTo(out, CV_8U, 255.0 / 65535.0); return out;
        case CV_32F: *bitDepth = 32; m.convertTo(out, CV_8U, 255.0); return out;
        default: *bitDepth = 0; return {};
    }
}

}  // namespace

extern "C" {

int32_t kcv_mat_info(const kcv_mat *m, int32_t *width, int32_t *height, int32_t *channels, int32_t *depth,
                     const void **data) {
    KINEMA_GUARD({
        KCV_REQUIRE(m && width && height && channels && depth && data, "NULL argument");
        *width = m->mat.cols;
        *height = m->mat.rows;
        *channels = m->mat.channels();
        *depth = kcvDepth(m->mat.depth());
        *data = m->mat.data;
        return KCV_OK;
    })
}

void kcv_mat_free(kcv_mat *m) { delete m; }

int32_t kcv_image_decode(const uint8_t *bytes, size_t length, int32_t channels, kcv_mat **out,
                         kcv_image_info *source) {
    KINEMA_GUARD({
        KCV_REQUIRE(bytes && out && source, "NULL argument");
        KCV_REQUIRE(channels == 1 || channels == 3 || channels == 4, "channels must be 1, 3 or 4");
        if (length == 0) return kinema::fail(KCV_ERR_DECODE, "the file is empty");
        if (length > size_t(INT32_MAX)) return kinema::fail(KCV_ERR_DECODE, "over 2 GiB, more than an image file Kinema reads");
        cv::Mat raw(1, static_cast<int>(length), CV_8U, const_cast<uint8_t *>(bytes));
        std::string tooLarge;
        cv::Mat decoded = decodeBounded(raw, cv::IMREAD_UNCHANGED, &tooLarge);
        if (!tooLarge.empty()) return kinema::fail(KCV_ERR_DECODE, tooLarge);
        if (decoded.empty())
            return kinema::fail(KCV_ERR_DECODE, "not an image OpenCV can decode (unknown format, or corrupt data)");
        if (isJPEG(bytes, length) && !jpegHasEnd(bytes, length))
            return kinema::fail(KCV_ERR_DECODE, "truncated JPEG: the end-of-image marker is missing");
        source->width = decoded.cols;
        source->height = decoded.rows;
        source->channels = decoded.channels();
        cv::Mat eight = to8Bit(decoded, &source->bit_depth);
        if (eight.empty()) return kinema::fail(KCV_ERR_UNSUPPORTED, "unsupported sample type (not 8/16-bit or float)");
        if (eight.channels() == 2) {  // gray + alpha: keep the gray plane (and its alpha for RGBA)
            std::vector<cv::Mat> planes;
            cv::split(eight, planes);
            if (channels == 4) {
                cv::Mat bgra;
                cv::merge(std::vector<cv::Mat>{planes[0], planes[0], planes[0], planes[1]}, bgra);
                eight = bgra;
            } else {
                eight = planes[0];
            }
        }
        *out = give(fromBGR(eight, channels));
        return KCV_OK;
    })
}

int32_t kcv_image_encode(kcv_view image, const char *extension, int32_t quality, kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(extension && out, "NULL argument");
        KCV_REQUIRE_VIEW(image, "image");
        KCV_REQUIRE(image.depth == KCV_U8 && (image.channels == 1 || image.channels == 3 || image.channels == 4),
                    "only 8-bit gray, RGB or RGBA images can be encoded");
        std::string ext(extension);
        if (!cv::haveImageWriter(ext)) return kinema::fail(KCV_ERR_UNSUPPORTED, "this OpenCV build cannot write " + ext);
        std::vector<int> params;
        if (quality >= 0) {
            if (ext == ".jpg" || ext == ".jpeg") params = {cv::IMWRITE_JPEG_QUALITY, quality};
            else if (ext == ".webp") params = {cv::IMWRITE_WEBP_QUALITY, quality};
            else if (ext == ".png") params = {cv::IMWRITE_PNG_COMPRESSION, quality};
        }
        std::vector<uchar> buffer;
        if (!cv::imencode(ext, toBGR(header(image)), buffer, params))
            return kinema::fail(KCV_ERR_UNSUPPORTED, "OpenCV could not encode the image as " + ext);
        cv::Mat bytes(1, static_cast<int>(buffer.size()), CV_8U);
        std::memcpy(bytes.data, buffer.data(), buffer.size());
        *out = give(bytes);
        return KCV_OK;
    })
}

int32_t kcv_image_resize(kcv_view image, int32_t width, int32_t height, kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(out, "NULL argument");
        KCV_REQUIRE_VIEW(image, "image");
        KCV_REQUIRE(width > 0 && height > 0, "the target size must be positive");
        *out = give(resized(header(image), cv::Size(width, height)));
        return KCV_OK;
    })
}

int32_t kcv_image_convert(kcv_view image, int32_t channels, kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(out, "NULL argument");
        KCV_REQUIRE_VIEW(image, "image");
        KCV_REQUIRE(image.depth == KCV_U8 && (image.channels == 1 || image.channels == 3 || image.channels == 4),
                    "only 8-bit gray, RGB or RGBA images can be converted");
        KCV_REQUIRE(channels == 1 || channels == 3 || channels == 4, "channels must be 1, 3 or 4");
        // Kinema's RGB(A) is OpenCV's BGR(A) with the first and third channels swapped; going
        // through BGR keeps one conversion table.
        *out = give(fromBGR(toBGR(header(image)), channels).clone());
        return KCV_OK;
    })
}

int32_t kcv_image_warp_perspective(kcv_view image, const double *h, bool inverse, int32_t width, int32_t height,
                                   kcv_view fill, kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(h && out, "NULL argument");
        KCV_REQUIRE_VIEW(image, "image");
        KCV_REQUIRE(width > 0 && height > 0, "the output size must be positive");
        cv::Mat H(3, 3, CV_64F, const_cast<double *>(h));
        cv::Mat src = header(image);
        int flags = cv::INTER_LINEAR | (inverse ? cv::WARP_INVERSE_MAP : 0);
        cv::Mat warped;
        if (!fill.data) {
            cv::warpPerspective(src, warped, H, cv::Size(width, height), flags, cv::BORDER_CONSTANT, cv::Scalar::all(0));
        } else {
            KCV_REQUIRE_VIEW(fill, "fill");
            KCV_REQUIRE(fill.width == width && fill.height == height && fill.channels == image.channels &&
                            fill.depth == image.depth,
                        "fill must have the output's size and the image's type");
            // Warping with BORDER_TRANSPARENT onto a copy of `fill` keeps fill wherever the source is missing.
            warped = header(fill).clone();
            cv::warpPerspective(src, warped, H, cv::Size(width, height), flags, cv::BORDER_TRANSPARENT);
        }
        *out = give(warped);
        return KCV_OK;
    })
}

int32_t kcv_image_warp_affine(kcv_view image, const double *m, int32_t interpolation, const uint8_t *fill,
                              kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(m && fill && out, "NULL argument");
        KCV_REQUIRE_VIEW(image, "image");
        KCV_REQUIRE(image.depth == KCV_U8, "only 8-bit images can be warped");
        KCV_REQUIRE(interpolation >= 0 && interpolation <= 2, "interpolation must be 0 (nearest), 1 (bilinear) or 2 (bicubic)");
        static const int modes[] = {cv::INTER_NEAREST, cv::INTER_LINEAR, cv::INTER_CUBIC};
        cv::Mat M(2, 3, CV_64F, const_cast<double *>(m));
        cv::Mat src = header(image);
        const int flags = cv::WARP_INVERSE_MAP;
        // PIL reads neighbours past the edge as the edge pixel (clamped coordinates) ...
        cv::Mat warped;
        cv::warpAffine(src, warped, M, src.size(), modes[interpolation] | flags, cv::BORDER_REPLICATE);
        // ... and fills a pixel whose source point rounds to outside the image: the pixels a
        // nearest-neighbour warp of an all-ones mask leaves at 0.
        cv::Mat inside;
        cv::warpAffine(cv::Mat(src.size(), CV_8U, cv::Scalar(1)), inside, M, src.size(), cv::INTER_NEAREST | flags,
                       cv::BORDER_CONSTANT, cv::Scalar(0));
        cv::Scalar value;
        for (int c = 0; c < std::min(image.channels, 4); ++c) value[c] = fill[c];
        warped.setTo(value, inside == 0);
        *out = give(warped);
        return KCV_OK;
    })
}

int32_t kcv_image_filter3x3(kcv_view image, const float *kernel, kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(kernel && out, "NULL argument");
        KCV_REQUIRE_VIEW(image, "image");
        KCV_REQUIRE(image.depth == KCV_U8, "only 8-bit images can be filtered");
        cv::Mat src = header(image);
        cv::Mat filtered = src.clone();
        if (src.rows > 2 && src.cols > 2) {
            // Only the interior is filtered (reading its true neighbours in the parent image): the
            // one-pixel frame keeps the input's values.
            cv::Mat interior = filtered(cv::Rect(1, 1, src.cols - 2, src.rows - 2));
            cv::filter2D(src(cv::Rect(1, 1, src.cols - 2, src.rows - 2)), interior, -1,
                         cv::Mat(3, 3, CV_32F, const_cast<float *>(kernel)), cv::Point(-1, -1), 0,
                         cv::BORDER_REPLICATE);
        }
        *out = give(filtered);
        return KCV_OK;
    })
}

int32_t kcv_image_remap_by_flow(kcv_view image, kcv_view flow, kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(out, "NULL argument");
        KCV_REQUIRE_VIEW(image, "image");
        KCV_REQUIRE_VIEW(flow, "flow");
        KCV_REQUIRE(flow.depth == KCV_F32 && flow.channels == 2, "flow must be F32 with 2 channels");
        KCV_REQUIRE(flow.width == image.width && flow.height == image.height, "flow and image sizes differ");
        cv::Mat map(flow.height, flow.width, CV_32FC2);
        cv::Mat f = header(flow);
        for (int y = 0; y < map.rows; ++y) {
            const cv::Vec2f *in = f.ptr<cv::Vec2f>(y);
            cv::Vec2f *m = map.ptr<cv::Vec2f>(y);
            for (int x = 0; x < map.cols; ++x) m[x] = cv::Vec2f(x + in[x][0], y + in[x][1]);
        }
        cv::Mat warped;
        cv::remap(header(image), warped, map, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        *out = give(warped);
        return KCV_OK;
    })
}

int32_t kcv_palette_indices(kcv_view rgb, const uint8_t *palette, int32_t n_colors, kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(palette && out, "NULL argument");
        KCV_REQUIRE_VIEW(rgb, "rgb");
        KCV_REQUIRE(rgb.depth == KCV_U8 && rgb.channels == 3, "the image must be 8-bit RGB");
        KCV_REQUIRE(n_colors >= 1 && n_colors <= 256, "the palette needs 1...256 colours");
        std::vector<int16_t> cache(32 * 32 * 32, -1);
        auto nearest = [&](int r, int g, int b) {
            int best = 0, bestDistance = INT32_MAX;
            for (int i = 0; i < n_colors; ++i) {
                int dr = palette[3 * i] - r, dg = palette[3 * i + 1] - g, db = palette[3 * i + 2] - b;
                int d = dr * dr + dg * dg + db * db;
                if (d < bestDistance) { best = i; bestDistance = d; }
            }
            return static_cast<int16_t>(best);
        };
        cv::Mat indices(rgb.height, rgb.width, CV_8U);
        const uint8_t *p = static_cast<const uint8_t *>(rgb.data);
        uint8_t *o = indices.data;
        for (size_t i = 0, n = size_t(rgb.width) * rgb.height; i < n; ++i, p += 3) {
            int key = (p[0] >> 3) << 10 | (p[1] >> 3) << 5 | (p[2] >> 3);
            if (cache[key] < 0) cache[key] = nearest(p[0], p[1], p[2]);
            o[i] = static_cast<uint8_t>(cache[key]);
        }
        *out = give(indices);
        return KCV_OK;
    })
}

int32_t kcv_draw_tracks(void *rgb, int32_t width, int32_t height, const float *points, int32_t n_tracks,
                        int32_t n_points, const int32_t *lengths, const uint8_t *colors, float fade,
                        int32_t thickness) {
    KINEMA_GUARD({
        KCV_REQUIRE(rgb && (n_tracks == 0 || (points && lengths && colors)), "NULL argument");
        KCV_REQUIRE(width > 0 && height > 0 && n_tracks >= 0 && n_points >= 1, "bad sizes");
        KCV_REQUIRE(thickness >= 1, "thickness must be at least 1");
        cv::Mat canvas(height, width, CV_8UC3, rgb);
        // Sub-pixel drawing: coordinates in 1/16 px.
        const int shift = 4;
        const float scale = 1 << shift;
        auto at = [&](int t, int k) {
            const float *p = points + (static_cast<size_t>(t) * n_points + k) * 2;
            return cv::Point(cvRound(p[0] * scale), cvRound(p[1] * scale));
        };
        for (int t = 0; t < n_tracks; ++t) {
            int n = std::min(lengths[t], n_points);
            if (n <= 0) continue;
            const uint8_t *c = colors + t * 3;
            for (int k = 1; k < n; ++k) {
                // Older segments are dimmer: brightness runs from `fade` to 1 along the track.
                float w = n > 1 ? fade + (1.0f - fade) * float(k) / float(n - 1) : 1.0f;
                cv::line(canvas, at(t, k - 1), at(t, k), cv::Scalar(c[0] * w, c[1] * w, c[2] * w), thickness,
                         cv::LINE_AA, shift);
            }
            cv::circle(canvas, at(t, n - 1), thickness * (1 << shift), cv::Scalar(c[0], c[1], c[2]), cv::FILLED,
                       cv::LINE_AA, shift);
        }
        return KCV_OK;
    })
}

}  // extern "C"
