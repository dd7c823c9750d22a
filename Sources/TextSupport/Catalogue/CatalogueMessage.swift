/// An entry of projq's message catalogue: one message written in English and in Chinese, side
/// by side. The catalogue is the enums that conform (`QueryMessage`, `StorageMessage`,
/// `ShellMessage`, `HelpText`); `MessageCatalogue` lists them.
///
/// `{1}`, `{2}`, … stand for the arguments, in the order the call gives them; each language
/// places them where its grammar wants. A brace not around a digit is text (`{QUERY}`).
/// Identifiers, keywords, column names and code stay as written in both languages.
///
///     throw Diagnostic(QueryMessage.unknownTable(name), at: range)
///     // English: unknown table 'projects'    Chinese: 未知的表 'projects'
public protocol CatalogueMessage: CaseIterable, Sendable {
    /// The message's text in each language, with `{N}` placeholders.
    var texts: (english: String, chinese: String) { get }
}

extension CatalogueMessage {
    /// The template in `language`.
    public func template(in language: Language) -> String {
        language == .chinese ? texts.chinese : texts.english
    }

    /// The message in `language` (by default the current one), `{N}` replaced by the Nth
    /// argument as `\(…)` would write it.
    public func callAsFunction(_ arguments: Any..., in language: Language = .current) -> String {
        MessageTemplate.fill(template(in: language), arguments.map { "\($0)" }, spacing: language == .chinese)
    }

    /// `n` things: `one` when English wants the singular (`1 row`), else `other` (`74 rows`);
    /// Chinese has one form, so both entries say the same there (`74 行`).
    public static func count(_ n: Int, one: Self, other: Self, in language: Language = .current) -> String {
        (n == 1 ? one : other)(n, in: language)
    }
}

/// The `{N}` placeholders of a catalogue template.
public enum MessageTemplate {
    /// `template` with each `{N}` replaced by `arguments[N - 1]`. With `spacing` (Chinese), an
    /// argument that meets a Chinese character of the template with a Latin letter, digit or
    /// quote is set off by a space, as Chinese typesetting wants (`缺少 'by'`, `缺少表名`), so
    /// that a template need not know whether its argument will be Chinese or code.
    public static func fill(_ template: String, _ arguments: [String], spacing: Bool = false) -> String {
        assert(placeholders(in: template).allSatisfy { $0 <= arguments.count },
               "'\(template)' needs more than \(arguments.count) arguments")
        guard template.contains("{") else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            let digits = after.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, after.dropFirst(digits.count).first == "}", let n = Int(digits), n >= 1, n <= arguments.count {
                let argument = arguments[n - 1]
                rest = after.dropFirst(digits.count + 1)
                if spacing, let l = out.last, let a = argument.first, isIdeograph(l) && isLatin(a) { out.append(" ") }
                out += argument
                if spacing, let a = argument.last, let r = rest.first, isLatin(a) && isIdeograph(r) { out.append(" ") }
            } else {
                out.append("{")
                rest = after
            }
        }
        return out + rest
    }

    private static func isIdeograph(_ c: Character) -> Bool {
        c.unicodeScalars.first!.properties.isIdeographic
    }

    /// A character of code or of a Latin word: what a Chinese sentence sets off by a space.
    private static func isLatin(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || "'\"`$@_.-(".contains(c))
    }

    /// The numbers of the `{N}` placeholders in `template`, in order of appearance.
    public static func placeholders(in template: String) -> [Int] {
        var found: [Int] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            let digits = after.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, after.dropFirst(digits.count).first == "}", let n = Int(digits) { found.append(n) }
            rest = after
        }
        return found
    }
}
