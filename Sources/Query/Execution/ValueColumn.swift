import Storage

/// Columns made from boxed values, for the few rows a clause adds or compares (a total's rows,
/// the rows that changed since the last ledger): laid out as the column type's layout needs, a
/// dictionary column under the dictionary the binder chose (so that conditions bound against it
/// read the codes right).
func valueColumn(named name: String, type: DataType, dictionary: StringDictionary?, values: [Value]) -> Column {
    let n = values.count
    var validity = BitmapBuilder(capacity: n)
    for v in values { validity.append(v != .null) }
    let bits = validity.finish()
    let data: ColumnData
    switch type.layout {
    case .int64:
        let scale = type.scale ?? 0
        var b = GrowableBuffer<Int64>(capacity: n)
        for v in values {
            switch v {
            case .int(let x), .timestamp(let x): b.append(scale == 0 ? x : (FixedDecimal(x).rescaled(to: scale)?.units ?? 0))
            case .decimal(let d): b.append(d.rescaled(to: scale)?.units ?? 0)
            default: b.append(0)
            }
        }
        data = .int64(b.finish())
    case .float64:
        var b = GrowableBuffer<Double>(capacity: n)
        for v in values {
            switch v {
            case .float(let x): b.append(x)
            case .int(let x): b.append(Double(x))
            case .decimal(let d): b.append(d.doubleValue)
            default: b.append(0)
            }
        }
        data = .float64(b.finish())
    case .int32:
        var b = GrowableBuffer<Int32>(capacity: n)
        for v in values { if case .date(let d) = v { b.append(d) } else { b.append(0) } }
        data = .int32(b.finish())
    case .uint8:
        var b = GrowableBuffer<UInt8>(capacity: n)
        for v in values { if case .bool(let x) = v { b.append(x ? 1 : 0) } else { b.append(0) } }
        data = .uint8(b.finish())
    case .text, .codes:
        if let dictionary {
            // A value outside the dictionary cannot occur (the binder grew it by every value
            // that can come); it would read as the first value, so it is checked.
            let codes = values.map { v -> Int in
                guard case .text(let s) = v else { return 0 }
                guard let c = dictionary.code(of: s) else { preconditionFailure("'\(s)' is not in the dictionary of \(name)") }
                return c
            }
            data = CodesBuilder.data(n, dictionary) { codes[$0] }
        } else {
            var heap = StringHeapBuilder()
            for v in values { if case .text(let s) = v { heap.append(s) } else { heap.append("") } }
            data = .strings(heap.finish())
        }
    }
    return Column(name: name, type: type, validity: bits, data: data)
}

/// `column` with `tail` appended, in its layout. A dictionary column takes `grown` (its own
/// grown by a label like 合计 at its end, so that the codes it had keep their meaning).
func appending(_ column: Column, _ tail: [Value], dictionary grown: StringDictionary?) -> Column {
    let dictionary = grown ?? column.dictionary
    var head = column
    if let dictionary, dictionary !== column.dictionary {
        // The head's codes under the grown dictionary: the same numbers.
        head = Column(name: column.name, type: column.type, validity: column.validity,
                      data: CodesBuilder.data(column.count, dictionary) { column.data.code(at: $0) })
    }
    // A heap column's tail is a heap too; a dictionary column's, codes.
    let tailDictionary: StringDictionary? = if case .strings = column.data { nil } else { dictionary }
    return concatenate([head, valueColumn(named: column.name, type: column.type, dictionary: tailDictionary, values: tail)])
}
