/// Why a dataset did not load, and where: `FILE:LINE:COLUMN: message`. Line and column are
/// 1-based; the column counts characters, not bytes, so it matches what an editor shows.
public struct LoadError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + message
    }
}
