// swift-tools-version: 6.1
// A package of its own that depends on Kinema, as a Swift developer's would: see
// docs/using-kinema-in-your-package.md. Built and run by `make test` (`make example`) with nothing
// but PKG_CONFIG_PATH pointing at a `make install` prefix.
import PackageDescription

let package = Package(
    name: "KinemaHello",
    // Outside this checkout: .package(url: "https://…/kinema.git", revision: "<the installed commit>").
    // `name:` because a path dependency is otherwise known by its folder's name, which differs
    // between checkouts (and worktrees).
    dependencies: [.package(name: "Kinema", path: "../..")],
    targets: [
        .executableTarget(
            name: "kinema-hello",
            dependencies: [
                .product(name: "KinemaTensor", package: "Kinema"),
                .product(name: "KinemaNN", package: "Kinema"),  // KinemaNN, KinemaOptim and KinemaModels
                .product(name: "KinemaVideo", package: "Kinema"),
            ])
    ],
    swiftLanguageModes: [.v6]
)
