import KinemaTensor
#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
let a = Tensor.ones([4])
let b = Tensor.ones([4])
for _ in 0..<1000 { _ = a + b }
let n = 10000
let t0 = now()
for _ in 0..<n { _ = a + b }
print("kinema add us", (now() - t0) / Double(n) * 1e6)
