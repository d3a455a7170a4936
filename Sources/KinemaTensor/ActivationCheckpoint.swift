internal import CKinemaTorch

/// `body(input)` computed without keeping the activations inside it for backward, and computed
/// again when backward reaches it (`torch.utils.checkpoint.checkpoint`, the reentrant form): a
/// training step then holds the input of each checkpointed piece instead of everything inside it,
/// for one more forward pass of that piece. What ViT-B/L training on a GPU of modest memory does
/// with each transformer block.
///
/// The recomputation sees what the first computation saw: the same autocast state, and the
/// `generators` (dropout, drop path) rewound to their state before the first computation, then
/// put back (PyTorch's `preserve_rng_state`). The gradients are exactly those of `body(input)`
/// computed plainly. The tensors `body` uses besides `input` (parameters) receive their gradients
/// while backward recomputes, as in PyTorch; without grad mode `body(input)` is just called.
public func activationCheckpoint(_ input: Tensor, preserving generators: [Generator] = [], _ body: @escaping (Tensor) -> Tensor)
    -> Tensor
{
    guard Engine.isGradEnabled else { return body(input) }
    let piece = CheckpointedPiece(body: body, generators: generators)
    var out: OpaquePointer?
    let context = Unmanaged.passRetained(piece).toOpaque()
    // kt_checkpoint releases the context once, whatever happens.
    orTrap {
        try check(
            kt_checkpoint(
                { context, input, replay, output in
                    Unmanaged<CheckpointedPiece>.fromOpaque(context!).takeUnretainedValue().run(input!, replay: replay, output: output!)
                }, context, { Unmanaged<CheckpointedPiece>.fromOpaque($0!).release() }, input.handle, &out),
            "activationCheckpoint")
    }
    return Tensor(owning: out!)
}

/// The function a checkpoint computes twice, and the generator states it must see both times.
private final class CheckpointedPiece {
    let body: (Tensor) -> Tensor
    let generators: [Generator]
    /// The generators' states before the first computation.
    var states: [Tensor] = []

    init(body: @escaping (Tensor) -> Tensor, generators: [Generator]) {
        self.body = body
        self.generators = generators
    }

    /// Computes `body` on the shim's `input` into `output` (+1); the replay rewinds the generators
    /// for its duration.
    func run(_ input: OpaquePointer, replay: Bool, output: UnsafeMutablePointer<OpaquePointer?>) -> Int32 {
        var alias: OpaquePointer?
        let status = kt_tensor_alias(input, &alias)
        guard status == 0, let alias else { return status }
        let x = Tensor(owning: alias)
        do throws(TorchError) {
            if replay {
                let current = try generators.map { g throws(TorchError) in try g.state }
                for (generator, state) in zip(generators, states) { try generator.setState(state) }
                defer { for (generator, state) in zip(generators, current) { try? generator.setState(state) } }
                return handOver(body(x), to: output)
            }
            states = try generators.map { g throws(TorchError) in try g.state }
            return handOver(body(x), to: output)
        } catch {
            return error.code.rawValue
        }
    }

    /// A new handle to `result` in `output` (+1 for the shim), made while `result` is alive.
    private func handOver(_ result: Tensor, to output: UnsafeMutablePointer<OpaquePointer?>) -> Int32 {
        withExtendedLifetime(result) { kt_tensor_alias(result.handle, output) }
    }
}
