// Orientation histograms: scikit-image-compatible HOG, per-channel cell HOG (MME/MaskFeat targets)
// and iDT's integral orientation histograms (HOG/HOF/MBH along trajectories).
#include <opencv2/core/hal/intrin.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "common.hpp"

namespace {

using namespace kinema::cv_shim;

// numpy's float remainder (`x % 180`): the result takes the divisor's sign, and -0.0 becomes +0.0.
double pyRemainder(double x, double m) {
    double r = std::fmod(x, m);
    if (r != 0 && ((r < 0) != (m < 0))) r += m;
    if (r == 0) r = std::copysign(0.0, m);
    return r;
}

// scikit-image's orientation binning: a pixel with gradient (g_row, g_col) falls in bin i when
// `arctan2(g_row, g_col)·(180/π) % 180` (float64) lies in [180/n·i, 180/n·(i+1)); one that rounds
// to 180.0 falls in none. An atan2 per pixel dominated the cost, so the bin is read off a float32
// polynomial arctangent, four pixels at a time, and only an orientation within kMargin degrees of
// a bin edge (0° and 180° included) takes the exact path: the approximation's error (below 1e-3°
// with float32 rounding) is far below the margin, so the bin is always the exact one.
class OrientationBins {
   public:
    // approximate()'s mark for "decide with exact()".
    static constexpr int kExact = -2;

    explicit OrientationBins(int n) : n_(n), lower_(n), upper_(n) {
        const double per180 = 180.0 / n;
        for (int i = 0; i < n; ++i) {
            lower_[i] = per180 * i;
            upper_[i] = per180 * (i + 1);
        }
        horizontal_[0] = atan2Bin(0.0, 1.0);
        horizontal_[1] = atan2Bin(0.0, -1.0);
        vertical_[0] = atan2Bin(1.0, 0.0);
        vertical_[1] = atan2Bin(-1.0, 0.0);
        perDegree_ = static_cast<float>(n / 180.0);
        margin_ = static_cast<float>(kMargin / per180);
    }

    // bins[i] = the bin of gradient i, or kExact. `count` is rounded up to a multiple of 4: the
    // arrays must hold that many entries.
    void approximate(const float *gRow, const float *gCol, int count, int *bins) const {
        using namespace cv;
        // atan(z) ≈ z·P(z²) on [-1, 1], a least-squares-minimax fit in degrees whose largest error
        // is 6.6e-4° (measured on a 2·10⁶-point grid), 15 times below the margin.
        const float toDegrees = static_cast<float>(180.0 / M_PI);
        const v_float32x4 a0 = v_setall_f32(0.99986633f * toDegrees), a1 = v_setall_f32(-0.33030479f * toDegrees),
                          a2 = v_setall_f32(0.18015922f * toDegrees), a3 = v_setall_f32(-0.08515617f * toDegrees),
                          a4 = v_setall_f32(0.02084501f * toDegrees);
        const v_float32x4 deg45 = v_setall_f32(45.0f), deg90 = v_setall_f32(90.0f), perDegree = v_setall_f32(perDegree_);
        const v_float32x4 low = v_setall_f32(margin_), high = v_setall_f32(1.0f - margin_);
        const v_float32x4 signBit = v_reinterpret_as_f32(v_setall_s32(INT32_MIN));
        const v_int32x4 n = v_setall_s32(n_), exact = v_setall_s32(kExact);
        for (int i = 0; i < count; i += 4) {
            const v_float32x4 r = v_load(gRow + i), c = v_load(gCol + i);
            // The direction of (|g_col|, |g_row|) in [0°, 90°] is 45° + atan((y − x) / (y + x)); it
            // becomes 180° minus that when the signs differ (90° + (d − 90°) with the sign flipped).
            const v_float32x4 x = v_abs(c), y = v_abs(r);
            const v_float32x4 z = (y - x) / (y + x), z2 = z * z;
            const v_float32x4 folded = deg45 + z * (a0 + z2 * (a1 + z2 * (a2 + z2 * (a3 + z2 * a4))));
            const v_float32x4 position = (deg90 + ((folded - deg90) ^ ((r ^ c) & signBit))) * perDegree;
            const v_int32x4 bin = v_trunc(position);
            const v_float32x4 fraction = position - v_cvt_f32(bin);
            // NaN (a zero gradient) fails these tests too.
            const v_int32x4 clear = v_reinterpret_as_s32((fraction >= low) & (fraction <= high)) & (bin < n);
            v_store(bins + i, v_select(clear, bin, exact));
        }
    }

    // The bin from atan2 itself, or -1 for none. Axis-aligned gradients are common (5–10 % of a
    // video frame's pixels each) and sit on or near the 0°/180° edge, so their bins are computed
    // once: atan2 depends only on the signs there.
    int exact(double gRow, double gCol) const {
        if (gRow == 0) return gCol < 0 ? horizontal_[1] : horizontal_[0];
        if (gCol == 0) return gRow < 0 ? vertical_[1] : vertical_[0];
        return atan2Bin(gRow, gCol);
    }

   private:
    static constexpr double kMargin = 0.01;

    int atan2Bin(double gRow, double gCol) const {
        const double orientation = pyRemainder(std::atan2(gRow, gCol) * (180.0 / M_PI), 180.0);
        for (int i = 0; i < n_; ++i)
            if (orientation < upper_[i] && orientation >= lower_[i]) return i;
        return -1;
    }

    int n_;
    std::vector<double> lower_, upper_;
    int horizontal_[2], vertical_[2];  // (+0, +1), (+0, −1); (+1, 0), (−1, 0)
    float perDegree_, margin_;
};

// numpy's `np.hypot` (libm's hypot) of integer gradients |g| ≤ 255. sqrt(g_col² + g_row²) of the
// exact integer sum is the correctly rounded magnitude, but glibc's hypot is not correctly rounded
// (it differs in the last bit for ~0.5 % of these pairs), so the pairs where it differs are found
// once and recomputed with hypot itself. hypot is even in both arguments, so |g| indexes the table.
class IntegerHypot {
   public:
    static const IntegerHypot &shared() {
        static const IntegerHypot table;
        return table;
    }

    double operator()(int gCol, int gRow) const {
        const int a = std::abs(gCol), b = std::abs(gRow);
        const int index = (a << 8) | b;
        if (differs_[index >> 6] >> (index & 63) & 1) return std::hypot(double(gCol), double(gRow));
        return std::sqrt(double(a * a + b * b));
    }

   private:
    IntegerHypot() : differs_(256 * 256 / 64, 0) {
        for (int a = 0; a < 256; ++a)
            for (int b = 0; b < 256; ++b)
                if (std::hypot(double(a), double(b)) != std::sqrt(double(a * a + b * b))) {
                    const int index = (a << 8) | b;
                    differs_[index >> 6] |= uint64_t(1) << (index & 63);
                }
    }

    std::vector<uint64_t> differs_;
};

// One image row of the strongest channel's gradients, for the columns the cells cover: the exact
// values (int for 8-bit input, double for √input), float copies for OrientationBins::approximate
// (exact for ints; 1e-7 relative for √input, far inside the margin) and the bins found.
template <typename Gradient>
struct RowGradients {
    std::vector<Gradient> row, col;
    std::vector<float> rowF, colF;
    std::vector<int> bin;
    // Rounded up to whole SIMD groups; the padding stays zero.
    explicit RowGradients(int used)
        : row(used), col(used), rowF(padded(used)), colF(padded(used)), bin(padded(used)) {}
    static int padded(int n) { return (n + 3) / 4 * 4; }
};

// skimage's `_hog_channel_gradient` (central differences, zero on the border rows and columns) per
// channel, keeping at each pixel the channel of largest magnitude (`argmax` of
// `np.hypot(g_row, g_col)`: the first channel on ties).
//
// 8-bit input: every gradient is an integer in [-255, 255], so the channel with the largest
// magnitude is the one with the largest g_row² + g_col² (exact): distinct sums are ≥ 1e-3 apart
// after the square root, far beyond hypot's last-bit error. Only an exact tie between different
// gradients needs hypot to decide the way numpy's argmax does.
struct IntegerGradient {
    int row, col, square;
};

inline void keepStronger(IntegerGradient &best, const IntegerGradient &g) {
    if (g.square == best.square && (g.row != best.row || g.col != best.col)) {
        if (std::hypot(double(g.row), double(g.col)) > std::hypot(double(best.row), double(best.col))) best = g;
        return;
    }
    const bool stronger = g.square > best.square;  // selects, not a branch: channels win at random
    best.row = stronger ? g.row : best.row;
    best.col = stronger ? g.col : best.col;
    best.square = stronger ? g.square : best.square;
}

// FixedC: the channel count when known at compile time (1 and 3 are the common ones), 0 otherwise.
template <int FixedC>
void integerRowGradients(const cv::Mat &image, int r, RowGradients<int> &g) {
    const int cols = image.cols, C = FixedC ? FixedC : image.channels(), used = static_cast<int>(g.row.size());
    const uchar *p = image.ptr<uchar>(r);
    const bool rowBorder = r == 0 || r + 1 == image.rows;
    // On a border row above = below = this row, so g_row is 0; on a border column left = right.
    const uchar *above = rowBorder ? p : image.ptr<uchar>(r - 1), *below = rowBorder ? p : image.ptr<uchar>(r + 1);
    for (int c = 0; c < used; ++c) {
        const bool inside = c > 0 && c + 1 < cols;
        const uchar *left = p + (inside ? c - 1 : c) * C, *right = p + (inside ? c + 1 : c) * C;
        const int i = c * C;
        auto gradient = [&](int ch) {
            const int gr = below[i + ch] - above[i + ch], gc = right[ch] - left[ch];
            return IntegerGradient{gr, gc, gr * gr + gc * gc};
        };
        IntegerGradient best = gradient(0);
        for (int ch = 1; ch < C; ++ch) keepStronger(best, gradient(ch));
        g.row[c] = best.row;
        g.col[c] = best.col;
        g.rowF[c] = static_cast<float>(best.row);
        g.colF[c] = static_cast<float>(best.col);
    }
}

void rowGradients(const cv::Mat &image, int r, RowGradients<int> &g) {
    switch (image.channels()) {
        case 1: return integerRowGradients<1>(image, r, g);
        case 3: return integerRowGradients<3>(image, r, g);
        default: return integerRowGradients<0>(image, r, g);
    }
}

// transform_sqrt: gradients of √pixel (float64), channels compared by hypot as numpy does.
void rowGradients(const cv::Mat &image, int r, const double root[256], RowGradients<double> &g) {
    const int cols = image.cols, C = image.channels(), used = static_cast<int>(g.row.size());
    const uchar *p = image.ptr<uchar>(r);
    const bool rowBorder = r == 0 || r + 1 == image.rows;
    const uchar *above = rowBorder ? p : image.ptr<uchar>(r - 1), *below = rowBorder ? p : image.ptr<uchar>(r + 1);
    for (int c = 0; c < used; ++c) {
        const bool colBorder = c == 0 || c + 1 == cols;
        double bestRow = 0, bestCol = 0, best = 0;
        for (int ch = 0; ch < C; ++ch) {
            const int i = c * C + ch;
            const double gr = rowBorder ? 0.0 : root[below[i]] - root[above[i]];
            const double gc = colBorder ? 0.0 : root[p[i + C]] - root[p[i - C]];
            const double magnitude = C > 1 ? std::hypot(gr, gc) : 0.0;
            if (ch == 0 || magnitude > best) {
                best = magnitude;
                bestRow = gr;
                bestCol = gc;
            }
        }
        g.row[c] = bestRow;
        g.col[c] = bestCol;
        g.rowF[c] = static_cast<float>(bestRow);
        g.colF[c] = static_cast<float>(bestCol);
    }
}

// Step 3 for one image row: each pixel's magnitude into its orientation bin of its cell's float32
// totals (scikit-image sums in float32, row-major within a cell, which a row-by-row sweep keeps).
template <typename Gradient, typename Magnitude>
void accumulateRow(RowGradients<Gradient> &g, int cellCols, const OrientationBins &bins, int orientations,
                   const Magnitude &magnitudeOf, float *totals) {
    const int used = static_cast<int>(g.row.size());
    bins.approximate(g.rowF.data(), g.colF.data(), used, g.bin.data());
    for (int start = 0; start < used; start += cellCols, totals += orientations) {
        for (int c = start; c < start + cellCols; ++c) {
            const Gradient gr = g.row[c], gc = g.col[c];
            if (gr == 0 && gc == 0) continue;  // adds nothing to any bin
            const int bin = g.bin[c] == OrientationBins::kExact ? bins.exact(gr, gc) : g.bin[c];
            if (bin >= 0) totals[bin] += magnitudeOf(gc, gr);
        }
    }
}

// b[k] = op(b[k]) for every k, two lanes at a time: the lanes do the same IEEE operations as
// scalar code would, so the results are the same.
template <typename Op>
void transform(double *b, int size, const Op &op) {
    int k = 0;
    for (; k + 2 <= size; k += 2) cv::v_store(b + k, op(cv::v_load(b + k)));
    if (k < size) b[k] = op(cv::v_setall_f64(b[k])).get0();
}

// scikit-image's `_hog_normalize_block` (eps = 1e-5), with its sums taken in order.
void normalizeBlock(double *b, int size, int32_t method) {
    using cv::v_float64x2;
    const double eps = 1e-5;
    double sumAbs = 0, sumSq = 0;
    for (int k = 0; k < size; ++k) {
        sumAbs += std::fabs(b[k]);
        sumSq += b[k] * b[k];
    }
    switch (method) {
        case 0: {
            const v_float64x2 l1 = cv::v_setall_f64(sumAbs + eps);
            transform(b, size, [&](v_float64x2 v) { return v / l1; });
            break;
        }
        case 1: {
            const v_float64x2 l1 = cv::v_setall_f64(sumAbs + eps);
            transform(b, size, [&](v_float64x2 v) { return cv::v_sqrt(v / l1); });
            break;
        }
        case 2: {
            const v_float64x2 l2 = cv::v_setall_f64(std::sqrt(sumSq + eps * eps));
            transform(b, size, [&](v_float64x2 v) { return v / l2; });
            break;
        }
        default: {  // L2-Hys: L2, clip at 0.2, L2 again
            const v_float64x2 l2 = cv::v_setall_f64(std::sqrt(sumSq + eps * eps)), clip = cv::v_setall_f64(0.2);
            transform(b, size, [&](v_float64x2 v) { return cv::v_min(v / l2, clip); });
            double again = 0;
            for (int k = 0; k < size; ++k) again += b[k] * b[k];
            const v_float64x2 l2Again = cv::v_setall_f64(std::sqrt(again + eps * eps));
            transform(b, size, [&](v_float64x2 v) { return v / l2Again; });
        }
    }
}

}  // namespace

extern "C" {

int32_t kcv_gradients(kcv_view image, int32_t kernel, kcv_mat **gx, kcv_mat **gy) {
    KINEMA_GUARD({
        KCV_REQUIRE(gx && gy, "NULL argument");
        KCV_REQUIRE_VIEW(image, "image");
        KCV_REQUIRE(image.channels == 1 && image.depth != KCV_F64, "gradients need a 1-channel U8 or F32 image");
        KCV_REQUIRE(kernel == 0 || kernel == 1, "kernel must be 0 (central difference) or 1 (3x3 Sobel)");
        int ksize = kernel == 0 ? 1 : 3;
        cv::Mat x, y;
        cv::Sobel(header(image), x, CV_32F, 1, 0, ksize, 1, 0, cv::BORDER_REPLICATE);
        cv::Sobel(header(image), y, CV_32F, 0, 1, ksize, 1, 0, cv::BORDER_REPLICATE);
        giveBoth(std::move(x), std::move(y), gx, gy);
        return KCV_OK;
    })
}

int32_t kcv_hog_skimage(kcv_view image, int32_t orientations, int32_t cell_rows, int32_t cell_cols,
                        int32_t block_rows, int32_t block_cols, int32_t norm, bool transform_sqrt,
                        kcv_mat **out, kcv_mat **cells) {
    KINEMA_GUARD({
        KCV_REQUIRE(out, "NULL argument");
        KCV_REQUIRE_VIEW(image, "image");
        KCV_REQUIRE(image.depth == KCV_U8, "HOG takes an 8-bit image");
        KCV_REQUIRE(orientations >= 1 && cell_rows >= 1 && cell_cols >= 1 && block_rows >= 1 && block_cols >= 1,
                    "orientations, cell and block sizes must be positive");
        KCV_REQUIRE(norm >= 0 && norm <= 3, "norm must be 0 (L1), 1 (L1-sqrt), 2 (L2) or 3 (L2-Hys)");
        const int rows = image.height, cols = image.width;
        const int nCellsRow = rows / cell_rows, nCellsCol = cols / cell_cols;
        const int nBlocksRow = nCellsRow - block_rows + 1, nBlocksCol = nCellsCol - block_cols + 1;
        if (nBlocksRow <= 0 || nBlocksCol <= 0)
            return kinema::fail(KCV_ERR_ARGUMENT, "the image is too small for the cell and block sizes: it needs at least " +
                                                      std::to_string(block_rows * cell_rows) + " rows and " +
                                                      std::to_string(block_cols * cell_cols) + " columns");

        // 1–3. Per image row: gradients of the strongest channel, each pixel's magnitude (np.hypot)
        // into its orientation bin; the float32 totals of a cell row are divided by the cell's
        // pixel count in float32, as scikit-image 0.26's Cython kernel does.
        const cv::Mat img = header(image);
        const OrientationBins bins(orientations);
        const int used = nCellsCol * cell_cols;
        RowGradients<int> integer(transform_sqrt ? 0 : used);
        RowGradients<double> rooted(transform_sqrt ? used : 0);
        double root[256];
        for (int v = 0; v < 256; ++v) root[v] = std::sqrt(double(v));
        const IntegerHypot &integerHypot = IntegerHypot::shared();
        auto doubleHypot = [](double gc, double gr) { return std::hypot(gc, gr); };
        cv::Mat hist(nCellsRow, nCellsCol, CV_64FC(orientations));
        std::vector<float> totals(size_t(nCellsCol) * orientations);
        const float area = static_cast<float>(cell_rows * cell_cols);
        for (int yi = 0; yi < nCellsRow; ++yi) {
            std::fill(totals.begin(), totals.end(), 0.0f);
            for (int r = yi * cell_rows; r < (yi + 1) * cell_rows; ++r) {
                if (transform_sqrt) {
                    rowGradients(img, r, root, rooted);
                    accumulateRow(rooted, cell_cols, bins, orientations, doubleHypot, totals.data());
                } else {
                    rowGradients(img, r, integer);
                    accumulateRow(integer, cell_cols, bins, orientations, integerHypot, totals.data());
                }
            }
            double *h = hist.ptr<double>(yi);
            for (size_t k = 0; k < totals.size(); ++k) h[k] = totals[k] / area;
        }

        // 4. Overlapping blocks, each normalised; order (block row, block col, cell row, cell col, bin).
        const int blockSize = block_rows * block_cols * orientations;
        cv::Mat features(1, nBlocksRow * nBlocksCol * blockSize, CV_64F);
        double *f = features.ptr<double>(0);
        for (int br = 0; br < nBlocksRow; ++br)
            for (int bc = 0; bc < nBlocksCol; ++bc) {
                double *block = f;
                for (int r = 0; r < block_rows; ++r) {
                    const double *h = hist.ptr<double>(br + r) + bc * orientations;
                    f = std::copy(h, h + block_cols * orientations, f);
                }
                normalizeBlock(block, blockSize, norm);
            }
        giveBoth(std::move(features), std::move(hist), out, cells);
        return KCV_OK;
    })
}

int32_t kcv_hog_cells(kcv_view image, int32_t cell, int32_t bins, kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(out, "NULL argument");
        KCV_REQUIRE_VIEW(image, "image");
        KCV_REQUIRE(image.depth == KCV_U8 || image.depth == KCV_F32, "cell HOG takes a U8 or F32 image");
        KCV_REQUIRE(cell >= 1 && bins >= 1, "cell size and bins must be positive");
        KCV_REQUIRE(image.width >= cell && image.height >= cell, "the image is smaller than one cell");
        KCV_REQUIRE(image.channels * bins <= CV_CN_MAX, "too many channels × bins");
        const int nRows = image.height / cell, nCols = image.width / cell, C = image.channels;
        cv::Mat img;
        header(image).convertTo(img, CV_32F);
        std::vector<cv::Mat> planes;
        cv::split(img, planes);
        cv::Mat cells(nRows, nCols, CV_32FC(C * bins), cv::Scalar::all(0));
        const float perPixel = 1.0f / float(cell * cell);
        for (int ch = 0; ch < C; ++ch) {
            cv::Mat gx, gy;
            cv::Sobel(planes[ch], gx, CV_32F, 1, 0, 3, 1, 0, cv::BORDER_REPLICATE);
            cv::Sobel(planes[ch], gy, CV_32F, 0, 1, 3, 1, 0, cv::BORDER_REPLICATE);
            for (int r = 0; r < nRows * cell; ++r) {
                const float *x = gx.ptr<float>(r), *y = gy.ptr<float>(r);
                float *o = cells.ptr<float>(r / cell);
                for (int c = 0; c < nCols * cell; ++c) {
                    float magnitude = std::sqrt(x[c] * x[c] + y[c] * y[c]);
                    // Unsigned orientation in bins: [0, π) ↦ [0, bins); the vote is split linearly
                    // between the bin below and the next one (wrapping at π).
                    float position = std::atan2(y[c], x[c]) / float(CV_PI) * bins;
                    if (position < 0) position += bins;
                    float below = std::floor(position);
                    float upperShare = position - below;
                    int b0 = static_cast<int>(below) % bins, b1 = (b0 + 1) % bins;
                    float *h = o + (c / cell) * C * bins + ch * bins;
                    h[b0] += magnitude * (1 - upperShare) * perPixel;
                    h[b1] += magnitude * upperShare * perPixel;
                }
            }
        }
        *out = give(cells);
        return KCV_OK;
    })
}

int32_t kcv_integral_histogram(kcv_view x, kcv_view y, int32_t bins, bool full, float zero_bin_threshold,
                               kcv_mat **out) {
    KINEMA_GUARD({
        KCV_REQUIRE(out, "NULL argument");
        KCV_REQUIRE_VIEW(x, "x");
        KCV_REQUIRE_VIEW(y, "y");
        KCV_REQUIRE(x.depth == KCV_F32 && y.depth == KCV_F32 && x.channels == 1 && y.channels == 1,
                    "x and y must be F32 with 1 channel");
        KCV_REQUIRE(x.width == y.width && x.height == y.height, "x and y differ in size");
        KCV_REQUIRE(bins >= 1 && bins < CV_CN_MAX, "bad bin count");
        const bool zeroBin = zero_bin_threshold >= 0;
        const int dims = bins + (zeroBin ? 1 : 0);
        const double range = full ? 360.0 : 180.0;
        cv::Mat gx = header(x), gy = header(y);
        // Only the first row and column need zeros: every other entry is written below.
        cv::Mat integral(x.height + 1, x.width + 1, CV_64FC(dims));
        std::fill_n(integral.ptr<double>(0), size_t(x.width + 1) * dims, 0.0);
        std::vector<double> rowSum(dims);
        for (int r = 0; r < x.height; ++r) {
            std::fill(rowSum.begin(), rowSum.end(), 0.0);
            const float *px = gx.ptr<float>(r), *py = gy.ptr<float>(r);
            const double *above = integral.ptr<double>(r);
            double *current = integral.ptr<double>(r + 1);
            std::fill_n(current, dims, 0.0);
            for (int c = 0; c < x.width; ++c) {
                double magnitude = std::sqrt(double(px[c]) * px[c] + double(py[c]) * py[c]);
                if (zeroBin && magnitude <= zero_bin_threshold) {
                    rowSum[bins] += 1.0;
                } else {
                    double degrees = std::atan2(double(py[c]), double(px[c])) * (180.0 / CV_PI) + 360.0;
                    // fmod(degrees, range) without the call: for degrees in [180, 540], subtracting
                    // the integer range leaves a representable value, so each step is exact.
                    while (degrees >= range) degrees -= range;
                    double position = degrees / range * bins;
                    int b0 = std::min(static_cast<int>(position), bins - 1);
                    double upperShare = position - b0;
                    rowSum[b0] += magnitude * (1 - upperShare);
                    rowSum[(b0 + 1) % bins] += magnitude * upperShare;
                }
                // Entry (c + 1, r + 1) = the row sums so far + the entry above.
                for (int d = 0; d < dims; ++d) current[(c + 1) * dims + d] = above[(c + 1) * dims + d] + rowSum[d];
            }
        }
        *out = give(integral);
        return KCV_OK;
    })
}

}  // extern "C"
