#if canImport(Glibc)
import Glibc
#endif
import FuzzEntry

// Built two ways. `make fuzz` compiles with -sanitize=fuzzer,address and -DFUZZING: main hands
// over to libFuzzer's driver (LLVMFuzzerRunDriver, which takes libFuzzer's usual arguments),
// which calls LLVMFuzzerTestOneInput with the target named by PROJQ_FUZZ_TARGET. A plain build is
// a replayer: `projq-fuzz TARGET FILE...` runs each file through the target once (how a crash
// that fuzzing found is looked at).

let target: FuzzEntry.Target = {
    guard let name = getenv("PROJQ_FUZZ_TARGET").map({ String(cString: $0) }) else { return .query }
    guard let t = FuzzEntry.Target(rawValue: name) else {
        let message = "PROJQ_FUZZ_TARGET must be one of \(FuzzEntry.Target.allCases.map(\.rawValue).joined(separator: ", "))\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
    return t
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzEntry.run(target, UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@main
struct Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}
#else
@main
struct Replay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let first = arguments.first, let t = FuzzEntry.Target(rawValue: first) else {
            _ = "usage: projq-fuzz query|csv|snapshot FILE...\n".withCString { write(2, $0, strlen($0)) }
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let f = fopen(path, "rb") else { continue }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = fread(&chunk, 1, chunk.count, f)
                if n == 0 { break }
                bytes += chunk[0..<n]
            }
            fclose(f)
            bytes.withUnsafeBytes { FuzzEntry.run(t, $0) }
            print("ok \(path)")
        }
    }
}
#endif
