import Synchronization

/// The language projq speaks to its user: its messages, notes, help, footers and errors. Data,
/// identifiers, keywords and default result headers (`count`, `sum_investment`) are never
/// translated.
///
/// Chosen once at start-up — `--lang`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`) — and
/// changed by `.lang`. Messages are made where the problem is found, deep in the engine and the
/// store, so a parameter threaded to every `throw` would touch every function on the way; the
/// language is instead one process-wide value (`current`) that renderers read, which a task may
/// override for itself (`scoped`) so that tests in one process can speak both languages at once.
public enum Language: String, Sendable, CaseIterable {
    case english = "en"
    case chinese = "zh"

    /// The language messages are written in now: the task's own (`scoped`), else the process's.
    public static var current: Language { scoped ?? processWide }

    /// The process's language: set at start-up and by `.lang`.
    public static var processWide: Language {
        get { Language.allCases[Int(storage.load(ordering: .relaxed))] }
        set { storage.store(UInt8(Language.allCases.firstIndex(of: newValue)!), ordering: .relaxed) }
    }

    /// A language for the current task and its child tasks only (`Language.$scoped.withValue(.chinese) { … }`).
    @TaskLocal public static var scoped: Language?

    /// An atomic, because worker threads that build messages (a join's memory refusal) read it
    /// while the shell's thread may be the one that set it.
    private static let storage = Atomic<UInt8>(0)

    /// The language a name on the command line or after `.lang` means: `zh`, `zh_CN`, `chinese`,
    /// `中文`; `en`, `en_US`, `english`, `英文`. Nil for anything else.
    public init?(name: String) {
        let n = name.lowercased()
        if n == "zh" || n.hasPrefix("zh_") || n.hasPrefix("zh-") || n == "chinese" || n == "中文" {
            self = .chinese
        } else if n == "en" || n.hasPrefix("en_") || n.hasPrefix("en-") || n == "english" || n == "英文" {
            self = .english
        } else {
            return nil
        }
    }

    /// The language of a POSIX locale, as the C library chooses the messages' locale: the first
    /// of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set and not empty. Chinese when it starts
    /// with `zh` (`zh_CN.UTF-8`, `zh_TW`), else English (`C.UTF-8`, `en_US`, none).
    public static func fromLocale(lcAll: String?, lcMessages: String?, lang: String?) -> Language {
        let locale = [lcAll, lcMessages, lang].lazy.compactMap { $0 }.first { !$0.isEmpty }
        return locale?.hasPrefix("zh") == true ? .chinese : .english
    }
}
