/// The messages of a snapshot that cannot be opened or read — truncated, damaged, written by
/// another version — and the names of the fields and buffers they point at, in English and
/// Chinese (see `CatalogueMessage`).
public enum SnapshotMessage: CatalogueMessage {
    case cannotMap, empty, notValid, headerTooShort, wrongMagic, headerTruncatedAt
    case olderWroteIt, newerWroteIt, oneVersion, versionRange, formatVersion, headerChecksum, directoryPastEnd
    case directoryChecksum, blockSize, tableNameNotUTF8, tableClaimsRows, columnNameNotUTF8, columnOfTable
    case claimsDigits, unknownStorageTag, unknownTypeCode, unknownBufferRole, bufferNotAligned, bufferPastEnd
    case claimsMarkers, markerNotUTF8, claimsMarkerCells, claimsMoreNulls, directoryEndsEarly, bufferOfColumn
    case bufferMissing, partialElement, holdsValues, offsetsNotAtZero, offsetsOutOfOrder, offsetsEmpty
    case codeOutOfRange, typeMismatch, blockChecksum, blockFailed, located
    // The fields of the header and the directory, for "truncated at its …"
    case fieldVersion, fieldFlags, fieldDirectoryOffset, fieldDirectoryLength, fieldDirectoryChecksum
    case fieldHeaderChecksum, fieldBlockSize, fieldTableCount, fieldTableName, fieldRowCount, fieldColumnCount
    case fieldColumnName, fieldType, fieldUnit, fieldScale, fieldStorage, fieldColumnFlags, fieldNullCount
    case fieldBufferCount, fieldBufferRole, fieldBufferOffset, fieldBufferLength, fieldBlockChecksums
    case fieldMarkerCount, fieldMarker, fieldRoundedCount
    // The buffers of a column
    case roleValidity, roleData, roleHeapBytes, roleHeapOffsets, roleDictionaryBytes, roleDictionaryOffsets
    case roleZoneMinimums, roleZoneMaximums, roleTextZoneMinimums, roleTextZoneMaximums

    public var texts: (english: String, chinese: String) {
        switch self {
        // MARK: Opening the file
        case .cannotMap: ("cannot map: {1}", "无法映射到内存：{1}")
        case .empty: ("the snapshot is empty (truncated?)", "快照为空（是否被截断？）")
        // MARK: The header and the directory
        case .notValid: ("not a valid snapshot: {1}", "不是有效的快照：{1}")
        case .headerTooShort: ("the header is truncated ({1} bytes)", "文件头不完整（仅 {1} 字节）")
        case .wrongMagic: ("wrong magic bytes; this is not a projq snapshot", "文件标识不符；这不是 projq 快照")
        case .headerTruncatedAt: ("the header is truncated at its {1}", "文件头在{1}处不完整")
        case .olderWroteIt:
            (" (an older projq wrote it, with decimals as binary fractions and weaker checksums); open the CSV files it was made from and .save it again",
             "（由旧版 projq 写入，小数存为二进制浮点、校验较弱）；请打开生成它的 CSV 文件，再 .save 一次")
        case .newerWroteIt: ("; a newer projq wrote it", "；它由更新版本的 projq 写入")
        case .oneVersion: ("version {1}", "版本 {1}")
        case .versionRange: ("versions {1} to {2}", "版本 {1} 至 {2}")
        case .formatVersion: ("format version {1}; this projq reads {2}{3}", "格式版本为 {1}；本 projq 只能读取{2}{3}")
        case .headerChecksum: ("the header checksum does not match (corrupted header)", "文件头校验和不符（文件头已损坏）")
        case .directoryPastEnd:
            ("the directory lies past the end of the file (truncated file: {1} bytes)",
             "目录位于文件末尾之后（文件被截断：仅 {1} 字节）")
        case .directoryChecksum: ("the directory checksum does not match (corrupted directory)", "目录校验和不符（目录已损坏）")
        case .blockSize:
            ("checksum blocks of {1} bytes; this projq reads blocks of a power of two from 4096 to 1048576 bytes",
             "校验块大小为 {1} 字节；本 projq 只能读取 4096 至 1048576 字节之间 2 的幂大小的块")
        case .tableNameNotUTF8: ("a table name is not UTF-8", "有表名不是 UTF-8 编码")
        case .tableClaimsRows: ("table '{1}' claims {2} rows", "表 '{1}' 声称有 {2} 行")
        case .columnNameNotUTF8: ("a column name in '{1}' is not UTF-8", "'{1}' 中有列名不是 UTF-8 编码")
        case .columnOfTable: ("column '{1}' of table '{2}'", "表 '{2}' 的列 '{1}'")
        case .claimsDigits: ("{1} claims {2} digits after the point", "{1}声称有 {2} 位小数")
        case .unknownStorageTag: ("unknown storage tag for {1}", "{1}的存储标记未知")
        case .unknownTypeCode: ("unknown type code {1} (unit {2}) for {3}", "{3}的类型代码 {1}（单位 {2}）未知")
        case .unknownBufferRole: ("unknown buffer role in {1}", "{1}中有未知的缓冲区用途")
        case .bufferNotAligned: ("a buffer of {1} is not 8-byte aligned", "{1}的一个缓冲区未按 8 字节对齐")
        case .bufferPastEnd:
            ("the {1} buffer of {2} lies past the end of the file (truncated file)",
             "{2}的{1}缓冲区位于文件末尾之后（文件被截断）")
        case .claimsMarkers: ("{1} claims {2} null markers", "{1}声称有 {2} 个空值标记")
        case .markerNotUTF8: ("a null marker of {1} is not UTF-8", "{1}有空值标记不是 UTF-8 编码")
        case .claimsMarkerCells: ("{1} claims {2} cells of a null marker in {3} rows", "{1}声称在 {3} 行中有 {2} 个空值标记单元格")
        case .claimsMoreNulls: ("{1} claims more nulls or rounded cells than its {2} rows", "{1}声称的空值或舍入单元格多于其 {2} 行")
        case .directoryEndsEarly: ("the directory ends early, while reading the {1}", "目录提前结束，读到{1}时中断")
        // MARK: A column's buffers
        case .bufferOfColumn: ("the {1} buffer of column '{2}' of table '{3}'", "表 '{3}' 列 '{2}' 的{1}缓冲区")
        case .bufferMissing: ("its {1} buffer is missing", "缺少{1}缓冲区")
        case .partialElement: ("its {1} buffer has a partial element", "{1}缓冲区含有不完整的元素")
        case .holdsValues: ("its {1} buffer holds {2} values, expected {3}", "{1}缓冲区有 {2} 个值，应为 {3} 个")
        case .offsetsNotAtZero: ("its string offsets do not start at 0", "字符串偏移量不是从 0 开始")
        case .offsetsOutOfOrder: ("its string offsets are out of order or out of range", "字符串偏移量顺序错乱或越界")
        case .offsetsEmpty: ("its string offsets are empty", "字符串偏移量为空")
        case .codeOutOfRange: ("a dictionary code is out of range", "有字典编码越界")
        case .typeMismatch: ("its type ({1}) does not match its storage ({2})", "类型（{1}）与存储方式（{2}）不符")
        case .blockChecksum:
            ("the checksum of block {1} of {2} does not match (corrupted data)",
             "{2}第 {1} 块的校验和不符（数据已损坏）")
        case .blockFailed: ("a block failed its check", "有数据块未通过检查")
        case .located: ("{1}: {2}", "{1}：{2}")
        // MARK: Fields
        case .fieldVersion: ("version", "版本号")
        case .fieldFlags: ("flags", "标志位")
        case .fieldDirectoryOffset: ("directory offset", "目录偏移量")
        case .fieldDirectoryLength: ("directory length", "目录长度")
        case .fieldDirectoryChecksum: ("directory checksum", "目录校验和")
        case .fieldHeaderChecksum: ("header checksum", "文件头校验和")
        case .fieldBlockSize: ("block size", "块大小")
        case .fieldTableCount: ("table count", "表数")
        case .fieldTableName: ("table name", "表名")
        case .fieldRowCount: ("row count of {1}", "{1} 的行数")
        case .fieldColumnCount: ("column count of {1}", "{1} 的列数")
        case .fieldColumnName: ("column name in {1}", "{1} 中的列名")
        case .fieldType: ("type of {1}", "{1}的类型")
        case .fieldUnit: ("unit of {1}", "{1}的单位")
        case .fieldScale: ("scale of {1}", "{1}的小数位数")
        case .fieldStorage: ("storage of {1}", "{1}的存储方式")
        case .fieldColumnFlags: ("flags of {1}", "{1}的标志位")
        case .fieldNullCount: ("null count of {1}", "{1}的空值数")
        case .fieldBufferCount: ("buffer count of {1}", "{1}的缓冲区数")
        case .fieldBufferRole: ("buffer role in {1}", "{1}中缓冲区的用途")
        case .fieldBufferOffset: ("buffer offset in {1}", "{1}中缓冲区的偏移量")
        case .fieldBufferLength: ("buffer length in {1}", "{1}中缓冲区的长度")
        case .fieldBlockChecksums: ("block checksums of {1}", "{1}的块校验和")
        case .fieldMarkerCount: ("null-marker count of {1}", "{1}的空值标记数")
        case .fieldMarker: ("null marker of {1}", "{1}的空值标记")
        case .fieldRoundedCount: ("rounded-cell count of {1}", "{1}的舍入单元格数")
        // MARK: Buffers
        case .roleValidity: ("validity", "有效性")
        case .roleData: ("data", "数据")
        case .roleHeapBytes: ("heap bytes", "字符串字节")
        case .roleHeapOffsets: ("heap offsets", "字符串偏移")
        case .roleDictionaryBytes: ("dictionary bytes", "字典字节")
        case .roleDictionaryOffsets: ("dictionary offsets", "字典偏移")
        case .roleZoneMinimums: ("zone minimums", "分区最小值")
        case .roleZoneMaximums: ("zone maximums", "分区最大值")
        case .roleTextZoneMinimums: ("text zone minimums", "文本分区最小值")
        case .roleTextZoneMaximums: ("text zone maximums", "文本分区最大值")
        }
    }
}
