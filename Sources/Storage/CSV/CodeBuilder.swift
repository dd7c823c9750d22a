/// Dictionary codes in the narrowest width that holds the dictionary so far: bytes until the
/// 257th value, then 16 bits, then 32. Widening copies once; most columns never widen.
struct CodeBuilder {
    enum Width { case w8, w16, w32 }
    private(set) var width = Width.w8
    var codes8 = GrowableBuffer<UInt8>()
    var codes16 = GrowableBuffer<UInt16>()
    var codes32 = GrowableBuffer<UInt32>()

    var count: Int {
        switch width {
        case .w8: codes8.count
        case .w16: codes16.count
        case .w32: codes32.count
        }
    }

    mutating func reserve(_ n: Int) {
        switch width {
        case .w8: codes8.reserve(n)
        case .w16: codes16.reserve(n)
        case .w32: codes32.reserve(n)
        }
    }

    /// Makes room for codes up to `maxCode`.
    mutating func ensureWidth(forCode maxCode: UInt32) {
        if maxCode > UInt16.max, width != .w32 {
            var wide = GrowableBuffer<UInt32>(capacity: Swift.max(count, 16))
            for i in 0..<count { wide.append(code(at: i)) }
            codes8.release()
            codes16.release()
            codes32 = wide
            width = .w32
        } else if maxCode > UInt8.max, width == .w8 {
            var wide = GrowableBuffer<UInt16>(capacity: Swift.max(codes8.count, 16))
            for i in 0..<codes8.count { wide.append(UInt16(codes8[i])) }
            codes8.release()
            codes16 = wide
            width = .w16
        }
    }

    @inline(__always) mutating func append(_ code: UInt32) {
        switch width {
        case .w8: codes8.append(UInt8(truncatingIfNeeded: code))
        case .w16: codes16.append(UInt16(truncatingIfNeeded: code))
        case .w32: codes32.append(code)
        }
    }

    func code(at i: Int) -> UInt32 {
        switch width {
        case .w8: UInt32(codes8[i])
        case .w16: UInt32(codes16[i])
        case .w32: codes32[i]
        }
    }

    mutating func finish(_ dictionary: StringDictionary) -> ColumnData {
        switch width {
        case .w8: .codes8(codes8.finish(), dictionary)
        case .w16: .codes16(codes16.finish(), dictionary)
        case .w32: .codes32(codes32.finish(), dictionary)
        }
    }

    mutating func release() {
        codes8.release()
        codes16.release()
        codes32.release()
    }
}
