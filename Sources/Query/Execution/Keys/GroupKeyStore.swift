import Storage
#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// The distinct keys found so far, one record per group: a 16-byte cell per key — the word, or
/// where its bytes lie in the key's arena and how many — so that comparing a row's key with a
/// group's reads one place (a hash table's probe that hits reads the group's key, and each place
/// read is a likely cache miss). At the end the groups' key columns are built from it: a text
/// key's arena holds its groups' bytes one after another, in group order, so it becomes the
/// result column's string heap as it is, without a copy.
///
/// A handle: its buffers live behind pointers, so that the hash table's loops update them in
/// place; `release` frees them, once.
struct GroupKeyStore {
    /// One key of one group: a word, or an arena offset and length; and whether it is null.
    struct Cell {
        var word: UInt64
        var length: Int32
        var valid: UInt8
    }

    let isBytes: [Bool]
    private let keyCount: Int
    private let bytesKey: UnsafeMutablePointer<Bool>
    private let counter: UnsafeMutablePointer<Int>
    private let cells: UnsafeMutablePointer<GrowableBuffer<Cell>>
    /// One arena per key (only text keys use theirs).
    private let arenas: UnsafeMutablePointer<GrowableBuffer<UInt8>>

    var count: Int { counter.pointee }

    init(isBytes: [Bool]) {
        self.isBytes = isBytes
        keyCount = isBytes.count
        bytesKey = .allocate(capacity: Swift.max(keyCount, 1))
        for k in 0..<keyCount { (bytesKey + k).initialize(to: isBytes[k]) }
        counter = .allocate(capacity: 1)
        counter.initialize(to: 0)
        cells = .allocate(capacity: 1)
        cells.initialize(to: GrowableBuffer())
        arenas = .allocate(capacity: Swift.max(keyCount, 1))
        arenas.initialize(repeating: GrowableBuffer(), count: Swift.max(keyCount, 1))
    }

    func release() {
        cells.pointee.release()
        for k in 0..<Swift.max(keyCount, 1) { arenas[k].release() }
        cells.deinitialize(count: 1).deallocate()
        arenas.deinitialize(count: Swift.max(keyCount, 1)).deallocate()
        bytesKey.deallocate()
        counter.deallocate()
    }

    /// Forgets every group (keeping the memory).
    func removeAll() {
        cells.pointee.removeAll()
        for k in 0..<keyCount { arenas[k].removeAll() }
        counter.pointee = 0
    }

    @inline(__always) private func cell(_ g: Int, _ k: Int) -> Cell { cells.pointee[g &* keyCount &+ k] }

    @inline(__always) private func bytes(_ c: Cell, _ k: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: arenas[k].elements.baseAddress.map { UnsafePointer($0) + Int(c.word) } ?? emptyBytes,
                            count: Int(c.length))
    }

    /// Adds row i of the batches as a new group.
    @inline(__always)
    func append(_ batches: UnsafePointer<KeyBatch>, _ i: Int) {
        cells.pointee.reserveMore(keyCount)
        for k in 0..<keyCount {
            let ok = batches[k].valid[i]
            if bytesKey[k] {
                let b = batches[k].bytes(i)
                let at = arenas[k].count
                if ok != 0 { arenas[k].append(contentsOf: b) }
                cells.pointee.appendUnchecked(Cell(word: UInt64(at), length: ok != 0 ? Int32(b.count) : 0, valid: ok))
            } else {
                cells.pointee.appendUnchecked(Cell(word: batches[k].words[i], length: 0, valid: ok))
            }
        }
        counter.pointee &+= 1
    }

    /// Whether group g's key equals row i's.
    @inline(__always)
    func equals(_ g: Int, _ batches: UnsafePointer<KeyBatch>, _ i: Int) -> Bool {
        for k in 0..<keyCount {
            let c = cell(g, k)
            let ok = batches[k].valid[i]
            if c.valid != ok { return false }
            if ok == 0 { continue }
            if bytesKey[k] {
                let n = Int(batches[k].lengths[i])
                if Int(c.length) != n { return false }
                if n > 0, memcmp(bytes(c, k).baseAddress!, batches[k].starts[i], n) != 0 { return false }
            } else if c.word != batches[k].words[i] {
                return false
            }
        }
        return true
    }

    /// Key k of group g, for a key read as words.
    func word(_ k: Int, _ g: Int) -> UInt64 { cell(g, k).word }

    /// Fills `batches` with the keys of groups `range` (for merging one table into another).
    func read(_ range: Range<Int>, into batches: UnsafeMutablePointer<KeyBatch>) {
        for k in 0..<keyCount {
            var all = true
            for (i, g) in range.enumerated() {
                let c = cell(g, k)
                batches[k].valid[i] = c.valid
                all = all && c.valid != 0
                if bytesKey[k] {
                    let b = bytes(c, k)
                    batches[k].starts[i] = b.baseAddress ?? emptyBytes
                    batches[k].lengths[i] = Int32(b.count)
                } else {
                    batches[k].words[i] = c.word
                }
            }
            batches[k].allValid = all
        }
    }

    /// Key k of every group, in the order found, as a result column of `type` (a dictionary
    /// column's codes keep `dictionary`). A text key's arena becomes the column's bytes: after
    /// this, the key's bytes are no longer the store's (it is the last use of a store).
    func takeColumn(_ k: Int, name: String, type: DataType, dictionary: StringDictionary?) -> Column {
        let n = count
        var validity = BitmapBuilder(capacity: n)
        var allValid = true
        for g in 0..<n where cell(g, k).valid == 0 { allValid = false; break }
        if !allValid { for g in 0..<n { validity.append(cell(g, k).valid != 0) } } else { validity.appendValid(count: n) }
        let data: ColumnData
        if bytesKey[k] {
            var offsets = GrowableBuffer<UInt32>(capacity: n + 1)
            for g in 0..<n { offsets.appendUnchecked(UInt32(truncatingIfNeeded: cell(g, k).word)) }
            precondition(arenas[k].count <= Int(UInt32.max), "a text key's values pass 4 GiB")
            offsets.appendUnchecked(UInt32(arenas[k].count))
            data = .strings(StringHeap(bytes: arenas[k].finish(), offsets: offsets.finish()))
        } else {
            func build<T>(_ convert: (UInt64) -> T) -> TypedBuffer<T> {
                var out = GrowableBuffer<T>(capacity: n)
                for g in 0..<n { out.appendUnchecked(convert(cell(g, k).word)) }
                return out.finish()
            }
            if let dictionary {
                data = CodesBuilder.data(n, dictionary) { Int(cell($0, k).word) }
            } else {
                switch type.layout {
                case .int64: data = .int64(build { KeyWord.int64($0) })
                case .float64: data = .float64(build { KeyWord.double($0) })
                case .int32: data = .int32(build { Int32(truncatingIfNeeded: KeyWord.int64($0)) })
                case .uint8: data = .uint8(build { UInt8(truncatingIfNeeded: $0) })
                case .text, .codes: preconditionFailure("text keys without a dictionary are read as bytes")
                }
            }
        }
        return Column(name: name, type: type, validity: validity.finish(), data: data)
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
