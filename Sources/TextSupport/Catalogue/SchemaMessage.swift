/// The messages of `schema.toml`: its TOML syntax errors and its schema errors (an unknown type,
/// a misplaced key, an `order_from` that names nothing), in English and Chinese (see
/// `CatalogueMessage`). The location (`schema.toml:3:7:`) is put before them by `LoadError`.
public enum SchemaMessage: CatalogueMessage {
    // TOML syntax
    case syntaxError, expectedFound, expectedFoundNote, theTableHeader, theValue, endOfLine, endOfLineAfter, endOfFile
    case arraysOfTables, closeTableHeader, alreadyAValue, definedTwice, equalsAfterKey, dottedKeys, duplicateKey
    case aKeyName, keyNeedsQuotes, integerTooLarge, radixNotSupported, datesNotSupported, floatsNotSupported
    case notAnInteger, textNeedsQuotes, aValue, commaOrBracket, inlineOneLine, aKeyAfterComma, inlineNoComma
    case aKey, commaOrBrace, multiLineBasic, multiLineLiteral, expectedEscape, unknownEscape, hexDigits
    case notAScalar, controlCharacter, unclosedString
    // The schema
    case theSchema, ofTable, ofColumn, shouldBeSection, unknownTableKey, headerNumber, columnsSection
    case nullList, nullNonEmpty, needsType, unknownColumnKey, orderFromForm, bothOrders, scaleNumber
    case unitText, orderList, orderText, orderTwice, typeOrTable, moneyNeedsUnit, unknownMoneyUnit
    case unknownType, didYouMean, unitOnlyMoney, orderOnlyCategory, orderEmpty, orderFromOnlyCategory
    case scaleOnly, orderFromNotLoaded, orderFromNoColumn, orderFromNoValues, declaresMissingColumn
    case declaresNoTable, orStem, declaresMissingTable, headerRowEmpty

    public var texts: (english: String, chinese: String) {
        switch self {
        // MARK: TOML syntax
        case .syntaxError: ("schema syntax error: {1}", "schema 语法错误：{1}")
        case .expectedFound: ("expected {1}, found {2}", "应为{1}，却遇到{2}")
        case .expectedFoundNote: ("expected {1}, found {2}: {3}", "应为{1}，却遇到{2}：{3}")
        case .theTableHeader: ("the table header", "表头")
        case .theValue: ("the value", "值")
        case .endOfLine: ("the end of the line", "行尾")
        case .endOfLineAfter: ("the end of the line after {1}", "{1}之后的行尾")
        case .endOfFile: ("the end of the file", "文件末尾")
        case .arraysOfTables:
            ("arrays of tables ([[...]]) are not supported; expected a table header [name] or [name.columns]",
             "不支持表数组（[[...]]）；应为表头 [name] 或 [name.columns]")
        case .closeTableHeader: ("'.' or ']' to close the table header", "'.' 或闭合表头的 ']'")
        case .alreadyAValue: ("'{1}' is already a value (at {2}); a [section] cannot add to it", "'{1}' 已是一个值（位于 {2}）；[section] 不能再向其添加内容")
        case .definedTwice: ("table {1} is defined twice (first at {2})", "表 {1} 定义了两次（首次位于 {2}）")
        case .equalsAfterKey: ("'=' after the key '{1}'", "键 '{1}' 之后的 '='")
        case .dottedKeys: ("dotted keys (a.b = ...) are not supported; write a [section] for the table", "不支持带点的键（a.b = ...）；请为该表写一个 [section]")
        case .duplicateKey: ("duplicate key '{1}' (first at {2})", "键 '{1}' 重复（首次位于 {2}）")
        case .aKeyName: ("a key (a name of A-Z, a-z, 0-9, _ and -, or a \"quoted\" name)", "键（由 A-Z、a-z、0-9、_ 和 - 组成的名称，或加引号的 \"名称\"）")
        case .keyNeedsQuotes:
            ("expected a key, found '{1}': a name of other characters than A-Z, a-z, 0-9, _ and - needs quotes: \"{1}\"",
             "应为键，却遇到 '{1}'：含 A-Z、a-z、0-9、_ 和 - 以外字符的名称须加引号：\"{1}\"")
        case .integerTooLarge: ("the integer {1} is too large (at most {2})", "整数 {1} 过大（最大为 {2}）")
        case .radixNotSupported: ("hexadecimal, octal and binary integers are not supported", "不支持十六进制、八进制和二进制整数")
        case .datesNotSupported: ("dates and times are not supported", "不支持日期和时间")
        case .floatsNotSupported: ("floats are not supported", "不支持浮点数")
        case .notAnInteger: ("not an integer (no leading zeros; _ only between digits)", "不是整数（不能有前导零；_ 只能写在数字之间）")
        case .textNeedsQuotes: ("expected {1}, found '{2}': text needs quotes: \"{2}\"", "应为{1}，却遇到 '{2}'：文本须加引号：\"{2}\"")
        case .aValue:
            ("a value (\"text\", 'text', an integer, true, false, [a list] or { a table })",
             "值（\"文本\"、'文本'、整数、true、false、[列表] 或 { 表 }）")
        case .commaOrBracket: ("',' or ']' in the list that starts at {1}", "始于 {1} 的列表中的 ',' 或 ']'")
        case .inlineOneLine: ("an inline table is written on one line", "内联表须写在一行内")
        case .aKeyAfterComma: ("a key after ','", "',' 之后的键")
        case .inlineNoComma: ("an inline table ends without a comma", "内联表结尾不能有逗号")
        case .aKey: ("a key", "键")
        case .commaOrBrace: ("',' or '}' in the inline table that starts at {1}", "始于 {1} 的内联表中的 ',' 或 '}'")
        case .multiLineBasic:
            ("multi-line strings (\"\"\") are not supported; expected a \"string\" on one line",
             "不支持多行字符串（\"\"\"）；应为写在一行内的 \"字符串\"")
        case .multiLineLiteral:
            ("multi-line strings (''') are not supported; expected a 'string' on one line",
             "不支持多行字符串（'''）；应为写在一行内的 '字符串'")
        case .expectedEscape: ("expected an escape after '\\' ({1}), found {2}", "'\\' 之后应为转义（{1}），却遇到{2}")
        case .unknownEscape: ("unknown escape '\\{1}'; a \"string\" allows {2}", "未知的转义 '\\{1}'；\"字符串\" 中可用 {2}")
        case .hexDigits: ("expected {1} hexadecimal digits after '\\{2}'", "'\\{2}' 之后应为 {1} 位十六进制数字")
        case .notAScalar: ("'\\{1}{2}' is not a Unicode character (a scalar value)", "'\\{1}{2}' 不是 Unicode 字符（标量值）")
        case .controlCharacter: ("control character {1} in a string; write it as an escape (\\u{2})", "字符串中有控制字符 {1}；请写成转义（\\u{2}）")
        case .unclosedString: ("unclosed string: expected a closing {1} before {2}", "字符串未闭合：{2}之前应有闭合的 {1}")
        // MARK: The schema
        case .theSchema: ("the schema", "整个 schema")
        case .ofTable: ("table '{1}'", "表 '{1}'")
        case .ofColumn: ("'{1}'", "列 '{1}'")
        case .shouldBeSection: ("'{1}' should be a table section like [{1}.columns]", "'{1}' 应为表的小节，如 [{1}.columns]")
        case .unknownTableKey:
            ("unknown key '{1}' in table '{2}'; expected [{2}.columns], null = [...] or header = N",
             "表 '{2}' 中的键 '{1}' 未知；应为 [{2}.columns]、null = [...] 或 header = N")
        case .headerNumber:
            ("header of '{1}' should be the number of a workbook sheet's header row, like header = 3",
             "'{1}' 的 header 应为工作表表头所在的行号，如 header = 3")
        case .columnsSection:
            ("columns of '{1}' should be a table section [{1}.columns] of column = type lines",
             "'{1}' 的 columns 应为由 column = type 各行组成的小节 [{1}.columns]")
        case .nullList: ("null of {1} should be a list of markers, like null = [\"NA\", \"-\"]", "{1}的 null 应为空值标记的列表，如 null = [\"NA\", \"-\"]")
        case .nullNonEmpty: ("null of {1} should list non-empty text markers", "{1}的 null 应列出非空的文本标记")
        case .needsType:
            ("column '{1}' of '{2}' needs type = \"...\" (one of {3})",
             "'{2}' 的列 '{1}' 须有 type = \"...\"（可选 {3}）")
        case .unknownColumnKey:
            ("unknown key '{1}' for column '{2}'; expected type, unit, order, order_from, null or scale",
             "列 '{2}' 的键 '{1}' 未知；应为 type、unit、order、order_from、null 或 scale")
        case .orderFromForm: ("order_from of '{1}' should name a table's column, like \"units.unit\"", "'{1}' 的 order_from 应指明某表的列，如 \"units.unit\"")
        case .bothOrders: ("'{1}' has both order and order_from; keep one", "'{1}' 同时有 order 和 order_from；请只保留一个")
        case .scaleNumber:
            ("scale of '{1}' should be a whole number of digits after the point, 0 to {2}",
             "'{1}' 的 scale 应为小数位数，0 至 {2} 的整数")
        case .unitText: ("unit of '{1}' should be text: \"元\", \"万元\" or \"亿元\"", "'{1}' 的 unit 应为文本：\"元\"、\"万元\" 或 \"亿元\"")
        case .orderList: ("order of '{1}' should be a list of values", "'{1}' 的 order 应为取值的列表")
        case .orderText: ("order of '{1}' should list text values", "'{1}' 的 order 应列出文本取值")
        case .orderTwice: ("order of '{1}' lists '{2}' twice", "'{1}' 的 order 把 '{2}' 列了两次")
        case .typeOrTable: ("column '{1}' of '{2}' should be a type name or { type = ... }", "'{2}' 的列 '{1}' 应为类型名或 { type = ... }")
        case .moneyNeedsUnit: ("money column '{1}' needs a unit: \"元\", \"万元\" or \"亿元\"", "金额列 '{1}' 须有单位：\"元\"、\"万元\" 或 \"亿元\"")
        case .unknownMoneyUnit: ("unknown money unit '{1}' for '{2}'; expected 元, 万元 or 亿元", "'{2}' 的金额单位 '{1}' 未知；应为 元、万元 或 亿元")
        case .unknownType: ("unknown type '{1}' for column '{2}'{3} (types: {4})", "列 '{2}' 的类型 '{1}' 未知{3}（可用类型：{4}）")
        case .didYouMean: ("; did you mean '{1}'?", "；是否应为 '{1}'？")
        case .unitOnlyMoney: ("unit is only for money columns, and '{1}' is {2}", "unit 只用于 money 列，而 '{1}' 是 {2}")
        case .orderOnlyCategory: ("order is only for category columns, and '{1}' is {2}", "order 只用于 category 列，而 '{1}' 是 {2}")
        case .orderEmpty: ("order of '{1}' is empty", "'{1}' 的 order 为空")
        case .orderFromOnlyCategory: ("order_from is only for category columns, and '{1}' is {2}", "order_from 只用于 category 列，而 '{1}' 是 {2}")
        case .scaleOnly:
            ("scale is only for decimal, money and percent columns, and '{1}' is {2}",
             "scale 只用于 decimal、money 和 percent 列，而 '{1}' 是 {2}")
        case .orderFromNotLoaded:
            ("order_from of '{1}' names table '{2}', which is not loaded (a dataset's tables, or the open dataset's for .load)",
             "'{1}' 的 order_from 指向表 '{2}'，但该表未载入（须是同一数据集的表；.load 时为当前打开的数据集的表）")
        case .orderFromNoColumn:
            ("order_from of '{1}': table '{2}' has no column '{3}' (columns: {4})",
             "'{1}' 的 order_from：表 '{2}' 没有列 '{3}'（其列为：{4}）")
        case .orderFromNoValues: ("order_from of '{1}': {2} holds no values", "'{1}' 的 order_from：{2} 没有任何取值")
        case .declaresMissingColumn:
            ("schema.toml declares column '{1}' for table '{2}', but {3} has no such column{4} (its columns: {5})",
             "schema.toml 为表 '{2}' 声明了列 '{1}'，但 {3} 中没有这一列{4}（其列为：{5}）")
        case .declaresNoTable: ("declares no table '{1}'{2}; its tables: {3}", "没有声明表 '{1}'{2}；其中声明的表：{3}")
        case .orStem: (" or '{1}'", " 或 '{1}'")
        case .declaresMissingTable:
            ("schema.toml declares table '{1}', but there is no {1}.csv or sheet {1} in {2}{3}",
             "schema.toml 声明了表 '{1}'，但 {2} 中没有 {1}.csv，也没有工作表 {1}{3}")
        case .headerRowEmpty:
            ("schema.toml's header = {1} names row {1}, which is empty or not among the sheet's first rows",
             "schema.toml 的 header = {1} 指向第 {1} 行，但该行为空，或不在工作表的前几行中")
        }
    }
}
