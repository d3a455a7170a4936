// Video files through OpenCV's FFmpeg backend: reading (sequential, skipping, seeking) and writing.
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cstring>

#include "common.hpp"

struct kcv_capture {
    std::string path;
    cv::VideoCapture capture;
    cv::Mat pending;     // a decoded frame not yet returned (the first frame after open)
    int64_t next = 0;    // index of the frame the next read returns
};

struct kcv_writer {
    cv::VideoWriter writer;
    cv::Size size;
};

namespace {

using namespace kinema::cv_shim;

// Forward gaps up to this many frames are decoded through rather than sought: cheaper than a seek
// to the previous keyframe and always frame-exact.
constexpr int64_t kMaxForwardDecode = 48;

bool openCapture(kcv_capture &c) {
    c.capture.open(c.path, cv::CAP_FFMPEG);
    c.next = 0;
    c.pending.release();
    return c.capture.isOpened();
}

// Reads the next frame in OpenCV's BGR order (empty at the end of the stream).
cv::Mat nextFrame(kcv_capture &c) {
    cv::Mat frame;
    if (!c.pending.empty()) {
        frame = c.pending;
        c.pending.release();
    } else if (!c.capture.read(frame)) {
        return {};
    }
    ++c.next;
    return frame;
}

int64_t skipFrames(kcv_capture &c, int64_t count) {
    int64_t done = 0;
    if (count > 0 && !c.pending.empty()) {
        c.pending.release();
        ++c.next;
        ++done;
    }
    while (done < count && c.capture.grab()) {
        ++c.next;
        ++done;
    }
    return done;
}

void fourccText(double code, char out[8]) {
    std::memset(out, 0, 8);
    auto v = static_cast<uint32_t>(code);
    for (int i = 0; i < 4; ++i) {
        char ch = static_cast<char>((v >> (8 * i)) & 0xFF);
        out[i] = (ch >= 32 && ch < 127) ? ch : 0;
        if (!out[i]) break;
    }
}

}  // namespace

extern "C" {

int32_t kcv_capture_open(const char *path, kcv_capture **out, kcv_video_info *info) {
    KINEMA_GUARD({
        KCV_REQUIRE(path && out && info, "NULL argument");
        auto c = std::make_unique<kcv_capture>();
        c->path = path;
        if (!openCapture(*c))
            return kinema::fail(KCV_ERR_DECODE, "FFmpeg cannot open it as a video: not a container it reads, a codec "
                                                 "this build cannot decode, or corrupt data");
        info->width = static_cast<int32_t>(c->capture.get(cv::CAP_PROP_FRAME_WIDTH));
        info->height = static_cast<int32_t>(c->capture.get(cv::CAP_PROP_FRAME_HEIGHT));
        info->fps = c->capture.get(cv::CAP_PROP_FPS);
        info->frame_count = static_cast<int64_t>(c->capture.get(cv::CAP_PROP_FRAME_COUNT));
        fourccText(c->capture.get(cv::CAP_PROP_FOURCC), info->codec);
        if (!c->capture.read(c->pending) || c->pending.empty()) {
            if (info->frame_count <= 0) return kinema::fail(KCV_ERR_EMPTY, "the video declares no frames and none decodes");
            return kinema::fail(KCV_ERR_DECODE, std::string("no frame decodes (codec '") + info->codec +
                                                    "' unsupported by this FFmpeg, or the stream is corrupt)");
        }
        // Containers without a size in their header report 0: the decoded frame knows.
        info->width = c->pending.cols;
        info->height = c->pending.rows;
        *out = c.release();
        return KCV_OK;
    })
}

int32_t kcv_capture_read(kcv_capture *c, int32_t width, int32_t height, int32_t channels, kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(c && out, "NULL argument");
        KCV_REQUIRE(channels == 1 || channels == 3, "channels must be 1 or 3");
        KCV_REQUIRE(width >= 0 && height >= 0 && (width == 0) == (height == 0), "bad target size");
        *out = nullptr;
        cv::Mat frame = nextFrame(*c);
        if (frame.empty()) return KCV_OK;
        if (width > 0 && (width != frame.cols || height != frame.rows)) frame = resized(frame, cv::Size(width, height));
        cv::Mat converted = fromBGR(frame, channels);
        // A gray frame asked for as gray comes back as the decoder's buffer: copy only then.
        *out = give(converted.data == frame.data ? converted.clone() : converted);
        return KCV_OK;
    })
}

int32_t kcv_capture_skip(kcv_capture *c, int64_t count, int64_t *skipped) {
    KINEMA_GUARD({
        KCV_REQUIRE(c && skipped && count >= 0, "NULL argument or negative count");
        *skipped = skipFrames(*c, count);
        return KCV_OK;
    })
}

int32_t kcv_capture_seek(kcv_capture *c, int64_t index, bool decode_through) {
    KINEMA_GUARD({
        KCV_REQUIRE(c && index >= 0, "NULL argument or negative index");
        if (index == c->next) return KCV_OK;
        const bool forward = index > c->next;
        if (forward && (decode_through || index - c->next <= kMaxForwardDecode)) {
            skipFrames(*c, index - c->next);
            return KCV_OK;
        }
        // FFmpeg's seek lands on a keyframe and decodes forward to the frame whose timestamp
        // matches; when the backend reports another position, fall back to decoding through.
        if (!decode_through) {
            c->pending.release();
            if (c->capture.set(cv::CAP_PROP_POS_FRAMES, static_cast<double>(index)) &&
                static_cast<int64_t>(c->capture.get(cv::CAP_PROP_POS_FRAMES)) == index) {
                c->next = index;
                return KCV_OK;
            }
        }
        if (!openCapture(*c)) return kinema::fail(KCV_ERR_IO, "the video could not be reopened to seek");
        skipFrames(*c, index);
        return KCV_OK;
    })
}

int32_t kcv_capture_position(const kcv_capture *c, int64_t *index) {
    KINEMA_GUARD({
        KCV_REQUIRE(c && index, "NULL argument");
        *index = c->next;
        return KCV_OK;
    })
}

void kcv_capture_free(kcv_capture *c) { delete c; }

int32_t kcv_writer_open(const char *path, const char *fourcc, double fps, int32_t width, int32_t height,
                        kcv_writer **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(path && fourcc && out, "NULL argument");
        KCV_REQUIRE(std::strlen(fourcc) == 4, "the FourCC must have 4 characters");
        KCV_REQUIRE(width > 0 && height > 0 && fps > 0, "size and fps must be positive");
        auto w = std::make_unique<kcv_writer>();
        w->size = cv::Size(width, height);
        int code = cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]);
        if (!w->writer.open(path, cv::CAP_FFMPEG, code, fps, w->size, true))
            return kinema::fail(KCV_ERR_UNSUPPORTED, std::string("FFmpeg cannot write '") + fourcc +
                                                         "' to this file (codec missing, or the folder is not writable)");
        *out = w.release();
        return KCV_OK;
    })
}

int32_t kcv_writer_write(kcv_writer *w, kcv_view frame) {
    KINEMA_GUARD({
        KCV_REQUIRE(w, "NULL argument");
        KCV_REQUIRE_VIEW(frame, "frame");
        KCV_REQUIRE(frame.depth == KCV_U8 && frame.channels != 2 && frame.channels <= 4, "frames must be 8-bit gray/RGB/RGBA");
        KCV_REQUIRE(frame.width == w->size.width && frame.height == w->size.height, "the frame size differs from the video's");
        static const int toBGR3[5] = {-1, cv::COLOR_GRAY2BGR, -1, cv::COLOR_RGB2BGR, cv::COLOR_RGBA2BGR};
        cv::Mat bgr;
        cv::cvtColor(header(frame), bgr, toBGR3[frame.channels]);
        w->writer.write(bgr);
        return KCV_OK;
    })
}

int32_t kcv_writer_close(kcv_writer *w) {
    KINEMA_GUARD({
        KCV_REQUIRE(w, "NULL argument");
        w->writer.release();
        return KCV_OK;
    })
}

void kcv_writer_free(kcv_writer *w) { delete w; }

}  // extern "C"
