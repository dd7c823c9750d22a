/// The whole catalogue: every message, by the enum it belongs to, for the tests that check
/// that each has both languages and for a translator to read.
public enum MessageCatalogue {
    /// Each message's name (`QueryMessage.unknownTable`) and its two templates.
    public static var entries: [(name: String, english: String, chinese: String)] {
        func list<M: CatalogueMessage>(_ type: M.Type) -> [(name: String, english: String, chinese: String)] {
            M.allCases.map { ("\(M.self).\($0)", $0.texts.english, $0.texts.chinese) }
        }
        return list(QueryMessage.self) + list(StorageMessage.self) + list(SnapshotMessage.self) + list(SchemaMessage.self)
            + list(DataMessage.self) + list(ShellMessage.self) + list(HelpText.self)
    }
}
