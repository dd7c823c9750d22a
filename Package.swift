// swift-tools-version:6.0
import PackageDescription

// Dependencies, and why each: swift-argument-parser gives the command line its help text,
// errors and exit codes. CSV parsing, the snapshot format and the column kernels are our own
// code because they are the hot paths. So is the reader of schema.toml (Storage/CSV/TOMLReader):
// TOMLKit, used before, imports Foundation (Calendar and Date), which links all of Foundation
// and ICU into the static binary (83 MB); a run of projq takes about 5 ms, and loading and
// relocating that binary was a large part of it.
let package = Package(
    name: "projq",
    products: [
        .executable(name: "projq", targets: ["projq"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "Query", targets: ["Query"]),
        .library(name: "Repl", targets: ["Repl"]),
    ],
    dependencies: [
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
            dependencies: ["CKernels", "TextSupport"]
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
