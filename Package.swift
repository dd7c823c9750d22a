// swift-tools-version:6.0
import PackageDescription

// Dependencies, and why each: TOMLKit reads schema.toml (a TOML parser is not a hot path, and
// toml++ underneath is well kept); swift-argument-parser gives the command line its help text,
// errors and exit codes. CSV parsing, the snapshot format and the column kernels are our own
// code because they are the hot paths.
let package = Package(
    name: "projq",
    products: [
        .executable(name: "projq", targets: ["projq"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "Query", targets: ["Query"]),
        .library(name: "Repl", targets: ["Repl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/LebJe/TOMLKit.git", exact: "0.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // libedit through pkg-config; Debian's libedit-dev provides it.
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // Small C helpers: non-variadic wrappers for libedit's variadic API, the SIGINT flag,
        // the stdio globals Swift 6 will not touch, and the snapshot checksum loop.
        .target(name: "CShim", dependencies: ["CLibEdit"]),
        .target(
            name: "Storage",
            dependencies: ["CShim", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(name: "Query", dependencies: ["Storage", "CShim"]),
        .target(name: "Repl", dependencies: ["Storage", "Query", "CShim", "CLibEdit"]),
        .executableTarget(
            name: "projq",
            dependencies: ["Repl", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Storage", "Repl"], exclude: ["Golden", "Data"]),
        .testTarget(name: "ReplTests", dependencies: ["Repl", "Storage", "projq"], exclude: ["Data"]),
    ]
)
