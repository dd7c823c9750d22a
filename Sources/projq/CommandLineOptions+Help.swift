/// The help and the usage errors, written for a terminal 80 columns wide.
extension CommandLineOptions {
    /// The synopsis, in the pieces a line may be broken between.
    static let usageParts = ["[DATA]", "[-c QUERY]...", "[-f FILE]", "[--format FORMAT]", "[--bom]", "[--encoding ENCODING]", "[--report FILE]", "[--set NAME=VALUE]...", "[--attach NAME=PATH]...", "[--strict]", "[--history FILE]", "[--no-cache]", "[--memory-limit SIZE]"]
    static let usage = "projq " + usageParts.joined(separator: " ")

    /// The text of `projq --help`.
    static var help: String {
        var s = "OVERVIEW: A query shell for investment-attraction project ledgers.\n\n"
        // `USAGE: projq` and the options, continued under the first of them.
        let head = "USAGE: projq "
        s += head + wrap(usageParts, indent: head.count).dropFirst(head.count) + "\n"
        s += wrap("""
            DATA is a dataset folder (CSV files and an optional schema.toml), one CSV file, \
            or a snapshot; without it, projq opens examples/county if it is there.
            Without -c or -f, projq reads statements: interactively on a terminal, else as \
            a script from standard input.
            Exit status: 0 success, 1 a query error (the first one stops a script), 2 a \
            usage or data error.
            """, indent: 0)
        s += "\nARGUMENTS:\n"
        s += entry("DATA", "A dataset folder, a .csv file or a snapshot file.")
        s += "\nOPTIONS:\n"
        for option in Option.allCases { s += entry(option.synopsis, option.help) }
        return s
    }

    /// What a usage error prints on standard error: the message, the help of the option it is
    /// about, the usage.
    static func message(for error: UsageError) -> String {
        var s = "error: \(error.message)\n"
        if let option = error.option { s += "Help:  \(option.synopsis)  \(option.help)\n" }
        return s + "Usage: \(usage)\n  See 'projq --help' for more information.\n"
    }

    static let width = 80
    /// The column where the options' explanations start (after two spaces and the synopsis).
    static let helpColumn = 26

    /// `  -c QUERY                Run statements ...`, the explanation wrapped at `helpColumn`
    /// (on a line of its own when the synopsis is too long).
    static func entry(_ synopsis: String, _ help: String) -> String {
        var s = "  " + synopsis
        if s.count + 2 > helpColumn {
            s += "\n" + String(repeating: " ", count: helpColumn)
        } else {
            s += String(repeating: " ", count: helpColumn - s.count)
        }
        return s + wrap(help, indent: helpColumn).dropFirst(helpColumn)
    }

    /// Each line of `text` broken at spaces into lines of at most `width` columns, each
    /// starting with `indent` spaces.
    static func wrap(_ text: String, indent: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrap($0.split(separator: " ").map(String.init), indent: indent) }
            .joined()
    }

    /// `words` separated by spaces, in lines of at most `width` columns (a longer word alone
    /// on its line), each starting with `indent` spaces. The help is ASCII, so a character is
    /// a column.
    static func wrap(_ words: [String], indent: Int) -> String {
        let margin = String(repeating: " ", count: indent)
        var out = ""
        var line = margin
        for word in words {
            if line.count > indent, line.count + 1 + word.count > width {
                out += line + "\n"
                line = margin
            }
            line += (line.count > indent ? " " : "") + word
        }
        return out + line + "\n"
    }
}
