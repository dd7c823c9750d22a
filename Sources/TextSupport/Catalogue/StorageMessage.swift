/// The store's messages: why a file did not load or save, and memory refusals, in English and
/// Chinese (see `CatalogueMessage`).
public enum StorageMessage: CatalogueMessage {
    case addressSpaceLeft, memoryLimitOption, needsMemory, loadingIt, unclosedQuote, afterClosingQuote
    case fieldCount, noSuchFile, snapshotKeepsNames, cannotReadIt, noCSVFiles, sameTableName
    case schemaNotUTF8, cannotList, aComma, aTab, aSemicolon

    public var texts: (english: String, chinese: String) {
        switch self {
        // MARK: Memory
        case .addressSpaceLeft:
            ("the address space left under ulimit -v",
             "ulimit -v 下剩余的地址空间")
        case .memoryLimitOption:
            ("the memory limit (--memory-limit)",
             "内存上限（--memory-limit）")
        case .needsMemory:
            ("{1} needs about {2} of memory, more than {3}, {4}",
             "{1}约需 {2} 内存，超过{3}（{4}）")
        case .loadingIt:
            ("loading it ({1})",
             "载入该文件（{1}）")
        // MARK: CSV files and dataset folders
        case .unclosedQuote:
            ("unclosed quote: this quoted field never ends",
             "引号未闭合：这个带引号的字段一直没有结束")
        case .afterClosingQuote:
            ("expected {1} or the end of the line after the closing quote",
             "闭合引号之后应为{1}或行尾")
        case .fieldCount:
            ("{1} on this line, the header has {2}",
             "此行有{1}，而表头有 {2} 个")
        case .noSuchFile:
            ("no such file or folder",
             "没有这个文件或文件夹")
        case .snapshotKeepsNames:
            ("holds {1} tables, so they keep their names; .attach {2} as NAME opens them as NAME.TABLE",
             "含有 {1} 张表，因此保留各自的表名；.attach {2} as NAME 可将其作为 NAME.TABLE 打开")
        case .cannotReadIt:
            ("cannot read it",
             "无法读取")
        case .noCSVFiles:
            ("no .csv, .tsv, .xlsx or .xls files in this folder",
             "此文件夹中没有 .csv、.tsv、.xlsx 或 .xls 文件")
        case .sameTableName:
            ("{1} and {2} would both be table '{3}'; rename one",
             "{1} 和 {2} 都会成为表 '{3}'；请重命名其中一个")
        case .schemaNotUTF8:
            ("schema.toml must be UTF-8",
             "schema.toml 必须是 UTF-8 编码")
        case .cannotList:
            ("cannot list: {1}",
             "无法列出：{1}")
        case .aComma:
            ("a comma",
             "逗号")
        case .aTab:
            ("a tab",
             "制表符")
        case .aSemicolon:
            ("a semicolon",
             "分号")
        }
    }
}
