import Testing
import TextSupport
@testable import Storage

/// The part of TOML schema.toml is written in, as `TOMLReader` reads it: what it accepts, and
/// every way it refuses a file, with the message and the line:column it points at.
@Suite("Reading schema.toml's TOML")
struct TOMLReaderTests {
    // MARK: What it reads

    @Test("the README's schema: headers with bare and quoted keys, strings, inline tables, lists, comments")
    func readmeSchema() throws {
        let root = try TOMLReader.read("""
        # What inference cannot know.
        [projects.columns]
        investment = { type = "money", unit = "万元" }   # amounts in 10,000 yuan
        stage = { type = "category", order = ["lead", "negotiating", "signed", "started", "operating"] }
        signed_on = "date"

        ["项目".columns]
        "阶段" = { type = "category", order = ["线索", "在谈", "签约", "开工", "投产"] }
        '责任单位' = 'text'

        """)
        #expect(root.keys == ["projects", "项目"])
        let projects = try #require(root["projects"]?.table?["columns"]?.table)
        #expect(projects.keys == ["investment", "stage", "signed_on"])
        #expect(projects["investment"]?.table?["type"]?.string == "money")
        #expect(projects["investment"]?.table?["unit"]?.string == "万元")
        #expect(projects["stage"]?.table?["order"]?.array?.compactMap(\.string) == ["lead", "negotiating", "signed", "started", "operating"])
        #expect(projects["signed_on"]?.string == "date")
        let chinese = try #require(root["项目"]?.table?["columns"]?.table)
        #expect(chinese.keys == ["阶段", "责任单位"])
        #expect(chinese["阶段"]?.table?["order"]?.array?.compactMap(\.string) == ["线索", "在谈", "签约", "开工", "投产"])
        #expect(chinese["责任单位"]?.string == "text")
    }

    @Test("positions are line:column in characters: a key's, a value's, a header's '['")
    func positions() throws {
        let root = try TOMLReader.read("""
        ["项目".columns]
          "阶段" = { type = "category" }
        """)
        let header = try #require(root.entry("项目"))
        #expect(header.position == TextPosition(line: 1, column: 1))
        let column = try #require(root["项目"]?.table?["columns"]?.table?.entry("阶段"))
        #expect(column.position == TextPosition(line: 2, column: 3))
        #expect(column.value.position == TextPosition(line: 2, column: 10))
        #expect(column.value.table?.entry("type")?.position == TextPosition(line: 2, column: 12))
        #expect(column.value.table?["type"]?.position == TextPosition(line: 2, column: 19))
    }

    @Test("a list over several lines, with comments, blank lines and a trailing comma")
    func multiLineList() throws {
        let root = try TOMLReader.read("""
        order = [
          "lead",        # first contact

          "signed",      # the contract
        ]
        empty = []
        nested = [[1, 2], ["a"], [], { type = "int" }]
        """)
        #expect(root["order"]?.array?.compactMap(\.string) == ["lead", "signed"])
        #expect(root["empty"]?.array?.isEmpty == true)
        let nested = try #require(root["nested"]?.array)
        #expect(nested.count == 4)
        #expect(nested[0].array?.compactMap(\.integer) == [1, 2])
        #expect(nested[1].array?.compactMap(\.string) == ["a"])
        #expect(nested[2].array?.isEmpty == true)
        #expect(nested[3].table?["type"]?.string == "int")
    }

    @Test("an inline table may hold a list that spans lines")
    func inlineTableWithLongList() throws {
        let root = try TOMLReader.read("""
        stage = { type = "category", order = [
            "lead", "signed",
        ] }
        """)
        #expect(root["stage"]?.table?["order"]?.array?.compactMap(\.string) == ["lead", "signed"])
    }

    @Test("integers (sign, _ between digits) and booleans")
    func integersAndBooleans() throws {
        let root = try TOMLReader.read("a = -12\nb = 1_000\nc = +3\nd = 0\ne = true\nf = false\ng = 9223372036854775807\n")
        #expect(root.keys.map { root[$0]?.integer } == [-12, 1000, 3, 0, nil, nil, Int.max])
        #expect(root["e"]?.boolean == true)
        #expect(root["f"]?.boolean == false)
    }

    @Test("basic strings take the TOML escapes; literal strings take none")
    func escapes() throws {
        let root = try TOMLReader.read(#"""
        tab = "a\tb"
        quote = "say \"签约\" \\ done"
        controls = "\b\f\n\r"
        short = "\u4E07元"
        long = "\U0001F4B0"
        literal = 'C:\no\escapes "here"'
        empty = ""
        "quoted key\twith tab" = 1
        """#)
        #expect(root["tab"]?.string == "a\tb")
        #expect(root["quote"]?.string == "say \"签约\" \\ done")
        #expect(root["controls"]?.string == "\u{8}\u{C}\n\r")
        #expect(root["short"]?.string == "万元")
        #expect(root["long"]?.string == "💰")
        #expect(root["literal"]?.string == #"C:\no\escapes "here""#)
        #expect(root["empty"]?.string == "")
        #expect(root["quoted key\twith tab"]?.integer == 1)
    }

    @Test("header keys: spaces around the dots, all three kinds of key, a parent given its own header later")
    func headers() throws {
        let root = try TOMLReader.read("""
        [ a . "b c" . 'd' ]
        x = 1
        [a]
        y = 2
        """)
        #expect(root["a"]?.table?["b c"]?.table?["d"]?.table?["x"]?.integer == 1)
        #expect(root["a"]?.table?["y"]?.integer == 2)
        #expect(root["a"]?.table?.keys == ["b c", "y"])
    }

    @Test("CRLF line ends, a byte-order mark, a file of comments, an empty file")
    func lineEndsAndEmptyFiles() throws {
        let root = try TOMLReader.read("\u{FEFF}[t.columns]\r\na = \"int\" # note\r\n\r\nb = \"date\"\r\n")
        #expect(root["t"]?.table?["columns"]?.table?.keys == ["a", "b"])
        // The byte-order mark is no character of line 1.
        #expect(root.entry("t")?.position == TextPosition(line: 1, column: 1))
        #expect(root["t"]?.table?["columns"]?.table?.entry("b")?.position == TextPosition(line: 4, column: 1))
        #expect(try TOMLReader.read("# nothing declared yet\n\n   # indented\n").entries.isEmpty)
        #expect(try TOMLReader.read("").entries.isEmpty)
    }

    // MARK: What it refuses

    @Test("values TOML has but schema.toml does not use are refused, each saying why", arguments: [
        ("a = 1.5", "1:5: expected \(TOMLReader.aValue), found 1.5: floats are not supported"),
        ("a = 1e3", "1:5: expected \(TOMLReader.aValue), found 1e3: floats are not supported"),
        ("a = -inf", "1:5: expected \(TOMLReader.aValue), found -inf: floats are not supported"),
        ("a = nan", "1:5: expected \(TOMLReader.aValue), found nan: floats are not supported"),
        ("d = 2015-03-01", "1:5: expected \(TOMLReader.aValue), found 2015-03-01: dates and times are not supported"),
        ("d = 1979-05-27T07:32:00Z", "1:5: expected \(TOMLReader.aValue), found 1979-05-27T07:32:00Z: dates and times are not supported"),
        ("t = 07:32:00", "1:5: expected \(TOMLReader.aValue), found 07:32:00: dates and times are not supported"),
        ("h = 0xFF", "1:5: expected \(TOMLReader.aValue), found 0xFF: hexadecimal, octal and binary integers are not supported"),
        ("h = 0b101", "1:5: expected \(TOMLReader.aValue), found 0b101: hexadecimal, octal and binary integers are not supported"),
        ("s = \"\"\"two\nlines\"\"\"", "1:5: multi-line strings (\"\"\") are not supported; expected a \"string\" on one line"),
        ("s = '''two\nlines'''", "1:5: multi-line strings (''') are not supported; expected a 'string' on one line"),
        ("[[projects]]\nname = \"x\"", "1:1: arrays of tables ([[...]]) are not supported; expected a table header [name] or [name.columns]"),
        ("a.b = 1", "1:2: expected '=' after the key 'a', found '.': dotted keys (a.b = ...) are not supported; write a [section] for the table"),
    ])
    func unsupported(text: String, error: String) {
        #expect(syntaxError(text) == error)
    }

    @Test("unquoted text, bad integers, a missing value", arguments: [
        ("[t.columns]\nsigned_on = date", "2:13: expected \(TOMLReader.aValue), found 'date': text needs quotes: \"date\""),
        ("unit = 万元", "1:8: expected \(TOMLReader.aValue), found '万元': text needs quotes: \"万元\""),
        ("a = 012", "1:5: expected \(TOMLReader.aValue), found 012: not an integer (no leading zeros; _ only between digits)"),
        ("a = 1__0", "1:5: expected \(TOMLReader.aValue), found 1__0: not an integer (no leading zeros; _ only between digits)"),
        ("a = 99999999999999999999", "1:5: the integer 99999999999999999999 is too large (at most 9223372036854775807)"),
        ("a =", "1:4: expected \(TOMLReader.aValue), found the end of the file"),
        ("a = \nb = 1", "1:5: expected \(TOMLReader.aValue), found the end of the line"),
        ("a = ,", "1:5: expected \(TOMLReader.aValue), found ','"),
    ])
    func badValues(text: String, error: String) {
        #expect(syntaxError(text) == error)
    }

    @Test("strings: unclosed (pointing at the opening quote), bad escapes, control characters", arguments: [
        ("a = \"never closed", "1:5: unclosed string: expected a closing \" before the end of the file"),
        ("a = \"never closed\nb = 1", "1:5: unclosed string: expected a closing \" before the end of the line"),
        ("a = 'never closed\r\nb = 1", "1:5: unclosed string: expected a closing ' before the end of the line"),
        ("[\"项目.columns]", "1:2: unclosed string: expected a closing \" before the end of the file"),
        (#"a = "C:\path""#, #"1:8: unknown escape '\p'; a "string" allows \b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX"#),
        (#"a = "万\元""#, #"1:7: unknown escape '\元'; a "string" allows \b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX"#),
        ("a = \"x\\\ny\"", #"1:7: expected an escape after '\' (\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX), found the end of the line"#),
        (#"a = "\u4E0""#, #"1:6: expected 4 hexadecimal digits after '\u'"#),
        (#"a = "\U0001F4B""#, #"1:6: expected 8 hexadecimal digits after '\U'"#),
        (#"a = "\uD800""#, #"1:6: '\uD800' is not a Unicode character (a scalar value)"#),
        ("a = \"bell\u{7}\"", #"1:10: control character U+0007 in a string; write it as an escape (\u0007)"#),
        ("a = 'bell\u{7}'", #"1:10: control character U+0007 in a string; write it as an escape (\u0007)"#),
    ])
    func badStrings(text: String, error: String) {
        #expect(syntaxError(text) == error)
    }

    @Test("keys and headers", arguments: [
        ("= 1", "1:1: expected a key (a name of A-Z, a-z, 0-9, _ and -, or a \"quoted\" name), found '='"),
        ("项目 = 1", "1:1: expected a key, found '项目': a name of other characters than A-Z, a-z, 0-9, _ and - needs quotes: \"项目\""),
        ("[项目.columns]", "1:2: expected a key, found '项目': a name of other characters than A-Z, a-z, 0-9, _ and - needs quotes: \"项目\""),
        ("a \"x\"", "1:3: expected '=' after the key 'a', found '\"'"),
        ("a", "1:2: expected '=' after the key 'a', found the end of the file"),
        ("[]", "1:2: expected a key (a name of A-Z, a-z, 0-9, _ and -, or a \"quoted\" name), found ']'"),
        ("[t.columns", "1:11: expected '.' or ']' to close the table header, found the end of the file"),
        ("[t columns]", "1:4: expected '.' or ']' to close the table header, found 'c'"),
        ("[t.]", "1:4: expected a key (a name of A-Z, a-z, 0-9, _ and -, or a \"quoted\" name), found ']'"),
    ])
    func badKeys(text: String, error: String) {
        #expect(syntaxError(text) == error)
    }

    @Test("what may follow on a line, in a list, in an inline table", arguments: [
        ("[t] x", "1:5: expected the end of the line after the table header, found 'x'"),
        ("a = 1 b = 2", "1:7: expected the end of the line after the value, found 'b'"),
        ("a = 1\r b = 2", "1:6: expected the end of the line after the value, found U+000D"),
        ("a = [1, 2", "1:10: expected ',' or ']' in the list that starts at 1:5, found the end of the file"),
        ("a = [1 2]", "1:8: expected ',' or ']' in the list that starts at 1:5, found '2'"),
        ("a = [,]", "1:6: expected \(TOMLReader.aValue), found ','"),
        ("a = [1,,2]", "1:8: expected \(TOMLReader.aValue), found ','"),
        ("a = { type = \"int\"\n}", "1:19: expected ',' or '}' in the inline table that starts at 1:5, found the end of the line: an inline table is written on one line"),
        ("a = {\ntype = \"int\" }", "1:6: expected a key, found the end of the line: an inline table is written on one line"),
        ("a = { type = \"int\", }", "1:21: expected a key after ',', found '}': an inline table ends without a comma"),
        ("a = { type = \"int\" unit = \"元\" }", "1:20: expected ',' or '}' in the inline table that starts at 1:5, found 'u'"),
        ("a = { type: \"int\" }", "1:11: expected '=' after the key 'type', found ':'"),
    ])
    func badLines(text: String, error: String) {
        #expect(syntaxError(text) == error)
    }

    @Test("a key or a table defined twice, a [section] adding to a value", arguments: [
        ("a = 1\na = 2", "2:1: duplicate key 'a' (first at 1:1)"),
        ("[t.columns]\nstage = \"text\"\n\"stage\" = \"category\"", "3:1: duplicate key 'stage' (first at 2:1)"),
        ("a = { type = \"int\", type = \"date\" }", "1:21: duplicate key 'type' (first at 1:7)"),
        ("[t]\n[t]", "2:1: table [t] is defined twice (first at 1:1)"),
        ("[\"项目\".columns]\na = \"int\"\n[项目.columns]", "3:2: expected a key, found '项目': a name of other characters than A-Z, a-z, 0-9, _ and - needs quotes: \"项目\""),
        ("[\"项目\".columns]\na = \"int\"\n[ '项目' . columns ]", "3:1: table [ '项目' . columns ] is defined twice (first at 1:1)"),
        ("[t.columns]\n[t]\n[t]", "3:1: table [t] is defined twice (first at 1:1)"),
        ("t = 1\n[t.columns]", "2:2: 't' is already a value (at 1:1); a [section] cannot add to it"),
        ("[t]\ncolumns = { a = \"int\" }\n[t.columns]", "3:4: 'columns' is already a value (at 2:1); a [section] cannot add to it"),
        ("[t.columns]\n[t]\ncolumns = 1", "3:1: duplicate key 'columns' (first at 1:1)"),
    ])
    func definedTwice(text: String, error: String) {
        #expect(syntaxError(text) == error)
    }

    @Test("every cut and every one-byte change of a schema reads, or fails with a place inside the text")
    func damagedSchemas() {
        let schema = Array(#"""
        # schema
        [projects.columns]
        investment = { type = "money", unit = "万元" }
        stage = { type = "category", order = [
          "lead", 'signed', # the funnel
        ] }
        ["项目".columns]
        "阶段\u0041" = "text"
        n = -1_000

        """#.utf8)
        let replacements = Array("[]{}=,.\"'#\\ \n\r\tx0-+:".utf8) + [0xE4, 0x80]
        var texts: [[UInt8]] = (0...schema.count).map { Array(schema[..<$0]) }
        for i in schema.indices {
            for b in replacements where b != schema[i] {
                var changed = schema
                changed[i] = b
                texts.append(changed)
            }
        }
        for bytes in texts {
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                _ = try TOMLReader.read(text)
            } catch {
                let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                #expect(error.position.line >= 1 && error.position.line <= lines.count, "\(text)")
                let line = String(decoding: lines[min(error.position.line, lines.count) - 1], as: UTF8.self)
                #expect(error.position.column >= 1 && error.position.column <= line.unicodeScalars.count + 1, "\(text)")
            }
        }
    }

    /// The error reading `text` gives, as `LINE:COLUMN: message`; nil when it reads.
    func syntaxError(_ text: String) -> String? {
        do {
            _ = try TOMLReader.read(text)
            return nil
        } catch {
            return "\(error.position.line):\(error.position.column): \(error.message)"
        }
    }
}
