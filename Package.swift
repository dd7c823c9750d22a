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
        // The terminal's C side, for the shell only: non-variadic wrappers for libedit's variadic
        // API, the SIGINT flag, the stdio globals Swift 6 will not touch.
        .target(name: "CTerminal", dependencies: ["CLibEdit"]),
        // C loops the store and the engine share: the snapshot checksum, substring search.
        .target(name: "CKernels"),
        // Text helpers every layer uses: display width, "did you mean", line and column of an offset.
        .target(name: "TextSupport"),
        .target(
            name: "Storage",
            dependencies: ["CKernels", "TextSupport", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(name: "Query", dependencies: ["Storage", "CKernels", "TextSupport"]),
        .target(name: "Repl", dependencies: ["Storage", "Query", "TextSupport", "CTerminal", "CLibEdit"]),
        .executableTarget(
            name: "projq",
            dependencies: ["Repl", "Storage", "TextSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TextSupport"]),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Storage", "Repl", "TextSupport"], exclude: ["Golden", "Data"]),
        .testTarget(name: "ReplTests", dependencies: ["Repl", "Storage", "TextSupport", "projq"], exclude: ["Data"]),
    ]
)
