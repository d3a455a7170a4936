// Activation checkpointing (torch.utils.checkpoint, reentrant form): a function of one tensor run
// without recording its graph, and run again in backward to rebuild the graph it did not keep.
// Memory of a ViT-B/L step then holds each block's input instead of every activation inside it.
#include <ATen/autocast_mode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>

#include "common.hpp"

namespace {

// The caller's function and what it needs, alive as long as the autograd node that may call it.
struct Recompute : torch::CustomClassHolder {
    kt_checkpoint_fn fn;
    void *context;
    void (*release)(void *);
    // The autocast state of the forward, which backward (run outside autocast) must re-enter.
    bool cpuAutocast, cudaAutocast;
    at::ScalarType cpuType, cudaType;

    Recompute(kt_checkpoint_fn fn, void *context, void (*release)(void *)) : fn(fn), context(context), release(release) {
        cpuAutocast = at::autocast::is_autocast_enabled(at::kCPU);
        cudaAutocast = at::autocast::is_autocast_enabled(at::kCUDA);
        cpuType = at::autocast::get_autocast_dtype(at::kCPU);
        cudaType = at::autocast::get_autocast_dtype(at::kCUDA);
    }
    ~Recompute() override {
        if (release) release(context);
    }

    at::Tensor operator()(const at::Tensor &input, bool replay) const {
        kt_tensor in = kinema::wrap(input);
        kt_tensor out = nullptr;
        const int32_t status = fn(context, in, replay, &out);
        kt_tensor_free(in);
        if (status != KT_OK || !out) {
            throw std::runtime_error("activation checkpoint: the recomputed function failed: " + kinema::lastError().message);
        }
        at::Tensor result = out->tensor;
        kt_tensor_free(out);
        return result;
    }
};

// Sets the autocast state of one device type for a scope.
struct AutocastScope {
    at::DeviceType device;
    bool enabled;
    at::ScalarType type;
    AutocastScope(at::DeviceType device, bool on, at::ScalarType dtype)
        : device(device), enabled(at::autocast::is_autocast_enabled(device)), type(at::autocast::get_autocast_dtype(device)) {
        at::autocast::set_autocast_dtype(device, dtype);
        at::autocast::set_autocast_enabled(device, on);
    }
    ~AutocastScope() {
        at::autocast::set_autocast_enabled(device, enabled);
        at::autocast::set_autocast_dtype(device, type);
    }
};

struct Checkpointed : public torch::autograd::Function<Checkpointed> {
    static at::Tensor forward(torch::autograd::AutogradContext *ctx, c10::IValue recompute, at::Tensor input) {
        ctx->saved_data["recompute"] = recompute;
        ctx->save_for_backward({input});
        // Custom functions run their forward with grad mode off: nothing inside is recorded.
        return (*c10::static_intrusive_pointer_cast<Recompute>(recompute.toCapsule()))(input, false);
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx, torch::autograd::variable_list grads) {
        auto recompute = c10::static_intrusive_pointer_cast<Recompute>(ctx->saved_data["recompute"].toCapsule());
        const at::Tensor saved = ctx->get_saved_variables()[0];
        const at::Tensor input = saved.detach().requires_grad_(saved.requires_grad());
        at::Tensor output;
        {
            at::AutoGradMode grad(true);
            AutocastScope cpu(at::kCPU, recompute->cpuAutocast, recompute->cpuType);
            AutocastScope cuda(at::kCUDA, recompute->cudaAutocast, recompute->cudaType);
            output = (*recompute)(input, true);
        }
        // Backpropagates through the rebuilt graph: the parameters the function used get their
        // gradients here (accumulated), the input's is returned.
        if (output.requires_grad()) torch::autograd::backward({output}, {grads[0]});
        return {at::Tensor(), input.requires_grad() ? input.grad() : at::Tensor()};
    }
};

}  // namespace

extern "C" {

int32_t kt_checkpoint(kt_checkpoint_fn fn, void *context, void (*release)(void *), kt_tensor input, kt_tensor *out) {
    // Whatever happens, `release` is called exactly once: by the holder when it is destroyed.
    c10::intrusive_ptr<Recompute> holder;
    KINEMA_GUARD({
        holder = c10::make_intrusive<Recompute>(fn, context, release);
        KT_REQUIRE(fn && input && out, "fn, input or out is NULL");
        *out = kinema::wrap(Checkpointed::apply(c10::IValue::make_capsule(holder), input->tensor));
        return KT_OK;
    })
}

}  // extern "C"
