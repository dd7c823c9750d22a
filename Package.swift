// swift-tools-version:6.0
import PackageDescription

// No dependencies, on purpose: a run of projq should take a few milliseconds, start-up
// included, so what is linked into the static binary matters. CSV parsing, the snapshot format
// and the column kernels are our own code because they are the hot paths; the reader of
// schema.toml (Storage/CSV/TOMLReader) and the command line (projq/CommandLineOptions) because
// the packages that did them cost more start-up than a whole query: TOMLKit imports Foundation
// (Calendar and Date), which linked all of Foundation and ICU into an 83 MB binary, and
// swift-argument-parser finds the options by reflection and protocol-conformance lookups, a
// third of the start-up time. Nothing in Sources/ imports Foundation.
let package = Package(
    name: "projq",
    products: [
        .executable(name: "projq", targets: ["projq"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "Query", targets: ["Query"]),
        .library(name: "Repl", targets: ["Repl"]),
    ],
    targets: [
        // libedit's header (Debian's libedit-dev). Not linked: see CLazyLibraries.
        .systemLibrary(name: "CLibEdit", providers: [.apt(["libedit-dev"])]),
        // libxlsxwriter through pkg-config (Debian's libxlsxwriter-dev): Excel workbooks for the
        // meeting's reports, with native charts the office can restyle. A well-kept library for
        // a format (OOXML parts, zip, shared strings, chart XML) that is no hot path.
        .systemLibrary(
            name: "CXLSXWriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // Workbooks the office keeps its ledger in (issue 13), each format through the Debian
        // library that reads it well, so projq opens them without Foundation or a DOM:
        // libzip (libzip-dev) for the .xlsx archive — a maintained reader of zip's corner cases
        // (data descriptors, zip64, ZipCrypto refusal) we would otherwise hand-roll on zlib;
        // expat (libexpat1-dev) for the small XML parts (workbook, styles, shared strings,
        // relationships), a SAX parser that needs no tree — a sheet's own XML, the hot path, is
        // read by Storage/Workbook/SheetScanner instead; FreeXL (libfreexl-dev) for legacy .xls
        // (BIFF8 in a compound file), the only packaged C reader of it.
        .systemLibrary(name: "CZip", providers: [.apt(["libzip-dev"])]),
        // libzip and libxlsxwriter (their headers from the -dev packages) are not linked: each
        // brings OpenSSL's libcrypto, whose loading cost every run 2-3 ms at start-up. Their
        // functions are defined in CLazyLibraries, which loads the library on first use; so are
        // libedit's, expat's and FreeXL's, which most runs do not use either (0.4 ms at start-up).
        .target(name: "CLazyLibraries", linkerSettings: [.linkedLibrary("dl")]),
        .systemLibrary(name: "CExpat", providers: [.apt(["libexpat1-dev"])]),
        .systemLibrary(name: "CFreeXL", providers: [.apt(["libfreexl-dev"])]),
        // The terminal's C side, for the shell only: non-variadic wrappers for libedit's variadic
        // API, the SIGINT flag, the stdio globals Swift 6 will not touch.
        .target(name: "CTerminal", dependencies: ["CLibEdit", "CLazyLibraries"]),
        // C loops the store and the engine share: the snapshot checksum, substring search.
        .target(name: "CKernels"),
        // Text helpers every layer uses: display width, "did you mean", line and column of an offset,
        // and the message catalogue (every message in English and Chinese) with the language switch.
        .target(name: "TextSupport"),
        .target(
            name: "Storage",
            dependencies: ["CKernels", "TextSupport", "CZip", "CExpat", "CFreeXL", "CLazyLibraries"]
        ),
        .target(name: "Query", dependencies: ["Storage", "CKernels", "TextSupport"]),
        .target(name: "Repl", dependencies: ["Storage", "Query", "TextSupport", "CTerminal", "CLibEdit", "CXLSXWriter", "CLazyLibraries"]),
        // Before main(): a run on large data starts again with glibc's heaps in huge pages.
        .target(name: "CStart"),
        .executableTarget(
            name: "projq",
            dependencies: ["Repl", "Storage", "TextSupport", "CStart"]
        ),
        // Fuzzing (`make fuzz`): the entries, and a binary that is libFuzzer's target when built
        // with -sanitize=fuzzer and a replayer of inputs otherwise.
        .target(name: "FuzzEntry", dependencies: ["Query", "Storage", "CKernels"], path: "Tests/fuzz/FuzzEntry"),
        .executableTarget(name: "projq-fuzz", dependencies: ["FuzzEntry"], path: "Tests/fuzz/FuzzMain",
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TextSupport"], exclude: ["Data"]),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Storage", "Repl", "TextSupport", "FuzzEntry"], exclude: ["Golden", "Data"]),
        .testTarget(name: "ReplTests", dependencies: ["Repl", "Storage", "TextSupport", "projq"], exclude: ["Data"]),
    ]
)
