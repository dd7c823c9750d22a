import Testing
import Storage

@Suite("Validity bitmaps")
struct BitmapTests {
    @Test("runs of valid bits appended a word at a time land where bit by bit would put them")
    func validRuns() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var fast = BitmapBuilder(), slow = BitmapBuilder()
            var expected: [Bool] = []
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                if Bool.random(using: &generator) {
                    let n = [0, 1, 63, 64, 65, 127, 128, 200].randomElement(using: &generator)!
                    fast.appendValid(count: n)
                    for _ in 0..<n { slow.append(true) }
                    expected += Array(repeating: true, count: n)
                } else {
                    let v = Bool.random(using: &generator)
                    fast.append(v)
                    slow.append(v)
                    expected.append(v)
                }
            }
            let a = fast.finish(), b = slow.finish()
            #expect(a.count == expected.count && b.count == expected.count)
            #expect(a.nullCount() == expected.filter { !$0 }.count)
            #expect(expected.indices.allSatisfy { a.isValid($0) == expected[$0] && b.isValid($0) == expected[$0] })
        }
    }
}
