// Image decoding bounded by what Kinema takes, not by what a file's header claims. A 70-byte BMP
// may claim 30000 x 30000 pixels, and OpenCV 4.6 allocates the 2.7 GB matrix before it finds the
// data missing: its own cap (2^30 pixels) is read from the environment when its library loads, and
// it has no public way to read a header without decoding. So the check sits in the matrix
// allocator: while a thread decodes, a matrix over the limit is refused before any memory is taken.
#include <opencv2/imgcodecs.hpp>

#include "common.hpp"

namespace kinema::cv_shim {

namespace {

// The limit of the decode running on this thread (0: none, every other allocation).
thread_local uint64_t decodeLimit = 0;

struct TooLarge {
    uint64_t pixels;
};

// OpenCV's default allocator with the check in front; everything else is passed through (the
// matrices it makes name the allocator that made them, so they are freed by that one).
class BoundedAllocator final : public cv::MatAllocator {
  public:
    explicit BoundedAllocator(cv::MatAllocator *next) : next_(next) {}

    cv::UMatData *allocate(int dims, const int *sizes, int type, void *data, size_t *step, cv::AccessFlag flags,
                           cv::UMatUsageFlags usage) const override {
        if (decodeLimit != 0 && data == nullptr) {
            uint64_t pixels = 1;
            for (int i = 0; i < dims; i++) pixels = std::min<uint64_t>(pixels * uint64_t(sizes[i]), uint64_t(1) << 62);
            if (pixels > decodeLimit) throw TooLarge{pixels};
        }
        return next_->allocate(dims, sizes, type, data, step, flags, usage);
    }
    bool allocate(cv::UMatData *data, cv::AccessFlag flags, cv::UMatUsageFlags usage) const override {
        return next_->allocate(data, flags, usage);
    }
    void deallocate(cv::UMatData *data) const override { next_->deallocate(data); }

  private:
    cv::MatAllocator *next_;
};

// Installed when the shim loads (one thread then, so no matrix is being made meanwhile).
BoundedAllocator *const installed = [] {
    auto *allocator = new BoundedAllocator(cv::Mat::getDefaultAllocator());
    cv::Mat::setDefaultAllocator(allocator);
    return allocator;
}();

}  // namespace

cv::Mat decodeBounded(const cv::Mat &encoded, int flags, std::string *problem) {
    struct Scope {
        Scope() { decodeLimit = kMaxDecodedPixels; }
        ~Scope() { decodeLimit = 0; }
    } scope;
    try {
        return cv::imdecode(encoded, flags);
    } catch (const TooLarge &e) {
        *problem = "the image claims " + std::to_string(e.pixels) + " pixels; Kinema decodes at most " +
                   std::to_string(kMaxDecodedPixels) + " (2^27, about 134 megapixels)";
        return cv::Mat();
    }
}

}  // namespace kinema::cv_shim
