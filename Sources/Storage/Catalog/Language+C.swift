import TextSupport
import CKernels

extension Language {
    /// Makes `language` the process's language (`Language.processWide`) and the language of the
    /// messages written from C — the out-of-memory and SIGBUS messages, which a signal handler
    /// writes without asking Swift.
    public static func choose(_ language: Language) {
        processWide = language
        projq_set_chinese(language == .chinese ? 1 : 0)
    }
}
