import TextSupport
#if canImport(Glibc)
import Glibc
#endif
import CKernels
import Dispatch

/// Why data read from a snapshot cannot be used: a block whose bytes do not match the checksum
/// the snapshot's directory holds for it, or whose contents break the buffer's shape.
public struct CorruptData: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// The snapshot file the block belongs to.
    public var file: String
    public var description: String { message }
}

/// The checksums of a mapped buffer's blocks (`blockSize` bytes each; the last may be shorter)
/// and which blocks have been checked. A snapshot opens by checking its header and directory
/// only; a block is checked the first time a query reads it, so a query that reads ten rows of a
/// 300 MB column checks ten blocks, and no block is ever used unchecked. A block that fails
/// stays failed.
public final class BlockChecks: @unchecked Sendable {
    /// The block size a snapshot is written with. Small enough that a row read alone (a top-N's
    /// twenty result rows, each in another block of fifteen columns) checks little around it;
    /// large enough that a scan's checks stay a tight loop. A reader takes the size a file
    /// names (older files have 64 KiB).
    public static let blockSize = 1 << 14
    /// The block sizes a reader accepts: powers of two from 4 KiB to 1 MiB.
    public static func accepts(_ size: Int) -> Bool { size >= 1 << 12 && size <= 1 << 20 && size & (size - 1) == 0 }

    let blockSize: Int

    let base: UnsafeRawPointer
    let length: Int
    let sums: [UInt64]
    /// Per block: 0 not checked yet, 1 good, 2 bad. Read and written with atomic byte accesses
    /// (two threads may check a block at once; both find the same answer).
    private let state: UnsafeMutablePointer<UInt8>
    /// Says what the buffer is, for the error: "the data buffer of column 'x' of table 't'".
    /// Built only for an error: a message at open for each of a snapshot's buffers cost more
    /// than the rest of opening a small one.
    private let describe: () -> String
    var what: String { describe() }
    let path: String
    /// A test of a block's contents once its checksum matches (codes below the dictionary's
    /// size, string offsets in order and inside their bytes); returns what is wrong, or nil.
    let shape: ((Range<Int>) -> String?)?

    init(base: UnsafeRawPointer, length: Int, blockSize: Int, sums: [UInt64], what: @escaping () -> String, path: String,
         shape: ((Range<Int>) -> String?)? = nil) {
        self.base = base
        self.blockSize = blockSize
        self.length = length
        self.sums = sums
        self.describe = what
        self.path = path
        self.shape = shape
        state = .allocate(capacity: Swift.max(sums.count, 1))
        state.initialize(repeating: 0, count: Swift.max(sums.count, 1))
    }

    deinit { state.deallocate() }

    /// Checks the blocks that hold bytes `range` of the buffer (those not checked before).
    public func verify(_ range: Range<Int>) throws(CorruptData) {
        let lower = Swift.max(range.lowerBound, 0), upper = Swift.min(range.upperBound, length)
        guard lower < upper else { return }
        let first = lower / blockSize, last = (upper - 1) / blockSize
        if first == last {
            try verifyBlock(first)
            return
        }
        // Skip the blocks already checked; check the others on two threads when there are many.
        var pending: [Int] = []
        for b in first...last where projq_byte_load(state + b) != 1 { pending.append(b) }
        if pending.isEmpty { return }
        if pending.count >= 64 {
            // Maps the pages in one call instead of a fault each (ignored where not supported).
            let start = pending[0] * blockSize
            let end = Swift.min(length, (pending[pending.count - 1] + 1) * blockSize)
            let pageStart = Int(bitPattern: base + start) & ~4095
            _ = madvise(UnsafeMutableRawPointer(bitPattern: pageStart), Int(bitPattern: base + end) - pageStart, 22 /* MADV_POPULATE_READ */)
            let half = pending.count / 2
            let parts = [Array(pending[..<half]), Array(pending[half...])]
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                for b in parts[part] { try? self.verifyBlock(b) }
            }
        }
        for b in pending { try verifyBlock(b) }
    }

    /// Whether every block has been checked and found good.
    public var isVerified: Bool {
        for b in 0..<sums.count where projq_byte_load(state + b) != 1 { return false }
        return true
    }

    @inline(__always)
    private func verifyBlock(_ b: Int) throws(CorruptData) {
        let s = projq_byte_load(state + b)
        if s == 1 { return }
        if s == 0 {
            let start = b * blockSize
            let end = Swift.min(length, start + blockSize)
            var problem: String? = nil
            if projq_checksum(base + start, end - start) != sums[b] {
                problem = SnapshotMessage.blockChecksum(b + 1, what)
            } else if let shape, let wrong = shape(start..<end) {
                problem = SnapshotMessage.located(what, wrong)
            }
            projq_byte_store(state + b, problem == nil ? 1 : 2)
            if problem == nil { return }
        }
        throw CorruptData(message: SnapshotMessage.located(path, SnapshotMessage.notValid(blockProblem(b))), file: path)
    }

    /// The message of a failed block (checked again: the first thread to fail may not be this).
    private func blockProblem(_ b: Int) -> String {
        let start = b * blockSize
        let end = Swift.min(length, start + blockSize)
        if projq_checksum(base + start, end - start) != sums[b] {
            return SnapshotMessage.blockChecksum(b + 1, what)
        }
        return SnapshotMessage.located(what, shape?(start..<end) ?? SnapshotMessage.blockFailed())
    }

    /// The checksums of `length` bytes at `base`, a block at a time (what the writer stores).
    static func sums(_ base: UnsafeRawPointer?, _ length: Int, blockSize: Int) -> [UInt64] {
        let blocks = (length + blockSize - 1) / blockSize
        return (0..<blocks).map { b in
            let start = b * blockSize
            return projq_checksum(base.map { $0 + start }, Swift.min(length, start + blockSize) - start)
        }
    }
}
