/// The messages of reading data files and writing files: text encodings, CSV cells that do not
/// fit their column, workbooks, files replaced in one step, input streams and the cache of CSV
/// tables, in English and Chinese (see `CatalogueMessage`). The file, and the line and column or
/// the sheet and cell (`C14`), are put before them as they travel up.
public enum DataMessage: CatalogueMessage {
    // Reading files and their encodings
    case cannotOpen, cannotRead, readFailed, isAFolder, mixedEncodings, noConverter, endOfFile
    case neitherUTF8NorGB18030, notValidEncoding
    // CSV cells and headers
    case cellNotType, declaredAs, notDeclaredValue, undecodableInColumn, columnOver4GiB, tooManyDigits
    case tooLarge, anInteger, aNumber, aPercentage, anAmount, aDate, aTimestamp, aBool, someText
    case emptyFile, undecodableHeader, duplicateColumn
    // Writing files
    case save, write, symbolicLink, aFolder, notRegular, cannotReplace, cannotVerb, cannotVerbUnchanged
    case callFailed, cannotCopyStream, streamPastLimit, cannotKeepStream
    // The cache
    case cacheNoHome, cacheNotUsed, cannotCreate, notAFolder, otherUser, notPrivate, cacheNoExe
    case cacheNotWritten, cacheEntryIgnored, notTableAlone
    // Workbooks
    case inSheet, manySheets, sheetNotWorkbook, sheetEmpty, noHeaderRow, encrypted, noVisibleSheets
    case loadingSheet, noSheet, webPage, emptyWorkbook, notAWorkbook, xlsProtected, xlsReaderCrashed, cannotSelectSheet
    case cannotReadSize, xlsCannotOpen, notXLSHeader, notXLSNoWorkbook, xlsNoMemory, xlsCodePage
    case xlsDamaged, notXLSXPackage, notXLSXNoPart, zipUnreadable, partTooLarge, cannotReadPart, partDamaged
    case duplicateColumnName, totalsRowLeftOut, cellsOutsideHeader, oneCellOutsideHeader, partNotWellFormed, rowAfterCell, inRow, afterRow
    case xmlPartCDATA, xmlPartComment, xmlPartDeclaration, xmlPartInstruction, xmlPartTag, xmlPartEndTag, xmlTextAfterRoot, xmlTextBeforeRoot
    case xlsxNoSharedString, xlsxNotANumber, xlsxNotASerial, xlsxSerial60, xlsxSerialOutside
    case xmlTokenTooLarge, xmlUTF16, xmlNoRoot, xmlEndsInside, xmlBadEndTag, xmlUnexpectedInEndTag, xmlCDATAOutside, xmlDoctype, xmlBadBang, xmlOtherEncoding, xmlBadLess, xmlSlash, xmlUnexpectedInTag, xmlAttributeNoValue, xmlAttributeUnquoted, xmlLessInAttribute, xmlAttributeTwice, xmlSecondRoot, xmlTooDeep, xmlClosesNothing, xmlWrongClose, xmlControlCharacter, xmlBadCharacterReference, xmlCharacterNotAllowed, xmlBareAmpersand, xmlUnknownEntity, xmlCellNotUTF8

    public var texts: (english: String, chinese: String) {
        switch self {
        // MARK: Reading files and their encodings
        case .cannotOpen: ("cannot open: {1}", "无法打开：{1}")
        case .cannotRead: ("cannot read: {1}", "无法读取：{1}")
        case .readFailed: ("read failed: {1}", "读取失败：{1}")
        case .isAFolder: ("is a folder, not a CSV file", "是文件夹，不是 CSV 文件")
        case .mixedEncodings:
            ("bytes that are not UTF-8 (0x{1}), though the lines before them are: the file mixes encodings (rows in GBK pasted into a UTF-8 file?); save it again in one encoding",
             "出现了不是 UTF-8 的字节（0x{1}），而此前各行都是 UTF-8：文件混用了多种编码（是否把 GBK 的行粘贴进了 UTF-8 文件？）；请统一用一种编码重新保存")
        case .noConverter:
            ("this file is not UTF-8 and the system cannot convert {1} (iconv_open failed)",
             "此文件不是 UTF-8 编码，而系统无法转换 {1}（iconv_open 失败）")
        case .endOfFile: ("end of file", "文件末尾")
        case .neitherUTF8NorGB18030:
            ("undecodable bytes: the file is neither UTF-8 nor GB18030 (byte 0x{1} at offset {2})",
             "无法解码的字节：文件既不是 UTF-8 也不是 GB18030（偏移 {2} 处的字节 0x{1}）")
        case .notValidEncoding:
            ("undecodable bytes: the file is not valid {1} (byte 0x{2} at offset {3})",
             "无法解码的字节：文件不是有效的 {1}（偏移 {3} 处的字节 0x{2}）")
        // MARK: CSV cells and headers
        case .cellNotType: ("'{1}' in column '{2}' is not {3}{4}", "列 '{2}' 中的 '{1}' 不是{3}{4}")
        case .declaredAs: (" (schema.toml declares {1})", "（schema.toml 声明为 {1}）")
        case .notDeclaredValue: ("'{1}' is not one of the declared values of '{2}' ({3}){4}", "'{1}' 不是 '{2}' 声明的取值（{3}）之一{4}")
        case .undecodableInColumn: ("undecodable bytes in column '{1}': not valid UTF-8", "列 '{1}' 中有无法解码的字节：不是有效的 UTF-8")
        case .columnOver4GiB: ("column '{1}' holds more than 4 GiB of text, the limit of one column", "列 '{1}' 的文本超过 4 GiB，即单列的上限")
        case .tooManyDigits:
            ("'{1}' in column '{2}' has more digits after the point than {3} keeps (at most {4}); declare scale = N for the column in schema.toml to round to N digits, or declare it float",
             "列 '{2}' 中的 '{1}' 小数位数多于 {3} 所能保留的（最多 {4} 位）；可在 schema.toml 中为该列声明 scale = N 以舍入到 N 位，或将其声明为 float")
        case .tooLarge:
            ("'{1}' in column '{2}' is too large for {3} at {4} digits after the point (the limit is about {5})",
             "列 '{2}' 中的 '{1}' 超出了保留 {4} 位小数的 {3} 的范围（上限约为 {5}）")
        case .anInteger: ("an integer", "整数")
        case .aNumber: ("a number", "数字")
        case .aPercentage: ("a percentage (12.5%) or a ratio (0.125)", "百分数（12.5%）或比例（0.125）")
        case .anAmount: ("an amount in {1}", "以{1}计的金额")
        case .aDate: ("a date (2015-03-01, 2015/3/1 or 2015年3月1日)", "日期（2015-03-01、2015/3/1 或 2015年3月1日）")
        case .aTimestamp:
            ("a timestamp (2015-03-01 14:30:00, 2013-01-01T10:00:00Z, 2015/3/1 14:30)",
             "时间（2015-03-01 14:30:00、2013-01-01T10:00:00Z、2015/3/1 14:30）")
        case .aBool: ("true/false or 是/否", "true/false 或 是/否")
        case .someText: ("text", "文本")
        case .emptyFile: ("the file is empty: a CSV file needs a header line", "文件为空：CSV 文件须有表头行")
        case .undecodableHeader: ("undecodable bytes in the header: not valid UTF-8", "表头中有无法解码的字节：不是有效的 UTF-8")
        case .duplicateColumn: ("duplicate column name '{1}' (column {2} has it too)", "列名 '{1}' 重复（第 {2} 列也叫这个名字）")
        // MARK: Writing files
        case .save: ("save", "保存")
        case .write: ("write", "写入")
        case .symbolicLink: ("a symbolic link ({1} to the file it points to)", "符号链接（请直接{1}到它所指向的文件）")
        case .aFolder: ("a folder", "文件夹")
        case .notRegular: ("not a regular file", "非普通文件")
        case .cannotReplace: ("cannot {1}: it is {2}; the file is unchanged", "无法{1}：它是{2}；文件未改动")
        case .cannotVerb: ("cannot {1}: {2}", "无法{1}：{2}")
        case .cannotVerbUnchanged: ("cannot {1}: {2}; the previous file is unchanged", "无法{1}：{2}；原文件未改动")
        case .callFailed: ("cannot {1} ({2} failed: {3}); the previous file is unchanged", "无法{1}（{2} 失败：{3}）；原文件未改动")
        case .cannotCopyStream: ("cannot copy the stream: {1}", "无法复制输入流：{1}")
        case .streamPastLimit:
            ("the stream goes on past {1}, the memory projq may take (--memory-limit, ulimit -v), without ending; read it from a file",
             "输入流超过 {1}（projq 可用的内存，见 --memory-limit、ulimit -v）仍未结束；请从文件读取")
        case .cannotKeepStream: ("cannot keep the stream in memory: {1}", "无法将输入流保存在内存中：{1}")
        // MARK: The cache
        case .cacheNoHome: ("cache not used: neither XDG_CACHE_HOME nor HOME is set", "未使用缓存：XDG_CACHE_HOME 和 HOME 均未设置")
        case .cacheNotUsed: ("cache not used ({1}): {2}", "未使用缓存（{1}）：{2}")
        case .cannotCreate: ("cannot create {1}: {2}", "无法创建 {1}：{2}")
        case .notAFolder: ("not a folder", "不是文件夹")
        case .otherUser: ("the folder belongs to another user", "该文件夹属于其他用户")
        case .notPrivate: ("open to other users and cannot be made private: {1}", "其他用户可以访问，且无法设为私有：{1}")
        case .cacheNoExe: ("cache not used: the running projq cannot be identified (/proc/self/exe)", "未使用缓存：无法识别正在运行的 projq（/proc/self/exe）")
        case .cacheNotWritten: ("cache not written ({1}): {2}", "未写入缓存（{1}）：{2}")
        case .cacheEntryIgnored: ("cache entry ignored ({1}): {2}; the CSV file was loaded instead", "已忽略缓存项（{1}）：{2}；已改为载入 CSV 文件")
        case .notTableAlone: ("does not hold table '{1}' alone", "并非只含表 '{1}'")
        // MARK: Workbooks
        case .inSheet: ("sheet {1}: ", "工作表 {1}: ")
        case .duplicateColumnName:
            ("duplicate column name '{1}' (column {2} has it too)", "列名 '{1}' 重复（第 {2} 列也叫这个名字）")
        case .totalsRowLeftOut:
            ("row {1} ({2}) is a totals row: left out", "第 {1} 行（{2}）是合计行：未载入")
        case .oneCellOutsideHeader:
            ("{1} cell outside the header's columns {2}–{3} left out", "表头列 {2}–{3} 之外的 {1} 个单元格未载入")
        case .cellsOutsideHeader:
            ("{1} cells outside the header's columns {2}–{3} left out", "表头列 {2}–{3} 之外的 {1} 个单元格未载入")
        case .partNotWellFormed:
            ("part {1} of the workbook is not well-formed XML: {2}", "工作簿的部件 {1} 不是格式正确的 XML：{2}")
        case .rowAfterCell: ("row {1}, after {2}", "第 {1} 行，{2} 之后")
        case .inRow: ("row {1}", "第 {1} 行")
        case .afterRow: ("after row {1}", "第 {1} 行之后")
        case .xlsxNoSharedString:
            ("shared string {1} does not exist (the workbook has {2})", "共享字符串 {1} 不存在（工作簿共有 {2} 个）")
        case .xlsxNotANumber:
            ("'{1}' is not a number, though the cell says it holds one", "'{1}' 不是数字，但单元格标明它存的是数字")
        case .xlsxNotASerial:
            ("'{1}' is not a date serial number, though the cell's format is a date", "'{1}' 不是日期序号，但单元格的格式是日期")
        case .xlsxSerial60:
            ("serial 60 is 1900-02-29, a day that never was (Excel counts it, taking 1900 for a leap year)", "序号 60 是 1900-02-29，这一天并不存在（Excel 把 1900 年当作闰年而计入了它）")
        case .xlsxSerialOutside:
            ("{1} is outside the dates Excel can show (years 1900–9999)", "{1} 超出 Excel 能显示的日期范围（1900–9999 年）")
        case .xmlPartCDATA: ("a CDATA section", "CDATA 段")
        case .xmlPartComment: ("a comment", "注释")
        case .xmlPartDeclaration: ("a declaration", "声明")
        case .xmlPartInstruction: ("a processing instruction", "处理指令")
        case .xmlPartTag: ("a tag", "标签")
        case .xmlPartEndTag: ("an end tag", "结束标签")
        case .xmlTextAfterRoot: ("text after the root element", "根元素之后出现文本")
        case .xmlTextBeforeRoot: ("text before the root element", "根元素之前出现文本")
        case .xmlTokenTooLarge:
            ("an element, comment or text larger than {1} MiB",
             "元素、注释或文本超过 {1} MiB")
        case .xmlUTF16:
            ("the part is UTF-16; only UTF-8 sheets are read",
             "该部件为 UTF-16 编码；只读取 UTF-8 的工作表")
        case .xmlNoRoot:
            ("the part has no root element",
             "该部件没有根元素")
        case .xmlEndsInside:
            ("the part ends inside {1} (cut off?)",
             "该部件在 {1} 内部结束（被截断？）")
        case .xmlBadEndTag:
            ("'</' starts no end tag",
             "'</' 之后不是结束标签")
        case .xmlUnexpectedInEndTag:
            ("unexpected '{1}' in an end tag",
             "结束标签中出现意外的 '{1}'")
        case .xmlCDATAOutside:
            ("a CDATA section outside the root element",
             "根元素之外出现 CDATA 段")
        case .xmlDoctype:
            ("a DOCTYPE, which no sheet has (entity definitions are refused)",
             "出现 DOCTYPE，工作表不应有（不接受实体定义）")
        case .xmlBadBang:
            ("'<!' starts no comment or CDATA section",
             "'<!' 之后既不是注释也不是 CDATA 段")
        case .xmlOtherEncoding:
            ("the part says it is in {1}; only UTF-8 sheets are read",
             "该部件声明编码为 {1}；只读取 UTF-8 的工作表")
        case .xmlBadLess:
            ("'<' followed by '{1}' (a '<' in text is written &lt;)",
             "'<' 之后是 '{1}'（文本中的 '<' 应写作 &lt;）")
        case .xmlSlash:
            ("'/' not followed by '>' in a tag",
             "标签中的 '/' 之后不是 '>'")
        case .xmlUnexpectedInTag:
            ("unexpected '{1}' in the tag <{2}>",
             "标签 <{2}> 中出现意外的 '{1}'")
        case .xmlAttributeNoValue:
            ("attribute {1} has no '=' and value",
             "属性 {1} 缺少 '=' 和值")
        case .xmlAttributeUnquoted:
            ("the value of attribute {1} is not in quotes",
             "属性 {1} 的值没有加引号")
        case .xmlLessInAttribute:
            ("a '<' in the value of attribute {1}",
             "属性 {1} 的值中出现 '<'")
        case .xmlAttributeTwice:
            ("attribute {1} twice in one tag",
             "同一标签中属性 {1} 出现两次")
        case .xmlSecondRoot:
            ("a second root element <{1}> after the first",
             "第一个根元素之后又出现根元素 <{1}>")
        case .xmlTooDeep:
            ("elements nested deeper than {1}",
             "元素嵌套超过 {1} 层")
        case .xmlClosesNothing:
            ("</{1}> closes nothing",
             "</{1}> 没有可结束的元素")
        case .xmlWrongClose:
            ("</{1}> where <{2}> is open",
             "<{2}> 尚未结束处出现 </{1}>")
        case .xmlControlCharacter:
            ("control character {1} in a cell's text (not allowed in XML)",
             "单元格文本中有控制字符 {1}（XML 不允许）")
        case .xmlBadCharacterReference:
            ("a character reference that is not &#NNN; or &#xHH;",
             "字符引用不是 &#NNN; 或 &#xHH; 的形式")
        case .xmlCharacterNotAllowed:
            ("&#{1}; is no character XML allows",
             "&#{1}; 不是 XML 允许的字符")
        case .xmlBareAmpersand:
            ("an '&' that starts no entity (a '&' in text is written &amp;)",
             "'&' 之后不是实体（文本中的 '&' 应写作 &amp;）")
        case .xmlUnknownEntity:
            ("unknown entity &{1};",
             "未知的实体 &{1};")
        case .xmlCellNotUTF8:
            ("the cell's text is not valid UTF-8",
             "单元格文本不是有效的 UTF-8")
        case .manySheets:
            ("has {1} sheets ({2}); name one to load it as a table: .load {3} sheet NAME as TABLE",
             "含有 {1} 张工作表（{2}）；请指明其中一张作为表载入：.load {3} sheet NAME as TABLE")
        case .sheetNotWorkbook:
            ("sheet names a sheet of a workbook (.xlsx or .xls); this is not one",
             "sheet 用于指明工作簿（.xlsx 或 .xls）中的工作表；此文件不是工作簿")
        case .sheetEmpty: ("the sheet is empty: no header row", "工作表为空：没有表头行")
        case .noHeaderRow:
            ("no header row: none of the first {1} rows has text in every column {2}–{3} followed by data; name the header row with header = N for this table in schema.toml",
             "找不到表头行：前 {1} 行中没有一行在 {2}–{3} 各列都有文字且下方有数据；请在 schema.toml 中为此表用 header = N 指明表头行")
        case .encrypted:
            ("the workbook is encrypted (saved with a password): save a copy without one (File › Info › Protect Workbook › Encrypt with Password, cleared)",
             "工作簿已加密（保存时设了密码）：请另存一份不带密码的副本（文件 › 信息 › 保护工作簿 › 用密码进行加密，清空密码）")
        case .noVisibleSheets: ("the workbook has no visible sheets", "工作簿中没有可见的工作表")
        case .loadingSheet: ("loading sheet {1} of {2}", "载入 {2} 的工作表 {1}")
        case .noSheet: ("no sheet '{1}'; its sheets: {2}", "没有工作表 '{1}'；其工作表为：{2}")
        case .webPage:
            ("not an Excel workbook: it is a web page or XML file under an Excel name (some systems export those as .xls); open it in Excel and save it as .xlsx",
             "不是 Excel 工作簿：这是以 Excel 文件名保存的网页或 XML 文件（有些系统这样导出 .xls）；请在 Excel 中打开，另存为 .xlsx")
        case .emptyWorkbook: ("not an Excel workbook: the file is empty", "不是 Excel 工作簿：文件为空")
        case .notAWorkbook:
            ("not an Excel workbook (.xlsx is a zip archive, .xls a compound file; this file is neither)",
             "不是 Excel 工作簿（.xlsx 是 zip 压缩包，.xls 是复合文档；此文件两者都不是）")
        case .xlsReaderCrashed:
            ("the workbook is damaged: FreeXL, the .xls reader, stops with {1} reading it (tried apart from projq, which goes on); save it again in Excel or LibreOffice, or as .xlsx",
             "工作簿已损坏：.xls 读取库 FreeXL 读取时异常终止（{1}；已在 projq 之外试读，projq 不受影响）；请在 Excel 或 LibreOffice 中重新保存，或另存为 .xlsx")
        case .xlsProtected:
            ("the workbook is protected with a password: save a copy without one (File › Info › Protect Workbook)",
             "工作簿设有密码保护：请另存一份不带密码的副本（文件 › 信息 › 保护工作簿）")
        case .cannotSelectSheet: ("cannot select sheet {1} of the workbook: it is damaged", "无法选择工作簿的第 {1} 张工作表：工作簿已损坏")
        case .cannotReadSize: ("cannot read the sheet's size: the workbook is damaged", "无法读取工作表的大小：工作簿已损坏")
        case .xlsCannotOpen: ("cannot open the file", "无法打开文件")
        case .notXLSHeader:
            ("not an .xls workbook (Excel 97–2003): its header is not that of a compound file",
             "不是 .xls 工作簿（Excel 97–2003）：文件头不是复合文档的文件头")
        case .notXLSNoWorkbook:
            ("not an .xls workbook: the compound file holds no Excel workbook (an encrypted .xlsx, or another Office document)",
             "不是 .xls 工作簿：复合文档中没有 Excel 工作簿（可能是加密的 .xlsx，或其他 Office 文档）")
        case .xlsNoMemory: ("not enough memory to read the workbook", "内存不足，无法读取工作簿")
        case .xlsCodePage: ("the workbook's text is in a code page that cannot be read", "工作簿的文本使用了无法读取的代码页")
        case .xlsDamaged: ("the .xls workbook is damaged (FreeXL error {1})", ".xls 工作簿已损坏（FreeXL 错误 {1}）")
        case .notXLSXPackage: ("not an .xlsx workbook (an OpenDocument or encrypted package)", "不是 .xlsx 工作簿（而是 OpenDocument 文档或加密包）")
        case .notXLSXNoPart: ("not an .xlsx workbook: the archive has no {1}", "不是 .xlsx 工作簿：压缩包中没有 {1}")
        case .zipUnreadable: ("not a readable .xlsx workbook (its zip archive: {1})", "不是可读的 .xlsx 工作簿（其 zip 压缩包：{1}）")
        case .partTooLarge: ("{1} is larger than {2} MiB", "{1} 大于 {2} MiB")
        case .cannotReadPart: ("cannot read part {1} of the workbook: {2}", "无法读取工作簿的部件 {1}：{2}")
        case .partDamaged: ("part {1} of the workbook is damaged: {2}", "工作簿的部件 {1} 已损坏：{2}")
        }
    }
}
