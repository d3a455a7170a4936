/*
 * kinema_cv.h — the C contract between Kinema (Swift) and OpenCV 4 (C++).
 *
 * Same contract as kinema_torch.h: extern "C", no exception escapes, kcv_status return codes,
 * results through out-parameters (left untouched on failure), a thread-local error record read
 * right after a failing call, opaque owned handles freed by NULL-safe *_free functions. OpenCV's "soft" failures (an open or a
 * read that returns false, an empty Mat) are turned into status codes here too.
 *
 * Pixel buffers cross the boundary in two ways:
 *   - inputs are borrowed views (kcv_view): the caller keeps the memory alive for the call;
 *   - outputs are owned kcv_mat handles whose bytes the caller copies out (kcv_mat_info) and frees.
 * Colour images are RGB(A) on this side of the boundary; the shim converts from and to OpenCV's BGR.
 * Every buffer is row-major, channels interleaved, rows packed without padding.
 */
#ifndef KINEMA_CV_H
#define KINEMA_CV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
#pragma GCC visibility push(default)

typedef enum {
    KCV_OK = 0,
    KCV_ERR_OPENCV = 1,         /* cv::Exception */
    KCV_ERR_OUT_OF_MEMORY = 2,  /* std::bad_alloc, or OpenCV's failed allocation (cv::Error::StsNoMem) */
    KCV_ERR_STD = 3,            /* another std::exception */
    KCV_ERR_UNKNOWN = 4,        /* anything else that was thrown */
    KCV_ERR_ARGUMENT = 5,       /* the shim rejected its own arguments */
    KCV_ERR_IO = 6,             /* a file could not be opened, read or written */
    KCV_ERR_DECODE = 7,         /* the bytes are not a valid image/video, or they end early */
    KCV_ERR_UNSUPPORTED = 8,    /* a format, codec or feature this OpenCV build lacks */
    KCV_ERR_EMPTY = 9           /* the input is well-formed but holds nothing (a video with no frames) */
} kcv_status;

int32_t kcv_last_error_kind(void);
const char *kcv_last_error_message(void);
void kcv_clear_last_error(void);
void kcv_string_free(char *s);

/* The OpenCV version the shim was compiled against, e.g. "4.6.0". Static storage. */
const char *kcv_opencv_version(void);
int32_t kcv_set_num_threads(int32_t n);

/* ---- Buffers ------------------------------------------------------------------------------- */

typedef enum { KCV_U8 = 0, KCV_F32 = 1, KCV_F64 = 2 } kcv_depth;

/* A borrowed, packed pixel buffer: height rows of width × channels elements of `depth`. */
typedef struct {
    const void *data;
    int32_t width, height, channels;
    int32_t depth; /* kcv_depth */
} kcv_view;

/* An owned OpenCV matrix (image, flow field, histogram, encoded bytes), always packed. */
typedef struct kcv_mat kcv_mat;
int32_t kcv_mat_info(const kcv_mat *m, int32_t *width, int32_t *height, int32_t *channels, int32_t *depth,
                     const void **data);
void kcv_mat_free(kcv_mat *m);

/* ---- Images -------------------------------------------------------------------------------- */

/* What an encoded image held before conversion. */
typedef struct {
    int32_t width, height;
    int32_t channels;  /* 1 gray, 2 gray+alpha, 3 colour, 4 colour+alpha */
    int32_t bit_depth; /* 8, 16 or 32 (float) */
} kcv_image_info;

/* Decodes an encoded image (PNG, JPEG, BMP, WebP, PGM/PPM, TIFF, …) to `channels` 8-bit channels:
 * 1 = gray (ITU-R 601 luma), 3 = RGB, 4 = RGBA (alpha 255 when the source has none). 16-bit samples
 * are scaled by 255/65535, float samples by 255 and clamped; alpha is dropped for 1 and 3 channels.
 * EXIF orientation is not applied. A JPEG without its end-of-image marker is reported truncated. */
int32_t kcv_image_decode(const uint8_t *bytes, size_t length, int32_t channels, kcv_mat **out,
                         kcv_image_info *source);
/* Encodes an 8-bit gray/RGB/RGBA view; `extension` is ".png", ".jpg", ".bmp", ".webp" or ".ppm".
 * quality: JPEG/WebP quality 1–100, PNG compression 0–9; negative = OpenCV's default.
 * Result: a 1-row, 1-channel U8 kcv_mat holding the file bytes. */
int32_t kcv_image_encode(kcv_view image, const char *extension, int32_t quality, kcv_mat **out);

/* Resizes to width × height: area averaging when shrinking, bilinear when enlarging. */
int32_t kcv_image_resize(kcv_view image, int32_t width, int32_t height, kcv_mat **out);
/* Converts 8-bit gray/RGB/RGBA to `channels` (1, 3 or 4) with OpenCV's colour conversions. */
int32_t kcv_image_convert(kcv_view image, int32_t channels, kcv_mat **out);
/* Applies a 3×3 homography H (row-major, maps source to destination pixel coordinates) with
 * bilinear interpolation; inverse = true treats H as destination → source. Pixels mapped from
 * outside the source are taken from `fill` (same size and type as the output) when fill.data is not
 * NULL, else set to 0. */
int32_t kcv_image_warp_perspective(kcv_view image, const double *h, bool inverse, int32_t width, int32_t height,
                                   kcv_view fill, kcv_mat **out);
/* Warps an 8-bit image by the 2×3 affine map m (row-major) from output to input pixel coordinates
 * (pixel centres at integers), into an image of the same size, as PIL's Image.transform(AFFINE)
 * does: interpolation 0 nearest, 1 bilinear, 2 bicubic (OpenCV's kernel), neighbours past the
 * edge read as the edge pixel, and output pixels whose source point rounds to outside the image
 * set to `fill` (one byte per channel). */
int32_t kcv_image_warp_affine(kcv_view image, const double *m, int32_t interpolation, const uint8_t *fill,
                              kcv_mat **out);
/* Correlates an 8-bit image with a 3×3 kernel (row-major; results rounded and saturated) except
 * on its one-pixel frame, which keeps the input's values, as PIL's ImageFilter 3×3 kernels do. */
int32_t kcv_image_filter3x3(kcv_view image, const float *kernel, kcv_mat **out);
/* Backward warp by a flow field (F32, 2 channels, same size): out(x, y) = image(x + u, y + v),
 * bilinear, outside pixels replicated from the border. */
int32_t kcv_image_remap_by_flow(kcv_view image, kcv_view flow, kcv_mat **out);

/* Draws tracks on an 8-bit RGB image in place. points: n_tracks × n_points × 2 floats (x, y);
 * lengths[i] = points of track i to draw (0 skips it); colors: n_tracks × 3 bytes (RGB).
 * Each segment is drawn with the track colour scaled from `fade` (oldest) to 1 (newest), and the
 * newest point gets a filled dot. */
int32_t kcv_draw_tracks(void *rgb, int32_t width, int32_t height, const float *points, int32_t n_tracks,
                        int32_t n_points, const int32_t *lengths, const uint8_t *colors, float fade,
                        int32_t thickness);

/* Text labels in OpenCV's Hershey simplex font, anti-aliased. text: printable ASCII (0x20–0x7E, the
 * only characters the font has), at most 1024 bytes; text_height: the height of capital letters in
 * px (cv::getFontScaleFromHeight), 1–512; thickness: stroke width in px, 1–64; padding: px added on
 * every side of the box, 0–1024.
 * A text's box holds all of its ink: the advance of the text (or its ink, where wider) by the rows of
 * the font's tallest to deepest glyph, so texts of one size share the box height and the baseline.
 * kcv_text_size gives the padded box's size. */
int32_t kcv_text_size(const char *text, int32_t text_height, int32_t thickness, int32_t padding, int32_t *width,
                      int32_t *height);
/* Draws text on an 8-bit RGB image in place with the padded box's top-left corner at (x, y), each
 * |coordinate| < 16384; the box may reach outside the image (it is clipped). background (RGB, or NULL
 * for none) fills the box first; color (RGB) is blended in by the glyphs' anti-aliased coverage.
 * Pixels outside the box are never written. */
int32_t kcv_put_text(void *rgb, int32_t width, int32_t height, const char *text, int32_t x, int32_t y,
                     int32_t text_height, int32_t thickness, int32_t padding, const uint8_t *color,
                     const uint8_t *background);

/* Maps every pixel of an 8-bit RGB image to the nearest of n_colors palette entries (RGB triples,
 * squared RGB distance, first entry on ties; looked up once per 5-bit-per-channel cell). Output: a
 * 1-channel U8 mat of palette indices (n_colors <= 256). */
int32_t kcv_palette_indices(kcv_view rgb, const uint8_t *palette, int32_t n_colors, kcv_mat **out);

/* ---- Video ----------------------------------------------------------------------------------- */

typedef struct kcv_capture kcv_capture;
typedef struct {
    int32_t width, height;
    double fps;
    int64_t frame_count; /* as the container declares it; may differ from what decodes */
    char codec[8];       /* FourCC as text, e.g. "avc1", "" when unknown */
} kcv_video_info;

/* Opens a video file through FFmpeg and decodes its first frame, so a file that opens but cannot
 * be decoded (unsupported codec, corrupt stream) fails here with KCV_ERR_DECODE, as does one FFmpeg cannot
 * open (OpenCV does not say whether the container or the codec failed); KCV_ERR_EMPTY when the
 * container declares no frames and none decodes. */
int32_t kcv_capture_open(const char *path, kcv_capture **out, kcv_video_info *info);
/* Decodes the next frame, resized to width × height (0, 0 = native) and converted to `channels`
 * (1 gray, 3 RGB). *out is NULL at the end of the stream. */
int32_t kcv_capture_read(kcv_capture *c, int32_t width, int32_t height, int32_t channels, kcv_mat **out);
/* Skips `count` frames without converting them; *skipped < count at the end of the stream. */
int32_t kcv_capture_skip(kcv_capture *c, int64_t count, int64_t *skipped);
/* Positions the stream so the next read returns frame `index` (0-based). Short forward gaps are
 * decoded through. Otherwise decode_through = false uses FFmpeg's timestamp seek (fast; its index is
 * the timestamp's, which differs from decode order on streams with dropped frames), true reopens
 * the file when going back and decodes forward (slow, always in decode order). */
int32_t kcv_capture_seek(kcv_capture *c, int64_t index, bool decode_through);
/* The index of the frame the next read returns. */
int32_t kcv_capture_position(const kcv_capture *c, int64_t *index);
void kcv_capture_free(kcv_capture *c);

typedef struct kcv_writer kcv_writer;
/* Opens a video writer through FFmpeg with a FourCC such as "avc1" or "mp4v". KCV_ERR_UNSUPPORTED
 * when this build cannot encode it. */
int32_t kcv_writer_open(const char *path, const char *fourcc, double fps, int32_t width, int32_t height,
                        kcv_writer **out);
/* Appends one 8-bit gray/RGB/RGBA frame of the writer's size. */
int32_t kcv_writer_write(kcv_writer *w, kcv_view frame);
/* Finishes the file (flushes the encoder); the handle must still be freed. */
int32_t kcv_writer_close(kcv_writer *w);
void kcv_writer_free(kcv_writer *w);

/* ---- Optical flow ---------------------------------------------------------------------------- */

typedef struct kcv_flow kcv_flow;

/* DIS (Kroeger et al. 2016). preset: 0 ultrafast, 1 fast, 2 medium; every other field < 0 keeps
 * the preset's value. */
typedef struct {
    int32_t preset;
    int32_t finest_scale, patch_size, patch_stride, gradient_descent_iterations;
    int32_t variational_iterations;
    float alpha, delta, gamma;
    int32_t use_mean_normalization, use_spatial_propagation; /* 0/1, < 0 keeps the preset's */
} kcv_dis_params;
int32_t kcv_flow_create_dis(const kcv_dis_params *p, kcv_flow **out);

/* Farnebäck (2003) polynomial expansion. */
typedef struct {
    int32_t levels;
    double pyramid_scale;
    bool fast_pyramids;
    int32_t window_size, iterations, poly_n;
    double poly_sigma;
    bool gaussian_window;
} kcv_farneback_params;
int32_t kcv_flow_create_farneback(const kcv_farneback_params *p, kcv_flow **out);

/* Dual TV-L1 (Zach et al. 2007; Sánchez et al. 2013), opencv_contrib optflow, CPU. */
typedef struct {
    double tau, lambda, theta, epsilon, scale_step, gamma;
    int32_t scales, warps, inner_iterations, outer_iterations, median_filtering;
} kcv_tvl1_params;
int32_t kcv_flow_create_tvl1(const kcv_tvl1_params *p, kcv_flow **out);

/* Flow from `from` to `to` (8-bit gray/RGB/RGBA, same size; colour is converted to gray), written
 * to the caller's width × height × 2 floats (u, v) with to(x + u, y + v) ≈ from(x, y). */
int32_t kcv_flow_compute(kcv_flow *f, kcv_view from, kcv_view to, float *out);
void kcv_flow_free(kcv_flow *f);

/* 3 × 3 median filter of each flow component (border replicated), as DT/iDT track with (MME Eq. 6). */
int32_t kcv_flow_median3(kcv_view flow, kcv_mat **out);
/* The 8-bit encoding of dense_flow/mmaction/I3D: code = round(255 · (clamp(f, −b, b) + b) / (2b)),
 * ties to even (cvRound), one 1-channel U8 image per component. */
int32_t kcv_flow_quantize(kcv_view flow, float bound, kcv_mat **x, kcv_mat **y);
/* Middlebury colour-wheel rendering (Baker et al. 2011): hue = direction, saturation = magnitude /
 * max_radius (max_radius <= 0: the largest finite magnitude in the field). Unknown vectors
 * (|u| or |v| > 1e9, or NaN) are black. Output: RGB U8. */
int32_t kcv_flow_colorize(kcv_view flow, float max_radius, kcv_mat **out);

/* ---- Camera motion ------------------------------------------------------------------------- */

typedef struct {
    int32_t detector;           /* 0 ORB, 1 SIFT (SURF, which iDT used, is not in Debian's build) */
    int32_t max_features;       /* keypoints per frame */
    float match_window;         /* a feature match is kept only if it moved at most this far (px) */
    int32_t max_corners;        /* flow correspondences: goodFeaturesToTrack corners */
    double corner_quality, corner_min_distance;
    double ransac_threshold;    /* reprojection threshold (px) */
    int32_t min_matches;        /* fewer correspondences than this: no estimate */
    int32_t min_inliers;        /* fewer RANSAC inliers than this: no estimate */
} kcv_homography_params;

typedef struct {
    double h[9];                /* row-major, maps `from` pixels to `to` pixels; identity if !estimated */
    int32_t feature_matches, flow_matches, inliers;
    bool estimated;
} kcv_homography_result;

/* iDT-style camera homography between two 8-bit frames: feature matches + flow correspondences
 * (flow from `from` to `to`, F32 × 2, or flow.data NULL for features only), RANSAC. */
int32_t kcv_estimate_homography(kcv_view from, kcv_view to, kcv_view flow, const kcv_homography_params *p,
                                kcv_homography_result *result);

/* ---- Orientation histograms (HOG, HOF, MBH) ------------------------------------------------ */

/* Gradients of a 1-channel U8/F32 image as two F32 1-channel mats.
 * kernel 0: central difference [-1, 0, 1] (OpenCV Sobel ksize 1; iDT), 1: 3 × 3 Sobel; border replicated. */
int32_t kcv_gradients(kcv_view image, int32_t kernel, kcv_mat **gx, kcv_mat **gy);

/* HOG exactly as scikit-image 0.26 `skimage.feature.hog` computes it on an 8-bit image converted to
 * float64 (gray, or multichannel with the strongest channel per pixel), including its float32 cell
 * means. norm: 0 L1, 1 L1-sqrt, 2 L2, 3 L2-Hys (eps 1e-5).
 * Output: F64, 1 channel, width = n_blocks_row · n_blocks_col · block_rows · block_cols · orientations,
 * height 1 (scikit-image's feature_vector order); cells (optional): F64 cell histograms
 * n_cells_row × n_cells_col × orientations. */
int32_t kcv_hog_skimage(kcv_view image, int32_t orientations, int32_t cell_rows, int32_t cell_cols,
                        int32_t block_rows, int32_t block_cols, int32_t norm, bool transform_sqrt,
                        kcv_mat **out, kcv_mat **cells);

/* Per-channel cell HOG as MME/MaskFeat targets: 3 × 3 Sobel on each channel (border replicated),
 * unsigned orientation in [0, π) split linearly between the two nearest of `bins` bins, per-cell
 * mean of the votes over cell × cell pixels. Output: F32 with width = W/cell, height = H/cell,
 * channels = image channels × bins (channel-major). */
int32_t kcv_hog_cells(kcv_view image, int32_t cell, int32_t bins, kcv_mat **out);

/* Integral orientation histogram of a vector field (x, y: F32 1-channel, same size), as iDT builds
 * for HOG/HOF/MBH: each vector votes its magnitude into `bins` orientation bins over 360°
 * (full = true) or 180°, split linearly between the two nearest bins; when zero_bin_threshold >= 0
 * an extra last bin counts (weight 1) the vectors whose magnitude is at most the threshold (HOF).
 * Output: F64, (width + 1) × (height + 1) × (bins + zero bin), entry (x, y) = sum over [0, x) × [0, y). */
int32_t kcv_integral_histogram(kcv_view x, kcv_view y, int32_t bins, bool full, float zero_bin_threshold,
                               kcv_mat **out);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif /* KINEMA_CV_H */
