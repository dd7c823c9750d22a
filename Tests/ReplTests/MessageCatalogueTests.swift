import Testing
import TextSupport

/// The message catalogue (Sources/TextSupport/Catalogue): every message in English and in
/// Chinese, with the same arguments.
@Suite("The message catalogue")
struct MessageCatalogueTests {
    @Test("every message has an English and a Chinese text, neither empty")
    func bothLanguages() {
        for entry in MessageCatalogue.entries {
            #expect(!entry.english.trimmingWhitespace.isEmpty, "\(entry.name) has no English")
            #expect(!entry.chinese.trimmingWhitespace.isEmpty, "\(entry.name) has no Chinese")
        }
    }

    @Test("every message's Chinese is a translation, not the English copied, and has Chinese in it")
    func chineseIsChinese() {
        for entry in MessageCatalogue.entries {
            #expect(entry.chinese != entry.english, "\(entry.name): '\(entry.english)' untranslated")
            // Only punctuation may stand without a Chinese character (`: ` is `：`).
            let hasChinese = entry.chinese.unicodeScalars.contains { $0.properties.isIdeographic }
            let punctuationOnly = entry.chinese.unicodeScalars.allSatisfy { !$0.properties.isAlphabetic }
            #expect(hasChinese || punctuationOnly, "\(entry.name): '\(entry.chinese)' is not Chinese")
        }
    }

    @Test("both languages of a message use the same placeholders, {1} to {N} each once or more")
    func placeholdersAgree() {
        for entry in MessageCatalogue.entries {
            let english = Set(MessageTemplate.placeholders(in: entry.english))
            let chinese = Set(MessageTemplate.placeholders(in: entry.chinese))
            #expect(english == chinese, "\(entry.name): English \(english.sorted()), Chinese \(chinese.sorted())")
            #expect(english.allSatisfy { (1...english.count).contains($0) }, "\(entry.name): placeholders \(english.sorted()) skip a number")
        }
    }

    @Test("every message has a name of its own")
    func namesAreUnique() {
        let names = MessageCatalogue.entries.map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test("a message is filled in the language asked for, its arguments where that language puts them")
    func filling() {
        #expect(QueryMessage.unknownTable("projects", in: .english) == "unknown table 'projects'")
        #expect(QueryMessage.unknownTable("projects", in: .chinese) == "未知的表 'projects'")
        #expect(QueryMessage.cannotJoin("unit", "text", "units.quota", "money", in: .chinese) == "无法将 unit（text）与 units.quota（money）连接")
    }

    @Test("in Chinese, code or a Latin word next to a Chinese word is set off by a space; Chinese arguments are not")
    func chineseSpacing() {
        #expect(QueryMessage.expectedFound(QueryMessage.aTableName(in: .chinese), "'where'", in: .chinese) == "缺少表名，却遇到 'where'")
        #expect(QueryMessage.expectedFound("'by'", QueryMessage.endOfStatement(in: .chinese), in: .chinese) == "缺少 'by'，却遇到语句结尾")
    }

    @Test("a brace that is not a placeholder is text")
    func literalBraces() {
        #expect(MessageTemplate.fill("{QUERY} and {1} and {", ["x"]) == "{QUERY} and x and {")
        #expect(ShellMessage.notOneValue("项目 count by 阶段", 5, 2, in: .english)
                == "{项目 count by 阶段} gives 5 rows of 2 columns; a text takes a query of one value")
    }

    @Test("counts take English's singular and plural, and Chinese's one form")
    func counts() {
        #expect(ShellMessage.count(1, one: .footerOneRow, other: .footerRows, in: .english) == "1 row")
        #expect(ShellMessage.count(74, one: .footerOneRow, other: .footerRows, in: .english) == "74 rows")
        #expect(ShellMessage.count(74, one: .footerOneRow, other: .footerRows, in: .chinese) == "共 74 行")
    }

    @Test("the locale chooses Chinese when the first of LC_ALL, LC_MESSAGES, LANG that is set starts with zh")
    func locale() {
        #expect(Language.fromLocale(lcAll: nil, lcMessages: nil, lang: "zh_CN.UTF-8") == .chinese)
        #expect(Language.fromLocale(lcAll: nil, lcMessages: "zh_TW.UTF-8", lang: "C.UTF-8") == .chinese)
        #expect(Language.fromLocale(lcAll: "C.UTF-8", lcMessages: nil, lang: "zh_CN.UTF-8") == .english)
        #expect(Language.fromLocale(lcAll: "", lcMessages: nil, lang: "zh_CN.UTF-8") == .chinese)
        #expect(Language.fromLocale(lcAll: nil, lcMessages: nil, lang: "C.UTF-8") == .english)
        #expect(Language.fromLocale(lcAll: nil, lcMessages: nil, lang: nil) == .english)
    }

    @Test("--lang and .lang take zh, en and their longer names, nothing else")
    func languageNames() {
        #expect(["zh", "ZH", "zh_CN", "chinese", "中文"].allSatisfy { Language(name: $0) == .chinese })
        #expect(["en", "en_US", "English", "英文"].allSatisfy { Language(name: $0) == .english })
        #expect(Language(name: "fr") == nil)
    }
}
