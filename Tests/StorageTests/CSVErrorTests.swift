import Testing
@testable import Storage

/// Every way a CSV file or its schema can be wrong, with the exact message and where it
/// points (file:line:column, the column counted in characters).
@Suite("CSV errors")
struct CSVErrorTests {
    @Test("a row with too few fields")
    func tooFewFields() {
        let e = loadError("id,a,b\n1,2,3\n4,5\n")
        #expect(e?.description == "t.csv:3:4: 2 fields on this line, the header has 3")
    }

    @Test("a row with too many fields points at the first extra one")
    func tooManyFields() {
        let e = loadError("id,a,b\n1,2,3\n4,5,6,7,8\n")
        #expect(e?.description == "t.csv:3:7: 5 fields on this line, the header has 3")
    }

    @Test("an unclosed quote points at the opening quote")
    func unclosedQuote() {
        let e = loadError("id,name\n1,ok\n2,\"never closed\n3,x\n")
        #expect(e?.description == "t.csv:3:3: unclosed quote: this quoted field never ends")
    }

    @Test("text after a closing quote")
    func textAfterQuote() {
        let e = loadError("id,name\n1,\"a\"b\n")
        #expect(e?.description == "t.csv:2:6: expected a comma or the end of the line after the closing quote")
    }

    @Test("a cell that does not fit its declared type")
    func declaredTypeMismatch() {
        let schema = "[t.columns]\ninvestment = { type = \"money\", unit = \"万元\" }\n"
        let e = loadError("name,investment\n城关镇项目,3500\n河口乡项目,三千万\n", schema: schema)
        #expect(e?.description == "t.csv:3:7: '三千万' in column 'investment' is not an amount in 万元 (schema.toml declares money(万元))")
    }

    @Test("a date column with an impossible date")
    func badDate() {
        let e = loadError("d\n2015-02-28\n2015-02-30\n", schema: "[t.columns]\nd = \"date\"\n")
        #expect(e?.description == "t.csv:3:1: '2015-02-30' in column 'd' is not a date (2015-03-01, 2015/3/1 or 2015年3月1日) (schema.toml declares date)")
    }

    @Test("a value outside a category's declared order, with a suggestion")
    func undeclaredCategoryValue() {
        let schema = "[t.columns]\nstage = { type = \"category\", order = [\"lead\", \"signed\"] }\n"
        let e = loadError("id,stage\n1,lead\n2,Signed\n", schema: schema)
        #expect(e?.description == "t.csv:3:3: 'Signed' is not one of the declared values of 'stage' (lead, signed); did you mean 'signed'?")
    }

    @Test("a duplicate column name, compared case-insensitively")
    func duplicateHeader() {
        let e = loadError("id,name,ID\n1,a,2\n")
        #expect(e?.description == "t.csv:1:9: duplicate column name 'ID' (column 1 has it too)")
    }

    @Test("a schema.toml syntax error names its line and column")
    func schemaSyntax() {
        let scratch = Scratch()
        scratch.write("t.csv", "a\n1\n")
        scratch.write("schema.toml", "[t.columns]\na = { type = \"int\"\n")
        #expect(throws: LoadError.self) { try Dataset.open(path: scratch.path) }
        do {
            _ = try Dataset.open(path: scratch.path)
        } catch {
            #expect(lastPathComponent(error.file) == "schema.toml")
            #expect(error.line == 2)
            #expect(error.message.hasPrefix("schema syntax error:"))
        }
    }

    @Test("a schema column the file lacks, with a suggestion")
    func schemaColumnMissing() {
        let e = loadError("name,investment\nx,1\n", schema: "[t.columns]\n\ninvestmnt = \"decimal\"\n")
        #expect(e?.description == "schema.toml:3:1: schema.toml declares column 'investmnt' for table 't', but t.csv has no such column; did you mean 'investment'? (its columns: name, investment)")
    }

    @Test("a schema with an unknown type")
    func schemaUnknownType() {
        let e = loadError("a\n1\n", schema: "[t.columns]\na = \"integr\"\n")
        #expect(e?.description == "schema.toml:2:1: unknown type 'integr' for column 'a'; did you mean 'int'? (types: int, decimal, float, percent, money, text, category, date, timestamp, bool)")
    }

    @Test("a schema table with no CSV file")
    func schemaTableMissing() {
        let scratch = Scratch()
        scratch.write("projects.csv", "a\n1\n")
        scratch.write("schema.toml", "[projects.columns]\na = \"int\"\n[project.columns]\nb = \"int\"\n")
        do {
            _ = try Dataset.open(path: scratch.path)
            Issue.record("loaded")
        } catch {
            #expect(lastPathComponent(error.file) == "schema.toml")
            #expect(error.line == 3)
            #expect(error.message.hasPrefix("schema.toml declares table 'project', but there is no project.csv or sheet project in"))
        }
    }

    @Test("bytes that are neither UTF-8 nor GB18030")
    func undecodableFile() {
        let scratch = Scratch()
        let file = scratch.write("t.csv", bytes: Array("id,name\n1,ok\n2,".utf8) + [0xFF, 0xFE] + Array("\n".utf8))
        do {
            _ = try Dataset.open(path: file)
            Issue.record("loaded")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 3)
            #expect(error.message.hasPrefix("undecodable bytes: the file is neither UTF-8 nor GB18030"))
        }
    }

    @Test("invalid UTF-8 past the part that decided the encoding")
    func invalidUTF8Later() {
        let scratch = Scratch()
        let file = scratch.write("t.csv", bytes: Array("id,name\n1,plain ascii\n2,".utf8) + [0xE6, 0x9C] + Array("x\n".utf8))
        do {
            _ = try CSVLoader.load(path: file, name: "t", blockSize: 16)
            Issue.record("loaded")
        } catch {
            #expect(error.description.hasSuffix("t.csv:3:3: undecodable bytes in column 'name': not valid UTF-8"))
        }
    }

    @Test("an empty file")
    func emptyFile() {
        let e = loadError("")
        #expect(e?.description == "t.csv: the file is empty: a CSV file needs a header line")
    }

    @Test("a dataset that fails to load yields no catalog")
    func allOrNothing() {
        let scratch = Scratch()
        scratch.write("a.csv", "x\n1\n")
        scratch.write("b.csv", "x,y\n1\n")
        #expect(throws: LoadError.self) { try Dataset.open(path: scratch.path) }
    }
}
