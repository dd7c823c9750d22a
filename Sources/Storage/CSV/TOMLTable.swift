import TextSupport

/// A table of schema.toml: its keys in the order written, each with its value and where the key
/// is written. A class because `TOMLReader` keeps adding to the table a `[section]` opened, and
/// to tables a later `[a.b]` reaches through; it is not changed once read.
final class TOMLTable {
    /// How the table came to be, which decides what may still add to it (the TOML rules):
    /// a table named only as the parent in a header (`projects` of `[projects.columns]`) may
    /// still get its own `[projects]` header, once; an inline table `{ ... }` is complete as
    /// written.
    enum Origin {
        case root, implicit, header, inline
    }

    struct Entry {
        let key: String
        /// Where the key is written; for a table made by a header, where the header's `[` is.
        let position: TextPosition
        let value: TOMLValue
    }

    private(set) var entries: [Entry] = []
    var origin: Origin

    init(origin: Origin) {
        self.origin = origin
    }

    var keys: [String] { entries.map(\.key) }

    func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }

    subscript(key: String) -> TOMLValue? { entry(key)?.value }

    /// Adds a key the table does not have yet (the reader checks for duplicates first).
    func append(_ entry: Entry) {
        precondition(self.entry(entry.key) == nil, "TOMLTable: duplicate key \(entry.key)")
        entries.append(entry)
    }
}
