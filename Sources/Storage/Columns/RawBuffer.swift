#if canImport(Glibc)
import Glibc
#endif

/// One block of memory behind a column buffer: either malloc'd by a builder, or a slice of a
/// mapped snapshot file whose mapping it keeps alive. Column code sees only the pointer, so a
/// kernel runs the same over loaded and mapped data.
public final class RawBuffer: @unchecked Sendable {
    public let base: UnsafeRawPointer
    public let byteCount: Int
    private let owner: AnyObject?
    /// For a view of a snapshot: the checksums of its blocks, checked as they are first read.
    public let checks: BlockChecks?

    /// Takes ownership of `pointer`, which must come from malloc/realloc; freed on deinit.
    init(adopting pointer: UnsafeMutableRawPointer?, byteCount: Int) {
        self.base = UnsafeRawPointer(pointer ?? RawBuffer.emptyStorage)
        self.byteCount = byteCount
        self.owner = nil
        self.checks = nil
        self.ownsMemory = pointer != nil
    }

    /// A view into memory owned by `owner` (a mapped file); nothing is freed here. `checks`:
    /// its blocks' checksums, when it must be checked before it is read.
    init(viewing pointer: UnsafeRawPointer, byteCount: Int, owner: AnyObject, checks: BlockChecks? = nil) {
        self.base = pointer
        self.byteCount = byteCount
        self.owner = owner
        self.checks = checks
        self.ownsMemory = false
    }

    private let ownsMemory: Bool

    deinit {
        if ownsMemory { free(UnsafeMutableRawPointer(mutating: base)) }
    }

    /// Eight zero bytes, aligned, for empty buffers so that `base` is never null.
    nonisolated(unsafe) static let emptyStorage: UnsafeMutableRawPointer = {
        let p = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: 16)
        return p
    }()
}

/// A typed, immutable view of `count` elements of a raw buffer.
public struct TypedBuffer<Element>: @unchecked Sendable {
    public let storage: RawBuffer
    public let count: Int

    init(storage: RawBuffer, count: Int) {
        precondition(storage.byteCount >= count * MemoryLayout<Element>.stride)
        self.storage = storage
        self.count = count
    }

    @inlinable public var pointer: UnsafePointer<Element> {
        storage.base.assumingMemoryBound(to: Element.self)
    }

    @inlinable public subscript(i: Int) -> Element { pointer[i] }

    /// Checks the snapshot blocks that hold `elements` (nothing for memory of our own).
    @inline(__always) public func verify(_ elements: Range<Int>) throws(CorruptData) {
        guard let checks = storage.checks else { return }
        let stride = MemoryLayout<Element>.stride
        try checks.verify((elements.lowerBound * stride)..<(elements.upperBound * stride))
    }

    @inlinable public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) {
            try body(UnsafeBufferPointer(start: pointer, count: count))
        }
    }

    /// `count` zero elements in memory from calloc: a large buffer is pages the system maps on
    /// first touch, so one that is never read costs next to nothing.
    public static func zeroed(count: Int) -> TypedBuffer<Element> {
        let bytes = Swift.max(count * MemoryLayout<Element>.stride, 1) + 16
        guard let p = calloc(1, bytes) else { GrowableBuffer<UInt8>.outOfMemory(bytes) }
        return TypedBuffer(storage: RawBuffer(adopting: p, byteCount: bytes - 16), count: count)
    }

    /// Copies `elements` into a new owned buffer.
    public static func copying(_ elements: [Element]) -> TypedBuffer<Element> {
        var builder = GrowableBuffer<Element>(capacity: elements.count)
        for e in elements { builder.append(e) }
        return builder.finish()
    }
}
