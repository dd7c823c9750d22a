import CKernels
import Storage

/// `count by month(d)` (or year, quarter) with nothing but plain counts: a thread counts its
/// rows by day (`projq_count_days`) and adds the days' counts into their periods' slots at the
/// end, so a row's period is never looked up — the look-up (a gather per eight rows) was half
/// of `count by month(signed_on)`. The planner asks for it (`AggregatePlan.countsByDay`) when a
/// date part is the only key and the date's zone map spans at most `maxDays` days.
final class DayCounts {
    /// Four copies of 16,384 counts (256 KiB) stay in the L2 cache.
    static let maxDays = 1 << 14

    let column: Int
    let firstDay: Int32
    /// Day − firstDay → the period's part − 1 (DenseGrouping's table, with its padding entry).
    let table: [UInt16]
    /// The last day's entry; entry last + 1 counts the null rows.
    let last: UInt32
    let stride: Int
    private let counts: UnsafeMutablePointer<UInt32>

    /// Whether `grouping` is one date part over at most `maxDays` days.
    static func applies(to grouping: DenseGrouping) -> Bool {
        guard grouping.keys.count == 1, case .datePart(_, _, _, let table, _, _) = grouping.keys[0] else { return false }
        return table.count - 1 <= maxDays
    }

    init?(_ grouping: DenseGrouping) {
        guard Self.applies(to: grouping), case .datePart(let c, _, let firstDay, let table, _, _) = grouping.keys[0] else { return nil }
        column = c
        self.firstDay = firstDay
        self.table = table
        last = UInt32(table.count - 2)
        stride = table.count
        counts = .allocate(capacity: 4 * stride)
        counts.initialize(repeating: 0, count: 4 * stride)
    }

    deinit { counts.deallocate() }

    /// Counts rows `rows[0..<n]` when they are consecutive (a batch no filter narrowed); false
    /// when they are not, and the caller groups them the usual way.
    func count(_ columns: [Column], _ rows: UnsafePointer<Int32>, _ n: Int) -> Bool {
        guard n > 0 else { return true }
        guard consecutive(rows, n), case .int32(let days) = columns[column].data else { return false }
        let c = columns[column], r0 = Int(rows[0])
        projq_count_days(days.pointer + r0, n, c.nullCount == 0 ? nil : c.validity.words.pointer, r0, firstDay, last, stride, counts)
        return true
    }

    /// Adds the counts so far into `state`'s slots (slot s is group s × `lanes`) and starts again.
    func add(into state: CountState, lanes: Int) {
        for copy in 0..<4 {
            let c = counts + copy * stride
            for day in 0...Int(last) where c[day] != 0 {
                state.add(c[day], to: (Int(table[day]) + 1) * lanes)
            }
            state.add(c[Int(last) + 1], to: 0)
        }
        counts.update(repeating: 0, count: 4 * stride)
    }
}
