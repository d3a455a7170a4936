import Testing
import KinemaTensor

@Test func addsTwoTensors() {
    let a = Tensor([1, 2, 3] as [Float])
    let b = Tensor([10, 20, 30] as [Float])
    #expect((a + b).array(of: Float.self) == [11, 22, 33])
}
