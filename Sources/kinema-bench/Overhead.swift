import KinemaTensor

/// `--only overhead`: the per-op cost of crossing into libtorch: `ops` adds of 4-element tensors,
/// where the arithmetic is negligible and what is timed is dispatch, Kinema's against PyTorch
/// eager's (Python loop included, as users write it). All three sides are timed the same way: one
/// untimed pass, then `rounds` interleaved timed passes; medians, and the ratio with its interval.
func overheadBench(references: References, rounds: Int, ops: Int = 10_000) throws {
    let a = Tensor.ones([4])
    let b = Tensor.ones([4])
    let kinema = Side(name: "kinema") { count in
        let start = now()
        for _ in 0..<count { _ = a + b }
        return now() - start
    }
    let pytorch = [references.pytorchDefault, references.pytorchBest].map { server in
        Side(name: server.name) { try server.seconds("overhead \($0)") }
    }
    let sides = [kinema] + pytorch
    _ = try interleaved(sides, rounds: 1, count: ops)
    let seconds = try interleaved(sides, rounds: rounds, count: ops)
    let versusDefault = RatioInterval(kinema: seconds[0], reference: seconds[1])
    let versusBest = RatioInterval(kinema: seconds[0], reference: seconds[2])
    print(String(format: "per-op overhead (%d adds of 4 floats, %d rounds): kinema=%.2fus pytorch-default=%.2fus pytorch-best=%.2fus  K/PyTorch-default %@  K/PyTorch-best %@",
        ops, rounds, median(seconds[0]) * 1e6, median(seconds[1]) * 1e6, median(seconds[2]) * 1e6, versusDefault.text, versusBest.text))
}
