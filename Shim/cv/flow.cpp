// Dense optical flow (DIS, Farnebäck, TV-L1) and the flow-field utilities around it.
#include <opencv2/imgproc.hpp>
#include <opencv2/optflow.hpp>
#include <opencv2/video/tracking.hpp>

#include <cmath>

#include "common.hpp"

struct kcv_flow {
    cv::Ptr<cv::DenseOpticalFlow> engine;
};

namespace {

using namespace kinema::cv_shim;

// Baker et al. (2011), "A Database and Evaluation Methodology for Optical Flow", colour wheel: six
// hue ramps with 15, 6, 4, 11, 13 and 6 steps (red→yellow→green→cyan→blue→magenta→red), chosen so
// that perceptually similar hue differences get similar numbers of steps.
std::vector<cv::Vec3f> middleburyWheel() {
    const int ramps[6] = {15, 6, 4, 11, 13, 6};
    std::vector<cv::Vec3f> wheel;
    // Each ramp: which RGB channel is held at 255, which one moves, and in which direction.
    const int fixed[6] = {0, 1, 1, 2, 2, 0};
    const int moving[6] = {1, 0, 2, 1, 0, 2};
    const bool rising[6] = {true, false, true, false, true, false};
    for (int r = 0; r < 6; ++r) {
        for (int i = 0; i < ramps[r]; ++i) {
            cv::Vec3f c(0, 0, 0);
            c[fixed[r]] = 255;
            float step = std::floor(255.0f * i / ramps[r]);
            c[moving[r]] = rising[r] ? step : 255 - step;
            wheel.push_back(c);
        }
    }
    return wheel;
}

bool unknownFlow(float u, float v) {
    return std::isnan(u) || std::isnan(v) || std::fabs(u) > 1e9f || std::fabs(v) > 1e9f;
}

int32_t requireFlow(const kcv_view &flow) {
    KCV_REQUIRE_VIEW(flow, "flow");
    KCV_REQUIRE(flow.depth == KCV_F32 && flow.channels == 2, "flow must be F32 with 2 channels");
    return KCV_OK;
}

// Lends OpenCV the caller's buffer for a matrix of exactly its size, so an estimator's output is
// created in the caller's memory with nothing to copy afterwards. The output has to start empty
// rather than wrap the buffer: DIS takes a pre-sized output as an initial flow.
class BorrowedAllocator : public cv::MatAllocator {
   public:
    BorrowedAllocator(void *data, size_t bytes) : data_(static_cast<uchar *>(data)), bytes_(bytes) {}

    cv::UMatData *allocate(int dims, const int *sizes, int type, void *data, size_t *step, cv::AccessFlag flags,
                           cv::UMatUsageFlags usage) const override {
        size_t total = CV_ELEM_SIZE(type);
        for (int i = dims - 1; i >= 0; --i) {
            step[i] = total;
            total *= size_t(sizes[i]);
        }
        if (data || total != bytes_) return cv::Mat::getDefaultAllocator()->allocate(dims, sizes, type, data, step, flags, usage);
        auto *u = new cv::UMatData(this);
        u->data = u->origdata = data_;
        u->size = total;
        return u;
    }
    bool allocate(cv::UMatData *u, cv::AccessFlag, cv::UMatUsageFlags) const override { return u != nullptr; }
    void deallocate(cv::UMatData *u) const override { delete u; }  // the buffer stays the caller's

   private:
    uchar *data_;
    size_t bytes_;
};

int32_t requireImage8(const kcv_view &image, const char *name) {
    KCV_REQUIRE_VIEW(image, name);
    KCV_REQUIRE(image.depth == KCV_U8 && image.channels != 2 && image.channels <= 4,
                "frames must be 8-bit gray, RGB or RGBA");
    return KCV_OK;
}

}  // namespace

extern "C" {

int32_t kcv_flow_create_dis(const kcv_dis_params *p, kcv_flow **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(p && out, "NULL argument");
        KCV_REQUIRE(p->preset >= 0 && p->preset <= 2, "DIS preset must be 0 (ultrafast), 1 (fast) or 2 (medium)");
        static const int presets[3] = {cv::DISOpticalFlow::PRESET_ULTRAFAST, cv::DISOpticalFlow::PRESET_FAST,
                                       cv::DISOpticalFlow::PRESET_MEDIUM};
        auto dis = cv::DISOpticalFlow::create(presets[p->preset]);
        if (p->finest_scale >= 0) dis->setFinestScale(p->finest_scale);
        if (p->patch_size >= 0) dis->setPatchSize(p->patch_size);
        if (p->patch_stride >= 0) dis->setPatchStride(p->patch_stride);
        if (p->gradient_descent_iterations >= 0) dis->setGradientDescentIterations(p->gradient_descent_iterations);
        if (p->variational_iterations >= 0) dis->setVariationalRefinementIterations(p->variational_iterations);
        if (p->alpha >= 0) dis->setVariationalRefinementAlpha(p->alpha);
        if (p->delta >= 0) dis->setVariationalRefinementDelta(p->delta);
        if (p->gamma >= 0) dis->setVariationalRefinementGamma(p->gamma);
        if (p->use_mean_normalization >= 0) dis->setUseMeanNormalization(p->use_mean_normalization != 0);
        if (p->use_spatial_propagation >= 0) dis->setUseSpatialPropagation(p->use_spatial_propagation != 0);
        KCV_REQUIRE(dis->getPatchStride() >= 1 && dis->getPatchStride() <= dis->getPatchSize(),
                    "DIS patch stride must be in 1...patch size");
        *out = new kcv_flow{dis};
        return KCV_OK;
    })
}

int32_t kcv_flow_create_farneback(const kcv_farneback_params *p, kcv_flow **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(p && out, "NULL argument");
        KCV_REQUIRE(p->levels >= 1 && p->pyramid_scale > 0 && p->pyramid_scale < 1, "levels >= 1, 0 < scale < 1");
        KCV_REQUIRE(p->window_size >= 1 && p->iterations >= 1, "window size and iterations must be positive");
        KCV_REQUIRE(p->poly_n == 5 || p->poly_n == 7, "poly_n must be 5 or 7");
        int flags = p->gaussian_window ? cv::OPTFLOW_FARNEBACK_GAUSSIAN : 0;
        *out = new kcv_flow{cv::FarnebackOpticalFlow::create(p->levels, p->pyramid_scale, p->fast_pyramids,
                                                             p->window_size, p->iterations, p->poly_n, p->poly_sigma,
                                                             flags)};
        return KCV_OK;
    })
}

int32_t kcv_flow_create_tvl1(const kcv_tvl1_params *p, kcv_flow **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(p && out, "NULL argument");
        KCV_REQUIRE(p->scales >= 1 && p->warps >= 1 && p->inner_iterations >= 1 && p->outer_iterations >= 1,
                    "scales, warps and iteration counts must be positive");
        KCV_REQUIRE(p->scale_step > 0 && p->scale_step < 1 && p->tau > 0 && p->epsilon > 0,
                    "0 < scale step < 1, tau and epsilon positive");
        KCV_REQUIRE(p->median_filtering >= 0, "median filtering must not be negative");
        *out = new kcv_flow{cv::optflow::DualTVL1OpticalFlow::create(
            p->tau, p->lambda, p->theta, p->scales, p->warps, p->epsilon, p->inner_iterations, p->outer_iterations,
            p->scale_step, p->gamma, p->median_filtering, false)};
        return KCV_OK;
    })
}

int32_t kcv_flow_compute(kcv_flow *f, kcv_view from, kcv_view to, float *out) {
    KINEMA_GUARD({
        KCV_REQUIRE(f && out, "NULL argument");
        if (int32_t s = requireImage8(from, "from")) return s;
        if (int32_t s = requireImage8(to, "to")) return s;
        KCV_REQUIRE(from.width == to.width && from.height == to.height, "the two frames differ in size");
        BorrowedAllocator allocator(out, size_t(from.width) * from.height * 2 * sizeof(float));
        cv::Mat flow;
        flow.allocator = &allocator;
        f->engine->calc(toGray(header(from)), toGray(header(to)), flow);
        cv::Mat caller(from.height, from.width, CV_32FC2, out);
        if (flow.data != caller.data) flow.copyTo(caller);  // an estimator that made its output elsewhere
        return KCV_OK;
    })
}

void kcv_flow_free(kcv_flow *f) { delete f; }

int32_t kcv_flow_median3(kcv_view flow, kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(out, "NULL argument");
        if (int32_t s = requireFlow(flow)) return s;
        std::vector<cv::Mat> planes;
        cv::split(header(flow), planes);
        for (auto &p : planes) cv::medianBlur(p, p, 3);
        cv::Mat merged;
        cv::merge(planes, merged);
        *out = give(merged);
        return KCV_OK;
    })
}

int32_t kcv_flow_quantize(kcv_view flow, float bound, kcv_mat **x, kcv_mat **y) {
    KINEMA_GUARD({
        KCV_REQUIRE(x && y, "NULL argument");
        if (int32_t s = requireFlow(flow)) return s;
        KCV_REQUIRE(bound > 0, "the bound must be positive");
        cv::Mat f = header(flow);
        cv::Mat qx(f.rows, f.cols, CV_8U), qy(f.rows, f.cols, CV_8U);
        const double scale = 255.0 / (2.0 * bound);
        auto code = [&](float value) {
            double clamped = std::min(std::max(double(value), -double(bound)), double(bound));
            return cv::saturate_cast<uchar>(cvRound((clamped + bound) * scale));
        };
        for (int r = 0; r < f.rows; ++r) {
            const cv::Vec2f *in = f.ptr<cv::Vec2f>(r);
            uchar *ox = qx.ptr<uchar>(r), *oy = qy.ptr<uchar>(r);
            for (int c = 0; c < f.cols; ++c) {
                ox[c] = code(in[c][0]);
                oy[c] = code(in[c][1]);
            }
        }
        giveBoth(std::move(qx), std::move(qy), x, y);
        return KCV_OK;
    })
}

int32_t kcv_flow_colorize(kcv_view flow, float max_radius, kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(out, "NULL argument");
        if (int32_t s = requireFlow(flow)) return s;
        static const std::vector<cv::Vec3f> wheel = middleburyWheel();
        const int ncols = static_cast<int>(wheel.size());
        cv::Mat f = header(flow);
        float radius = max_radius;
        if (radius <= 0) {
            radius = 0;
            for (int r = 0; r < f.rows; ++r)
                for (int c = 0; c < f.cols; ++c) {
                    cv::Vec2f v = f.at<cv::Vec2f>(r, c);
                    if (!unknownFlow(v[0], v[1])) radius = std::max(radius, std::hypot(v[0], v[1]));
                }
            if (radius <= 0) radius = 1;  // an all-zero field renders white
        }
        cv::Mat rgb(f.rows, f.cols, CV_8UC3);
        for (int r = 0; r < f.rows; ++r) {
            const cv::Vec2f *in = f.ptr<cv::Vec2f>(r);
            cv::Vec3b *o = rgb.ptr<cv::Vec3b>(r);
            for (int c = 0; c < f.cols; ++c) {
                float u = in[c][0], v = in[c][1];
                if (unknownFlow(u, v)) {
                    o[c] = cv::Vec3b(0, 0, 0);
                    continue;
                }
                u /= radius;
                v /= radius;
                float rad = std::sqrt(u * u + v * v);
                // Direction → position on the wheel; the two neighbouring wheel colours are blended.
                float a = std::atan2(-v, -u) / float(CV_PI);
                float fk = (a + 1.0f) / 2.0f * (ncols - 1);
                int k0 = static_cast<int>(fk);
                int k1 = (k0 + 1) % ncols;
                float frac = fk - k0;
                for (int ch = 0; ch < 3; ++ch) {
                    float col = ((1 - frac) * wheel[k0][ch] + frac * wheel[k1][ch]) / 255.0f;
                    // Magnitude → saturation (white at zero); beyond the radius the colour is darkened.
                    col = rad <= 1 ? 1 - rad * (1 - col) : col * 0.75f;
                    o[c][ch] = static_cast<uchar>(255.0f * col);
                }
            }
        }
        *out = give(rgb);
        return KCV_OK;
    })
}

}  // extern "C"
