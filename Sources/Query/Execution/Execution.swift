import Storage
import Dispatch

/// The rows a batch holds; operators work a batch at a time and check for cancellation between.
enum Execution {
    static let batchSize = 2048
}

/// Raised between batches when the cancellation flag is set (the shell's Ctrl-C).
struct Cancelled: Error {}

/// A flag the executor polls between batches. The shell points it at the SIGINT flag.
public struct CancellationFlag: @unchecked Sendable {
    let pointer: UnsafePointer<Int32>?

    public init(_ pointer: UnsafePointer<Int32>?) { self.pointer = pointer }

    public static let none = CancellationFlag(nil)

    func check() throws(Cancelled) {
        if let pointer, pointer.pointee != 0 { throw Cancelled() }
    }
}

/// Writes the rows of the batch that starts at `start` (its selection's, or consecutive ones).
@inline(__always)
func fillBatch(_ input: Relation, _ start: Int, _ m: Int, _ batch: UnsafeMutablePointer<Int32>) {
    if let selection = input.selection {
        selection.withUnsafeBufferPointer { s in batch.update(from: s.baseAddress! + start, count: m) }
    } else {
        for i in 0..<m { batch[i] = Int32(start + i) }
    }
}

/// Runs `body` over the relation's rows a batch at a time.
func forEachBatch(_ relation: Relation, _ cancel: CancellationFlag, _ body: ([Int32], Int) throws(Cancelled) -> Void) throws(Cancelled) {
    let n = relation.count
    var start = 0
    while start < n {
        try cancel.check()
        let m = min(Execution.batchSize, n - start)
        try body(relation.rows(batch: start, count: m), start)
        start += m
    }
}

/// `where`: keeps the rows where the condition is true, as a selection over the same columns.
/// The condition runs as compiled kernels over each batch's selection; large inputs are split
/// in two halves filtered on two threads, whose selections are joined in order.
func runFilter(_ input: Relation, _ predicate: Bound, _ cancel: CancellationFlag) throws(Cancelled) -> Relation {
    let kernel = FilterKernel.compile(predicate, input.columns)
    let n = input.count
    let threads = n >= 1 << 16 ? 2 : 1
    let batches = (n + Execution.batchSize - 1) / Execution.batchSize
    let results = SelectionParts(count: threads)
    let failed = CancelledFlag()
    let work = { @Sendable (t: Int) in
        var kept = [Int32]()
        kept.reserveCapacity(n / threads + Execution.batchSize)
        let batch = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
        defer { batch.deallocate() }
        for bi in (batches * t / threads)..<(batches * (t + 1) / threads) {
            if (try? cancel.check()) == nil { failed.set(); return }
            let start = bi * Execution.batchSize
            let m = min(Execution.batchSize, n - start)
            fillBatch(input, start, m, batch)
            let k = kernel.apply(batch, m)
            kept.append(contentsOf: UnsafeBufferPointer(start: batch, count: k))
        }
        results.set(t, kept)
    }
    if threads == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: work) }
    if failed.isSet { throw Cancelled() }
    var out = input
    out.selection = threads == 1 ? results.take(0) : results.take(0) + results.take(1)
    return out
}

/// Per-thread selections, at disjoint indices.
final class SelectionParts: @unchecked Sendable {
    private let parts: UnsafeMutablePointer<[Int32]>
    private let count: Int

    init(count: Int) {
        self.count = count
        parts = .allocate(capacity: count)
        parts.initialize(repeating: [], count: count)
    }

    deinit {
        parts.deinitialize(count: count)
        parts.deallocate()
    }

    func set(_ i: Int, _ v: [Int32]) { parts[i] = v }
    func take(_ i: Int) -> [Int32] { parts[i] }
}

/// `limit N`.
func runLimit(_ input: Relation, _ n: Int) -> Relation {
    var out = input
    let rows = input.rows(batch: 0, count: min(n, input.count))
    out.selection = rows
    return out
}
