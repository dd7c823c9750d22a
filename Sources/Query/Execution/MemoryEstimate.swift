import TextSupport
import Storage

/// What a step will allocate, estimated from its input before it runs: the one place where the
/// executor learns that a step cannot fit and refuses it with an error the session survives
/// (`MemoryLimit.refusal`), instead of meeting a failed allocation halfway. Sizes known only
/// while a step runs are checked where they become known: a join's output rows are counted
/// first (HashJoin), and a hash grouping's groups are bounded by its rows here.
extension PlanStep.Operator {
    /// Bytes the step builds from `input` (its output and its working tables), or 0 for steps
    /// that build nothing in proportion to their rows.
    func bytesNeeded(_ input: Relation) -> Int {
        let n = input.count
        switch self {
        case .filter:
            // The selection vector: a row number for each row kept, at most all of them.
            return n * 4
        case .aggregate(let plan):
            // Dense grouping is a slot per key combination, small by construction. Hash grouping
            // may meet a group a row: its table, partitions and states take about 48 bytes a
            // row; a text key its bytes twice (the key store and the result) and 32 bytes a row;
            // a text aggregate (min, max, count distinct of text) its bytes and 16 a row.
            // Measured on 1M rows of 34-byte names, the estimate is a tenth above the peak.
            guard case .hash = plan.grouping else { return 0 }
            var bytes = n * 48
            for k in plan.keys {
                if case .column(let c, _) = k.bound, k.bound.type.isTextual {
                    bytes += n * 32 + 2 * textBytes(input.columns[c], of: input)
                }
            }
            for a in plan.aggregates {
                if let argument = a.argument, argument.type.isTextual, case .column(let c, _) = argument {
                    bytes += n * 16 + textBytes(input.columns[c], of: input)
                }
            }
            return bytes
        case .sort(let sorting):
            // A full sort's order words, positions and null flags: 13 bytes a row for each key,
            // and the permuted row numbers. A top-N keeps only its N.
            return sorting.limit == nil ? n * 13 * sorting.keys.count + n * 4 : 0
        case .topN, .limit, .pivot, .total:
            return 0
        case .rank:
            // The key's values boxed, the order and the rank of each row.
            return n * 64
        case .changes(let c):
            // The earlier rows by key (boxed), and at most every row of both sides in the result.
            let rows = n + c.bound.earlier.rowCount
            return rows * (96 + 24 * c.bound.columns.count)
        case .project(let items):
            // Plain columns of an unfiltered relation are passed through; a filtered one's are
            // gathered; computed ones are built: 9 bytes a value, text its bytes.
            var bytes = 0
            for item in items {
                if case .column(let c, _) = item.bound {
                    if input.selection != nil { bytes += n * 9 + textBytes(input.columns[c], of: input) }
                } else {
                    bytes += n * (item.bound.type.isTextual ? 40 : 9)
                }
            }
            return bytes
        case .join(let plan):
            // The build side: each right row's group and chain link, and a table of its keys.
            // The output is counted before it is made (HashJoin), so only the placement of
            // right rows at left rows is estimated here.
            return plan.join.right.rowCount * 24 + input.rowCount * 4
        }
    }

    /// What the step does to its `rows` rows, for a refusal's message: `grouping 1000000 rows …`.
    func activity(_ rows: Int) -> String {
        switch self {
        case .filter: QueryMessage.filteringRows(rows)
        case .aggregate: QueryMessage.groupingRows(rows)
        case .pivot: QueryMessage.turningRows(rows)
        case .topN, .sort: QueryMessage.sortingRows(rows)
        case .limit: QueryMessage.limitingRows(rows)
        case .project: QueryMessage.selectingRows(rows)
        case .join: QueryMessage.joiningRows(rows)
        case .total: QueryMessage.totallingRows(rows)
        case .rank: QueryMessage.rankingRows(rows)
        case .changes: QueryMessage.comparingRows(rows)
        }
    }

    /// The text bytes of a heap column that `input`'s rows hold (their share of the heap).
    private func textBytes(_ column: Column, of input: Relation) -> Int {
        guard case .strings(let heap) = column.data, input.rowCount > 0 else { return 0 }
        return Int(Double(heap.bytes.count) * Double(input.count) / Double(input.rowCount))
    }
}
