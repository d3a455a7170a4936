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
        .executable(name: "kinema", targets: ["kinema"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Engines behind C shims (built by the Makefile, linked through pkg-config).
        .systemLibrary(name: "CKinemaTorch", pkgConfig: "kinema-torch"),

        // Compute layers.
        .target(name: "KinemaTensor", dependencies: ["CKinemaTorch"]),
        .target(name: "KinemaNN", dependencies: ["KinemaTensor"]),
        .target(name: "KinemaOptim", dependencies: ["KinemaTensor", "KinemaNN"]),

        // Command-line tool and benchmarks.
        .executableTarget(
            name: "kinema",
            dependencies: [
                "KinemaTensor", "KinemaNN", "KinemaOptim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Tests.
        .target(name: "KinemaTestSupport", dependencies: ["KinemaTensor"], path: "Tests/Support"),
        .testTarget(name: "KinemaTensorTests", dependencies: ["KinemaTensor", "KinemaTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
