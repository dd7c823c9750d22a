import Storage
import Query
#if canImport(Glibc)
import Glibc
#endif
import TextSupport

/// TAB completion by context: dot-commands at the start of a line, file names after the
/// dot-commands that take one, table names first and after `join`, a category's values after
/// `=`, `!=` or inside `in (`, and otherwise the columns the pipeline has at the cursor and the
/// language's keywords. The columns at the cursor are those the statement's clauses before the
/// one being typed leave — bound, not run — so after `sum 投资额 as 签约额 by 责任单位 | join 单位
/// on 责任单位 = 单位 | select ` they are 责任单位, 签约额 and the columns of 单位.
public struct Completer {
    public let catalog: () -> Catalog

    public init(catalog: @escaping () -> Catalog) {
        self.catalog = catalog
    }

    public struct Result: Equatable {
        /// What can stand where the word before the cursor is.
        public var candidates: [String]
        /// What to insert at the cursor: the rest of a single candidate (and a space), or the
        /// common prefix of several.
        public var insertion: String
    }

    static let keywords = ["where", "by", "across", "select", "sort", "top", "limit", "join", "on", "as", "if",
                           "count", "sum", "avg", "min", "max", "median", "distinct", "and", "or", "not", "in",
                           "between", "contains", "is", "null", "asc", "desc", "true", "false"]
        + Engine.functionNames

    /// Completes the text before the cursor.
    public func complete(_ before: String) -> Result {
        let chars = Array(before)
        // The word being typed: letters, digits, _ (Chinese too), or a path for file commands.
        let trimmedStart = before.drop { $0 == " " || $0 == "\t" }
        if trimmedStart.hasPrefix(".") {
            let parts = trimmedStart.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 1 {
                let typed = String(parts[0].dropFirst())
                return finish(typed, Session.commands.map { $0.name }, prefix: ".", caseInsensitive: true, addSpace: true)
            }
            let name = parts[0].dropFirst().lowercased()
            if Session.commands.first(where: { $0.name == name })?.takesFile == true {
                let argument = String(parts[1].split(separator: " ", omittingEmptySubsequences: false).last ?? "")
                return files(argument)
            }
            if name == "schema" || name == "help" {
                let typed = String(parts[1])
                let names = name == "schema" ? catalog().tables.map(\.name) : Session.commands.map(\.name)
                return finish(typed, names, caseInsensitive: true, addSpace: false)
            }
            return Result(candidates: [], insertion: "")
        }
        var wordStart = chars.count
        while wordStart > 0, isWordCharacter(chars[wordStart - 1]) { wordStart -= 1 }
        let typed = String(chars[wordStart...])
        // An opening quote before the word: a value being quoted.
        var quote: Character? = nil
        if wordStart > 0, chars[wordStart - 1] == "'" || chars[wordStart - 1] == "\"" { quote = chars[wordStart - 1] }
        let before = String(chars[..<(quote == nil ? wordStart : wordStart - 1)])
        let words = tokens(before)
        let tables = catalog().tables
        // The first word, and after join: a table.
        if words.isEmpty || words.last?.lowercased() == "join" {
            return finish(typed, tables.map(\.name), caseInsensitive: true, addSpace: true)
        }
        let columns = pipelineColumns(before) ?? []
        // After =, != or inside in (…): values of that column, if it is a category.
        if let name = valueContext(words),
           let values = (columns.first { $0.name == name } ?? columns.first { $0.name.lowercased() == name.lowercased() })?.values {
            if let quote {
                return finish(typed, values, caseInsensitive: false, addSpace: false, suffix: String(quote))
            }
            return finish(typed, values, caseInsensitive: false, addSpace: true, quoteIfNeeded: true)
        }
        var names = columns.map(\.name)
        if words.last?.lowercased() == "on", let joined = joinedTable(words) { names += joined.columns.map(\.name) }
        return finish(typed, names + Completer.keywords, caseInsensitive: true, addSpace: true)
    }

    /// Words that start a clause (an aggregation starts with its first aggregate).
    static let clauseWords: Set<String> = ["where", "select", "sort", "top", "limit", "join", "total", "rank", "across",
                                           "changes", "count", "sum", "avg", "min", "max", "median"]

    /// The columns the pipeline has where the clause being typed starts: the longest stretch of
    /// the statement, ending before a clause, that binds.
    func pipelineColumns(_ text: String) -> [PipelineColumn]? {
        let chars = Array(text)
        let engine = Engine(catalog())
        for cut in [chars.count] + clauseStarts(chars).reversed() {
            var prefix = String(chars[..<cut]).trimmingWhitespace
            while prefix.hasSuffix("|") { prefix = String(prefix.dropLast()).trimmingWhitespace }
            if prefix.isEmpty { continue }
            if let columns = engine.columns(after: prefix) { return columns }
        }
        return nil
    }

    /// Where the clauses of `chars` start: each `|`, and each clause word outside quotes and
    /// parentheses.
    func clauseStarts(_ chars: [Character]) -> [Int] {
        var starts: [Int] = []
        var quote: Character? = nil
        var depth = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q { quote = nil }
                i += 1
                continue
            }
            if c == "'" || c == "\"" || c == "`" {
                quote = c
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth = Swift.max(0, depth - 1)
            } else if c == "|", depth == 0 {
                starts.append(i)
            } else if isWordCharacter(c) {
                var j = i
                while j < chars.count, isWordCharacter(chars[j]) { j += 1 }
                if depth == 0, Completer.clauseWords.contains(String(chars[i..<j]).lowercased()) { starts.append(i) }
                i = j
                continue
            }
            i += 1
        }
        return starts
    }

    func isWordCharacter(_ c: Character) -> Bool {
        c == "_" || c.isLetter || c.isNumber
    }

    /// The statement's tokens before the cursor, roughly (names, operators, parentheses).
    func tokens(_ s: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quote: Character? = nil
        for c in s {
            if let q = quote {
                current.append(c)
                if c == q { out.append(current); current = ""; quote = nil }
                continue
            }
            if c == "'" || c == "\"" {
                if !current.isEmpty { out.append(current); current = "" }
                quote = c
                current.append(c)
            } else if isWordCharacter(c) || c == "`" {
                current.append(c)
            } else {
                if !current.isEmpty { out.append(current); current = "" }
                if "=!<>".contains(c) {
                    if let last = out.last, last.allSatisfy({ "=!<>".contains($0) }), last.count == 1 { out[out.count - 1] += String(c) } else { out.append(String(c)) }
                } else if "(),|".contains(c) {
                    out.append(String(c))
                }
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The column whose value is being typed: `COLUMN = ▮`, `COLUMN != ▮`, `COLUMN in (a, ▮`.
    func valueContext(_ words: [String]) -> String? {
        guard let last = words.last else { return nil }
        if ["=", "!=", "<>", "==", "<", "<=", ">", ">="].contains(last), words.count >= 2 { return words[words.count - 2] }
        // Inside an in-list: back to the '(' that follows `in`.
        var i = words.count - 1
        while i >= 0, words[i] != "(" {
            if words[i] == ")" { return nil }
            i -= 1
        }
        if i >= 2, words[i - 1].lowercased() == "in" {
            let column = words[i - 2].lowercased() == "not" && i >= 3 ? words[i - 3] : words[i - 2]
            return column
        }
        return nil
    }

    func joinedTable(_ words: [String]) -> Table? {
        guard let j = words.lastIndex(where: { $0.lowercased() == "join" }), j + 1 < words.count else { return nil }
        return catalog().table(named: words[j + 1])
    }

    func finish(_ typed: String, _ names: [String], prefix: String = "", caseInsensitive: Bool, addSpace: Bool,
                suffix: String = "", quoteIfNeeded: Bool = false) -> Result {
        var seen = Set<String>()
        let matches = names.filter { name in
            let ok = caseInsensitive ? name.lowercased().hasPrefix(typed.lowercased()) : name.hasPrefix(typed)
            return ok && seen.insert(name).inserted
        }
        guard !matches.isEmpty else { return Result(candidates: [], insertion: "") }
        if matches.count == 1 {
            let m = matches[0]
            if quoteIfNeeded, typed.isEmpty, !m.allSatisfy(isWordCharacter) {
                return Result(candidates: matches, insertion: "'" + m.replacingAll(["'": "''"]) + "' ")
            }
            let rest = String(m.dropFirst(typed.count))
            return Result(candidates: matches, insertion: rest + suffix + (addSpace ? " " : ""))
        }
        // The longest prefix all the matches share, beyond what is typed.
        var common = Array(matches[0])
        for m in matches.dropFirst() {
            let a = Array(m)
            var k = 0
            while k < common.count, k < a.count,
                  caseInsensitive ? String(common[k]).lowercased() == String(a[k]).lowercased() : common[k] == a[k] { k += 1 }
            common = Array(common[0..<k])
        }
        let insertion = common.count > typed.count ? String(common[typed.count...]) : ""
        return Result(candidates: matches.map { prefix + $0 }, insertion: insertion)
    }

    /// File names that start with the typed path.
    func files(_ typed: String) -> Result {
        let slash = typed.lastIndex(of: "/")
        let folder = slash.map { String(typed[...$0]) } ?? ""
        let stem = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        guard let entries = directoryEntries(folder.isEmpty ? "." : folder) else { return Result(candidates: [], insertion: "") }
        var names: [String] = []
        for name in entries {
            if name.hasPrefix(".") && !stem.hasPrefix(".") { continue }
            var st = stat()
            let isDir = stat(folder + name, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
            names.append(isDir ? name + "/" : name)
        }
        names.sort()
        let r = finish(stem, names, caseInsensitive: false, addSpace: false)
        if r.candidates.count == 1, !r.candidates[0].hasSuffix("/") {
            return Result(candidates: r.candidates, insertion: r.insertion + " ")
        }
        return r
    }

    /// Candidates in columns across the terminal, for a list under the line.
    public static func columns(_ items: [String], width: Int) -> String {
        let w = (items.map { DisplayWidth.of($0) }.max() ?? 0) + 2
        let perLine = max(1, width / max(1, w))
        var out = ""
        for (i, item) in items.enumerated() {
            out += item + String(repeating: " ", count: w - DisplayWidth.of(item))
            if (i + 1) % perLine == 0 || i == items.count - 1 {
                while out.hasSuffix(" ") { out.removeLast() }
                out += "\n"
            }
        }
        return out
    }
}
