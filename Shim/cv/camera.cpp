// Camera-motion estimation as in improved dense trajectories (Wang & Schmid 2013, §2.1; MME
// appendix A): a homography between consecutive frames from feature matches plus flow
// correspondences, robust to the foreground through RANSAC.
#include <opencv2/calib3d.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

#include "common.hpp"

namespace {

using namespace kinema::cv_shim;

// Descriptor matches whose keypoints moved at most `window` pixels (iDT restricts SURF matches the
// same way: camera motion between consecutive frames is small).
void featureMatches(const cv::Mat &from, const cv::Mat &to, const kcv_homography_params &p,
                    std::vector<cv::Point2f> &src, std::vector<cv::Point2f> &dst) {
    cv::Ptr<cv::Feature2D> detector;
    if (p.detector == 1) detector = cv::SIFT::create(p.max_features);
    else detector = cv::ORB::create(p.max_features);
    std::vector<cv::KeyPoint> k0, k1;
    cv::Mat d0, d1;
    detector->detectAndCompute(from, cv::noArray(), k0, d0);
    detector->detectAndCompute(to, cv::noArray(), k1, d1);
    if (k0.empty() || k1.empty()) return;
    cv::Mat allowed(static_cast<int>(k0.size()), static_cast<int>(k1.size()), CV_8U);
    const float window2 = p.match_window * p.match_window;
    for (int i = 0; i < allowed.rows; ++i) {
        uchar *row = allowed.ptr<uchar>(i);
        for (int j = 0; j < allowed.cols; ++j) {
            cv::Point2f d = k0[i].pt - k1[j].pt;
            row[j] = d.dot(d) <= window2 ? 1 : 0;
        }
    }
    cv::BFMatcher matcher(p.detector == 1 ? cv::NORM_L2 : cv::NORM_HAMMING);
    std::vector<cv::DMatch> matches;
    matcher.match(d0, d1, matches, allowed);
    for (const auto &m : matches) {
        src.push_back(k0[m.queryIdx].pt);
        dst.push_back(k1[m.trainIdx].pt);
    }
}

// Strong corners of `from` displaced by the flow at their (rounded) position.
void flowMatches(const cv::Mat &from, const cv::Mat &flow, const kcv_homography_params &p,
                 std::vector<cv::Point2f> &src, std::vector<cv::Point2f> &dst) {
    std::vector<cv::Point2f> corners;
    cv::goodFeaturesToTrack(from, corners, p.max_corners, p.corner_quality, p.corner_min_distance);
    for (const auto &c : corners) {
        int x = std::min(std::max(cvRound(c.x), 0), flow.cols - 1);
        int y = std::min(std::max(cvRound(c.y), 0), flow.rows - 1);
        cv::Vec2f f = flow.at<cv::Vec2f>(y, x);
        if (!std::isfinite(f[0]) || !std::isfinite(f[1])) continue;
        src.push_back(c);
        dst.push_back(cv::Point2f(c.x + f[0], c.y + f[1]));
    }
}

void identity(double h[9]) {
    for (int i = 0; i < 9; ++i) h[i] = (i % 4 == 0) ? 1.0 : 0.0;
}

}  // namespace

extern "C" {

int32_t kcv_estimate_homography(kcv_view from, kcv_view to, kcv_view flow, const kcv_homography_params *p,
                                kcv_homography_result *result) {
    KINEMA_GUARD({
        KCV_REQUIRE(p && result, "NULL argument");
        KCV_REQUIRE_VIEW(from, "from");
        KCV_REQUIRE_VIEW(to, "to");
        KCV_REQUIRE(from.depth == KCV_U8 && to.depth == KCV_U8, "frames must be 8-bit");
        KCV_REQUIRE(from.width == to.width && from.height == to.height, "the two frames differ in size");
        KCV_REQUIRE(p->detector == 0 || p->detector == 1, "detector must be 0 (ORB) or 1 (SIFT)");
        KCV_REQUIRE(p->max_features > 0 && p->match_window > 0 && p->ransac_threshold > 0, "bad parameters");
        if (flow.data) {
            KCV_REQUIRE_VIEW(flow, "flow");
            KCV_REQUIRE(flow.depth == KCV_F32 && flow.channels == 2 && flow.width == from.width &&
                            flow.height == from.height,
                        "flow must be F32 × 2 of the frames' size");
        }
        *result = kcv_homography_result{};
        identity(result->h);
        cv::Mat g0 = toGray(header(from)), g1 = toGray(header(to));
        std::vector<cv::Point2f> src, dst;
        featureMatches(g0, g1, *p, src, dst);
        result->feature_matches = static_cast<int32_t>(src.size());
        if (flow.data && p->max_corners > 0) flowMatches(g0, header(flow), *p, src, dst);
        result->flow_matches = static_cast<int32_t>(src.size()) - result->feature_matches;
        if (static_cast<int32_t>(src.size()) < std::max(p->min_matches, 4)) return KCV_OK;
        std::vector<uchar> inlierMask;
        cv::Mat H = cv::findHomography(src, dst, cv::RANSAC, p->ransac_threshold, inlierMask);
        if (H.empty()) return KCV_OK;
        int inliers = cv::countNonZero(inlierMask);
        result->inliers = inliers;
        if (inliers < p->min_inliers || !cv::checkRange(H)) return KCV_OK;
        for (int i = 0; i < 9; ++i) result->h[i] = H.at<double>(i / 3, i % 3);
        result->estimated = true;
        return KCV_OK;
    })
}

}  // extern "C"
