/// The distinct values of a dictionary-encoded column. Code i stands for `values[i]`. For a
/// category with a declared order the values are that order, so comparing codes compares
/// positions in the funnel (`lead < negotiating < signed`).
public final class StringDictionary: @unchecked Sendable {
    public let values: StringHeap
    /// True when the code order is a declared order (schema.toml `order = [...]`).
    public let isOrdered: Bool

    public init(values: StringHeap, isOrdered: Bool) {
        self.values = values
        self.isOrdered = isOrdered
    }

    public var count: Int { values.count }

    /// The dictionary with the values of `other` it lacks added at its end, in `other`'s order
    /// (itself when it lacks none): the codes it had keep their values.
    public func growing(by other: StringDictionary?) -> StringDictionary {
        guard let other else { return self }
        let missing = (0..<other.count).map(other.value).filter { code(of: $0) == nil }
        guard !missing.isEmpty else { return self }
        var heap = StringHeapBuilder(capacity: count + missing.count)
        for c in 0..<count { heap.append(value(c)) }
        for m in missing { heap.append(m) }
        return StringDictionary(values: heap.finish(), isOrdered: isOrdered)
    }

    /// The dictionary with `text` as a new last value: the codes it had keep their values (a
    /// total's label added to a key column).
    public func appending(_ text: String) -> StringDictionary {
        var heap = StringHeapBuilder(capacity: count + 1)
        for c in 0..<count { heap.append(value(c)) }
        heap.append(text)
        return StringDictionary(values: heap.finish(), isOrdered: isOrdered)
    }

    public func value(_ code: Int) -> String { values.string(at: code) }

    public var allValues: [String] { (0..<count).map(value) }

    /// The code of `text`, or nil when the column never holds it. A linear scan: it runs once
    /// per literal per query, never per row.
    public func code(of text: String) -> Int? {
        var text = text
        return text.withUTF8 { needle -> Int? in
            for i in 0..<count where values.bytes(at: i).elementsEqual(needle) { return i }
            return nil
        }
    }
}

/// The first and last eight bytes and the length of a byte string: enough to hash it and to
/// compare strings of up to 16 bytes (most dictionary values) without touching the heap.
struct ShortKey: Equatable {
    var first: UInt64
    var last: UInt64
    var count: Int

    /// Reads up to 8 bytes past short strings: sources keep 16 bytes of slack.
    @inline(__always) init(_ p: UnsafePointer<UInt8>, _ n: Int) {
        let raw = UnsafeRawPointer(p)
        count = n
        if n >= 8 {
            first = raw.loadUnaligned(as: UInt64.self)
            last = raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else if n > 0 {
            first = raw.loadUnaligned(as: UInt64.self) & ((~0 as UInt64) >> UInt64(64 - 8 * n))
            last = 0
        } else {
            first = 0
            last = 0
        }
    }

    @inline(__always) var hash: UInt64 {
        var h = (first &* 0x9E37_79B9_7F4A_7C15) ^ (last &* 0xC2B2_AE3D_27D4_EB4F) ^ (UInt64(truncatingIfNeeded: count) &* 0x1656_67B1_9E37_79F9)
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }
}

/// Assigns codes to byte strings in order of first appearance, with an open-addressing table.
/// Each code keeps its `ShortKey`, so a probe compares two words and a length; only strings
/// longer than 16 bytes are compared byte by byte.
public struct DictionaryBuilder {
    var heap: StringHeapBuilder
    var keys = GrowableBuffer<ShortKey>()
    /// code + 1 per slot; 0 is empty. Raw memory: no bounds or copy-on-write checks in the
    /// probe loop.
    var slots: UnsafeMutablePointer<UInt32>?
    var mask: Int

    public init() {
        heap = StringHeapBuilder()
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 64)
        table.initialize(repeating: 0, count: 64)
        slots = table
        mask = 63
    }

    public var count: Int { heap.count }

    @inline(__always)
    private func find(_ key: ShortKey, _ p: UnsafePointer<UInt8>) -> (slot: Int, code: UInt32?) {
        let slots = self.slots.unsafelyUnwrapped
        let keys = self.keys.base.unsafelyUnwrapped
        var i = Int(truncatingIfNeeded: key.hash) & mask
        while true {
            let s = slots[i]
            if s == 0 { return (i, nil) }
            let candidate = keys[Int(s &- 1)]
            if candidate == key, key.count <= 16 || equalBytes(heap.bytes(at: Int(s &- 1)).baseAddress!, p, key.count) {
                return (i, s &- 1)
            }
            i = (i &+ 1) & mask
        }
    }

    /// The code of `bytes`, adding it when new. `isNew` tells which.
    @inline(__always)
    public mutating func code(of p: UnsafePointer<UInt8>, count n: Int) -> (code: UInt32, isNew: Bool) {
        if keys.count == 0 { keys.reserve(16) }
        let key = ShortKey(p, n)
        let (slot, found) = find(key, p)
        if let found { return (found, false) }
        let code = UInt32(heap.count)
        heap.append(UnsafeBufferPointer(start: p, count: n))
        keys.append(key)
        slots.unsafelyUnwrapped[slot] = code + 1
        if heap.count * 2 > mask { grow() }
        return (code, true)
    }

    /// Looks `bytes` up without adding it.
    @inline(__always)
    public func existingCode(of p: UnsafePointer<UInt8>, count n: Int) -> UInt32? {
        if keys.count == 0 { return nil }
        return find(ShortKey(p, n), p).code
    }

    public func bytes(at code: Int) -> UnsafeBufferPointer<UInt8> { heap.bytes(at: code) }

    private mutating func grow() {
        let newSize = (mask + 1) * 2
        let newSlots = UnsafeMutablePointer<UInt32>.allocate(capacity: newSize)
        newSlots.initialize(repeating: 0, count: newSize)
        let newMask = newSize - 1
        for code in 0..<heap.count {
            var i = Int(truncatingIfNeeded: keys[code].hash) & newMask
            while newSlots[i] != 0 { i = (i + 1) & newMask }
            newSlots[i] = UInt32(code + 1)
        }
        slots?.deallocate()
        slots = newSlots
        mask = newMask
    }

    public mutating func finish(isOrdered: Bool) -> StringDictionary {
        keys.release()
        slots?.deallocate()
        slots = nil
        return StringDictionary(values: heap.finish(), isOrdered: isOrdered)
    }


    public mutating func release() {
        heap.release()
        keys.release()
        slots?.deallocate()
        slots = nil
    }
}

/// A pointer for empty byte strings that have no storage (never null, sixteen readable bytes).
nonisolated(unsafe) public let emptyBytes = UnsafePointer(RawBuffer.emptyStorage.assumingMemoryBound(to: UInt8.self))

/// Byte equality with word compares for short strings (both sides keep 16 bytes of slack).
@inline(__always) func equalBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    let x = UnsafeRawPointer(a), y = UnsafeRawPointer(b)
    if n <= 8 {
        let mask: UInt64 = (~0 as UInt64) >> UInt64(64 - 8 * n)
        return (x.loadUnaligned(as: UInt64.self) ^ y.loadUnaligned(as: UInt64.self)) & mask == 0
    }
    if n <= 16 {
        return x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self)
            && x.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }
    return memcmp(a, b, n) == 0
}


#if canImport(Glibc)
import Glibc
#endif
