import Storage

/// One step of a physical plan: the operator that runs, and what `.explain` says of it — the
/// clause it comes from, the path chosen, and the rule that chose it.
struct PlanStep {
    enum Operator {
        case filter(Bound)
        case aggregate(AggregatePlan)
        /// `across`: turns the aggregation before it (by the row keys and the across key).
        case pivot(Pivot, range: SourceRange)
        case topN(TopNPlan)
        case sort(Sorting)
        case limit(Int)
        case project([BoundKey])
        case join(JoinPlan)
        case total(TotalPlan)
        case rank(BoundRank)
        case changes(ChangesPlan)
    }

    var op: Operator

    /// The input columns checked against a snapshot's checksums before the step runs. Filters
    /// and aggregations check each batch's blocks as they scan (the data is then read once);
    /// the zone-map top-N checks the blocks it visits.
    var reads: Set<Int> {
        func of(_ b: Bound?) -> Set<Int> { b?.columns ?? [] }
        switch op {
        case .filter, .aggregate, .pivot, .limit: return []
        case .topN(let plan):
            // Sorts and top-Ns check what they read themselves (a top-N, block by block).
            if case .zoneMap = plan.strategy { return [] }
            return of(plan.prefilter)
        case .sort: return []
        case .project(let items): return items.reduce(Set<Int>()) { $0.union($1.bound.columns) }
        case .join(let plan): return Set(plan.join.pairs.map(\.left)).union(plan.neededLeft ?? [])
        case .total: return []
        case .rank(let r): return r.key.bound.columns.union(r.within)
        case .changes(let c): return Set(c.bound.counterpart.indices)
        }
    }

    /// The operator's name: filter, aggregate, pivot, top-n, sort, limit, select, join.
    var name: String
    /// The clause as written.
    var clause: String
    /// The physical path: `dense: 41 slots`, `hash table`, `zone-map heap` …
    var path: String
    /// Why that path.
    var why: String
    /// Where the clause stands in the statement, for a limit the step meets while it runs.
    var range = SourceRange(0, 0)
}

/// `top N by K` and `sort … | limit N`.
struct TopNPlan {
    enum Strategy {
        /// One stored number or date column read block by block, best zone first (the zone map
        /// says which blocks cannot hold an answer).
        case zoneMap(column: Int)
        /// Any keys: a heap of the N best rows.
        case heap
    }

    var keys: [BoundSortKey]
    var n: Int
    /// A `where` fused in (zone-map path only).
    var prefilter: Bound?
    var strategy: Strategy
}

/// What ran and how long: one line of `.explain`.
public struct StepStatistics: Sendable {
    public var name: String
    public var clause: String
    public var path: String
    public var why: String
    public var rowsIn: Int
    public var rowsOut: Int
    public var nanoseconds: UInt64
}
