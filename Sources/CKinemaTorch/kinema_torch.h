/*
 * kinema_torch.h — the C contract between Kinema (Swift) and libtorch (C++).
 *
 * Contract (docs/architecture-notes.md, "The C boundary"):
 *  - Every function is extern "C", never lets a C++ exception escape, returns a kt_status
 *    (KT_OK = 0) and writes results through out-parameters. On failure, out-parameters are
 *    left untouched and the thread-local error record holds the kind and the message, which
 *    the caller reads (kt_last_error_*) right after the call on the same thread.
 *  - Handles are opaque. A handle returned through an out-parameter is owned by the caller
 *    ("+1") and released with its *_free function; every *_free accepts NULL.
 *  - Operator handles (kt_op) are borrowed and live as long as the process.
 *  - Ops are called through libtorch's boxed dispatcher: push the arguments in schema order
 *    (kt_arg_*), then kt_call. Arguments and results live in a thread-local stack, so an op
 *    call and its argument pushes must happen on one thread, without interleaving. The stack
 *    holds the results (and through them their autograd graph) only until they are read:
 *    kt_call_tensor clears it, and a caller of kt_call reads what it needs, then calls
 *    kt_results_clear.
 */
#ifndef KINEMA_TORCH_H
#define KINEMA_TORCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
/* The shim is built with hidden visibility; only this contract is exported. */
#pragma GCC visibility push(default)

typedef struct kt_tensor_s *kt_tensor;
typedef struct kt_generator_s *kt_generator;
typedef const struct kt_op_s *kt_op;
typedef struct kt_process_group_s *kt_process_group;

typedef enum {
    KT_OK = 0,
    KT_ERR_INDEX = 1,            /* c10::IndexError: index out of range */
    KT_ERR_VALUE = 2,            /* c10::ValueError */
    KT_ERR_TYPE = 3,             /* c10::TypeError: dtype mismatch */
    KT_ERR_NOT_IMPLEMENTED = 4,  /* c10::NotImplementedError: op missing for this dtype/device */
    KT_ERR_OUT_OF_MEMORY = 5,    /* c10::OutOfMemoryError or std::bad_alloc */
    KT_ERR_TORCH = 6,            /* any other c10::Error (shape mismatches land here) */
    KT_ERR_STD = 7,              /* a std::exception from elsewhere */
    KT_ERR_UNKNOWN = 8,          /* anything else that was thrown */
    KT_ERR_ARGUMENT = 9,         /* the shim rejected its own arguments (NULL handle, bad enum) */
    KT_ERR_LOAD = 10,            /* a shared library could not be loaded */
    KT_ERR_DISTRIBUTED = 11      /* c10::DistError: a store or collective failed (peer gone, timeout) */
} kt_status;

/* ---- Errors (thread-local; read and clear right after a failing call) -------------------- */
int32_t kt_last_error_kind(void);
/* The message without libtorch's C++ backtrace. Valid until the next failing call on this thread. */
const char *kt_last_error_message(void);
/* The full text libtorch gave (with backtrace when it has one). */
const char *kt_last_error_detail(void);
void kt_clear_last_error(void);
void kt_string_free(char *s);

/* ---- Engine ------------------------------------------------------------------------------ */
/* The libtorch version the shim was compiled against, e.g. "2.11.0". Static storage. */
const char *kt_torch_version(void);
/* The libtorch version linked at run time (from c10's build metadata). Static storage. */
const char *kt_torch_runtime_version(void);
int32_t kt_set_num_threads(int32_t n);
int32_t kt_get_num_threads(int32_t *out);
int32_t kt_manual_seed(uint64_t seed);
int32_t kt_set_deterministic(bool enabled);
int32_t kt_set_allow_tf32(bool enabled);
/* Grad mode is thread-local in libtorch. Writes the previous value to *previous (may be NULL). */
int32_t kt_set_grad_enabled(bool enabled, bool *previous);
bool kt_is_grad_enabled(void);
/* oneDNN (mkldnn) CPU kernels: torch.backends.mkldnn.enabled. KINEMA_ONEDNN=0 in the environment
 * turns them off when the library loads. */
int32_t kt_set_onednn_enabled(bool enabled);
int32_t kt_get_onednn_enabled(bool *out);
/* Loads libtorch's CUDA library (dlopen, global) so CUDA kernels register. When path names a
 * file in a folder, every other lib*.so* in that folder is loaded (globally) first: the NVIDIA
 * libraries it needs, which `make setup` gathers there on a machine with a GPU. */
int32_t kt_cuda_load(const char *path);
/* The folder libtorch_cpu.so was loaded from (caller frees with kt_string_free). */
int32_t kt_torch_library_dir(char **out);
int32_t kt_cuda_device_count(int32_t *out);
int32_t kt_cuda_synchronize(int32_t device_index);

/* ---- Autocast (torch.autocast; per thread) ----------------------------------------------- */
/* Enters an autocast region on device_type (0 CPU, 1 CUDA) with dtype (Half or BFloat16): ops
 * called on this thread until the matching exit run in libtorch's autocast policy. Writes the
 * state to restore; regions nest. */
int32_t kt_autocast_enter(int32_t device_type, int32_t dtype, bool *was_enabled, int32_t *was_dtype);
int32_t kt_autocast_exit(int32_t device_type, bool was_enabled, int32_t was_dtype);
int32_t kt_autocast_is_enabled(int32_t device_type, bool *out);

/* ---- Tensors ----------------------------------------------------------------------------- */
void kt_tensor_free(kt_tensor t);
/* A new handle to the same tensor (shares storage and autograd identity). */
int32_t kt_tensor_alias(kt_tensor t, kt_tensor *out);
/* Copies nbytes from data into a new contiguous CPU tensor of the given shape and dtype. */
int32_t kt_tensor_from_data(const void *data, size_t nbytes, const int64_t *sizes, int64_t ndim,
                            int32_t dtype, kt_tensor *out);
/* Copies the tensor's elements (made contiguous, moved to CPU) into dst, which holds nbytes. */
int32_t kt_tensor_copy_to(kt_tensor t, void *dst, size_t nbytes);
int32_t kt_tensor_ndim(kt_tensor t, int64_t *out);
/* Writes min(ndim, capacity) sizes. */
int32_t kt_tensor_sizes(kt_tensor t, int64_t *out, int64_t capacity);
int32_t kt_tensor_strides(kt_tensor t, int64_t *out, int64_t capacity);
/* The c10::ScalarType code; it may be one Kinema does not model (complex, quantized, …). */
int32_t kt_tensor_dtype(kt_tensor t, int32_t *out);
/* libtorch's name of a dtype code ("Float", "ComplexFloat"; "UNKNOWN_SCALAR" if out of range). Static storage. */
const char *kt_dtype_name(int32_t code);
int32_t kt_tensor_device(kt_tensor t, int32_t *type, int32_t *index);
int32_t kt_tensor_is_contiguous(kt_tensor t, bool *out);
/* How many at::Tensor references share this tensor's impl (this handle included); lets tests
 * check that nothing else, such as the result stack, keeps a tensor alive. */
int32_t kt_tensor_use_count(kt_tensor t, int64_t *out);
/* Identity of the underlying storage/impl, to detect aliasing (e.g. tied parameters). */
int32_t kt_tensor_impl_id(kt_tensor t, uintptr_t *out);
/* Replaces t's data with source's, keeping t's identity and autograd flags (`t.data = source`). */
int32_t kt_tensor_set_data(kt_tensor t, kt_tensor source);
/* libtorch's printout of the tensor (caller frees with kt_string_free). */
int32_t kt_tensor_description(kt_tensor t, char **out);

/* ---- Autograd ---------------------------------------------------------------------------- */
int32_t kt_tensor_requires_grad(kt_tensor t, bool *out);
int32_t kt_tensor_set_requires_grad(kt_tensor t, bool requires_grad);
int32_t kt_tensor_is_leaf(kt_tensor t, bool *out);
/* *out is NULL when the tensor has no gradient. */
int32_t kt_tensor_grad(kt_tensor t, kt_tensor *out);
/* grad may be NULL to clear the gradient. */
int32_t kt_tensor_set_grad(kt_tensor t, kt_tensor grad);
/* grad_output may be NULL for a scalar tensor. */
int32_t kt_tensor_backward(kt_tensor t, kt_tensor grad_output, bool retain_graph, bool create_graph);

/* ---- Activation checkpointing (torch.utils.checkpoint, reentrant) ------------------------ */
/* A function of one tensor: writes its result (+1) to *output and returns KT_OK, or fails with
 * the error record set. `replay` is false in the forward pass, true when backward recomputes it. */
typedef int32_t (*kt_checkpoint_fn)(void *context, kt_tensor input, bool replay, kt_tensor *output);
/* *out = fn(input), computed without recording its graph; backward calls fn again with grad mode
 * on (and the forward's autocast state) and backpropagates through what it rebuilds, so the
 * tensors fn uses (parameters) get their gradients then. release(context) is called once, when
 * nothing can call fn any more (the graph is freed, or this call failed). */
int32_t kt_checkpoint(kt_checkpoint_fn fn, void *context, void (*release)(void *), kt_tensor input, kt_tensor *out);

/* ---- Random generators ------------------------------------------------------------------- */
int32_t kt_generator_new(uint64_t seed, int32_t device_type, int32_t device_index, kt_generator *out);
void kt_generator_free(kt_generator g);
/* The generator's state as a uint8 tensor, and back (for exact resume). */
int32_t kt_generator_get_state(kt_generator g, kt_tensor *out);
int32_t kt_generator_set_state(kt_generator g, kt_tensor state);

/* ---- Boxed operator dispatch ------------------------------------------------------------- */
/* Finds "aten::name" with the given overload ("" for the default). */
int32_t kt_op_find(const char *name, const char *overload, kt_op *out);
/* The op's schema as text (caller frees with kt_string_free). */
int32_t kt_op_schema(kt_op op, char **out);

/* Clears this thread's argument stack; call before pushing the first argument. */
void kt_args_begin(void);
/* Pushes never fail on their own: a problem (a NULL array with a non-zero length, an unknown
 * dtype or device code, out of memory) is recorded and reported by the next kt_call. An array
 * pointer may be NULL when its length is 0. */
void kt_arg_tensor(kt_tensor t);       /* NULL pushes None (for Tensor? arguments) */
void kt_arg_none(void);
void kt_arg_default(void);             /* use the schema's default value for this argument */
void kt_arg_int(int64_t v);
void kt_arg_double(double v);
void kt_arg_bool(bool v);
void kt_arg_ints(const int64_t *v, int64_t n);
void kt_arg_doubles(const double *v, int64_t n);
void kt_arg_bools(const bool *v, int64_t n);
void kt_arg_tensors(const kt_tensor *v, int64_t n);
void kt_arg_optional_tensors(const kt_tensor *v, int64_t n); /* NULL entries are None */
void kt_arg_string(const char *s);
void kt_arg_dtype(int32_t code);       /* a c10::ScalarType code */
void kt_arg_device(int32_t type, int32_t index);
void kt_arg_generator(kt_generator g); /* NULL pushes None */

/* Calls op with the pushed arguments (missing trailing arguments take their defaults).
 * The results stay in this thread's result stack until kt_results_clear or the next kt_call. */
int32_t kt_call(kt_op op, int32_t *nresults);
/* kt_call, then the first result as a tensor (the common case); leaves the result stack empty. */
int32_t kt_call_tensor(kt_op op, kt_tensor *out);
/* Drops this thread's results; call once they are read. */
void kt_results_clear(void);
/* Result accessors; *out is NULL for an undefined/None tensor result. */
int32_t kt_result_tensor(int32_t i, kt_tensor *out);
/* A Tensor[] result: writes min(count, capacity) handles (NULL for undefined entries), *count
 * gets the full length. On failure no handle is made. */
int32_t kt_result_tensors(int32_t i, kt_tensor *out, int64_t capacity, int64_t *count);
int32_t kt_result_int(int32_t i, int64_t *out);
int32_t kt_result_double(int32_t i, double *out);
int32_t kt_result_bool(int32_t i, bool *out);

/* ---- Data parallelism (c10d: a TCPStore rendezvous and a Gloo or NCCL process group) ----- */
/* Joins the group of world_size ranks that meet at the TCPStore host:port. serve_store: this
 * process runs the store (rank 0 unless a launcher's agent serves it); prefix ("" for none)
 * scopes the store's keys (torchrun's /worker/attempt_N). timeout_ms bounds the rendezvous and
 * every collective. interface: the network interface Gloo binds ("" or NULL: the address the
 * host name resolves to, as PyTorch's default). backend: "gloo" (tensors on any device, CUDA
 * ones through host memory) or "nccl" (CUDA tensors on GPU device_index; needs CUDA loaded and
 * libkinema_nccl.so beside this library, else KT_ERR_LOAD). Blocks until every rank has joined. */
int32_t kt_process_group_new(const char *host, int32_t port, int32_t rank, int32_t world_size, bool serve_store,
                             const char *prefix, int64_t timeout_ms, const char *interface, const char *backend,
                             int32_t device_index, kt_process_group *out);
/* *out: NULL when an NCCL process group can be made here, else why not (caller frees with
 * kt_string_free). */
int32_t kt_nccl_problem(char **out);
void kt_process_group_free(kt_process_group group);
/* In place, each tensor (contiguous) becomes its sum over the ranks. */
int32_t kt_process_group_allreduce_sum(kt_process_group group, const kt_tensor *tensors, int64_t n);
/* In place, each tensor (contiguous) becomes root's; not recorded by autograd. */
int32_t kt_process_group_broadcast(kt_process_group group, const kt_tensor *tensors, int64_t n, int32_t root);
/* out = the sum of input over the ranks, recorded by autograd: its backward allreduces the
 * gradient (every rank must run the same backward). The group must outlive the graph. A failed
 * collective here (forward or backward) does not throw through the model: the local value is
 * used and the failure is kept for kt_process_group_take_deferred_failure. */
int32_t kt_process_group_allreduce_sum_differentiable(kt_process_group group, kt_tensor input, kt_tensor *out);
/* *out: the first collective failure deferred since the last call (caller frees with
 * kt_string_free), or NULL; clears it. */
int32_t kt_process_group_take_deferred_failure(kt_process_group group, char **out);
int32_t kt_process_group_barrier(kt_process_group group);

#pragma GCC visibility pop
#ifdef __cplusplus
}
#endif
#endif /* KINEMA_TORCH_H */
