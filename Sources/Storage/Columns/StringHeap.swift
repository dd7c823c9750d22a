/// Strings as one contiguous UTF-8 byte buffer plus `count + 1` offsets: string i is the bytes
/// `offsets[i] ..< offsets[i + 1]`. Used for mostly-unique text and for dictionary values.
public struct StringHeap: @unchecked Sendable {
    public let bytes: TypedBuffer<UInt8>
    public let offsets: TypedBuffer<UInt32>

    public init(bytes: TypedBuffer<UInt8>, offsets: TypedBuffer<UInt32>) {
        precondition(offsets.count >= 1)
        self.bytes = bytes
        self.offsets = offsets
    }

    public var count: Int { offsets.count - 1 }

    @inlinable public func bytes(at i: Int) -> UnsafeBufferPointer<UInt8> {
        let o = offsets.pointer
        let start = Int(o[i])
        return UnsafeBufferPointer(start: bytes.pointer + start, count: Int(o[i + 1]) - start)
    }

    public func string(at i: Int) -> String {
        String(decoding: bytes(at: i), as: UTF8.self)
    }

    public static func from(_ strings: [String]) -> StringHeap {
        var b = StringHeapBuilder()
        for s in strings { b.append(s) }
        return b.finish()
    }
}

/// Builds a `StringHeap` by appending byte strings.
public struct StringHeapBuilder {
    var bytes = GrowableBuffer<UInt8>()
    var offsets = GrowableBuffer<UInt32>()

    public init(capacity: Int = 0, byteCapacity: Int = 0) {
        offsets.reserve(capacity + 1)
        bytes.reserve(byteCapacity)
        offsets.append(0)
    }

    public var count: Int { offsets.count - 1 }
    public var byteCount: Int { bytes.count }

    /// Appends a string; false when the heap would pass 4 GiB, the limit of 32-bit offsets.
    @inline(__always) @discardableResult
    public mutating func append(_ source: UnsafeBufferPointer<UInt8>) -> Bool {
        let end = bytes.count + source.count
        guard end <= Int(UInt32.max) else { return false }
        bytes.append(contentsOf: source)
        offsets.append(UInt32(truncatingIfNeeded: end))
        return true
    }

    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { _ = append($0) }
    }

    /// An empty string (the slot of a null row).
    @inline(__always) public mutating func appendEmpty() {
        offsets.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    public func bytes(at i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = Int(offsets[i])
        return UnsafeBufferPointer(start: bytes.base.map { UnsafePointer($0) + start }, count: Int(offsets[i + 1]) - start)
    }

    public mutating func finish() -> StringHeap {
        StringHeap(bytes: bytes.finish(), offsets: offsets.finish())
    }

    public mutating func release() {
        bytes.release()
        offsets.release()
    }
}
