import TextSupport

/// The help and the usage errors, written for a terminal 80 columns wide.
extension CommandLineOptions {
    /// The synopsis, in the pieces a line may be broken between.
    static let usageParts = ["[DATA]", "[-c QUERY]...", "[-f FILE]", "[--format FORMAT]", "[--bom]", "[--encoding ENCODING]", "[--report FILE]", "[--set NAME=VALUE]...", "[--attach NAME=PATH]...", "[--strict]", "[--history FILE]", "[--no-cache]", "[--memory-limit SIZE]", "[--lang zh|en]"]
    static let usage = "projq " + usageParts.joined(separator: " ")

    /// The text of `projq --help`.
    static var help: String {
        var s = HelpText.overview() + "\n\n"
        // `USAGE: projq` and the options, continued under the first of them.
        let head = HelpText.usageHeading("projq ")
        s += head + wrap(usageParts, indent: DisplayWidth.of(head)).dropFirst(DisplayWidth.of(head)) + "\n"
        s += wrap(HelpText.commandLineIntro(), indent: 0)
        s += "\n" + HelpText.argumentsHeading() + "\n"
        s += entry("DATA", HelpText.dataArgument())
        s += "\n" + HelpText.optionsHeading() + "\n"
        for option in Option.allCases { s += entry(option.synopsis, option.help) }
        return s
    }

    /// What a usage error prints on standard error: the message, the help of the option it is
    /// about, the usage.
    static func message(for error: UsageError) -> String {
        var s = QueryMessage.errorLabel() + error.message + "\n"
        if let option = error.option { s += ShellMessage.usageErrorHelp(option.synopsis, option.help) + "\n" }
        return s + ShellMessage.usageErrorUsage(usage) + "\n"
    }

    static let width = 80
    /// The column where the options' explanations start (after two spaces and the synopsis).
    static let helpColumn = 26

    /// `  -c QUERY                Run statements ...`, the explanation wrapped at `helpColumn`
    /// (on a line of its own when the synopsis is too long).
    static func entry(_ synopsis: String, _ help: String) -> String {
        var s = "  " + synopsis
        if DisplayWidth.of(s) + 2 > helpColumn {
            s += "\n" + String(repeating: " ", count: helpColumn)
        } else {
            s += String(repeating: " ", count: helpColumn - s.count)
        }
        return s + wrap(help, indent: helpColumn).dropFirst(helpColumn)
    }

    /// Each line of `text` broken into lines of at most `width` columns, each starting with
    /// `indent` spaces: at spaces, and in Chinese between any two characters.
    static func wrap(_ text: String, indent: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrap(breakable(Substring($0)), indent: indent) }
            .joined()
    }

    /// `text` as the pieces a line may be broken between, each with whether a space comes before
    /// it: its words, and each Chinese character apart, a closing mark (`，` `）`) kept with the
    /// character before it so that no line starts with one.
    static func breakable(_ text: Substring) -> [(text: String, spaced: Bool)] {
        var pieces: [(text: String, spaced: Bool)] = []
        var spaced = false
        var word = ""
        func endWord() {
            if !word.isEmpty { pieces.append((word, spaced)); spaced = false; word = "" }
        }
        for c in text {
            if c == " " {
                endWord()
                spaced = !pieces.isEmpty
            } else if DisplayWidth.of(String(c)) == 2 {
                if "，。、；：）」』？！".contains(c), word.isEmpty, !pieces.isEmpty {
                    pieces[pieces.count - 1].text.append(c)
                } else {
                    endWord()
                    word.append(c)
                    endWord()
                }
            } else {
                word.append(c)
            }
        }
        endWord()
        return pieces
    }

    /// `words`, in lines of at most `width` display columns (a longer word alone on its line),
    /// each starting with `indent` spaces.
    static func wrap(_ words: [(text: String, spaced: Bool)], indent: Int) -> String {
        let margin = String(repeating: " ", count: indent)
        var out = ""
        var line = margin
        var lineWidth = indent
        for (word, spaced) in words {
            let gap = lineWidth > indent && spaced ? 1 : 0
            let w = DisplayWidth.of(word)
            if lineWidth > indent, lineWidth + gap + w > width {
                out += line + "\n"
                line = margin
                lineWidth = indent
            }
            let sep = lineWidth > indent && spaced ? " " : ""
            line += sep + word
            lineWidth += sep.count + w
        }
        return out + line + "\n"
    }

    /// The synopsis's pieces, each after a space.
    static func wrap(_ words: [String], indent: Int) -> String {
        wrap(words.map { ($0, true) }, indent: indent)
    }
}
