// swift-tools-version: 6.1
// Kinema: self-supervised motion representation learning for video (MoSI, VideoMAE/MME, CGM-Net) on libtorch
// and OpenCV. The engines are found through pkg-config files that `make setup` writes; see
// docs/architecture-notes.md for the layers (edges point down only) and the C-boundary contract.
import PackageDescription

let package = Package(
    name: "Kinema",
    products: [
        .library(name: "KinemaTensor", targets: ["KinemaTensor"]),
        .library(name: "KinemaNN", targets: ["KinemaNN", "KinemaOptim", "KinemaModels"]),
        .library(name: "KinemaVideo", targets: ["KinemaVideo", "KinemaMotion"]),
        .executable(name: "kinema", targets: ["kinema"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // `make docs`: DocC API documentation (a command plugin; nothing links it).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // Engines behind C shims (built by the Makefile, linked through pkg-config).
        .systemLibrary(name: "CKinemaTorch", pkgConfig: "kinema-torch"),
        .systemLibrary(name: "CKinemaCV", pkgConfig: "kinema-cv"),

        // Video and motion layers (OpenCV only, no libtorch).
        .target(name: "KinemaFiles"),
        .target(name: "KinemaVideo", dependencies: ["CKinemaCV", "KinemaFiles"]),
        .target(name: "KinemaMotion", dependencies: ["KinemaVideo", "CKinemaCV", "KinemaFiles"]),

        // Compute layers.
        .target(name: "KinemaTensor", dependencies: ["CKinemaTorch", "KinemaFiles"]),
        .target(name: "KinemaNN", dependencies: ["KinemaTensor"]),
        .target(name: "KinemaOptim", dependencies: ["KinemaTensor", "KinemaNN"]),
        .target(name: "KinemaModels", dependencies: ["KinemaTensor", "KinemaNN"]),

        // Data, pretext tasks and training.
        .target(name: "KinemaData", dependencies: ["KinemaFiles", "KinemaTensor", "KinemaVideo"]),
        .target(name: "KinemaPretext", dependencies: ["KinemaTensor", "KinemaNN", "KinemaVideo", "KinemaData", "KinemaModels", "KinemaMotion"]),
        .target(
            name: "KinemaTrain",
            dependencies: [
                "KinemaFiles", "KinemaTensor", "KinemaNN", "KinemaOptim", "KinemaVideo", "KinemaData", "KinemaModels", "KinemaPretext",
                "KinemaVisualize", .product(name: "Yams", package: "Yams"),
            ]),
        .target(
            name: "KinemaVisualize",
            dependencies: ["KinemaFiles", "KinemaTensor", "KinemaNN", "KinemaModels", "KinemaVideo", "KinemaMotion", "KinemaData", "KinemaPretext"]),

        // Command-line tool and benchmarks.
        .executableTarget(
            name: "kinema",
            dependencies: [
                "KinemaFiles", "KinemaTensor", "KinemaNN", "KinemaOptim", "KinemaVideo", "KinemaMotion", "KinemaData", "KinemaPretext",
                "KinemaTrain", "KinemaVisualize", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .executableTarget(name: "kinema-video-bench", dependencies: ["KinemaMotion"]),
        // What Tools/device/check.sh runs on a GPU machine: the compute layers only, no OpenCV.
        .target(name: "KinemaChecks", dependencies: ["KinemaTensor", "KinemaNN", "KinemaOptim", "KinemaModels"]),
        .executableTarget(
            name: "kinema-device-check",
            dependencies: ["KinemaChecks", "KinemaTensor", "KinemaOptim", "KinemaModels", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "kinema-bench",
            dependencies: [
                "KinemaTensor", "KinemaNN", "KinemaOptim", "KinemaModels", "KinemaVideo", "KinemaData", "KinemaPretext", "KinemaTrain",
            ]),

        // Fuzzing (docs/fuzzing.md): the targets, one library shared by the libFuzzer driver that
        // `make fuzz` builds with sanitizers and by FuzzCorpusTests, which replays the committed corpus.
        .target(
            name: "KinemaFuzzTargets", dependencies: ["KinemaTensor", "KinemaMotion", "KinemaVideo", "KinemaData", "KinemaTrain"],
            path: "Fuzz/Targets"),
        .executableTarget(name: "kinema-fuzz", dependencies: ["KinemaFuzzTargets"], path: "Fuzz/Driver"),

        // Tests.
        .target(name: "KinemaFixtureSupport", path: "Tests/FixtureSupport"),
        .target(name: "KinemaTestSupport", dependencies: ["KinemaTensor", "KinemaFixtureSupport"], path: "Tests/Support"),
        .target(name: "KinemaMediaTestSupport", dependencies: ["KinemaVideo"], path: "Tests/MediaSupport"),
        .testTarget(name: "ArchitectureTests"),
        .testTarget(
            name: "RobustnessTests",
            dependencies: ["KinemaVideo", "KinemaMotion", "KinemaData", "KinemaTensor", "KinemaOptim", "KinemaTrain"]),
        .testTarget(name: "CKinemaTorchTests", dependencies: ["CKinemaTorch"]),
        .testTarget(name: "CKinemaCVTests", dependencies: ["CKinemaCV"]),
        .testTarget(
            name: "KinemaDataTests",
            dependencies: ["KinemaData", "KinemaTensor", "KinemaVideo", "KinemaTestSupport", "KinemaMediaTestSupport"]),
        // Runs the built `kinema` executable end to end (the dependency makes `--build-tests` build it).
        .testTarget(
            name: "KinemaCLITests",
            dependencies: ["kinema", "KinemaData", "KinemaOptim", "KinemaTensor", "KinemaMediaTestSupport", "KinemaTestSupport"]),
        .testTarget(
            name: "KinemaTrainTests",
            dependencies: [
                "KinemaTrain", "KinemaTensor", "KinemaNN", "KinemaOptim", "KinemaVideo", "KinemaMediaTestSupport", "KinemaTestSupport",
            ]),
        .testTarget(name: "KinemaTensorTests", dependencies: ["KinemaTensor", "KinemaTestSupport", "KinemaFixtureSupport"]),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["KinemaFuzzTargets"]),
        .testTarget(name: "KinemaNNTests", dependencies: ["KinemaNN", "KinemaTestSupport"]),
        .testTarget(name: "KinemaOptimTests", dependencies: ["KinemaOptim", "KinemaChecks", "KinemaTestSupport"]),
        .testTarget(name: "KinemaModelsTests", dependencies: ["KinemaModels", "KinemaTestSupport", "KinemaMediaTestSupport"]),
        .testTarget(name: "KinemaVideoTests", dependencies: ["KinemaVideo", "KinemaFiles", "CKinemaCV", "KinemaMediaTestSupport"]),
        .testTarget(
            name: "KinemaMotionTests",
            dependencies: ["KinemaMotion", "KinemaVideo", "KinemaMediaTestSupport", "KinemaFixtureSupport"]),
        .testTarget(
            name: "KinemaVisualizeTests",
            dependencies: ["KinemaVisualize", "KinemaPretext", "KinemaTestSupport", "KinemaMediaTestSupport"]),
        .testTarget(
            name: "KinemaPretextTests",
            dependencies: ["KinemaPretext", "KinemaData", "KinemaVideo", "KinemaTestSupport", "KinemaMediaTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
