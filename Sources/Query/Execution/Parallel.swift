import Dispatch
import Storage
import CKernels

/// Operators work a batch of rows at a time and look for cancellation between batches.
enum Execution {
    static let batchSize = 2048
    /// Inputs with at least this many rows are split over two threads.
    static let parallelRows = 1 << 16
}

/// Why a run stops before its end: the cancellation flag was seen between batches (the shell's
/// Ctrl-C), or a block of a snapshot did not match its checksum when first read.
enum Stopped: Error {
    case cancelled
    case corrupt(CorruptData)
    /// Integer arithmetic left 64 bits (`ArithmeticTrap`).
    case overflow(Diagnostic)
    /// What the statement asks for would pass a limit (a join's rows beyond the memory limit).
    case tooLarge(Diagnostic)
    /// The memory a step would need passes what is available: the message, placed at the step.
    case memory(String)

    /// Stops with the trap's overflow, if it caught one.
    static func check(_ trap: ArithmeticTrap) throws(Stopped) {
        if let d = trap.diagnostic { throw .overflow(d) }
    }
}

/// A flag the executor polls between batches; the shell points it at its SIGINT flag. Worker
/// threads read it with an atomic load (the handler that writes it is C).
public struct CancellationFlag: @unchecked Sendable {
    let pointer: UnsafePointer<Int32>?

    public init(_ pointer: UnsafePointer<Int32>?) { self.pointer = pointer }

    public static let none = CancellationFlag(nil)

    var isSet: Bool {
        guard let pointer else { return false }
        return projq_flag_load(pointer) != 0
    }

    func check() throws(Stopped) {
        if isSet { throw Stopped.cancelled }
    }
}

/// The one way work is split over the machine's two cores: `parts` pieces, each run with its own
/// state on its own thread, their results returned in order. A piece that stops (cancellation,
/// corrupt data) stops the whole run with the first such reason.
enum Parallel {
    /// How many parts `rows` rows are worth: two from `Execution.parallelRows` up, else one.
    static func parts(rows: Int) -> Int { rows >= Execution.parallelRows ? 2 : 1 }

    /// (Work that cannot stop, `E` = `Never`, is run without `try`.)
    static func run<T, E: Error>(parts: Int, _ work: (Int) throws(E) -> T) throws(E) -> [T] {
        if parts <= 1 { return [try work(0)] }
        let results = Results<T>(count: parts)
        let stops = Results<E>(count: parts)
        withoutActuallyEscaping(work) { work in
            let shared = UncheckedBox(work)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                do throws(E) {
                    results.set(part, try shared.value(part))
                } catch {
                    stops.set(part, error)
                }
            }
        }
        for part in 0..<parts { if let stop = stops.takeIfSet(part) { throw stop } }
        return (0..<parts).map { results.take($0) }
    }

    /// The batches of part `part` of `parts`: contiguous, so each thread reads its own rows.
    static func batches(_ rows: Int, part: Int, of parts: Int) -> Range<Int> {
        let total = (rows + Execution.batchSize - 1) / Execution.batchSize
        return (total * part / parts)..<(total * (part + 1) / parts)
    }

    /// Each part's results, written at disjoint indices by the threads.
    private final class Results<T>: @unchecked Sendable {
        private let slots: UnsafeMutablePointer<T?>
        private let count: Int

        init(count: Int) {
            self.count = count
            slots = .allocate(capacity: count)
            slots.initialize(repeating: nil, count: count)
        }

        deinit {
            slots.deinitialize(count: count)
            slots.deallocate()
        }

        func set(_ i: Int, _ v: T) { slots[i] = v }
        func take(_ i: Int) -> T { slots[i].take()! }
        func takeIfSet(_ i: Int) -> T? { slots[i].take() }
    }
}

/// Carries a non-Sendable value into the worker threads. Safe where it is used: the threads only
/// read what it holds (plans, columns, relations), and each writes its own state.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Whether `rows[0..<n]` are a stretch of the table (rows[i] = rows[0] + i), which kernels read
/// in place. A scan's batches are; a sort's or a join's selection can have the right first and
/// last rows with others between (`[0, 2, 1, 3]`), so every row is checked (in C, 32 a step).
@inline(__always)
func consecutive(_ rows: UnsafePointer<Int32>, _ n: Int) -> Bool {
    n > 0 && Int(rows[n - 1]) &- Int(rows[0]) == n &- 1 && projq_consecutive(rows, n) != 0
}

/// A batch's row numbers: the relation's selection from `start`, or consecutive rows.
@inline(__always)
func fillBatch(_ input: Relation, _ start: Int, _ m: Int, _ batch: UnsafeMutablePointer<Int32>) {
    if let selection = input.selection {
        selection.withUnsafeBufferPointer { s in batch.update(from: s.baseAddress! + start, count: m) }
    } else {
        for i in 0..<m { batch[i] = Int32(truncatingIfNeeded: start &+ i) }
    }
}

/// Runs `body` over batches `range` of the relation's rows, with the row numbers of each batch
/// in one reused buffer; checks for cancellation between batches. `checking`: columns whose
/// snapshot blocks holding the batch's rows are checked just before the batch is read — the
/// scan then reads them from the cache, instead of a separate pass checking them first.
func forEachBatch(_ input: Relation, batches range: Range<Int>, _ cancel: CancellationFlag, checking: [Column] = [],
                  _ body: (UnsafeMutablePointer<Int32>, Int, Int) throws(Stopped) -> Void) throws(Stopped) {
    let n = input.count
    let rows = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
    defer { rows.deallocate() }
    let mapped = checking.filter(\.isMapped)
    for b in range {
        try cancel.check()
        let start = b * Execution.batchSize
        let m = Swift.min(Execution.batchSize, n - start)
        fillBatch(input, start, m, rows)
        if !mapped.isEmpty, m > 0 {
            do throws(CorruptData) {
                if input.selection == nil {
                    for column in mapped { try column.verify(rows: start..<(start + m)) }
                } else {
                    let batch = UnsafeBufferPointer(start: UnsafePointer(rows), count: m)
                    for column in mapped { try column.verify(rows: batch) }
                }
            } catch {
                throw .corrupt(error)
            }
        }
        try body(rows, m, start)
    }
}

/// Runs `body` over all of a relation's rows a batch at a time, as an array (for the general
/// paths that evaluate expressions).
func forEachBatch(_ relation: Relation, _ cancel: CancellationFlag, _ body: ([Int32], Int) throws(Stopped) -> Void) throws(Stopped) {
    let n = relation.count
    var start = 0
    while start < n {
        try cancel.check()
        let m = Swift.min(Execution.batchSize, n - start)
        try body(relation.rows(batch: start, count: m), start)
        start += m
    }
}
