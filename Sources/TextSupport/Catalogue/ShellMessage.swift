/// The shell's messages: footers, listings, the dot-commands' and the command line's errors, the
/// banner, in English and Chinese (see `CatalogueMessage`).
public enum ShellMessage: CatalogueMessage {
    case oneRow, rows, footerOneRow, footerRows, oneNull, nulls
    case oneValue, values, oneValueInOrder, valuesInOrder, oneCell, cells
    case oneDigit, digits, oneCachedTable, cachedTables, time, moreRows
    case cancelled, strictStops, colon, rowsAndColumns, schemaHeader, nullMarkers
    case rounded, noTables, noTable, didYouMeanTable, languageIs, usage
    case unknownCommand, unknownCommandDidYouMean, attached, nothingAttached, badAttachmentName, cannotSaveOverSource
    case cannotOutputOverSource, cannotWrite, cannotRead, nothingWritten, notUTF8Text, scriptPast16MB
    case standardOutput, modeUsage, unknownMode, unknownModeDidYouMean, noParameters, notAParameterName
    case readNotAvailable, alreadyBeingRead, noOtherPrograms, noReportOpen, reportExtension, reportOverSource
    case reportAlreadyOpen, chartUsage, chartBeforeStatement, chartNoColumns, chartNoLabelColumn, chartNoValueColumn
    case chartValuesNotNumbers, chartNoNumberColumn, braceNotClosed, notOneValue, inQuery, defaultCacheFolder
    case cacheOffInThisRun, cacheSummary, cacheOffInSession, noCacheFolder, cacheOffByOption, cacheCopiesAre
    case openedFromCache, noCacheToClear, deletedCache, opened, openedExample, noDataOpen
    case bannerHelp, unexpectedArgument, unknownOption, unknownOptionDidYouMean, missingValue, optionTakesNoValue
    case usageErrorHelp, usageErrorUsage, unknownFormat, unknownLanguage, badMemoryLimit, badSet
    case badAttach, badEncoding, oneField, fields
    case moreRowsShort, notShown, recordSubtotal, recordTotal, pagerIs, pagerCannotStart
    case noColumns, byteCount, pagerNoPipe, xlsxCannotStart, xlsxCannotAddSheet

    public var texts: (english: String, chinese: String) {
        switch self {
        // MARK: Counts (English has a singular; `count(_:one:other:)` picks)
        case .oneRow:
            ("{1} row",
             "{1} 行")
        case .rows:
            ("{1} rows",
             "{1} 行")
        case .footerOneRow:
            ("{1} row",
             "共 {1} 行")
        case .footerRows:
            ("{1} rows",
             "共 {1} 行")
        case .oneNull:
            ("{1} null",
             "{1} 个空值")
        case .nulls:
            ("{1} nulls",
             "{1} 个空值")
        case .oneValue:
            ("{1} value",
             "{1} 个取值")
        case .values:
            ("{1} values",
             "{1} 个取值")
        case .oneValueInOrder:
            ("{1} value in order",
             "{1} 个有序取值")
        case .valuesInOrder:
            ("{1} values in order",
             "{1} 个有序取值")
        case .oneCell:
            ("{1} cell",
             "{1} 个单元格")
        case .cells:
            ("{1} cells",
             "{1} 个单元格")
        case .oneDigit:
            ("{1} digit",
             "{1} 位")
        case .digits:
            ("{1} digits",
             "{1} 位")
        case .oneCachedTable:
            ("{1} cached table",
             "{1} 张缓存的表")
        case .cachedTables:
            ("{1} cached tables",
             "{1} 张缓存的表")
        // MARK: Results
        case .time:
            ("time: {1} ms",
             "用时 {1} 毫秒")
        case .moreRows:
            ("… {1} more rows (.pager on, .mode csv or .output FILE shows every row) …",
             "… 另有 {1} 行（.pager on、.mode csv 或 .output FILE 可显示全部行）…")
        case .moreRowsShort:
            ("… {1} more rows …",
             "… 另有 {1} 行 …")
        case .notShown:
            (" ({1} not shown: .pager on, .mode csv or .output FILE shows every row)",
             "（{1} 行未显示：.pager on、.mode csv 或 .output FILE 可显示全部行）")
        case .recordSubtotal:
            ("{1} · subtotal",
             "{1} · 小计")
        case .recordTotal:
            ("{1} · total",
             "{1} · 合计")
        case .pagerIs:
            ("pager {1} ({2})",
             "分页 {1}（{2}）")
        case .noColumns:
            ("(no columns)",
             "（没有列）")
        case .byteCount:
            ("{1} bytes",
             "{1} 字节")
        case .pagerNoPipe:
            ("cannot start the pager: {1}",
             "无法启动分页程序：{1}")
        case .xlsxCannotStart:
            ("libxlsxwriter could not start a workbook",
             "libxlsxwriter 无法新建工作簿")
        case .xlsxCannotAddSheet:
            ("libxlsxwriter could not add sheet {1}",
             "libxlsxwriter 无法添加工作表 {1}")
        case .pagerCannotStart:
            ("cannot start the pager '{1}': {2} (PAGER names another; .pager off prints tables directly)",
             "无法启动分页程序 '{1}'：{2}（可用 PAGER 指定其他程序；.pager off 直接显示表格）")
        case .cancelled:
            ("cancelled",
             "已取消")
        case .strictStops:
            ("--strict stops a statement on this (.strict off lets it run, printing the note)",
             "--strict 遇此即中止语句（.strict off 可让语句照常运行并显示提示）")
        // MARK: Listings
        case .colon:
            (": ",
             "：")
        case .rowsAndColumns:
            ("{1}, {2} columns",
             "{1}，{2} 列")
        case .schemaHeader:
            ("column|type|nulls|distinct",
             "列|类型|空值|不同值")
        case .nullMarkers:
            ("null markers: ",
             "空值标记：")
        case .rounded:
            ("rounded: {1} to {2} after the point (schema scale = {3}, half away from zero)",
             "已舍入：{1}舍入到小数点后 {2}（schema scale = {3}，四舍五入）")
        case .noTables:
            ("no tables; .open a dataset folder, CSV file or snapshot",
             "没有表；请用 .open 打开数据集文件夹、CSV 文件或快照")
        case .noTable:
            ("no table '{1}'",
             "没有表 '{1}'")
        case .didYouMeanTable:
            ("; did you mean '{1}'?",
             "；是否应为 '{1}'？")
        case .languageIs:
            ("language: {1} (.lang zh or .lang en changes it)",
             "语言：{1}（.lang zh 或 .lang en 可切换）")
        // MARK: Dot-commands
        case .usage:
            ("usage: {1}",
             "用法：{1}")
        case .unknownCommand:
            ("unknown command .{1} (.help lists them)",
             "未知的命令 .{1}（.help 可列出全部命令）")
        case .unknownCommandDidYouMean:
            ("unknown command .{1}; did you mean .{2}? (.help lists them)",
             "未知的命令 .{1}；是否应为 .{2}？（.help 可列出全部命令）")
        case .attached:
            ("attached {1}: {2}",
             "已挂接 {1}：{2}")
        case .nothingAttached:
            ("nothing is attached as '{1}'",
             "没有以 '{1}' 为名挂接的数据集")
        case .badAttachmentName:
            ("'{1}' cannot name an attached dataset: use letters, digits and _ (like last or 上月)",
             "'{1}' 不能用作挂接数据集的名称：请用字母、数字和 _（如 last 或 上月）")
        case .cannotSaveOverSource:
            ("cannot save to {1}: it is {2}, which the tables were read from; save to another file",
             "不能保存到 {1}：它就是读取表的文件 {2}；请保存到其他文件")
        case .cannotOutputOverSource:
            ("cannot write results to {1}: it is {2}, which the tables were read from; choose another file",
             "不能把结果写入 {1}：它就是读取表的文件 {2}；请另选文件")
        case .cannotWrite:
            ("cannot write {1}: {2}",
             "无法写入 {1}：{2}")
        case .cannotRead:
            ("cannot read {1}: {2}",
             "无法读取 {1}：{2}")
        case .nothingWritten:
            ("nothing was written",
             "未写入任何内容")
        case .notUTF8Text:
            ("{1} is not UTF-8 text",
             "{1} 不是 UTF-8 文本")
        case .scriptPast16MB:
            ("a script is read whole, and this one goes on past 16 MB",
             "脚本须整体读入，而此脚本超过 16 MB")
        case .standardOutput:
            ("standard output",
             "标准输出")
        case .modeUsage:
            ("usage: .mode box|records|csv|tsv|json|markdown, or .mode csv bom (a byte-order mark for Excel)",
             "用法：.mode box|records|csv|tsv|json|markdown，或 .mode csv bom（为 Excel 加上字节顺序标记）")
        case .unknownMode:
            ("unknown mode '{1}' (modes: {2})",
             "未知的模式 '{1}'（可用的模式：{2}）")
        case .unknownModeDidYouMean:
            ("unknown mode '{1}'; did you mean {2}? (modes: {3})",
             "未知的模式 '{1}'；是否应为 {2}？（可用的模式：{3}）")
        case .noParameters:
            ("no parameters; .set NAME VALUE defines $NAME",
             "没有参数；.set NAME VALUE 可定义 $NAME")
        case .notAParameterName:
            ("'{1}' is not a parameter name (a word: letters, digits, _)",
             "'{1}' 不是参数名（参数名是由字母、数字和 _ 组成的词）")
        case .readNotAvailable:
            (".read is not available here",
             "此处不能使用 .read")
        case .alreadyBeingRead:
            ("{1} is already being read (a script that reads itself)",
             "{1} 正在读取中（脚本读取了自身）")
        case .noOtherPrograms:
            (".{1} is not available: projq runs no commands (the one program it starts is the pager, with .pager on)",
             ".{1} 不可用：projq 不运行任何命令（它唯一会启动的程序是分页程序，需 .pager on）")
        // MARK: Reports, charts and texts
        case .noReportOpen:
            ("no report is open; .report FILE starts one",
             "没有打开的报告；.report FILE 可开始一份")
        case .reportExtension:
            ("a report is written as .html, .xlsx, .md or .csv, by its file's extension; {1} has none of them",
             "报告按文件扩展名写成 .html、.xlsx、.md 或 .csv；{1} 的扩展名都不是")
        case .reportOverSource:
            ("cannot write the report to {1}: it is {2}, which the tables were read from",
             "不能把报告写入 {1}：它就是读取表的文件 {2}")
        case .reportAlreadyOpen:
            ("a report to {1} is open; .report end writes it first",
             "写往 {1} 的报告尚未结束；请先用 .report end 写出")
        case .chartUsage:
            ("usage: .chart {1} [LABELS] VALUES[, VALUES…] — the next result drawn",
             "用法：.chart {1} [LABELS] VALUES[, VALUES…]，绘制下一个结果")
        case .chartBeforeStatement:
            ("{1} (.chart {2} before this statement)",
             "{1}（本语句之前的 .chart {2}）")
        case .chartNoColumns:
            ("the result has no columns to chart",
             "结果没有可绘图的列")
        case .chartNoLabelColumn:
            ("the chart's labels: the result has no column '{1}' (columns: {2})",
             "图表标签：结果中没有列 '{1}'（现有的列：{2}）")
        case .chartNoValueColumn:
            ("the chart's values: the result has no column '{1}' (columns: {2})",
             "图表数值：结果中没有列 '{1}'（现有的列：{2}）")
        case .chartValuesNotNumbers:
            ("the chart's values: {1} is {2}, not a number",
             "图表数值：{1} 是 {2} 类型，不是数字")
        case .chartNoNumberColumn:
            ("the result has no number column to chart",
             "结果中没有可绘图的数字列")
        case .braceNotClosed:
            ("a '{' in the text is not closed by '}'",
             "文本中的 '{' 没有用 '}' 闭合")
        case .notOneValue:
            ("{{1}} gives {2} rows of {3} columns; a text takes a query of one value",
             "{{1}} 得到 {2} 行 {3} 列；文本中只能嵌入结果为单个值的查询")
        case .inQuery:
            ("in {{1}}: ",
             "{{1}} 中：")
        // MARK: The cache
        case .defaultCacheFolder:
            ("$XDG_CACHE_HOME/projq (default ~/.cache/projq)",
             "$XDG_CACHE_HOME/projq（默认 ~/.cache/projq）")
        case .cacheOffInThisRun:
            (" It is off in this run.",
             "本次运行已关闭缓存。")
        case .cacheSummary:
            ("Cache: a copy of each CSV table loaded is kept in {1}, readable only by you,\nso that an unchanged file opens at once the next time.{2}\n.cache shows it; .cache clear or rm -r {1} deletes the copies; --no-cache turns it off.",
             "缓存：每张载入的 CSV 表都在 {1} 保存一份副本，仅您本人可读，\n文件未改动时下次可立即打开。{2}\n.cache 查看缓存；.cache clear 或 rm -r {1} 删除副本；--no-cache 关闭缓存。")
        case .cacheOffInSession:
            ("the cache is off in this session",
             "本次会话未启用缓存")
        case .noCacheFolder:
            ("no cache: neither XDG_CACHE_HOME nor HOME is set",
             "没有缓存：XDG_CACHE_HOME 和 HOME 都未设置")
        case .cacheOffByOption:
            (" (off in this run: --no-cache or PROJQ_NO_CACHE)",
             "（本次运行已关闭：--no-cache 或 PROJQ_NO_CACHE）")
        case .cacheCopiesAre:
            ("Copies of CSV ledgers, readable only by you (folder 0700, files 0600); .cache clear or rm -r {1} deletes them.",
             "这些是 CSV 台账的副本，仅您本人可读（文件夹 0700，文件 0600）；.cache clear 或 rm -r {1} 可将其删除。")
        case .openedFromCache:
            ("Opened from the cache: {1}",
             "从缓存打开的表：{1}")
        case .noCacheToClear:
            ("no cache to clear",
             "没有可清除的缓存")
        case .deletedCache:
            ("deleted {1} ({2}) from {3}",
             "已从 {3} 删除{1}（{2}）")
        // MARK: The command line and the banner
        case .opened:
            ("opened {1}: ",
             "已打开 {1}：")
        case .openedExample:
            ("no data named, so opened the example ledger examples/county: ",
             "未指定数据，已打开示例台账 examples/county：")
        case .noDataOpen:
            ("no data open; .open a dataset folder, a CSV file or a snapshot",
             "尚未打开数据；请用 .open 打开数据集文件夹、CSV 文件或快照")
        case .bannerHelp:
            (".help for commands, .quit or Ctrl-D to leave, TAB completes names and values.",
             ".help 查看命令，.quit 或 Ctrl-D 退出，TAB 补全名称和取值。")
        case .unexpectedArgument:
            ("Unexpected argument '{1}'",
             "多余的参数 '{1}'")
        case .unknownOption:
            ("Unknown option '{1}'",
             "未知的选项 '{1}'")
        case .unknownOptionDidYouMean:
            ("Unknown option '{1}'. Did you mean '{2}'?",
             "未知的选项 '{1}'。是否应为 '{2}'？")
        case .missingValue:
            ("Missing value for '{1}'",
             "'{1}' 缺少取值")
        case .optionTakesNoValue:
            ("The option '{1}' does not take any value, but '{2}' was specified.",
             "选项 '{1}' 不接受取值，但给出了 '{2}'。")
        case .usageErrorHelp:
            ("Help:  {1}  {2}",
             "说明：{1}  {2}")
        case .usageErrorUsage:
            ("Usage: {1}\n  See 'projq --help' for more information.",
             "用法：{1}\n  详见 'projq --help'。")
        case .unknownFormat:
            ("unknown format '{1}'; formats: {2}",
             "未知的格式 '{1}'；可用的格式：{2}")
        case .unknownLanguage:
            ("--lang takes zh or en, not '{1}'",
             "--lang 的取值应为 zh 或 en，而不是 '{1}'")
        case .badMemoryLimit:
            ("--memory-limit takes a size of at least 1MB, like 2GB or 500MB, not '{1}'",
             "--memory-limit 的取值应为不小于 1MB 的大小，如 2GB 或 500MB，而不是 '{1}'")
        case .badSet:
            ("--set takes NAME=VALUE, not '{1}'",
             "--set 的参数应为 NAME=VALUE，而不是 '{1}'")
        case .badAttach:
            ("--attach takes NAME=PATH, like --attach last=ledger-2015-10.projqdb, not '{1}'",
             "--attach 的参数应为 NAME=PATH，如 --attach last=ledger-2015-10.projqdb，而不是 '{1}'")
        case .badEncoding:
            ("--encoding takes utf-8 or gb18030, not '{1}'",
             "--encoding 的取值应为 utf-8 或 gb18030，而不是 '{1}'")
        case .oneField:
            ("{1} field",
             "{1} 个字段")
        case .fields:
            ("{1} fields",
             "{1} 个字段")
        }
    }
}
