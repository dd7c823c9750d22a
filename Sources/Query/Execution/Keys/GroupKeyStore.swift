import Storage
#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// The distinct keys found so far, one entry per group, column by column: words for keys read
/// as words, a string heap for keys read as bytes. A hash table compares a row's key with a
/// group's here; at the end the groups' key columns are built from it.
///
/// A handle: its buffers live behind pointers, so that the hash table's loops update them in
/// place (no array of builders copied or checked for uniqueness on every row); `release` frees
/// them, once.
struct GroupKeyStore {
    let isBytes: [Bool]
    private let keyCount: Int
    private let bytesKey: UnsafeMutablePointer<Bool>
    private let counter: UnsafeMutablePointer<Int>
    private let words: UnsafeMutablePointer<GrowableBuffer<UInt64>>
    private let valid: UnsafeMutablePointer<GrowableBuffer<UInt8>>
    private let heaps: UnsafeMutablePointer<StringHeapBuilder>

    var count: Int { counter.pointee }

    init(isBytes: [Bool]) {
        self.isBytes = isBytes
        keyCount = isBytes.count
        let n = Swift.max(keyCount, 1)
        bytesKey = .allocate(capacity: n)
        counter = .allocate(capacity: 1)
        counter.initialize(to: 0)
        words = .allocate(capacity: n)
        valid = .allocate(capacity: n)
        heaps = .allocate(capacity: n)
        for k in 0..<keyCount {
            (bytesKey + k).initialize(to: isBytes[k])
            (words + k).initialize(to: GrowableBuffer())
            (valid + k).initialize(to: GrowableBuffer())
            (heaps + k).initialize(to: StringHeapBuilder())
        }
    }

    func release() {
        for k in 0..<keyCount {
            words[k].release()
            valid[k].release()
            heaps[k].release()
        }
        (words).deinitialize(count: keyCount).deallocate()
        (valid).deinitialize(count: keyCount).deallocate()
        (heaps).deinitialize(count: keyCount).deallocate()
        bytesKey.deallocate()
        counter.deallocate()
    }

    /// Adds row i of the batches as a new group.
    @inline(__always)
    func append(_ batches: UnsafePointer<KeyBatch>, _ i: Int) {
        for k in 0..<keyCount {
            let ok = batches[k].valid[i]
            valid[k].append(ok)
            if bytesKey[k] {
                if ok != 0 { heaps[k].append(batches[k].bytes(i)) } else { heaps[k].appendEmpty() }
            } else {
                words[k].append(batches[k].words[i])
            }
        }
        counter.pointee &+= 1
    }

    /// Whether group g's key equals row i's.
    @inline(__always)
    func equals(_ g: Int, _ batches: UnsafePointer<KeyBatch>, _ i: Int) -> Bool {
        for k in 0..<keyCount {
            let ok = batches[k].valid[i]
            if valid[k][g] != ok { return false }
            if ok == 0 { continue }
            if bytesKey[k] {
                let stored = heaps[k].bytes(at: g)
                let n = Int(batches[k].lengths[i])
                if stored.count != n { return false }
                if n > 0, memcmp(stored.baseAddress!, batches[k].starts[i], n) != 0 { return false }
            } else if words[k][g] != batches[k].words[i] {
                return false
            }
        }
        return true
    }

    /// Key k of group g, for a key read as words.
    func word(_ k: Int, _ g: Int) -> UInt64 { words[k][g] }

    /// Fills `batches` with the keys of groups `range` (for merging one table into another).
    func read(_ range: Range<Int>, into batches: UnsafeMutablePointer<KeyBatch>) {
        for k in isBytes.indices {
            var all = true
            for (i, g) in range.enumerated() {
                let ok = valid[k][g]
                batches[k].valid[i] = ok
                all = all && ok != 0
                if isBytes[k] {
                    let b = heaps[k].bytes(at: g)
                    batches[k].starts[i] = b.baseAddress ?? emptyBytes
                    batches[k].lengths[i] = Int32(b.count)
                } else {
                    batches[k].words[i] = words[k][g]
                }
            }
            batches[k].allValid = all
        }
    }

    /// Key k of the groups in `order`, as a result column of `type` (a dictionary column's codes
    /// keep `dictionary`).
    func column(_ k: Int, name: String, type: DataType, dictionary: StringDictionary?, order: [Int32]) -> Column {
        var validity = BitmapBuilder(capacity: order.count)
        for g in order { validity.append(valid[k][Int(g)] != 0) }
        let data: ColumnData
        if isBytes[k] {
            var heap = StringHeapBuilder(capacity: order.count, byteCapacity: 0)
            for g in order { heap.append(heaps[k].bytes(at: Int(g))) }
            data = .strings(heap.finish())
        } else {
            let w = words[k]
            func build<T>(_ convert: (UInt64) -> T) -> TypedBuffer<T> {
                var out = GrowableBuffer<T>(capacity: order.count)
                for g in order { out.append(convert(w[Int(g)])) }
                return out.finish()
            }
            if let dictionary {
                data = CodesBuilder.data(order.count, dictionary) { Int(w[Int(order[$0])]) }
            } else {
                switch type.layout {
                case .int64: data = .int64(build { KeyWord.int64($0) })
                case .float64: data = .float64(build { valid in KeyWord.double(valid) })
                case .int32: data = .int32(build { Int32(truncatingIfNeeded: KeyWord.int64($0)) })
                case .uint8: data = .uint8(build { UInt8(truncatingIfNeeded: $0) })
                case .text, .codes: preconditionFailure("text keys without a dictionary are read as bytes")
                }
            }
        }
        var bitmap = validity
        return Column(name: name, type: type, validity: bitmap.finish(), data: data)
    }
}

/// Dictionary codes of a result column, in the narrowest width for its dictionary.
enum CodesBuilder {
    static func data(_ n: Int, _ d: StringDictionary, _ code: (Int) -> Int) -> ColumnData {
        func build<C: FixedWidthInteger>(_: C.Type) -> TypedBuffer<C> {
            var out = GrowableBuffer<C>(capacity: n)
            for i in 0..<n { out.append(C(truncatingIfNeeded: code(i))) }
            return out.finish()
        }
        if d.count <= 256 { return .codes8(build(UInt8.self), d) }
        if d.count <= 65536 { return .codes16(build(UInt16.self), d) }
        return .codes32(build(UInt32.self), d)
    }
}
