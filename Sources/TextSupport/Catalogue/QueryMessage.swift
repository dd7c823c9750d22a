/// The query language's messages: the lexer's, the parser's, the binder's and the executor's
/// diagnostics and their notes, and the labels they are rendered with, in English and Chinese
/// (see `CatalogueMessage`).
public enum QueryMessage: CatalogueMessage {
    case unexpectedBang, expectedTimestamp, expectedParameterName, unexpectedDot, invalidUTF8, unexpectedCharacter
    case useASCIIComma, use, useQuote, unterminatedText, unterminatedName, expectedFound
    case endOfStatement, aTableName, aClause, byAfterTop, aTableAfterJoin, onAndKeys
    case aKeyAfterOn, rightKeyAfterEqual, aKeyColumn, keyAfterTotalBy, labelAfterTotalAs, byAfterRank
    case aColumnAfterWithin, aColumn, aNameAfterAs, fromAndEarlierTable, earlierTableAfterFrom, onAndKeysOfBoth
    case aColumnAfterAcross, aWholeNumberAfter, anAggregate, aColumnOrExpressionAfter, openListAfterIn, commaOrCloseInList
    case andInBetween, nullAfterIsNot, nullAfterIs, closeParen, commaOrCloseAfterArguments, aValueOrColumn
    case acrossAfterAggregation, acrossNeedsKeys, nestsTooDeeply, numberTooLarge, numberTooManyDigits, amountTooManyDigits
    case invalidDate, invalidTimestamp, parameterHasNoValue, didYouMeanParameter, defineParameter, didYouMean
    case unknownTable, tablesList, noTablesLoaded, unknownColumn, columnsHere, inPlace
    case theLeftSide, tableNamed, unknownFunction, functionsList, minusNeedsNumber, containsNeedsText
    case containsNeedsTextToFind, expectedCondition, compareIt, readAsText, cannotCompare, inUnit
    case notAValue, notAValueDidYouMean, itsValuesInOrder, operatorNeedsNumbers, rowFunctionInSelect, whereAfterSelect
    case takesOneArgument, takesArguments, takesArgumentsRange, functionNeeds, aDateOrTimestamp, aTimestamp
    case aNumber, aWholeNumberOfPlaces, someText, percentDigits, coalesceOneType, rankNeedsOrder
    case sortOrdersText, twoColumnsCalled, nameTheRank, nameOneWithAs, keyTypesDiffer, totalFollowsAggregation
    case totalAddsRows, totalByFirstKeyNamed, totalByFirstKey, subtotalsFollowFirstKey, totalByNeedsSecondKey, totalAloneAddsGrandTotal
    case acrossNeedsAggregate, aggregateNeedsNumbers, cannotJoin, keyNamesTwoRowsOf, keyNamesTwoRowsHere, changesPairsRows
    case integerOverflow, theResultOf, theJoinKey, runningTotalOverflow, memoryLimitRaises, memoryLimitRaisesIt
    case theMemoryLimit, joinPastTableSize, joinPastMemory, joinKeyRepeats, filteringRows, groupingRows
    case turningRows, sortingRows, limitingRows, selectingRows, joiningRows, totallingRows
    case rankingRows, comparingRows, turningGroups, pivotNeedsMoreMemory, totalsColumnsClash, errorLabel
    case noteLabel

    public var texts: (english: String, chinese: String) {
        switch self {
        // MARK: The lexer
        case .unexpectedBang:
            ("unexpected '!'; did you mean '!='?",
             "意外的 '!'；是否应为 '!='？")
        case .expectedTimestamp:
            ("expected a timestamp after '@', like @2015-03-01T14:30",
             "'@' 之后应为时间戳，如 @2015-03-01T14:30")
        case .expectedParameterName:
            ("expected a parameter name after '$'",
             "'$' 之后应为参数名")
        case .unexpectedDot:
            ("unexpected '.'",
             "意外的 '.'")
        case .invalidUTF8:
            ("invalid UTF-8 in the statement",
             "语句中有无效的 UTF-8 字节")
        case .unexpectedCharacter:
            ("unexpected character '{1}'",
             "意外的字符 '{1}'")
        case .useASCIIComma:
            ("; use ',' (the ASCII comma)",
             "；请改用半角逗号 ','")
        case .use:
            ("; use '{1}'",
             "；请改用半角的 '{1}'")
        case .useQuote:
            ("; use {1} to quote text",
             "；请用半角的 {1} 给文本加引号")
        case .unterminatedText:
            ("unterminated text: the quote opened here is never closed",
             "文本未结束：此处开始的引号没有闭合")
        case .unterminatedName:
            ("unterminated name: the ` opened here is never closed",
             "名称未结束：此处开始的 ` 没有闭合")
        // MARK: The parser: "expected X, found Y" and its Xs
        case .expectedFound:
            ("expected {1}, found {2}",
             "缺少{1}，却遇到{2}")
        case .endOfStatement:
            ("the end of the statement",
             "语句结尾")
        case .aTableName:
            ("a table name",
             "表名")
        case .aClause:
            ("a clause (where, count, sum, avg, min, max, median, by, select, sort, top, limit, join, total, rank, changes)",
             "子句（where、count、sum、avg、min、max、median、by、select、sort、top、limit、join、total、rank、changes）")
        case .byAfterTop:
            ("'by' after top {1}",
             "top {1} 之后的 'by'")
        case .aTableAfterJoin:
            ("a table name after join",
             "join 之后的表名")
        case .onAndKeys:
            ("'on' and the key columns",
             "'on' 及键列")
        case .aKeyAfterOn:
            ("a key column after on",
             "on 之后的键列")
        case .rightKeyAfterEqual:
            ("the right table's key column after '='",
             "'=' 之后右表的键列")
        case .aKeyColumn:
            ("a key column",
             "键列")
        case .keyAfterTotalBy:
            ("the key after total by",
             "total by 之后的键")
        case .labelAfterTotalAs:
            ("a label after as, like: total as '全县合计'",
             "as 之后的标签，如：total as '全县合计'")
        case .byAfterRank:
            ("'by' after rank, like: rank by 完成率",
             "rank 之后的 'by'，如：rank by 完成率")
        case .aColumnAfterWithin:
            ("a column after within",
             "within 之后的列名")
        case .aColumn:
            ("a column",
             "列名")
        case .aNameAfterAs:
            ("a name after as",
             "as 之后的名称")
        case .fromAndEarlierTable:
            ("'from' and the earlier table, like: changes from last.projects on id",
             "'from' 及较早的表，如：changes from last.projects on id")
        case .earlierTableAfterFrom:
            ("the earlier table after from",
             "from 之后较早的表")
        case .onAndKeysOfBoth:
            ("'on' and the key columns that name a row in both tables",
             "'on' 及在两张表中各确定一行的键列")
        case .aColumnAfterAcross:
            ("a column after across",
             "across 之后的列名")
        case .aWholeNumberAfter:
            ("a whole number after {1}",
             "{1} 之后的整数")
        case .anAggregate:
            ("an aggregate (count, sum, avg, min, max, median)",
             "汇总函数（count、sum、avg、min、max、median）")
        case .aColumnOrExpressionAfter:
            ("a column or expression after {1}",
             "{1} 之后的列或表达式")
        case .openListAfterIn:
            ("'(' to open the list after in",
             "in 之后开始列表的 '('")
        case .commaOrCloseInList:
            ("',' or ')' in the list",
             "列表中的 ',' 或 ')'")
        case .andInBetween:
            ("'and' in between … and …",
             "between … and … 中的 'and'")
        case .nullAfterIsNot:
            ("'null' after is not",
             "is not 之后的 'null'")
        case .nullAfterIs:
            ("'null' or 'not null' after is",
             "is 之后的 'null' 或 'not null'")
        case .closeParen:
            ("')' to close the '(' at column {1}",
             "闭合第 {1} 列 '(' 的 ')'")
        case .commaOrCloseAfterArguments:
            ("',' or ')' after the arguments of {1}",
             "{1} 的参数之后的 ',' 或 ')'")
        case .aValueOrColumn:
            ("a value or column",
             "值或列名")
        // MARK: The parser: the rest
        case .acrossAfterAggregation:
            ("across must follow an aggregation with by, like: count by unit across stage",
             "across 须跟在带 by 的汇总之后，如：count by unit across stage")
        case .acrossNeedsKeys:
            ("across needs keys: write 'by KEY across {1}'",
             "across 需要分组键：请写 'by KEY across {1}'")
        case .nestsTooDeeply:
            ("the expression nests too deeply",
             "表达式嵌套层数过多")
        case .numberTooLarge:
            ("this number is too large for an integer",
             "该数字超出整数范围")
        case .numberTooManyDigits:
            ("this number has more digits than an exact decimal holds (18 in all)",
             "该数字的位数超出精确小数的容量（共 18 位）")
        case .amountTooManyDigits:
            ("this amount has more digits than an exact decimal holds (18 in all)",
             "该金额的位数超出精确小数的容量（共 18 位）")
        case .invalidDate:
            ("'{1}' is not a valid date",
             "'{1}' 不是有效的日期")
        case .invalidTimestamp:
            ("'{1}' is not a valid timestamp; write @2015-03-01T14:30 or @2013-01-01T10:00:00Z",
             "'{1}' 不是有效的时间戳；请写作 @2015-03-01T14:30 或 @2013-01-01T10:00:00Z")
        case .parameterHasNoValue:
            ("${1} has no value",
             "${1} 没有值")
        case .didYouMeanParameter:
            ("did you mean ${1}?",
             "是否应为 ${1}？")
        case .defineParameter:
            ("define it with --set {1}=VALUE or .set {1} VALUE",
             "请用 --set {1}=VALUE 或 .set {1} VALUE 定义它")
        // MARK: Names and types
        case .didYouMean:
            ("did you mean '{1}'?",
             "是否应为 '{1}'？")
        case .unknownTable:
            ("unknown table '{1}'",
             "未知的表 '{1}'")
        case .tablesList:
            ("tables: {1}",
             "现有的表：{1}")
        case .noTablesLoaded:
            ("no tables are loaded; .open a dataset",
             "尚未载入任何表；请用 .open 打开数据集")
        case .unknownColumn:
            ("unknown column '{1}'",
             "未知的列 '{1}'")
        case .columnsHere:
            ("columns here: {1}",
             "此处可用的列：{1}")
        case .inPlace:
            ("{1} in {2}",
             "{1}（在{2}中）")
        case .theLeftSide:
            ("the left side",
             "左侧")
        case .tableNamed:
            ("table '{1}'",
             "表 '{1}'")
        case .unknownFunction:
            ("unknown function '{1}'",
             "未知的函数 '{1}'")
        case .functionsList:
            ("functions: {1}",
             "可用的函数：{1}")
        case .minusNeedsNumber:
            ("'-' needs a number; {1} is {2}",
             "'-' 需要数字，而 {1} 是 {2} 类型")
        case .containsNeedsText:
            ("contains needs text; {1} is {2}",
             "contains 需要文本，而 {1} 是 {2} 类型")
        case .containsNeedsTextToFind:
            ("contains needs text to look for; {1} is {2}",
             "contains 需要要查找的文本，而 {1} 是 {2} 类型")
        case .expectedCondition:
            ("expected a condition (true or false), but {1} is {2}",
             "此处应为条件（真或假），而 {1} 是 {2} 类型")
        case .compareIt:
            ("compare it: {1} = …, {1} is null, …",
             "请加以比较：{1} = …、{1} is null 等")
        case .readAsText:
            ("'{1}' is not a column here, so it was read as text",
             "'{1}' 不是此处的列，因此按文本读取")
        case .cannotCompare:
            ("cannot compare {1} ({2}) with {3} ({4})",
             "无法比较 {1}（{2}）与 {3}（{4}）")
        case .inUnit:
            ("{1} in {2}",
             "{1}（以{2}计）")
        case .notAValue:
            ("'{1}' is not a value of {2}",
             "'{1}' 不是 {2} 的取值")
        case .notAValueDidYouMean:
            ("'{1}' is not a value of {2}; did you mean '{3}'?",
             "'{1}' 不是 {2} 的取值；是否应为 '{3}'？")
        case .itsValuesInOrder:
            ("its values, in order: {1}",
             "其取值依次为：{1}")
        case .operatorNeedsNumbers:
            ("'{1}' needs numbers; {2} is {3}",
             "'{1}' 需要数字，而 {2} 是 {3} 类型")
        case .rowFunctionInSelect:
            ("{1} is computed over the result's rows: use it in select, like: … | select {2} as name",
             "{1} 按结果的各行计算：请在 select 中使用，如：… | select {2} as name")
        case .whereAfterSelect:
            ("a where after the select may then keep rows by it",
             "之后可在 select 后用 where 按它筛选行")
        case .takesOneArgument:
            ("{1} takes 1 argument, not {2}",
             "{1} 需要 1 个参数，而不是 {2} 个")
        case .takesArguments:
            ("{1} takes {2} arguments, not {3}",
             "{1} 需要 {2} 个参数，而不是 {3} 个")
        case .takesArgumentsRange:
            ("{1} takes {2} to {3} arguments, not {4}",
             "{1} 需要 {2} 到 {3} 个参数，而不是 {4} 个")
        case .functionNeeds:
            ("{1} needs {2}; {3} is {4}",
             "{1} 需要{2}，而 {3} 是 {4} 类型")
        case .aDateOrTimestamp:
            ("a date or a timestamp",
             "日期或时间戳")
        case .aTimestamp:
            ("a timestamp",
             "时间戳")
        case .aNumber:
            ("a number",
             "数字")
        case .aWholeNumberOfPlaces:
            ("a whole number of places",
             "表示位数的整数")
        case .someText:
            ("text",
             "文本")
        case .percentDigits:
            ("{1} takes the digits of the percentage as a whole number from 0 to 7",
             "{1} 的百分比位数须为 0 到 7 的整数")
        case .coalesceOneType:
            ("coalesce needs values of one type; {1} is {2}, not {3}",
             "coalesce 需要同一类型的值，而 {1} 是 {2} 类型，不是 {3}")
        // MARK: Clauses
        case .rankNeedsOrder:
            ("rank needs numbers, dates or an ordered category to rank by; {1} is {2}",
             "rank 需要按数字、日期或有序类别排名，而 {1} 是 {2} 类型")
        case .sortOrdersText:
            ("sort orders text: sort {1}",
             "文本可用 sort 排序：sort {1}")
        case .twoColumnsCalled:
            ("two columns would be called '{1}'",
             "将有两列同名 '{1}'")
        case .nameTheRank:
            ("name the rank with as: rank by … as 名次",
             "请用 as 给排名命名：rank by … as 名次")
        case .nameOneWithAs:
            ("name one with as: … as another_name",
             "请用 as 给其中一列另起名称：… as another_name")
        case .keyTypesDiffer:
            ("{1} is {2} here but {3} in {4}: rows cannot be compared by it",
             "{1} 在此处是 {2} 类型，在 {4} 中却是 {3} 类型：无法据此比较行")
        case .totalFollowsAggregation:
            ("total follows an aggregation, like: sum 投资额 by 责任单位 | total",
             "total 须跟在汇总之后，如：sum 投资额 by 责任单位 | total")
        case .totalAddsRows:
            ("it adds the rows' totals below the groups; a select, sort or where may come after it",
             "它在各组之下加上合计行；其后可接 select、sort 或 where")
        case .totalByFirstKeyNamed:
            ("total by takes the first key of the aggregation ({1}), not {2}",
             "total by 须用汇总的第一个键（{1}），而不是 {2}")
        case .totalByFirstKey:
            ("total by takes the first key of the aggregation, not {1}",
             "total by 须用汇总的第一个键，而不是 {1}")
        case .subtotalsFollowFirstKey:
            ("subtotals follow each group of the first key: put {1} first after by",
             "小计跟在第一个键的各组之后：请把 {1} 放在 by 之后的第一位")
        case .totalByNeedsSecondKey:
            ("total by {1} needs a second key: each group of {1} is one row already",
             "total by {1} 需要第二个键：{1} 的每组已经只有一行")
        case .totalAloneAddsGrandTotal:
            ("total alone adds the grand total",
             "单独的 total 会加上总计")
        case .acrossNeedsAggregate:
            ("across needs an aggregate to fill its cells, like: count by unit across stage",
             "across 需要汇总函数来填充单元格，如：count by unit across stage")
        case .aggregateNeedsNumbers:
            ("{1} needs numbers; {2} is {3}",
             "{1} 需要数字，而 {2} 是 {3} 类型")
        case .cannotJoin:
            ("cannot join {1} ({2}) with {3} ({4})",
             "无法将 {1}（{2}）与 {3}（{4}）连接")
        case .keyNamesTwoRowsOf:
            ("the key {1} names two rows of {2}",
             "键 {1} 在 {2} 中对应两行")
        case .keyNamesTwoRowsHere:
            ("the key {1} names two rows here",
             "键 {1} 在此处对应两行")
        case .changesPairsRows:
            ("changes pairs rows by keys that name one row on each side; add a key column after on",
             "changes 按两侧各对应一行的键配对；请在 on 之后再加一个键列")
        // MARK: Running a statement
        case .integerOverflow:
            ("integer overflow: {1} is beyond the 64-bit integer range (±9223372036854775807)",
             "整数溢出：{1} 超出 64 位整数范围（±9223372036854775807）")
        case .theResultOf:
            ("the result of {1}",
             "{1} 的结果")
        case .theJoinKey:
            ("the join key {1}",
             "连接键 {1}")
        case .runningTotalOverflow:
            ("the running total passes 64 bits",
             "累计值超出 64 位")
        case .memoryLimitRaises:
            ("--memory-limit SIZE raises the limit; ulimit -v, if set, bounds it",
             "--memory-limit SIZE 可提高上限；若设置了 ulimit -v，则不能超过它")
        case .memoryLimitRaisesIt:
            ("--memory-limit SIZE raises the limit",
             "--memory-limit SIZE 可提高上限")
        case .theMemoryLimit:
            ("the memory limit",
             "内存上限")
        case .joinPastTableSize:
            ("the join with {1} would make {2} rows (about {3}), more than a table can hold (2^31 rows)",
             "与 {1} 的连接将产生 {2} 行（约 {3}），超过一张表的容量（2^31 行）")
        case .joinPastMemory:
            ("the join with {1} would make {2} rows (about {3}), more than {4} of {5}",
             "与 {1} 的连接将产生 {2} 行（约 {3}），超过{4}（{5}）")
        case .joinKeyRepeats:
            ("its key repeats on both sides: each left row meets every right row with its key; join on a key that is unique in {1}, or filter first",
             "连接键在两侧都有重复：左侧每行都与右侧同键的每一行配对；请用在 {1} 中唯一的键连接，或先筛选")
        case .filteringRows:
            ("filtering {1} rows",
             "筛选 {1} 行")
        case .groupingRows:
            ("grouping {1} rows",
             "分组 {1} 行")
        case .turningRows:
            ("turning {1} rows",
             "转置 {1} 行")
        case .sortingRows:
            ("sorting {1} rows",
             "排序 {1} 行")
        case .limitingRows:
            ("limiting {1} rows",
             "截取 {1} 行")
        case .selectingRows:
            ("selecting {1} rows",
             "选取 {1} 行")
        case .joiningRows:
            ("joining {1} rows",
             "连接 {1} 行")
        case .totallingRows:
            ("totalling {1} rows",
             "合计 {1} 行")
        case .rankingRows:
            ("ranking {1} rows",
             "排名 {1} 行")
        case .comparingRows:
            ("comparing {1} rows",
             "比较 {1} 行")
        case .turningGroups:
            ("turning {1} groups into {2} columns of {3} rows",
             "把 {1} 组转成 {2} 列 {3} 行")
        case .pivotNeedsMoreMemory:
            ("turning {1} groups into {2} columns of {3} rows needs more memory than there is",
             "把 {1} 组转成 {2} 列 {3} 行所需的内存超过现有内存")
        case .totalsColumnsClash:
            ("the totals' columns clash",
             "合计的列名冲突")
        // MARK: Labels of rendered problems
        case .errorLabel:
            ("error: ",
             "错误：")
        case .noteLabel:
            ("note: ",
             "提示：")
        }
    }
}
