#if canImport(Glibc)
import Glibc
#endif
import TextSupport

/// A cell that does not fit its column, at a byte offset of the decoded file.
struct CellFailure {
    var offset: Int
    var message: String
}

/// Turns one column's fields, block by block, into typed buffers. Each loader is touched by
/// one thread at a time, so the loaders of a block's columns run in parallel.
///
/// The builders live in a struct that `load` copies into a local for the length of a block:
/// a class's stored properties pay a dynamic exclusivity check on every access, which in a
/// per-cell loop cost more than the parsing.
final class ColumnLoader: @unchecked Sendable {
    let name: String
    private var state: ColumnBuilder

    init(name: String, declared: ColumnSpec?, inferred: DataType, markers: NullMarkers = .none) {
        self.name = name
        state = ColumnBuilder(name: name, declared: declared, inferred: inferred, markers: markers)
    }

    var failure: CellFailure? { state.failure }
    var needsText: Bool { state.needsText }

    func reserve(rows: Int, textBytes: Int) { state.reserve(rows: rows, textBytes: textBytes) }

    /// Converts column `c` of the block's records. `base` is the block, `blockOffset` its
    /// position in the file (for error offsets).
    func load(base: UnsafePointer<UInt8>, index: FieldIndex, column c: Int, blockOffset: Int) {
        var local = state
        local.load(base: base, index: index, column: c, blockOffset: blockOffset)
        state = local
    }

    func finish() -> Column { state.finish() }

    deinit { state.release() }
}

/// The builders of one column and the rules for filling them.
struct ColumnBuilder {
    enum Kind {
        /// decimal: exact units at `scale` in `ints`; float: binary doubles.
        case int, decimal, float, date, bool, timestamp
        case dictionary   // text or category, dictionary-encoded
        case heap         // mostly-unique text
    }

    let name: String
    /// The type the schema declares, or nil when inferred.
    let declared: ColumnSpec?
    /// Cells read as null besides the empty one, and how many of each were.
    let markers: NullMarkers
    var markerCounts: [Int]
    /// Bool cells written 是/否 (a failed parse counted too: the load then fails or restarts).
    var chineseBools = 0
    /// A marker that is also a value of the column's type (`-999` in an int column): every cell
    /// is then tested against the markers, not only those that fail to parse.
    let markersParse: Bool
    var kind: Kind
    var inferredType: DataType
    /// The digits after the point of a decimal column so far: the most any cell had (the
    /// buffer is scaled up when a cell brings more), or the schema's `scale = N`.
    var scale = 0
    /// The schema's `scale = N`: cells with more digits are rounded to it, half away from zero.
    let declaredScale: Int?
    /// Cells rounded to the declared scale.
    var roundedCells = 0

    var validity = BitmapBuilder()
    var ints = GrowableBuffer<Int64>()
    var doubles = GrowableBuffer<Double>()
    var dates = GrowableBuffer<Int32>()
    var bools = GrowableBuffer<UInt8>()
    var codes = CodeBuilder()
    var dictionary = DictionaryBuilder()
    var heap = StringHeapBuilder()
    var scratch = GrowableBuffer<UInt8>()

    /// The first cell that does not fit a declared type (the load fails with it).
    var failure: CellFailure?
    /// Set when an inferred type met a cell it cannot hold: the load starts again with this
    /// column read as text.
    var needsText = false

    /// Beyond this many distinct values, and more than half the rows, text is stored as a heap.
    static let dictionaryLimit = 1000

    init(name: String, declared: ColumnSpec?, inferred: DataType, markers: NullMarkers) {
        self.name = name
        self.declared = declared
        self.markers = markers
        markerCounts = [Int](repeating: 0, count: markers.strings.count)
        let type = declared?.type ?? inferred
        self.inferredType = type
        declaredScale = declared?.scale
        switch type.layout {
        case .int64:
            kind = type == .timestamp ? .timestamp : type == .int ? .int : .decimal
            scale = declared?.scale ?? (declared == nil ? type.scale ?? 0 : 0)
        case .float64: kind = .float
        case .int32: kind = .date
        case .uint8: kind = .bool
        case .text, .codes: kind = .dictionary
        }
        let kindNow = kind
        markersParse = markers.strings.contains { m in
            var bytes = Array(m.utf8) + [UInt8](repeating: 0, count: 16)
            return bytes.withUnsafeMutableBufferPointer { b in
                let p = UnsafePointer(b.baseAddress!), n = b.count - 16
                switch kindNow {
                case .int: return CellParsers.parseInt(p, n) != nil
                case .timestamp: return Timestamp.parse(p, n) != nil
                case .decimal: return FixedDecimal.parse(p, n) != nil
                case .float: return CellParsers.parseDouble(p, n) != nil
                case .date: return CivilDate.parse(p, n) != nil
                case .bool: return CellParsers.parseBool(p, n) != nil
                case .dictionary, .heap: return false
                }
            }
        }
        if let order = declared?.order {
            for value in order {
                // A padded copy: the hash reads whole words past short strings.
                let padded = Array(value.utf8) + [UInt8](repeating: 0, count: 16)
                padded.withUnsafeBufferPointer { b in _ = dictionary.code(of: b.baseAddress!, count: b.count - 16) }
            }
        }
    }

    var isClosedCategory: Bool { declared?.order != nil }

    mutating func reserve(rows: Int, textBytes: Int) {
        validity = BitmapBuilder(capacity: rows)
        switch kind {
        case .int, .timestamp, .decimal: ints.reserve(rows)
        case .float: doubles.reserve(rows)
        case .date: dates.reserve(rows)
        case .bool: bools.reserve(rows)
        case .dictionary: codes.reserve(rows)
        case .heap:
            heap.release()
            heap = StringHeapBuilder(capacity: rows, byteCapacity: textBytes)
        }
    }

    /// A cell as an error message quotes it: its first 60 bytes.
    static func shown(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p, count: Swift.min(n, 60)), as: UTF8.self)
    }

    private mutating func fail(_ offset: Int, _ p: UnsafePointer<UInt8>, _ n: Int) {
        let shown = ColumnBuilder.shown(p, n)
        let declaredNote = declared.map { DataMessage.declaredAs($0.type.schemaDescription) } ?? ""
        failure = CellFailure(offset: offset, message: DataMessage.cellNotType(shown, name, (declared?.type ?? inferredType).cellDescription, declaredNote))
    }

    /// Converts column `c` of the block's records. `base` is the block, `blockOffset` its
    /// position in the file (for error offsets).
    mutating func load(base: UnsafePointer<UInt8>, index: FieldIndex, column c: Int, blockOffset: Int) {
        guard failure == nil, !needsText else { return }
        let rows = index.rows
        let stride = index.columns
        let starts = UnsafePointer(index.starts.elements.baseAddress!)
        let ends = UnsafePointer(index.ends.elements.baseAddress!)
        var r = 0
        while r < rows {
            r = fastLoad(base: base, starts: starts, ends: ends, rows: rows, stride: stride, column: c, from: r)
            guard r < rows else { break }
            // A cell the fast loop does not take; then back to it.
            let k = r &* stride &+ c
            let s = Int(starts[k])
            let rawEnd = ends[k]
            let e = Int(rawEnd & ~FieldIndex.escapedFlag)
            var p = base + s
            var n = e - s
            if rawEnd & FieldIndex.escapedFlag != 0 {
                scratch.removeAll()
                var i = 0
                while i < n {
                    scratch.append(p[i])
                    i += p[i] == CSVTokenizer.quote ? 2 : 1
                }
                p = UnsafePointer(scratch.elements.baseAddress!)
                n = scratch.count
            }
            if n == 0 {
                appendNull()
            } else if !markers.isEmpty, let m = markers.index(of: p, n) {
                markerCounts[m] += 1
                appendNull()
            } else if !appendValue(p, n, offset: blockOffset + s) {
                return
            }
            r &+= 1
        }
    }

    /// The common cases in tight loops: plain cells of the column's kind, from row `start`.
    /// Returns the first row it did not take (an escaped field, a parse failure — a null marker
    /// among them — or a new dictionary value), which the general code takes.
    private mutating func fastLoad(base: UnsafePointer<UInt8>, starts: UnsafePointer<UInt32>, ends: UnsafePointer<UInt32>,
                                   rows: Int, stride: Int, column c: Int, from start: Int) -> Int {
        var r = start
        if markersParse, kind != .dictionary, kind != .heap { return start }
        switch kind {
        case .int:
            r = ColumnBuilder.fastCells(base, starts, ends, start, rows, stride, c, &validity, &ints, zero: 0, CellParsers.parseInt)
        case .decimal:
            let s = scale
            r = ColumnBuilder.fastCells(base, starts, ends, start, rows, stride, c, &validity, &ints, zero: 0) { p, n in
                CellParsers.parseUnits(p, n, scale: s)
            }
        case .float:
            r = ColumnBuilder.fastCells(base, starts, ends, start, rows, stride, c, &validity, &doubles, zero: 0, CellParsers.parseDouble)
        case .date:
            r = ColumnBuilder.fastCells(base, starts, ends, start, rows, stride, c, &validity, &dates, zero: 0, CivilDate.parse)
        case .timestamp:
            r = ColumnBuilder.fastCells(base, starts, ends, start, rows, stride, c, &validity, &ints, zero: 0, Timestamp.parse)
        case .bool:
            // 是/否 are the only spellings that start with a byte above ASCII.
            var chinese = 0
            r = ColumnBuilder.fastCells(base, starts, ends, start, rows, stride, c, &validity, &bools, zero: 0) { p, n in
                chinese &+= p[0] >> 7 == 1 ? 1 : 0
                return CellParsers.parseBool(p, n).map { $0 ? 1 : 0 }
            }
            chineseBools &+= chinese
        case .dictionary:
            while r < rows {
                let k = r &* stride &+ c
                let s = Int(starts[k]), e = ends[k]
                if e & FieldIndex.escapedFlag != 0 { break }
                let n = Int(e) &- s
                if n == 0 {
                    validity.append(false)
                    codes.append(0)
                } else {
                    guard let code = dictionary.existingCode(of: base + s, count: n) else { break }
                    validity.append(true)
                    codes.append(code)
                }
                r &+= 1
            }
        case .heap:
            while r < rows {
                let k = r &* stride &+ c
                let s = Int(starts[k]), e = ends[k]
                if e & FieldIndex.escapedFlag != 0 { break }
                let n = Int(e) &- s
                if n == 0 {
                    validity.append(false)
                    heap.appendEmpty()
                } else {
                    let p = base + s
                    if !markers.isEmpty, markers.index(of: p, n) != nil { break }
                    guard firstInvalidUTF8(p, n) == nil, heap.append(UnsafeBufferPointer(start: p, count: n)) else { break }
                    validity.append(true)
                }
                r &+= 1
            }
        }
        return r
    }

    /// The loop for fixed-width values: parse each plain cell into `values`, nulls as zero.
    /// Stops at the first escaped field or cell that does not parse; returns its row.
    @inline(__always)
    private static func fastCells<T>(
        _ base: UnsafePointer<UInt8>, _ starts: UnsafePointer<UInt32>, _ ends: UnsafePointer<UInt32>, _ start: Int, _ rows: Int,
        _ stride: Int, _ c: Int, _ validity: inout BitmapBuilder, _ values: inout GrowableBuffer<T>, zero: T,
        _ parse: (UnsafePointer<UInt8>, Int) -> T?) -> Int {
        var r = start
        while r < rows {
            let k = r &* stride &+ c
            let s = Int(starts[k]), e = ends[k]
            if e & FieldIndex.escapedFlag != 0 { break }
            let n = Int(e) &- s
            if n == 0 {
                validity.append(false)
                values.append(zero)
            } else {
                guard let v = parse(base + s, n) else { break }
                validity.append(true)
                values.append(v)
            }
            r &+= 1
        }
        return r
    }

    @inline(__always) private mutating func appendNull() {
        validity.append(false)
        switch kind {
        case .int, .timestamp, .decimal: ints.append(0)
        case .float: doubles.append(0)
        case .date: dates.append(0)
        case .bool: bools.append(0)
        case .dictionary: codes.append(0)
        case .heap: heap.appendEmpty()
        }
    }

    /// Appends one non-empty cell; false when the column cannot go on (failure or restart).
    @inline(__always) private mutating func appendValue(_ p: UnsafePointer<UInt8>, _ n: Int, offset: Int) -> Bool {
        switch kind {
        case .int:
            if let v = CellParsers.parseInt(p, n) {
                ints.append(v)
            } else if declared == nil, let double = CellParsers.parseDouble(p, n) {
                // A fraction in a column inferred as int: it holds decimals (or floats) after all.
                kind = .decimal
                inferredType = .decimal(scale: 0)
                return appendExact(FixedDecimal.parse(p, n), p, n, offset: offset, double: double)
            } else if let f = FormattedNumber.parse(p, n) {
                if let v = f.integer {
                    ints.append(v)
                } else if declared == nil {
                    kind = .decimal
                    inferredType = .decimal(scale: 0)
                    return appendExact(f.exact, p, n, offset: offset, double: f.double)
                } else {
                    return reject(p, n, offset)
                }
            } else {
                return reject(p, n, offset)
            }
        case .decimal:
            if let d = FixedDecimal.parse(p, n) {
                return appendExact(d, p, n, offset: offset)
            } else if let f = FormattedNumber.parse(p, n, unit: (declared?.type ?? inferredType).moneyUnit) {
                return appendExact(f.exact, p, n, offset: offset, double: f.double)
            } else if declared == nil, let v = CellParsers.parseDouble(p, n) {
                return appendExact(nil, p, n, offset: offset, double: v)
            } else {
                return reject(p, n, offset)
            }
        case .float:
            if let v = CellParsers.parseDouble(p, n) {
                doubles.append(v)
            } else if let f = FormattedNumber.parse(p, n, unit: (declared?.type ?? inferredType).moneyUnit) {
                doubles.append(f.double)
            } else {
                return reject(p, n, offset)
            }
        case .date:
            guard let v = CivilDate.parse(p, n) else { return reject(p, n, offset) }
            dates.append(v)
        case .timestamp:
            guard let v = Timestamp.parse(p, n) else { return reject(p, n, offset) }
            ints.append(v)
        case .bool:
            guard let v = CellParsers.parseBool(p, n) else { return reject(p, n, offset) }
            if p[0] >> 7 == 1 { chineseBools &+= 1 }
            bools.append(v ? 1 : 0)
        case .dictionary:
            if isClosedCategory {
                guard let code = dictionary.existingCode(of: p, count: n) else {
                    let shown = ColumnBuilder.shown(p, n)
                    let order = declared!.order!
                    let hint = closestName(to: shown, among: order).map { SchemaMessage.didYouMean($0) } ?? ""
                    failure = CellFailure(offset: offset, message: DataMessage.notDeclaredValue(shown, name, order.joined(separator: ", "), hint))
                    return false
                }
                codes.append(code)
            } else {
                let (code, isNew) = dictionary.code(of: p, count: n)
                if isNew {
                    if let bad = firstInvalidUTF8(p, n) {
                        failure = CellFailure(offset: offset + bad, message: DataMessage.undecodableInColumn(name))
                        return false
                    }
                    codes.ensureWidth(forCode: code)
                    if declared?.type.isCategory != true, dictionary.count > ColumnBuilder.dictionaryLimit, dictionary.count * 2 > codes.count + 1 {
                        codes.append(code)
                        validity.append(true)
                        switchToHeap()
                        return true
                    }
                }
                codes.append(code)
            }
        case .heap:
            if let bad = firstInvalidUTF8(p, n) {
                failure = CellFailure(offset: offset + bad, message: DataMessage.undecodableInColumn(name))
                return false
            }
            if !heap.append(UnsafeBufferPointer(start: p, count: n)) {
                failure = CellFailure(offset: offset, message: DataMessage.columnOver4GiB(name))
                return false
            }
        }
        validity.append(true)
        return true
    }

    private mutating func reject(_ p: UnsafePointer<UInt8>, _ n: Int, _ offset: Int) -> Bool {
        if declared == nil {
            needsText = true
        } else {
            fail(offset, p, n)
        }
        return false
    }

    /// Appends an exact number to a decimal column at its scale. A cell with more digits after
    /// the point scales the column up (to at most nine digits); beyond that, or beyond 64 bits,
    /// an inferred column becomes a float column, a declared `scale = N` rounds, and another
    /// declared column fails at the cell. Nil stands for a number only a double holds
    /// (`double`: more digits than an Int64 or a scale of 18).
    private mutating func appendExact(_ exact: FixedDecimal?, _ p: UnsafePointer<UInt8>, _ n: Int, offset: Int, double: Double? = nil) -> Bool {
        if let d = exact, d.scale <= scale, let u = d.rescaled(to: scale) {
            ints.append(u.units)
        } else if let d = exact, let fixed = declaredScale, d.scale > fixed, let u = d.rescaled(to: fixed) {
            roundedCells += 1
            ints.append(u.units)
        } else if let d = exact, d.scale > scale, d.scale <= FixedDecimal.maxScale, declaredScale == nil, rescale(to: d.scale) {
            ints.append(d.units)
        } else if declared == nil {
            switchToFloat()
            doubles.append(double ?? exact!.doubleValue)
        } else {
            let shown = ColumnBuilder.shown(p, n)
            let type = declared!.type.schemaDescription
            if exact.map({ $0.scale > FixedDecimal.maxScale || $0.scale > scale && declaredScale == nil }) ?? true {
                failure = CellFailure(offset: offset, message: DataMessage.tooManyDigits(shown, name, type, FixedDecimal.maxScale))
            } else {
                failure = CellFailure(offset: offset, message: DataMessage.tooLarge(shown, name, type, scale, FixedDecimal(units: Int64.max, scale: scale).description.prefix(while: { $0 != "." })))
            }
            return false
        }
        validity.append(true)
        return true
    }

    /// Scales the column's units up to `newScale` digits after the point; false (and nothing
    /// changed) when a value would not fit 64 bits.
    private mutating func rescale(to newScale: Int) -> Bool {
        let factor = FixedDecimal.powers[newScale - scale]
        let limit = Int64.max / factor
        let values = ints.elements
        for v in values where v > limit || v < -limit { return false }
        for i in values.indices { values[i] &*= factor }
        scale = newScale
        return true
    }

    /// An inferred decimal column met a number no 64-bit decimal holds: it becomes float.
    private mutating func switchToFloat() {
        doubles.reserve(Swift.max(ints.count * 2, 16))
        let divisor = Double(FixedDecimal.powers[kind == .decimal ? scale : 0])
        for i in 0..<ints.count { doubles.append(Double(ints[i]) / divisor) }
        ints.release()
        kind = .float
        inferredType = .float
    }

    private mutating func switchToHeap() {
        var h = StringHeapBuilder(capacity: codes.count * 2, byteCapacity: codes.count * 32)
        for i in 0..<codes.count {
            if validity.isValid(i) {
                _ = h.append(dictionary.bytes(at: Int(codes.code(at: i))))
            } else {
                h.appendEmpty()
            }
        }
        codes.release()
        dictionary.release()
        dictionary = DictionaryBuilder()
        heap.release()
        heap = h
        kind = .heap
    }

    /// Builds the column. Inferred text with few distinct values becomes a category; text
    /// that is mostly unique is stored as a heap.
    mutating func finish() -> Column {
        let column = build()
        column.nullMarkers = zip(markers.strings, markerCounts).filter { $0.1 > 0 }.map { NullMarkerCount(marker: $0.0, count: $0.1) }
        return column
    }

    private mutating func build() -> Column {
        let rows = validity.count
        let bitmap = validity.finish()
        let nulls = bitmap.nullCount()
        let declaredType = declared?.type
        switch kind {
        case .int:
            return Column(name: name, type: declaredType ?? .int, validity: bitmap, data: .int64(ints.finish()), nullCount: nulls)
        case .decimal:
            let column = Column(name: name, type: (declaredType ?? inferredType).withScale(scale), validity: bitmap,
                                data: .int64(ints.finish()), nullCount: nulls)
            column.roundedCells = roundedCells
            return column
        case .float:
            return Column(name: name, type: .float, validity: bitmap, data: .float64(doubles.finish()), nullCount: nulls)
        case .date:
            return Column(name: name, type: .date, validity: bitmap, data: .int32(dates.finish()), nullCount: nulls)
        case .timestamp:
            return Column(name: name, type: .timestamp, validity: bitmap, data: .int64(ints.finish()), nullCount: nulls)
        case .bool:
            // Printed as most of the cells were written: 是/否, else true/false.
            return Column(name: name, type: .bool(chinese: chineseBools * 2 > rows - nulls), validity: bitmap,
                          data: .uint8(bools.finish()), nullCount: nulls)
        case .dictionary:
            let distinct = dictionary.count
            let mostlyUnique = distinct * 2 > rows - nulls && rows - nulls > 0
            if declaredType?.isCategory == true || (declaredType == nil && rows - nulls > 0 && !mostlyUnique) {
                let d = dictionary.finish(isOrdered: isClosedCategory)
                return Column(name: name, type: .category(ordered: d.isOrdered), validity: bitmap, data: codes.finish(d), nullCount: nulls)
            }
            if !mostlyUnique {
                let d = dictionary.finish(isOrdered: false)
                return Column(name: name, type: .text, validity: bitmap, data: codes.finish(d), nullCount: nulls)
            }
            var h = StringHeapBuilder(capacity: rows, byteCapacity: 0)
            for i in 0..<rows {
                if bitmap.isValid(i) { _ = h.append(dictionary.bytes(at: Int(codes.code(at: i)))) } else { h.appendEmpty() }
            }
            codes.release()
            dictionary.release()
            return Column(name: name, type: .text, validity: bitmap, data: .strings(h.finish()), nullCount: nulls)
        case .heap:
            return Column(name: name, type: .text, validity: bitmap, data: .strings(heap.finish()), nullCount: nulls)
        }
    }

    /// Frees what is left (all of it after a failed load; the scratch after `finish`).
    mutating func release() {
        validity.release()
        ints.release()
        doubles.release()
        dates.release()
        bools.release()
        codes.release()
        dictionary.release()
        heap.release()
        scratch.release()
    }
}
