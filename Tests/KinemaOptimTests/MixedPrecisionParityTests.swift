import KinemaChecks
import KinemaOptim
import KinemaTestSupport
import Testing

// Reference: Tools/fixtures/gen_amp.py — PyTorch's AMP recipe (torch.autocast on the CPU, and
// torch.amp.GradScaler for fp16), six SGD steps of a small Conv3d-BatchNorm3d-Linear net. AMPReplay
// (Sources/KinemaChecks, also what the GPU check runs) replays it with MixedPrecision, the recipe
// Kinema's trainers run, and lists every difference beyond tolerances derived from the formats.
@Suite struct MixedPrecisionParityTests {
    @Test(arguments: Precision.allCases)
    func kinemasRecipeMatchesPyTorchs(_ precision: Precision) throws {
        let problems = try AMPReplay(fixture: try fixture("amp")).mismatches(precision, device: .cpu)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func theReplayNoticesAnotherRecipe() throws {
        // Control: float32 arithmetic does not pass for PyTorch's bf16 or fp16 run.
        let replay = AMPReplay(fixture: try fixture("amp"))
        #expect(!(try replay.mismatches(.fp32, device: .cpu, against: .bf16)).isEmpty)
        #expect(!(try replay.mismatches(.bf16, device: .cpu, against: .fp16)).isEmpty)
    }

    @Test func autocastIsScopedToTheRegion() throws {
        #expect(!Device.cpu.isAutocastEnabled)
        let inner = withAutocast(.cpu, dtype: .bfloat16) {
            withAutocast(.cpu, dtype: .float16) { Device.cpu.isAutocastEnabled }
        }
        #expect(inner)
        #expect(!Device.cpu.isAutocastEnabled)
        let a = Tensor.ones([2, 3])
        #expect(withAutocast(.cpu, dtype: .bfloat16) { a.matmul(a.transposed(0, 1)) }.dtype == .bfloat16)
        #expect(a.matmul(a.transposed(0, 1)).dtype == .float32)
    }
}
