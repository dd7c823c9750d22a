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

/// Hashes short byte strings from their length and at most the first and last eight bytes;
/// collisions are settled by comparing bytes. Reads up to 8 bytes past `count`, so the source
/// must have that much slack (block buffers and heaps keep 16 bytes).
@inline(__always) func fastHash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
    if count == 0 { return 0x5851_F42D_4C95_7F2D }
    let raw = UnsafeRawPointer(p)
    var h = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
    if count <= 8 {
        let w = raw.loadUnaligned(as: UInt64.self)
        let mask: UInt64 = (~0 as UInt64) >> UInt64(64 - 8 * count)
        h ^= (w & mask) &* 0xC2B2_AE3D_27D4_EB4F
    } else {
        let a = raw.loadUnaligned(as: UInt64.self)
        let b = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        h ^= a &* 0xC2B2_AE3D_27D4_EB4F
        h = (h << 31 | h >> 33) &* 0x1656_67B1_9E37_79F9
        h ^= b &* 0xC2B2_AE3D_27D4_EB4F
        if count > 16 {
            let c = raw.loadUnaligned(fromByteOffset: count / 2 - 4, as: UInt64.self)
            h = (h << 27 | h >> 37) &* 0x85EB_CA77_C2B2_AE63
            h ^= c &* 0x27D4_EB2F_1656_67C5
        }
    }
    h ^= h >> 29
    h = h &* 0xBF58_476D_1CE4_E5B9
    h ^= h >> 32
    return h
}

/// Assigns codes to byte strings in order of first appearance, with an open-addressing table.
public struct DictionaryBuilder {
    var heap: StringHeapBuilder
    var slots: [UInt32]   // code + 1; 0 is empty
    var mask: Int

    public init() {
        heap = StringHeapBuilder()
        slots = [UInt32](repeating: 0, count: 64)
        mask = 63
    }

    public var count: Int { heap.count }

    /// The code of `bytes`, adding it when new. `isNew` tells which.
    @inline(__always)
    public mutating func code(of p: UnsafePointer<UInt8>, count n: Int) -> (code: UInt32, isNew: Bool) {
        var i = Int(truncatingIfNeeded: fastHash(p, n)) & mask
        while true {
            let s = slots[i]
            if s == 0 { break }
            let candidate = heap.bytes(at: Int(s) - 1)
            if candidate.count == n, n == 0 || memcmpBytes(candidate.baseAddress!, p, n) {
                return (s - 1, false)
            }
            i = (i + 1) & mask
        }
        let code = UInt32(heap.count)
        heap.append(UnsafeBufferPointer(start: p, count: n))
        slots[i] = code + 1
        if heap.count * 2 > mask { grow() }
        return (code, true)
    }

    /// Looks `bytes` up without adding it.
    public func existingCode(of p: UnsafePointer<UInt8>, count n: Int) -> UInt32? {
        var i = Int(truncatingIfNeeded: fastHash(p, n)) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            let candidate = heap.bytes(at: Int(s) - 1)
            if candidate.count == n, n == 0 || memcmpBytes(candidate.baseAddress!, p, n) { return s - 1 }
            i = (i + 1) & mask
        }
    }

    public func bytes(at code: Int) -> UnsafeBufferPointer<UInt8> { heap.bytes(at: code) }

    private mutating func grow() {
        let newSize = (mask + 1) * 2
        var newSlots = [UInt32](repeating: 0, count: newSize)
        let newMask = newSize - 1
        for code in 0..<heap.count {
            let b = heap.bytes(at: code)
            var i = Int(truncatingIfNeeded: fastHash(b.baseAddress ?? emptyBytes, b.count)) & newMask
            while newSlots[i] != 0 { i = (i + 1) & newMask }
            newSlots[i] = UInt32(code + 1)
        }
        slots = newSlots
        mask = newMask
    }

    public mutating func finish(isOrdered: Bool) -> StringDictionary {
        StringDictionary(values: heap.finish(), isOrdered: isOrdered)
    }

    public mutating func release() { heap.release() }
}

/// A pointer for empty byte strings that have no storage.
nonisolated(unsafe) let emptyBytes = UnsafePointer(RawBuffer.emptyStorage.assumingMemoryBound(to: UInt8.self))

@inline(__always) func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    memcmp(a, b, n) == 0
}

#if canImport(Glibc)
import Glibc
#endif
