import Testing
import KinemaVideo

@Test func reportsOpenCVVersion() {
    #expect(OpenCV.version.hasPrefix("4."))
}
