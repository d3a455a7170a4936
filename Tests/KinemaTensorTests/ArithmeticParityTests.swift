import KinemaTensor
import KinemaTestSupport
import Testing

/// Element-wise arithmetic, scalar overloads, type promotion, comparisons, in-place ops and dtype
/// conversion against PyTorch (ops.safetensors, "arith.*", "promo.*", "cmp.*", "inplace.*", "convert.*").
@Suite struct ArithmeticParityTests {
    @Test func binaryOperationsMatchPyTorch() throws {
        let f = try opsFixture()
        let a = try f.tensor("arith.a"), b = try f.tensor("arith.b")
        let c = try f.tensor("arith.c"), pos = try f.tensor("arith.pos")
        let cases: [(String, Tensor)] = [
            ("add", a + b), ("add_alpha", a.add(b, alpha: 2.5)), ("sub", a - b),
            ("sub_alpha", a.subtract(b, alpha: 0.5)),
            ("mul", a * b), ("div", a / b), ("floor_divide", a.floorDivide(b)), ("pow", pos.pow(a)),
            ("pow_scalar", a.pow(2)), ("pow_half", pos.pow(0.5)), ("maximum", a.maximum(b)), ("minimum", a.minimum(b)),
            ("atan2", a.atan2(b)), ("lerp", a.lerp(c, weight: 0.3)), ("addcmul", a.addcmul(b, c, value: 0.5)),
            ("addcdiv", a.addcdiv(c, pos, value: 2)), ("remainder", a.remainder(1.5)),
            ("clamp", a.clamped(min: -0.5, max: 0.7)), ("clamp_min", a.clamped(min: 0.1)),
            ("plus_scalar", a + 2), ("minus_scalar", a - 1.5), ("scalar_minus", 3 - a), ("times_scalar", a * 2),
            ("over_scalar", a / 4), ("scalar_over", 2 / pos),
        ]
        for (name, actual) in cases {
            expectParity(actual, try f.tensor("arith.\(name)"), name)
        }
        #expect((2 + a).isEqual(to: a + 2) && (2 * a).isEqual(to: a * 2))
    }

    @Test func unaryOperationsMatchPyTorch() throws {
        let f = try opsFixture()
        let (a, pos) = (try f.tensor("arith.a"), try f.tensor("arith.pos"))
        let cases: [(String, Tensor)] = [
            ("neg", -a), ("abs", a.abs()), ("sign", a.sign()), ("sqrt", pos.sqrt()), ("rsqrt", pos.rsqrt()),
            ("square", a.square()), ("exp", a.exp()), ("log", pos.log()), ("log1p", pos.log1p()), ("sin", a.sin()),
            ("cos", a.cos()), ("floor", a.floor()), ("ceil", a.ceil()), ("reciprocal", pos.reciprocal()),
            ("erf", a.erf()),
        ]
        for (name, actual) in cases {
            expectParity(actual, try f.tensor("arith.unary.\(name)"), name)
        }
        // Half-way cases round to even, like torch.round.
        expectParity(try f.tensor("arith.half").rounded(), try f.tensor("arith.round"))
    }

    @Test func typePromotionMatchesPyTorch() throws {
        let f = try opsFixture()
        let ia = try f.tensor("promo.ia"), ib = try f.tensor("promo.ib")
        let i32 = try f.tensor("promo.i32"), flags = try f.tensor("promo.flags")
        let a = try f.tensor("arith.a")
        let cases: [(String, Tensor)] = [
            ("int_plus_int", ia + 1), ("int_plus_double", ia + 1.5), ("int_div_int", ia / ib),
            ("int_times_float", ia * a), ("double_plus_float", a.to(.float64) + a), ("int32_plus_int64", i32 + ib),
            ("bool_plus_int", flags + ib), ("int_floor_divide", ia.floorDivide(ib)), ("int32_times_scalar", i32 * 3),
        ]
        for (name, actual) in cases {
            expectParity(actual, try f.tensor("promo.\(name)"), name)
        }
    }

    @Test func comparisonsMatchPyTorch() throws {
        let f = try opsFixture()
        let (ia, ib, a) = (try f.tensor("promo.ia"), try f.tensor("promo.ib"), try f.tensor("arith.a"))
        let cases: [(String, Tensor)] = [
            ("eq", ia .== ib), ("ne", ia .!= ib), ("lt", ia .< ib), ("le", ia .<= ib), ("gt", ia .> ib),
            ("ge", ia .>= ib),
            ("eq_scalar", a .== 0.1), ("ne_scalar", a .!= 0.1), ("lt_scalar", a .< 0.1), ("le_scalar", a .<= 0.1),
            ("gt_scalar", a .> 0.1), ("ge_scalar", a .>= 0.1),
        ]
        for (name, actual) in cases {
            expectParity(actual, try f.tensor("cmp.\(name)"), name)
        }
        let (p, q, special) = (try f.tensor("cmp.p"), try f.tensor("cmp.q"), try f.tensor("cmp.special"))
        expectParity(p.logicalAnd(q), try f.tensor("cmp.and"))
        expectParity(p.logicalOr(q), try f.tensor("cmp.or"))
        expectParity(p.logicalXor(q), try f.tensor("cmp.xor"))
        expectParity(p.logicalNot(), try f.tensor("cmp.not"))
        expectParity(special.isNaN(), try f.tensor("cmp.isnan"))
        expectParity(special.isFinite(), try f.tensor("cmp.isfinite"))
    }

    @Test func wholeTensorComparisons() throws {
        let a = try opsFixture().tensor("arith.a")
        #expect(a.isEqual(to: a.copied()))
        #expect(!a.isEqual(to: a + 1e-3))
        #expect(!a.isEqual(to: a.reshaped([4, 3])), "same values, different shape")
        #expect(a.isClose(to: a + 1e-7))
        #expect(!a.isClose(to: a + 1e-3))
    }

    @Test func inPlaceOperationsMatchPyTorch() throws {
        let f = try opsFixture()
        let a = try f.tensor("arith.a"), b = try f.tensor("arith.b")
        let c = try f.tensor("arith.c"), pos = try f.tensor("arith.pos")
        let cases: [(String, (Tensor) -> Void)] = [
            ("add_", { $0.addInPlace(b, alpha: 2) }), ("sub_", { $0.subtractInPlace(b) }),
            ("mul_", { $0.multiplyInPlace(b) }), ("mul_scalar_", { $0.multiplyInPlace(2.0) }),
            ("div_", { $0.divideInPlace(pos) }), ("div_scalar_", { $0.divideInPlace(4) }),
            ("addcmul_", { $0.addcmulInPlace(b, c, value: 0.5) }),
            ("addcdiv_", { $0.addcdivInPlace(c, pos, value: 2) }),
            ("lerp_", { $0.lerpInPlace(c, weight: 0.3) }), ("clamp_", { $0.clampInPlace(min: -0.5, max: 0.5) }),
            ("zero_", { $0.zeroInPlace() }), ("fill_", { $0.fillInPlace(3) }), ("copy_", { $0.copyInPlace(from: b) }),
        ]
        for (name, operation) in cases {
            let x = a.copied()
            operation(x)
            expectParity(x, try f.tensor("inplace.\(name)"), name)
        }
        let root = pos.copied()
        root.sqrtInPlace()
        expectParity(root, try f.tensor("inplace.sqrt_"))
        #expect(!a.isEqual(to: try f.tensor("inplace.zero_")), "copied() must not alias its source")
    }

    @Test func conversionsMatchPyTorch() throws {
        let f = try opsFixture()
        let a = try f.tensor("convert.a")
        expectParity(a.to(.int32), try f.tensor("convert.int32"), "truncates towards zero")
        expectParity(a.to(.float64), try f.tensor("convert.float64"))
        expectParity(a.rounded().to(.bool), try f.tensor("convert.bool"))
        expectParity(a.to(.float16), try f.tensor("convert.float16"))
        expectParity(a.abs().to(.uint8), try f.tensor("convert.uint8"))
        // Same dtype, no copy requested: PyTorch returns the tensor itself.
        #expect(try a.checked.to(.float32).isSameTensor(as: a))
        #expect(!(try a.checked.to(.float32, copy: true).isSameTensor(as: a)))
    }
}
