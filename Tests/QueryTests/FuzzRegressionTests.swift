import FuzzEntry
import Foundation
import Testing

/// The fuzzing targets' seeds and every input that once crashed one (Tests/fuzz/regressions),
/// replayed through the same entries `make fuzz` drives: each must return.
@Suite("Fuzzing regressions")
struct FuzzRegressionTests {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static var inputs: [(FuzzEntry.Target, String)] {
        FuzzEntry.Target.allCases.flatMap { target in
            ["seeds", "regressions"].flatMap { kind -> [(FuzzEntry.Target, String)] in
                let folder = root + "/Tests/fuzz/\(kind)/\(target.rawValue)"
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
                return names.map { (target, folder + "/" + $0) }
            }
        }
    }

    @Test("every seed and regression input runs through its target and returns")
    func replay() throws {
        let inputs = FuzzRegressionTests.inputs
        #expect(inputs.count >= 6, "the seeds are there")
        for (target, path) in inputs {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes.withUnsafeBytes { FuzzEntry.run(target, $0) }
        }
    }
}
