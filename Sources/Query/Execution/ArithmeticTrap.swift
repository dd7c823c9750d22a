import TextSupport
#if canImport(Glibc)
import Glibc
#endif

/// Where an integer expression was written, so that its overflow can name it.
struct ArithmeticOrigin: Sendable {
    var range: SourceRange
    var text: String
}

/// The first integer overflow an evaluator met. Integer `+ - *` whose result leaves 64 bits is
/// an error naming the expression, never a wrapped value or a silent null; the operator that
/// owns the evaluator asks here once its rows are done and stops with it. Two threads may
/// record at once: the first wins, under a lock (it happens once per failing query).
final class ArithmeticTrap: @unchecked Sendable {
    private var lock = pthread_mutex_t()
    private var first: ArithmeticOrigin?

    init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }

    func record(_ origin: ArithmeticOrigin) {
        pthread_mutex_lock(&lock)
        if first == nil { first = origin }
        pthread_mutex_unlock(&lock)
    }

    /// The error, if an overflow was recorded.
    var diagnostic: Diagnostic? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return first.map(ArithmeticTrap.diagnostic)
    }

    static func diagnostic(_ o: ArithmeticOrigin) -> Diagnostic {
        Diagnostic(QueryMessage.integerOverflow(o.text),
                   at: o.range)
    }
}
