import Testing
@testable import Storage

/// schema.toml as `DatasetSchema.parse` and a dataset folder read it: the declarations it
/// makes, and its errors with the place they point at (`schema.toml:LINE:COLUMN`).
@Suite("schema.toml")
struct SchemaTests {
    static let readme = """
    [projects.columns]
    investment = { type = "money", unit = "万元" }
    stage = { type = "category", order = ["lead", "negotiating", "signed", "started", "operating"] }
    signed_on = "date"

    ["项目".columns]
    "阶段" = { type = "category", order = ["线索", "在谈", "签约", "开工", "投产"] }
    "投资额" = { type = "money", unit = "亿元" }
    """

    @Test("every toml block of the README parses; its null-marker example declares the three levels")
    func readmeBlocks() throws {
        let text = String(decoding: readWholeFile(repositoryRoot + "/README.md") ?? [], as: UTF8.self)
        var blocks: [String] = []
        var current: [Substring]? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "```toml" { current = [] } else if line == "```", let c = current {
                blocks.append(c.joined(separator: "\n"))
                current = nil
            } else { current?.append(line) }
        }
        #expect(blocks.count >= 2)
        for block in blocks { _ = try DatasetSchema.parse(block, path: "README.md") }
        let markers = try #require(blocks.first { $0.contains("null = ") })
        let schema = try DatasetSchema.parse(markers, path: "README.md")
        #expect(schema.nullMarkers == ["NA"])
        #expect(schema.nullMarkers(of: "projects") == ["-", "无"])
        #expect(schema.columns(of: "projects")?["investment"]?.nullMarkers == ["-999"])
    }

    @Test("the README's schema declares types, units and orders, in English and Chinese")
    func declarations() throws {
        let schema = try DatasetSchema.parse(SchemaTests.readme, path: "schema.toml")
        let projects = try #require(schema.columns(of: "projects"))
        #expect(projects["investment"] == ColumnSpec(type: .money(.wan, scale: 0), order: nil))
        #expect(projects["stage"] == ColumnSpec(type: .category(ordered: true), order: ["lead", "negotiating", "signed", "started", "operating"]))
        #expect(projects["signed_on"] == ColumnSpec(type: .date, order: nil))
        let chinese = try #require(schema.columns(of: "项目"))
        #expect(chinese["阶段"] == ColumnSpec(type: .category(ordered: true), order: ["线索", "在谈", "签约", "开工", "投产"]))
        #expect(chinese["投资额"] == ColumnSpec(type: .money(.yi, scale: 0), order: nil))
    }

    @Test("a column may also be declared as a [TABLE.columns.COLUMN] section")
    func columnSection() throws {
        let schema = try DatasetSchema.parse("[t.columns.investment]\ntype = \"money\"\nunit = \"万元\"\n", path: "schema.toml")
        #expect(schema.columns(of: "t")?["investment"] == ColumnSpec(type: .money(.wan, scale: 0), order: nil))
    }

    @Test("a syntax error is `schema syntax error:` at the place the reader stopped")
    func syntaxError() {
        #expect(parseError("[t.columns]\na = { type = \"int\"\n")
                == "schema.toml:2:19: schema syntax error: expected ',' or '}' in the inline table that starts at 2:5, found the end of the line: an inline table is written on one line")
        #expect(parseError("[t.columns]\nsigned_on = date\n")
                == "schema.toml:2:13: schema syntax error: expected \(TOMLReader.aValue), found 'date': text needs quotes: \"date\"")
        #expect(parseError("[t.columns]\na = \"int\"\nA = \"int\"\na = \"date\"\n")
                == "schema.toml:4:1: schema syntax error: duplicate key 'a' (first at 2:1)")
    }

    @Test("null markers at three levels: the file, a table, a column")
    func nullMarkerLevels() throws {
        let schema = try DatasetSchema.parse("null = [\"NA\"]\n[a]\nnull = [\"-\", \"无\"]\n[a.columns]\nx = { type = \"int\", null = [\"-999\"] }\ny = \"int\"\n[b.columns]\nz = \"date\"\n",
                                             path: "schema.toml")
        #expect(schema.nullMarkers == ["NA"])
        #expect(schema.nullMarkers(of: "a") == ["-", "无"])
        #expect(schema.nullMarkers(of: "b") == ["NA"])
        #expect(schema.columns(of: "a")?["x"]?.nullMarkers == ["-999"])
        #expect(schema.columns(of: "a")?["y"]?.nullMarkers == nil)
    }

    @Test("declarations that read as TOML but mean nothing to projq, each pointing at its place", arguments: [
        ("t = \"int\"", "schema.toml:1:1: 't' should be a table section like [t.columns]"),
        ("[t.colums]\na = \"int\"", "schema.toml:1:1: unknown key 'colums' in table 't'; expected [t.columns], null = [...] or header = N"),
        ("[t]\nname = \"x\"", "schema.toml:2:1: unknown key 'name' in table 't'; expected [t.columns], null = [...] or header = N"),
        ("[t]\ncolumns = \"int\"", "schema.toml:2:1: columns of 't' should be a table section [t.columns] of column = type lines"),
        ("[t.columns]\na = 1", "schema.toml:2:1: column 'a' of 't' should be a type name or { type = ... }"),
        ("[t.columns]\na = { unit = \"万元\" }", "schema.toml:2:1: column 'a' of 't' needs type = \"...\" (one of int, decimal, float, percent, money, text, category, date, timestamp, bool)"),
        ("[t.columns]\na = { type = \"money\", unit = \"万元\", digits = 2 }", "schema.toml:2:36: unknown key 'digits' for column 'a'; expected type, unit, order, order_from, null or scale"),
        ("[t.columns]\na = { type = \"money\", unit = \"万元\", scale = 12 }", "schema.toml:2:44: scale of 'a' should be a whole number of digits after the point, 0 to 9"),
        ("[t.columns]\na = { type = \"int\", scale = 2 }", "schema.toml:2:21: scale is only for decimal, money and percent columns, and 'a' is int"),
        ("[t.columns]\na = { type = \"money\" }", "schema.toml:2:1: money column 'a' needs a unit: \"元\", \"万元\" or \"亿元\""),
        ("[t.columns]\na = { type = \"money\", unit = 10000 }", "schema.toml:2:30: unit of 'a' should be text: \"元\", \"万元\" or \"亿元\""),
        ("[t.columns]\na = { type = \"money\", unit = \"千元\" }", "schema.toml:2:30: unknown money unit '千元' for 'a'; expected 元, 万元 or 亿元"),
        ("[t.columns]\na = { type = \"text\", unit = \"万元\" }", "schema.toml:2:22: unit is only for money columns, and 'a' is text"),
        ("[t.columns]\na = \"integr\"", "schema.toml:2:1: unknown type 'integr' for column 'a'; did you mean 'int'? (types: int, decimal, float, percent, money, text, category, date, timestamp, bool)"),
        ("[t.columns]\na = { type = \"category\", order = \"lead\" }", "schema.toml:2:34: order of 'a' should be a list of values"),
        ("[t.columns]\na = { type = \"category\", order = [\"lead\", 2] }", "schema.toml:2:43: order of 'a' should list text values"),
        ("[t.columns]\n阶段 = \"text\"", "schema.toml:2:1: schema syntax error: expected a key, found '阶段': a name of other characters than A-Z, a-z, 0-9, _ and - needs quotes: \"阶段\""),
        ("[t.columns]\n\"阶段\" = { type = \"category\", order = [\"签约\", \"在谈\", \"签约\"] }", "schema.toml:2:50: order of '阶段' lists '签约' twice"),
        ("[t.columns]\na = { type = \"category\", order = [] }", "schema.toml:2:26: order of 'a' is empty"),
        ("[t.columns]\na = { type = \"date\", order = [\"x\"] }", "schema.toml:2:22: order is only for category columns, and 'a' is date"),
        ("null = \"NA\"", "schema.toml:1:8: null of the schema should be a list of markers, like null = [\"NA\", \"-\"]"),
        ("[t]\nnull = [\"NA\", 1]", "schema.toml:2:15: null of table 't' should list non-empty text markers"),
        ("[t.columns]\na = { type = \"int\", null = \"-\" }", "schema.toml:2:28: null of 'a' should be a list of markers, like null = [\"NA\", \"-\"]"),
        ("[t.columns]\na = { type = \"int\", null = [\"\"] }", "schema.toml:2:29: null of 'a' should list non-empty text markers"),
        ("[t.columns]\na = { type = \"category\", order_from = \"units\" }", "schema.toml:2:39: order_from of 'a' should name a table's column, like \"units.unit\""),
        ("[t.columns]\na = { type = \"text\", order_from = \"units.unit\" }", "schema.toml:2:35: order_from is only for category columns, and 'a' is text"),
        ("[t.columns]\na = { type = \"category\", order = [\"x\"], order_from = \"u.u\" }", "schema.toml:2:41: 'a' has both order and order_from; keep one"),
    ])
    func meaningless(text: String, error: String) {
        #expect(parseError(text) == error)
    }

    @Test("a dataset folder: the schema's types reach the tables, Chinese names and values included")
    func folder() throws {
        let scratch = Scratch()
        scratch.write("项目.csv", "名称,阶段,投资额\n城关镇机械厂,签约,1.5\n河口乡农场,线索,\n")
        scratch.write("schema.toml", """
        # 投资额 in 亿元; 阶段 in the order of the funnel.
        ["项目".columns]
        "阶段" = { type = "category", order = ["线索", "在谈", "签约"] }
        '投资额' = { type = "money", unit = "亿元" }
        """)
        let catalog = try Dataset.open(path: scratch.path)
        let table = try #require(catalog.tables.first)
        #expect(table.name == "项目")
        #expect(table.column(named: "阶段")?.type == .category(ordered: true))
        #expect(table.column(named: "投资额")?.type == .money(.yi, scale: 1))
        #expect(table.column(named: "阶段")?.dictionary?.allValues == ["线索", "在谈", "签约"])
    }

    @Test("a dataset folder whose schema.toml does not read fails with the file's path, line and column")
    func folderSyntaxError() {
        let scratch = Scratch()
        scratch.write("t.csv", "a\n1\n")
        scratch.write("schema.toml", "[t.columns]\na = { type = \"int\" }\nb = 1.5\n")
        do {
            _ = try Dataset.open(path: scratch.path)
            Issue.record("loaded")
        } catch {
            #expect(error.description == "\(scratch.path)/schema.toml:3:5: schema syntax error: expected \(TOMLReader.aValue), found 1.5: floats are not supported")
        }
    }

    /// The error `DatasetSchema.parse` gives for `text`, as it is printed.
    func parseError(_ text: String) -> String? {
        do {
            _ = try DatasetSchema.parse(text, path: "schema.toml")
            return nil
        } catch {
            return error.description
        }
    }
}

@Suite("order_from: a category's order from another table")
struct OrderFromTests {
    /// A dataset of projects whose unit takes its order from units.csv (loaded after it, by
    /// name, but the dependency is loaded first).
    func dataset(_ schema: String, units: String = "unit\n乙\n甲\n丙\n") -> Scratch {
        let scratch = Scratch()
        scratch.write("a_projects.csv", "id,unit\n1,甲\n2,乙\n3,丙\n4,甲\n")
        scratch.write("units.csv", units)
        scratch.write("schema.toml", schema)
        return scratch
    }

    @Test("the order is the column's values in file order; the tables stay in file order")
    func order() throws {
        let scratch = dataset("[a_projects.columns]\nunit = { type = \"category\", order_from = \"units.unit\" }\n")
        let catalog = try Dataset.open(path: scratch.path)
        #expect(catalog.tables.map(\.name) == ["a_projects", "units"])
        let unit = try #require(catalog.table(named: "a_projects")?.column(named: "unit"))
        #expect(unit.type == .category(ordered: true))
        #expect(unit.dictionary?.allValues == ["乙", "甲", "丙"])
    }

    @Test("a missing table or column, or a value outside the order, is an error at its place")
    func errors() {
        func message(_ scratch: Scratch) -> String {
            do { _ = try Dataset.open(path: scratch.path); return "" } catch { return "\(error)" }
        }
        let noTable = dataset("[a_projects.columns]\nunit = { type = \"category\", order_from = \"depts.unit\" }\n")
        #expect(message(noTable).hasSuffix("schema.toml:2:42: order_from of 'unit' names table 'depts', which is not loaded (a dataset's tables, or the open dataset's for .load)"))
        let noColumn = dataset("[a_projects.columns]\nunit = { type = \"category\", order_from = \"units.name\" }\n")
        #expect(message(noColumn).hasSuffix("schema.toml:2:42: order_from of 'unit': table 'units' has no column 'name' (columns: unit)"))
        let outside = dataset("[a_projects.columns]\nunit = { type = \"category\", order_from = \"units.unit\" }\n", units: "unit\n乙\n甲\n")
        #expect(message(outside).contains("a_projects.csv:4:"))
        #expect(message(outside).contains("'丙' is not one of the declared values of 'unit' (乙, 甲)"))
    }
}
