import Storage

/// A column as a clause sees it before anything runs: its name and type, the dictionary its
/// codes index (a category's values, kept through grouping, joins and selects so that
/// `where stage >= signed` still compares places in the funnel), and the table column its
/// values are drawn from, if any, whose zone map bounds them (the planner sizes dense grouping
/// and direct join tables from it).
struct ColumnInfo {
    var name: String
    var type: DataType
    var dictionary: StringDictionary?
    /// A stored column whose values include all of this column's (the same column under a
    /// filter, a sort, a join or a select).
    var base: Column?

    init(name: String, type: DataType, dictionary: StringDictionary? = nil, base: Column? = nil) {
        self.name = name
        self.type = type
        self.dictionary = dictionary
        self.base = base
    }

    init(_ column: Column) {
        self.init(name: column.name, type: column.type, dictionary: column.dictionary, base: column)
    }

    func renamed(_ name: String) -> ColumnInfo {
        var c = self
        c.name = name
        return c
    }
}

/// The columns in scope for a clause, in order.
typealias Schema = [ColumnInfo]

extension Array where Element == ColumnInfo {
    /// The column called `name`, exact match first, then case-insensitively (names are matched
    /// the way the language matches them).
    func index(of name: String) -> Int? {
        if let i = firstIndex(where: { $0.name == name }) { return i }
        let key = name.lowercased()
        return firstIndex { $0.name.lowercased() == key }
    }
}
