/*
 * kinema_cv.h — the C contract between Kinema (Swift) and OpenCV 4 (C++).
 *
 * Same contract as kinema_torch.h: extern "C", no exception escapes, kcv_status return codes,
 * results through out-parameters, a thread-local error record read right after a failing call,
 * opaque owned handles freed by NULL-safe *_free functions. OpenCV's "soft" failures (an open or a
 * read that returns false, an empty Mat) are turned into status codes here too.
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
    KCV_ERR_OUT_OF_MEMORY = 2,  /* std::bad_alloc */
    KCV_ERR_STD = 3,            /* another std::exception */
    KCV_ERR_UNKNOWN = 4,        /* anything else that was thrown */
    KCV_ERR_ARGUMENT = 5,       /* the shim rejected its own arguments */
    KCV_ERR_IO = 6              /* a file could not be opened, read or written */
} kcv_status;

int32_t kcv_last_error_kind(void);
const char *kcv_last_error_message(void);
void kcv_clear_last_error(void);
void kcv_string_free(char *s);

/* The OpenCV version the shim was compiled against, e.g. "4.6.0". Static storage. */
const char *kcv_opencv_version(void);
int32_t kcv_set_num_threads(int32_t n);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif /* KINEMA_CV_H */
