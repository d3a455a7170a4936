// Orientation histograms: scikit-image-compatible HOG, per-channel cell HOG (MME/MaskFeat targets)
// and iDT's integral orientation histograms (HOG/HOF/MBH along trajectories).
#include <opencv2/imgproc.hpp>

#include <cmath>

#include "common.hpp"

namespace {

using namespace kinema::cv_shim;

// skimage's `_hog_channel_gradient`: central differences, zero on the image border rows/columns.
void centralGradients(const cv::Mat &plane, cv::Mat &gRow, cv::Mat &gCol) {
    gRow = cv::Mat::zeros(plane.size(), CV_64F);
    gCol = cv::Mat::zeros(plane.size(), CV_64F);
    for (int r = 0; r < plane.rows; ++r) {
        const double *p = plane.ptr<double>(r);
        double *gc = gCol.ptr<double>(r);
        for (int c = 1; c + 1 < plane.cols; ++c) gc[c] = p[c + 1] - p[c - 1];
        if (r == 0 || r + 1 == plane.rows) continue;
        const double *above = plane.ptr<double>(r - 1), *below = plane.ptr<double>(r + 1);
        double *gr = gRow.ptr<double>(r);
        for (int c = 0; c < plane.cols; ++c) gr[c] = below[c] - above[c];
    }
}

// numpy's float remainder (`x % 180`): the result takes the divisor's sign, and -0.0 becomes +0.0.
double pyRemainder(double x, double m) {
    double r = std::fmod(x, m);
    if (r != 0 && ((r < 0) != (m < 0))) r += m;
    if (r == 0) r = std::copysign(0.0, m);
    return r;
}

void normalizeBlock(std::vector<double> &b, int32_t method) {
    const double eps = 1e-5;
    double sumAbs = 0, sumSq = 0;
    for (double v : b) { sumAbs += std::fabs(v); sumSq += v * v; }
    switch (method) {
        case 0: for (double &v : b) v = v / (sumAbs + eps); break;
        case 1: for (double &v : b) v = std::sqrt(v / (sumAbs + eps)); break;
        case 2: for (double &v : b) v = v / std::sqrt(sumSq + eps * eps); break;
        default: {  // L2-Hys: L2, clip at 0.2, L2 again
            double again = 0;
            for (double &v : b) { v = std::min(v / std::sqrt(sumSq + eps * eps), 0.2); again += v * v; }
            for (double &v : b) v = v / std::sqrt(again + eps * eps);
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
        *gx = give(x);
        *gy = give(y);
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
        *out = nullptr;
        if (cells) *cells = nullptr;
        const int rows = image.height, cols = image.width;
        const int nCellsRow = rows / cell_rows, nCellsCol = cols / cell_cols;
        const int nBlocksRow = nCellsRow - block_rows + 1, nBlocksCol = nCellsCol - block_cols + 1;
        if (nBlocksRow <= 0 || nBlocksCol <= 0)
            return kinema::fail(KCV_ERR_ARGUMENT, "the image is too small for the cell and block sizes: it needs at least " +
                                                      std::to_string(block_rows * cell_rows) + " rows and " +
                                                      std::to_string(block_cols * cell_cols) + " columns");

        // 1–2. float64 image (optionally square-rooted), per-channel gradients, strongest channel per pixel.
        cv::Mat img;
        header(image).convertTo(img, CV_64F);
        if (transform_sqrt) cv::sqrt(img, img);
        std::vector<cv::Mat> planes;
        cv::split(img, planes);
        cv::Mat gRow, gCol, best;
        centralGradients(planes[0], gRow, gCol);
        if (planes.size() > 1) {
            best.create(rows, cols, CV_64F);
            for (int r = 0; r < rows; ++r)
                for (int c = 0; c < cols; ++c) best.at<double>(r, c) = std::hypot(gRow.at<double>(r, c), gCol.at<double>(r, c));
            for (size_t ch = 1; ch < planes.size(); ++ch) {
                cv::Mat r2, c2;
                centralGradients(planes[ch], r2, c2);
                for (int r = 0; r < rows; ++r)
                    for (int c = 0; c < cols; ++c) {
                        double m = std::hypot(r2.at<double>(r, c), c2.at<double>(r, c));
                        if (m > best.at<double>(r, c)) {  // argmax keeps the first channel on ties
                            best.at<double>(r, c) = m;
                            gRow.at<double>(r, c) = r2.at<double>(r, c);
                            gCol.at<double>(r, c) = c2.at<double>(r, c);
                        }
                    }
            }
        }

        // 3. Cell histograms. scikit-image 0.26's Cython kernel gives each pixel of a cell its
        // magnitude in the bin whose edges [180/n·i, 180/n·(i+1)) (float64) hold its orientation,
        // sums in float32, and divides the float32 total by the cell's pixel count in float32.
        const double per180 = 180.0 / orientations;
        std::vector<double> lower(orientations), upper(orientations);
        for (int i = 0; i < orientations; ++i) {
            upper[i] = per180 * (i + 1);
            lower[i] = per180 * i;
        }
        cv::Mat hist(nCellsRow, nCellsCol, CV_64FC(orientations), cv::Scalar::all(0));
        std::vector<float> totals(orientations);
        const int area = cell_rows * cell_cols;
        for (int yi = 0; yi < nCellsRow; ++yi) {
            for (int xi = 0; xi < nCellsCol; ++xi) {
                std::fill(totals.begin(), totals.end(), 0.0f);
                for (int r = yi * cell_rows; r < (yi + 1) * cell_rows; ++r)
                    for (int c = xi * cell_cols; c < (xi + 1) * cell_cols; ++c) {
                        double gr = gRow.at<double>(r, c), gc = gCol.at<double>(r, c);
                        double orientation = pyRemainder(std::atan2(gr, gc) * (180.0 / M_PI), 180.0);
                        double magnitude = std::hypot(gc, gr);
                        for (int i = 0; i < orientations; ++i)
                            if (orientation < upper[i] && orientation >= lower[i]) totals[i] += magnitude;
                    }
                double *h = hist.ptr<double>(yi) + xi * orientations;
                for (int i = 0; i < orientations; ++i) h[i] = totals[i] / static_cast<float>(area);
            }
        }

        // 4. Overlapping blocks, each normalised; order (block row, block col, cell row, cell col, bin).
        const int blockSize = block_rows * block_cols * orientations;
        cv::Mat features(1, nBlocksRow * nBlocksCol * blockSize, CV_64F);
        double *f = features.ptr<double>(0);
        std::vector<double> block(blockSize);
        for (int br = 0; br < nBlocksRow; ++br)
            for (int bc = 0; bc < nBlocksCol; ++bc) {
                int k = 0;
                for (int r = 0; r < block_rows; ++r)
                    for (int c = 0; c < block_cols; ++c) {
                        const double *h = hist.ptr<double>(br + r) + (bc + c) * orientations;
                        for (int i = 0; i < orientations; ++i) block[k++] = h[i];
                    }
                normalizeBlock(block, norm);
                std::copy(block.begin(), block.end(), f);
                f += blockSize;
            }
        *out = give(features);
        if (cells) *cells = give(hist);
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
        cv::Mat integral(x.height + 1, x.width + 1, CV_64FC(dims), cv::Scalar::all(0));
        std::vector<double> rowSum(dims);
        for (int r = 0; r < x.height; ++r) {
            std::fill(rowSum.begin(), rowSum.end(), 0.0);
            const float *px = gx.ptr<float>(r), *py = gy.ptr<float>(r);
            const double *above = integral.ptr<double>(r);
            double *current = integral.ptr<double>(r + 1);
            for (int c = 0; c < x.width; ++c) {
                double magnitude = std::sqrt(double(px[c]) * px[c] + double(py[c]) * py[c]);
                if (zeroBin && magnitude <= zero_bin_threshold) {
                    rowSum[bins] += 1.0;
                } else {
                    double degrees = std::atan2(double(py[c]), double(px[c])) * (180.0 / CV_PI);
                    degrees = std::fmod(degrees + 360.0, range);
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
