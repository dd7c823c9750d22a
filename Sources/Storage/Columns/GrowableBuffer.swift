#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// An append-only buffer of trivial elements on malloc/realloc. Large buffers grow through
/// realloc, which glibc serves with mremap, so growing a 100 MB column does not copy it or hold
/// two copies at once. `finish()` hands the memory to a `RawBuffer` without copying.
///
/// A value type with manual ownership: copy it only to move it; call `finish()` or `release()`
/// exactly once.
public struct GrowableBuffer<Element> {
    @usableFromInline var base: UnsafeMutablePointer<Element>?
    @usableFromInline var capacity: Int
    public private(set) var count: Int

    public init(capacity: Int = 0) {
        self.base = nil
        self.capacity = 0
        self.count = 0
        if capacity > 0 { reserve(capacity) }
    }

    public mutating func reserve(_ minimum: Int) {
        guard minimum > capacity else { return }
        let newCapacity = Swift.max(minimum, 16)
        // 16 bytes of slack past the end let word-at-a-time readers load safely.
        let bytes = newCapacity * MemoryLayout<Element>.stride + 16
        guard let raw = realloc(base, bytes) else { GrowableBuffer.outOfMemory(bytes) }
        HugePages.advise(raw, bytes: bytes)
        base = raw.bindMemory(to: Element.self, capacity: newCapacity)
        capacity = newCapacity
    }

    /// Growth the system refused, past every estimate made before (`MemoryLimit`): projq ends
    /// with a message naming the step that was running and exit status 2, not with a signal.
    static func outOfMemory(_ bytes: Int) -> Never { projq_out_of_memory(bytes) }

    @inline(__always) public mutating func append(_ element: Element) {
        if count == capacity { reserve(Swift.max(capacity &* 2, 16)) }
        base.unsafelyUnwrapped[count] = element
        count &+= 1
    }

    /// Makes room for `n` more elements, growing by doubling.
    @inline(__always) public mutating func reserveMore(_ n: Int) {
        if count &+ n > capacity { reserve(Swift.max(capacity &* 2, count &+ n)) }
    }

    /// Appends without a capacity check: the caller has called `reserveMore`.
    @inline(__always) public mutating func appendUnchecked(_ element: Element) {
        base.unsafelyUnwrapped[count] = element
        count &+= 1
    }

    /// Where the next element goes: after `reserveMore(n)`, write up to n elements there, then
    /// `advance(by:)` as many (for writers that produce a variable number at once).
    @inline(__always) public var end: UnsafeMutablePointer<Element> { base.unsafelyUnwrapped + count }

    @inline(__always) public mutating func advance(by n: Int) { count &+= n }

    /// Appends `n` copies of `element`.
    public mutating func append(repeating element: Element, count n: Int) {
        reserve(count + n)
        (base.unsafelyUnwrapped + count).update(repeating: element, count: n)
        count += n
    }

    public mutating func append(contentsOf source: UnsafeBufferPointer<Element>) {
        guard let src = source.baseAddress, source.count > 0 else { return }
        if count + source.count > capacity { reserve(Swift.max(capacity * 2, count + source.count)) }
        (base.unsafelyUnwrapped + count).update(from: src, count: source.count)
        count += source.count
    }

    @inline(__always) public subscript(i: Int) -> Element {
        get { base.unsafelyUnwrapped[i] }
        set { base.unsafelyUnwrapped[i] = newValue }
    }

    /// The elements written so far; valid until the next append.
    public var elements: UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(start: base, count: count)
    }

    public mutating func removeAll() { count = 0 }

    public mutating func truncate(to newCount: Int) { count = Swift.min(count, newCount) }

    /// Hands the memory to an immutable buffer, shrinking it to fit.
    public mutating func finish() -> TypedBuffer<Element> {
        let bytes = count * MemoryLayout<Element>.stride
        var raw: UnsafeMutableRawPointer? = nil
        if let base {
            raw = UnsafeMutableRawPointer(base)
            if capacity > count + count / 8 + 16, let shrunk = realloc(raw, bytes + 16) { raw = shrunk }
        }
        base = nil
        capacity = 0
        let n = count
        count = 0
        return TypedBuffer(storage: RawBuffer(adopting: raw, byteCount: bytes), count: n)
    }

    /// Frees the memory without producing a buffer.
    public mutating func release() {
        free(base)
        base = nil
        capacity = 0
        count = 0
    }
}
