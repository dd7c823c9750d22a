import TextSupport
import Storage
import CKernels

/// Why a run stopped: a mistake found only when the data is seen, Ctrl-C, or a snapshot block
/// that does not match its checksum.
enum ExecutionFailure: Error {
    case diagnostic(Diagnostic)
    case cancelled
    case corrupt(CorruptData)
}

/// Runs physical steps in order, each on the relation the one before gave, and notes for each
/// the rows in and out and its time.
struct Executor {
    let cancel: CancellationFlag
    let general: Bool
    private(set) var statistics: [StepStatistics] = []
    /// The input of the last aggregation run (what `total` aggregates again).
    private var aggregated: Relation? = nil

    init(cancel: CancellationFlag, general: Bool) {
        self.cancel = cancel
        self.general = general
    }

    /// Records a step that did no work of its own (the scan of the named table).
    mutating func note(_ s: StepStatistics) { statistics.append(s) }

    mutating func run(_ steps: [PlanStep], _ input: Relation) throws(ExecutionFailure) -> Relation {
        var relation = input
        for step in steps {
            // What an aggregation read, for the total after it.
            if case .aggregate = step.op { aggregated = relation }
            let started = monotonicNanoseconds()
            let rowsIn = relation.count
            try cancellable { () throws(Stopped) in try verify(relation, columns: step.reads) }
            if let refusal = MemoryLimit.refusal(step.op.bytesNeeded(relation), for: step.op.activity(relation.count)) {
                throw .diagnostic(Diagnostic(refusal, at: step.range, notes: [QueryMessage.memoryLimitRaises()]))
            }
            // Named for the message of an allocation that fails past the estimate.
            projq_set_activity("`\(step.clause)`")
            defer { projq_set_activity(nil) }
            do throws(ExecutionFailure) {
                relation = try execute(step.op, relation)
            } catch .diagnostic(let d) where d.range == SourceRange(-1, -1) {
                // A memory refusal: placed at the clause that needed it.
                throw .diagnostic(Diagnostic(d.message, at: step.range, notes: d.notes))
            }
            statistics.append(StepStatistics(name: step.name, clause: step.clause, path: step.path, why: step.why,
                                             rowsIn: rowsIn, rowsOut: relation.count,
                                             nanoseconds: monotonicNanoseconds() - started))
        }
        return relation
    }

    private func execute(_ op: PlanStep.Operator, _ relation: Relation) throws(ExecutionFailure) -> Relation {
        let cancel = self.cancel, general = self.general
        switch op {
        case .filter(let p):
            return try cancellable { () throws(Stopped) in try runFilter(relation, p, cancel) }
        case .aggregate(let plan):
            return try cancellable { () throws(Stopped) in try Aggregation(plan: plan).run(relation, cancel) }
        case .pivot(let pivot, let range):
            let over = aggregated
            switch try cancellable({ () throws(Stopped) in try pivot.run(relation, over: over, cancel) }) {
            case .success(let r): return r
            case .failure(let e):
                throw .diagnostic(Diagnostic(QueryMessage.twoColumnsCalled(e.name), at: range,
                                             notes: [QueryMessage.nameOneWithAs()]))
            }
        case .topN(let plan) where relation.roles != nil:
            return try cancellable { () throws(Stopped) in
                try Sorting(keys: plan.keys, limit: plan.n, general: general).runKeepingTotals(relation, cancel)
            }
        case .sort(let sorting) where relation.roles != nil:
            return try cancellable { () throws(Stopped) in try sorting.runKeepingTotals(relation, cancel) }
        case .topN(let plan):
            return try cancellable { () throws(Stopped) in
                if case .zoneMap(let c) = plan.strategy, ZoneMapTopN.applies(relation.columns[c]) {
                    let read = Set([c]).union(plan.prefilter?.columns ?? []).map { relation.columns[$0] }
                    return try ZoneMapTopN(column: relation.columns[c], n: plan.n, descending: plan.keys[0].descending)
                        .run(relation, filter: plan.prefilter.map { FilterKernel.compile($0, relation.columns) }, checking: read, cancel)
                }
                if case .zoneMap = plan.strategy, let p = plan.prefilter { try verify(relation, columns: p.columns) }
                let input = try plan.prefilter.map { (p) throws(Stopped) in try runFilter(relation, p, cancel) } ?? relation
                return try Sorting(keys: plan.keys, limit: plan.n, general: general).run(input, cancel)
            }
        case .sort(let sorting):
            return try cancellable { () throws(Stopped) in try sorting.run(relation, cancel) }
        case .limit(let n):
            return runLimit(relation, n)
        case .project(let items):
            return try cancellable { () throws(Stopped) in try runProject(relation, items, cancel) }
        case .join(let plan):
            return try cancellable { () throws(Stopped) in try HashJoin(plan: plan).run(relation, cancel) }
        case .total(let plan):
            let over = aggregated ?? relation
            return try cancellable { () throws(Stopped) in try plan.run(relation, over: over, cancel) }
        case .changes(let plan):
            return try cancellable { () throws(Stopped) in try plan.run(relation, cancel) }
        case .rank(let r):
            return try cancellable { () throws(Stopped) in
                var out = relation
                out.columns.append(try RowFunctions.rank(r.key, within: r.within, name: r.name, relation, cancel))
                return out
            }
        }
    }

    private func cancellable<T>(_ body: () throws(Stopped) -> T) throws(ExecutionFailure) -> T {
        do throws(Stopped) {
            return try body()
        } catch {
            switch error {
            case .cancelled: throw .cancelled
            case .corrupt(let data): throw .corrupt(data)
            case .overflow(let d), .tooLarge(let d): throw .diagnostic(d)
            case .memory(let message):
                throw .diagnostic(Diagnostic(message, at: SourceRange(-1, -1), notes: [QueryMessage.memoryLimitRaises()]))
            }
        }
    }
}

/// Checks the blocks of a snapshot that hold the relation's rows of `columns` (nothing for
/// columns built in memory): a step never reads data that has not been checked.
func verify(_ relation: Relation, columns: some Sequence<Int>) throws(Stopped) {
    for c in columns {
        let column = relation.columns[c]
        guard column.isMapped else { continue }
        do throws(CorruptData) {
            if let s = relation.selection {
                try s.withUnsafeBufferPointer { (rows) throws(CorruptData) in try column.verify(rows: rows) }
            } else {
                try column.verify(rows: 0..<relation.rowCount)
            }
        } catch {
            throw .corrupt(error)
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Monotonic time in nanoseconds.
func monotonicNanoseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}
