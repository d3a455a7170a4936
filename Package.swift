// swift-tools-version: 6.1
// Kinema: self-supervised motion representation learning for video (MoSI, MME, CGM-Net) on libtorch
// and OpenCV. The engines are found through pkg-config files that `make setup` writes; see
// ARCHITECTURE.md for the layers (edges point down only) and the C-boundary contract.
import PackageDescription

let package = Package(
    name: "Kinema",
    products: [
        .library(name: "KinemaTensor", targets: ["KinemaTensor"]),
        .library(name: "KinemaNN", targets: ["KinemaNN", "KinemaOptim"]),
        .library(name: "KinemaVideo", targets: ["KinemaVideo", "KinemaMotion"]),
        .executable(name: "kinema", targets: ["kinema"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Engines behind C shims (built by the Makefile, linked through pkg-config).
        .systemLibrary(name: "CKinemaTorch", pkgConfig: "kinema-torch"),
        .systemLibrary(name: "CKinemaCV", pkgConfig: "kinema-cv"),

        // Video and motion layers (OpenCV only, no libtorch).
        .target(name: "KinemaVideo", dependencies: ["CKinemaCV"]),
        .target(name: "KinemaMotion", dependencies: ["KinemaVideo", "CKinemaCV"]),

        // Compute layers.
        .target(name: "KinemaTensor", dependencies: ["CKinemaTorch"]),
        .target(name: "KinemaNN", dependencies: ["KinemaTensor"]),
        .target(name: "KinemaOptim", dependencies: ["KinemaTensor", "KinemaNN"]),

        // Command-line tool and benchmarks.
        .executableTarget(
            name: "kinema",
            dependencies: [
                "KinemaTensor", "KinemaNN", "KinemaOptim", "KinemaVideo", "KinemaMotion",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .executableTarget(name: "kinema-bench", dependencies: ["KinemaTensor", "KinemaNN", "KinemaOptim"]),

        // Tests.
        .target(name: "KinemaTestSupport", dependencies: ["KinemaTensor"], path: "Tests/Support"),
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "CKinemaTorchTests", dependencies: ["CKinemaTorch"]),
        .testTarget(name: "KinemaTensorTests", dependencies: ["KinemaTensor", "KinemaTestSupport"]),
        .testTarget(name: "KinemaNNTests", dependencies: ["KinemaNN", "KinemaTestSupport"]),
        .testTarget(name: "KinemaOptimTests", dependencies: ["KinemaOptim", "KinemaTestSupport"]),
        .testTarget(name: "KinemaVideoTests", dependencies: ["KinemaVideo", "CKinemaCV"]),
        .testTarget(name: "KinemaMotionTests", dependencies: ["KinemaMotion", "KinemaVideo"]),
    ],
    swiftLanguageModes: [.v6]
)
