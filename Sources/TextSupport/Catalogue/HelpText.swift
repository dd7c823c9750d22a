/// The help: `.help`'s line for each dot-command, `.help COMMAND`'s explanation with an example,
/// and `projq --help`, in English and Chinese (see `CatalogueMessage`). Commands, options,
/// file names and examples stay as typed.
public enum HelpText: CatalogueMessage {
    case helpSummary, tablesSummary, schemaSummary, openSummary, loadSummary, attachSummary
    case detachSummary, saveSummary, cacheSummary, modeSummary, outputSummary, timerSummary
    case reportSummary, titleSummary, headingSummary, subheadingSummary, textSummary, chartSummary
    case pagebreakSummary, printSummary, strictSummary, pagerSummary, echoSummary, explainSummary, readSummary
    case setSummary, langSummary, quitSummary, helpDetail, tablesDetail, schemaDetail
    case openDetail, loadDetail, attachDetail, detachDetail, saveDetail, cacheDetail
    case modeDetail, outputDetail, timerDetail, reportDetail, titleDetail, headingDetail
    case subheadingDetail, textDetail, chartDetail, pagebreakDetail, printDetail, strictDetail, pagerDetail
    case echoDetail, explainDetail, readDetail, setDetail, langDetail, quitDetail
    case queriesLine, overview, usageHeading, argumentsHeading, optionsHeading, commandLineIntro
    case dataArgument, optionQuery, optionScript, optionFormat, optionBOM, optionEncoding
    case optionReport, optionSet, optionAttach, optionStrict, optionHistory, optionNoCache
    case optionMemoryLimit, optionLang, optionHelp

    public var texts: (english: String, chinese: String) {
        switch self {
        // MARK: `.help`: each command's line
        case .helpSummary:
            ("list the dot-commands, or explain one",
             "列出点命令，或详细说明其中一个")
        case .tablesSummary:
            ("list the tables with their row counts",
             "列出各表及其行数")
        case .schemaSummary:
            ("columns: types, units, null counts, distinct counts, category orders",
             "各列的类型、单位、空值数、不同值数和类别顺序")
        case .openSummary:
            ("open a dataset folder, a CSV file or a snapshot, replacing the catalog",
             "打开数据集文件夹、CSV 文件或快照，替换当前所有表")
        case .loadSummary:
            ("add a CSV file as a table (named after the file, or NAME; typed by its schema entry), a workbook's sheets (or SHEET), or a snapshot's tables",
             "把 CSV 文件添加为一张表（以文件名或 NAME 命名，按 schema 条目确定类型），或添加工作簿的各工作表（或 SHEET），或添加快照中的表")
        case .attachSummary:
            ("open another dataset or snapshot beside this one; its tables are NAME.TABLE",
             "在当前数据之外另开一个数据集或快照，其中的表写作 NAME.TABLE")
        case .detachSummary:
            ("close an attached dataset",
             "关闭挂接的数据集")
        case .saveSummary:
            ("save the catalog as a snapshot (atomic: the old file survives a failure)",
             "把所有表保存为快照（原子操作：保存失败时旧文件保持不变）")
        case .cacheSummary:
            ("where the cached copies of CSV tables are and their size, or delete them all",
             "显示 CSV 表缓存副本的位置和大小，或全部删除")
        case .modeSummary:
            ("how results are written (csv bom: with a byte-order mark, for Excel)",
             "设置结果的输出格式（csv bom：带字节顺序标记，供 Excel 使用）")
        case .outputSummary:
            ("write results to FILE (every row), or back to the screen",
             "把结果（全部行）写入 FILE，或恢复输出到屏幕")
        case .timerSummary:
            ("show each query's run time",
             "显示每个查询的用时")
        case .reportSummary:
            ("start a report (.html or .md): results and directives go into it until .report end writes it",
             "开始一份报告（.html 或 .md）：结果和指令都写入其中，直到 .report end 写出")
        case .titleSummary:
            ("the report's title ($NAME and {QUERY} of one value replaced)",
             "报告标题（替换 $NAME 和单值的 {QUERY}）")
        case .headingSummary:
            ("a heading; it captions the table after it",
             "标题，作为其后表格的表题")
        case .subheadingSummary:
            ("a heading of the second level",
             "二级标题")
        case .textSummary:
            ("a paragraph, like: .text 截至$date，签约项目{项目 where 阶段 >= 签约 count}个",
             "一段正文，如：.text 截至$date，签约项目{项目 where 阶段 >= 签约 count}个")
        case .chartSummary:
            ("draw the next result: bars in the terminal and markdown, an SVG chart in an HTML report",
             "把下一个结果画成图：终端和 markdown 中为条形，HTML 报告中为 SVG 图表")
        case .pagebreakSummary:
            ("start a new page in the printed report",
             "在打印的报告中另起一页")
        case .printSummary:
            ("write TEXT where results go ($NAME replaced by its value): a heading in a script",
             "把 TEXT 写到结果输出处（$NAME 替换为其值），可作脚本中的标题")
        case .strictSummary:
            ("stop a statement with an error where it would only note a value its column never holds",
             "列中不存在的取值不再只是提示，而是作为错误中止语句")
        case .pagerSummary:
            ("page results taller than the terminal through $PAGER or less",
             "比终端高的结果通过 $PAGER 或 less 分页显示")
        case .echoSummary:
            ("write a script's statements and comments before their results",
             "在结果之前写出脚本的语句和注释")
        case .explainSummary:
            ("run QUERY and show its steps: the path each took and why, rows in and out, milliseconds",
             "运行 QUERY 并显示其步骤：各步的执行路径及原因、输入输出行数、毫秒数")
        case .readSummary:
            ("run the statements of a script file",
             "运行脚本文件中的语句")
        case .setSummary:
            ("define $NAME for the statements that follow (one literal: number, date, word or text)",
             "为之后的语句定义 $NAME（一个字面值：数字、日期、词或文本）")
        case .langSummary:
            ("the language of messages and help: zh (Chinese) or en (English)",
             "消息和帮助的语言：zh（中文）或 en（英文）")
        case .quitSummary:
            ("leave projq",
             "退出 projq")
        // MARK: `.help COMMAND`: how it behaves, and an example
        case .helpDetail:
            ("Lists the dot-commands with a line each; with a command's name, explains it with an example.\nExample: .help load",
             "列出全部点命令，每个一行；给出命令名时，详细说明该命令并举例。\n示例：.help load")
        case .tablesDetail:
            ("Lists the tables with their row counts, the attached datasets' as NAME.TABLE.\nExample: .tables",
             "列出各表及其行数，挂接数据集中的表写作 NAME.TABLE。\n示例：.tables")
        case .schemaDetail:
            ("Shows each column of a table (or of every table): its type, money unit and digits, null count, distinct count, a category's values in order, the null markers read and the cells a scale rounded.\nExample: .schema 项目",
             "显示一张表（或所有表）的各列：类型、金额单位和小数位数、空值数、不同值数、类别的有序取值、读作空值的标记，以及按 scale 舍入的单元格。\n示例：.schema 项目")
        case .openDetail:
            ("Opens a dataset folder (every .csv/.tsv a table, plus schema.toml), one CSV file or a snapshot, in place of the tables open now. A dataset that fails to load is not half-loaded.\nExample: .open examples/county-zh",
             "打开数据集文件夹（每个 .csv/.tsv 为一张表，另有 schema.toml）、单个 CSV 文件或快照，替换当前打开的表。载入失败的数据集不会只载入一半。\n示例：.open examples/county-zh")
        case .loadDetail:
            ("Adds one CSV file as a table, named after the file or NAME, typed by the schema entry for NAME (or its file name) of the schema.toml beside it, else of the open dataset's, or of TOML when named; or adds a workbook's sheets (.xlsx, .xls), each a table named after its sheet (after the file when it has one sheet), or only SHEET; or adds a snapshot's tables.\nExample: .load 上月/项目.csv as 上月 schema examples/county-zh/schema.toml\nExample: .load 台账.xlsx sheet 项目 as 上月",
             "把一个 CSV 文件添加为一张表，以文件名或 NAME 命名；类型按其旁边 schema.toml 中 NAME（或文件名）的条目确定，没有则按当前数据集的，指定了 TOML 时按 TOML 的；也可添加工作簿（.xlsx、.xls）的各工作表，每张工作表一张表，以工作表名命名（只有一张工作表时以文件名命名），或只添加 SHEET；也可添加快照中的表。\n示例：.load 上月/项目.csv as 上月 schema examples/county-zh/schema.toml\n示例：.load 台账.xlsx sheet 项目 as 上月")
        case .attachDetail:
            ("Opens another dataset or snapshot beside this one; its tables are NAME.TABLE in queries, each with its own schema — last month's ledger for `changes`.\nExample: .attach examples/county-zh-last as 上月\n         项目 changes from 上月.项目 on 编号 | count by change",
             "在当前数据之外另开一个数据集或快照；查询中其表写作 NAME.TABLE，各用自己的 schema，例如供 `changes` 对比的上月台账。\n示例：.attach examples/county-zh-last as 上月\n      项目 changes from 上月.项目 on 编号 | count by change")
        case .detachDetail:
            ("Closes a dataset opened by .attach.\nExample: .detach 上月",
             "关闭用 .attach 打开的数据集。\n示例：.detach 上月")
        case .saveDetail:
            ("Saves every table as one snapshot file, which opens in milliseconds. The file is replaced in one step: a failed save leaves the previous file.\nExample: .save ledger.projqdb",
             "把所有表保存为一个快照文件，打开只需几毫秒。文件一步替换：保存失败时保留原文件。\n示例：.save ledger.projqdb")
        case .cacheDetail:
            ("Shows where the cached copies of CSV tables are, their size and which tables came from them; .cache clear deletes them.\nExample: .cache clear",
             "显示 CSV 表缓存副本的位置、大小，以及哪些表由缓存打开；.cache clear 删除这些副本。\n示例：.cache clear")
        case .modeDetail:
            ("Sets how results are written: box (the terminal's tables; a table too wide for the terminal is shown as records), records (a block per row, a line per column: `name │ value`), csv, tsv, json or markdown; `csv bom` starts the first table with a byte-order mark for Excel. Without an argument, says the mode.\nExample: .mode markdown",
             "设置结果的输出格式：box（终端表格；比终端宽的表格按记录显示）、records（每行一块，每列一行：`列名 │ 值`）、csv、tsv、json 或 markdown；`csv bom` 在第一张表前加上字节顺序标记，供 Excel 使用。不带参数时显示当前格式。\n示例：.mode markdown")
        case .outputDetail:
            ("Writes results to FILE (every row, results separated by a blank line) until .output alone sends them back to the screen. The file is started empty; a file the tables were read from is refused.\nExample: .output 通报.md",
             "把结果写入 FILE（全部行，结果之间空一行），直到单独的 .output 恢复输出到屏幕。文件先被清空；不能写入读取表的文件。\n示例：.output 通报.md")
        case .timerDetail:
            ("Shows each query's run time: under the box table, after a markdown table, else on standard error.\nExample: .timer on",
             "显示每个查询的用时：box 表格之下、markdown 表格之后，其他格式写到标准错误。\n示例：.timer on")
        case .reportDetail:
            ("Starts a meeting document written by .report end (or the end of the run): .html, .xlsx, .md or .csv by the file's extension. Results and the directives .title, .heading, .subheading, .text, .chart and .pagebreak go into it.\nExample: .report 通报.html",
             "开始一份会议文档，由 .report end（或运行结束时）写出：按文件扩展名为 .html、.xlsx、.md 或 .csv。结果以及 .title、.heading、.subheading、.text、.chart、.pagebreak 指令都写入其中。\n示例：.report 通报.html")
        case .titleDetail:
            ("The report's title; without a report, the text is printed. $NAME and {QUERY} (a query of one value) are replaced.\nExample: .title 全县招商引资工作通报（截至 $date）",
             "报告的标题；没有报告时直接输出文本。$NAME 和 {QUERY}（结果为单个值的查询）会被替换。\n示例：.title 全县招商引资工作通报（截至 $date）")
        case .headingDetail:
            ("A heading of the report; it captions the table after it (and names its sheet in a workbook).\nExample: .heading 一、项目总体进展",
             "报告的标题；作为其后表格的表题（在工作簿中也作工作表名）。\n示例：.heading 一、项目总体进展")
        case .subheadingDetail:
            ("A heading of the second level.\nExample: .subheading 本期新签约项目",
             "二级标题。\n示例：.subheading 本期新签约项目")
        case .textDetail:
            ("A paragraph of the report, with $NAME and {QUERY} replaced by their values.\nExample: .text 截至$date，全县签约项目{项目 where 阶段 >= 签约 count}个",
             "报告的一段正文，$NAME 和 {QUERY} 替换为其值。\n示例：.text 截至$date，全县签约项目{项目 where 阶段 >= 签约 count}个")
        case .chartDetail:
            ("Draws the next result: bar, column, line, pie or funnel; the labels' column (default the first) and the values' columns (default the first number column). Bars of block characters under a box table; an SVG chart in HTML; a native chart in a workbook.\nExample: .chart bar 责任单位 完成率",
             "把下一个结果画成图：bar、column、line、pie 或 funnel；标签列（默认第一列）和数值列（默认第一个数字列）。box 表格下为方块字符的条形，HTML 中为 SVG 图表，工作簿中为原生图表。\n示例：.chart bar 责任单位 完成率")
        case .pagebreakDetail:
            ("Starts a new page where the report is printed.\nExample: .pagebreak",
             "打印报告时在此另起一页。\n示例：.pagebreak")
        case .printDetail:
            ("Writes TEXT where results go, $NAME replaced.\nExample: .print 截至 $date",
             "把 TEXT 写到结果输出处，并替换 $NAME。\n示例：.print 截至 $date")
        case .strictDetail:
            ("With strict on, a value its column never holds (阶段 = 签药) stops the statement with an error (exit 1 in a script) instead of a note and an empty answer.\nExample: .strict on",
             "打开 strict 后，列中不存在的取值（阶段 = 签药）会作为错误中止语句（脚本中退出状态为 1），而不是给出提示和空结果。\n示例：.strict on")
        case .pagerDetail:
            ("With the pager on, a result taller than the terminal is shown whole through $PAGER (split on spaces and started directly, not through a shell), else `less -SRX`: scroll with the arrows, q to come back. Off (the default), the box shows its first and last rows. Without an argument, says which and the pager's command.\nExample: .pager on",
             "打开分页后，比终端高的结果通过 $PAGER（按空格拆分后直接启动，不经过 shell）完整显示，未设置时用 `less -SRX`：用方向键滚动，按 q 返回。关闭时（默认）表格只显示首尾若干行。不带参数时显示当前状态和分页命令。\n示例：.pager on")
        case .echoDetail:
            ("With echo on, a script's statements and its comment lines are written before each result, so the output reads with the script.\nExample: .echo on",
             "打开 echo 后，脚本的语句和注释行写在各结果之前，输出可与脚本对照阅读。\n示例：.echo on")
        case .explainDetail:
            ("Runs a query and shows its steps instead of its result: the physical path each took and why, rows in and out, milliseconds.\nExample: .explain 项目 where 阶段 >= 签约 sum 投资额 by 责任单位",
             "运行查询，显示其步骤而非结果：各步的物理执行路径及原因、输入输出行数、毫秒数。\n示例：.explain 项目 where 阶段 >= 签约 sum 投资额 by 责任单位")
        case .readDetail:
            ("Runs the statements of a script file, as -f does; an error stops it at its line.\nExample: .read examples/meeting-zh.pq",
             "运行脚本文件中的语句，与 -f 相同；出错时停在出错的行。\n示例：.read examples/meeting-zh.pq")
        case .setDetail:
            ("Defines $NAME for the statements that follow, as one literal: a number, money (500万), a date, a word or quoted text — never syntax. .set alone lists them.\nExample: .set date 2015-12-31",
             "为之后的语句定义 $NAME，作为一个字面值：数字、金额（500万）、日期、词或带引号的文本，绝不作为语法。单独的 .set 列出已定义的参数。\n示例：.set date 2015-12-31")
        case .langDetail:
            ("Sets the language of messages, notes, help, footers and errors for the rest of the run: zh (Chinese) or en (English); without an argument, says it. At start-up it is --lang, else the locale (LC_ALL, LC_MESSAGES, LANG starting with zh is Chinese). Column names, keywords and default result headers stay as written.\nExample: .lang zh",
             "设置本次运行之后的消息、提示、帮助、表尾和错误的语言：zh（中文）或 en（英文）；不带参数时显示当前语言。启动时按 --lang 确定，没有则按区域设置（LC_ALL、LC_MESSAGES、LANG 以 zh 开头即为中文）。列名、关键字和默认结果列标题保持原样。\n示例：.lang en")
        case .quitDetail:
            ("Leaves projq (Ctrl-D on an empty line too).\nExample: .quit",
             "退出 projq（在空行按 Ctrl-D 也可）。\n示例：.quit")
        case .queriesLine:
            ("Queries: a table, then clauses: where, count/sum/avg/min/max/median … by …, across, select, sort, top, limit, join.",
             "查询：先写表名，再接子句：where、count/sum/avg/min/max/median … by …、across、select、sort、top、limit、join。")
        // MARK: `projq --help`
        case .overview:
            ("OVERVIEW: A query shell for investment-attraction project ledgers.",
             "概述：招商引资项目台账的查询工具。")
        case .usageHeading:
            ("USAGE: {1}",
             "用法：{1}")
        case .argumentsHeading:
            ("ARGUMENTS:",
             "参数：")
        case .optionsHeading:
            ("OPTIONS:",
             "选项：")
        case .commandLineIntro:
            ("DATA is a dataset folder (CSV files and an optional schema.toml), one CSV file, or a snapshot; without it, projq opens examples/county if it is there.\nWithout -c or -f, projq reads statements: interactively on a terminal, else as a script from standard input.\nExit status: 0 success, 1 a query error (the first one stops a script), 2 a usage or data error.",
             "DATA 是数据集文件夹（CSV 文件及可选的 schema.toml）、单个 CSV 文件或快照；未给出时，若有 examples/county 则打开它。\n没有 -c 或 -f 时，projq 读取语句：在终端上交互进行，否则把标准输入作为脚本读取。\n退出状态：0 成功，1 查询错误（脚本在第一个错误处停止），2 用法或数据错误。")
        case .dataArgument:
            ("A dataset folder, a .csv file or a snapshot file.",
             "数据集文件夹、.csv 文件或快照文件。")
        case .optionQuery:
            ("Run statements (repeatable; ';' separates several), then exit.",
             "运行语句（可重复；多条语句以 ';' 分隔），然后退出。")
        case .optionScript:
            ("Run a script file of statements, comments and dot-commands, then exit.",
             "运行由语句、注释和点命令组成的脚本文件，然后退出。")
        case .optionFormat:
            ("Output format: box, records, csv, tsv, json or markdown (default: box on a terminal, else csv).",
             "输出格式：box、records、csv、tsv、json 或 markdown（默认：终端上为 box，否则为 csv）。")
        case .optionBOM:
            ("Start CSV and TSV output with a UTF-8 byte-order mark, so that Excel on a Chinese Windows reads it as UTF-8.",
             "在 CSV 和 TSV 输出前加上 UTF-8 字节顺序标记，使中文 Windows 上的 Excel 按 UTF-8 读取。")
        case .optionEncoding:
            ("Write results in utf-8 (the default) or gb18030, the code page Chinese Excel reads CSV in.",
             "以 utf-8（默认）或 gb18030（中文 Excel 读取 CSV 所用的代码页）写出结果。")
        case .optionReport:
            ("Write the results, with the script's .title, .heading and .text, as one document: FILE.html or FILE.md.",
             "把结果连同脚本的 .title、.heading 和 .text 写成一份文档：FILE.html 或 FILE.md。")
        case .optionSet:
            ("Define $NAME for the statements (one literal value; repeatable).",
             "为语句定义 $NAME（一个字面值；可重复）。")
        case .optionAttach:
            ("Open another dataset or snapshot beside DATA; its tables are NAME.TABLE in queries (repeatable).",
             "在 DATA 之外另开一个数据集或快照，查询中其表写作 NAME.TABLE（可重复）。")
        case .optionStrict:
            ("Stop a statement with an error (exit 1) where it would only note a value its column never holds, like a misspelt 签药 for 签约.",
             "列中不存在的取值（如把签约误写为签药）不再只是提示，而是作为错误中止语句（退出状态 1）。")
        case .optionHistory:
            ("History file of the interactive shell (default ~/.projq_history).",
             "交互式 shell 的历史文件（默认 ~/.projq_history）。")
        case .optionNoCache:
            ("Neither read nor write the cache of CSV tables in $XDG_CACHE_HOME/projq (default ~/.cache/projq); PROJQ_NO_CACHE=1 does the same.",
             "不读也不写 $XDG_CACHE_HOME/projq（默认 ~/.cache/projq）中的 CSV 表缓存；PROJQ_NO_CACHE=1 效果相同。")
        case .optionMemoryLimit:
            ("The most memory one statement's large builds (a join's rows, a stream read into memory) may take, like 2GB or 500MB (default: three quarters of the machine's).",
             "单条语句的大型构建（连接的结果行、读入内存的数据流）最多可用的内存，如 2GB 或 500MB（默认：本机内存的四分之三）。")
        case .optionLang:
            ("The language of messages, help and errors: zh or en (default: zh when LC_ALL, LC_MESSAGES or LANG starts with zh, else en).",
             "消息、帮助和错误的语言：zh 或 en（默认：LC_ALL、LC_MESSAGES 或 LANG 以 zh 开头时为 zh，否则为 en）。")
        case .optionHelp:
            ("Show this help.",
             "显示本帮助。")
        }
    }
}
