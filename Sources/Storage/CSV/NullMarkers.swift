#if canImport(Glibc)
import Glibc
#endif

/// Cells that stand for a missing value besides the empty cell: what R writes (`NA`), what
/// statistics systems and Excel write (`N/A`, `NULL`, `#N/A`) and what Chinese exports put in an
/// empty box (`-`, `—`, `/`, `无`). Named in schema.toml (`null = [...]`), or, where it names
/// none, these built-in ones, read as null only in a column whose other cells are all numbers,
/// dates or booleans: in a text column they are text.
struct NullMarkers {
    static let builtIn = ["NA", "N/A", "NULL", "#N/A", "-", "—", "/", "无"]

    let strings: [String]
    private let bytes: [[UInt8]]

    init(_ strings: [String]) {
        self.strings = strings
        bytes = strings.map { Array($0.utf8) }
    }

    static let none = NullMarkers([])

    var isEmpty: Bool { strings.isEmpty }

    /// Which marker the cell `p[0..<n]` is, if any.
    @inline(__always)
    func index(of p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        for (k, m) in bytes.enumerated() where m.count == n {
            if m.withUnsafeBufferPointer({ memcmp($0.baseAddress!, p, n) == 0 }) { return k }
        }
        return nil
    }
}

/// How often a marker was read as null in a column, for `.schema`.
public struct NullMarkerCount: Sendable, Equatable {
    public var marker: String
    public var count: Int

    public init(marker: String, count: Int) {
        self.marker = marker
        self.count = count
    }
}
