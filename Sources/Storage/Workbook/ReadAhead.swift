#if canImport(Glibc)
import Glibc
#endif
import CZip
import TextSupport

/// A zip entry inflated on a thread of its own, up to four chunks ahead of the one reading it:
/// a sheet's XML is inflated on one core while the other scans it (inflating was a fifth of a
/// load once the scanning got fast). The reader gets the bytes in order, then the entry's end
/// or the error libzip met (a damaged stream, a wrong CRC) after the last good byte, as from
/// reading it directly. `stop` ends the thread; it must be called before the entry is closed.
final class ReadAhead {
    private static var slots: Int { 4 }
    private let file: OpaquePointer
    private let part: String
    private let chunk: Int
    private let memory: UnsafeMutablePointer<UInt8>
    private let counts: UnsafeMutablePointer<Int>
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>
    private var thread: pthread_t = 0

    // Shared, under `lock`.
    private var filled = 0
    private var ended = false
    private var stopping = false
    private var failure: WorkbookError?
    // The inflating thread's and the reader's own.
    private var tail = 0
    private var head = 0
    private var offset = 0

    /// Starts inflating `file` (an open entry of part `part`); nil when no thread can be had,
    /// and the caller reads the entry itself.
    init?(file: OpaquePointer, part: String, chunk: Int = 1 << 20) {
        self.file = file
        self.part = part
        self.chunk = chunk
        memory = .allocate(capacity: ReadAhead.slots * chunk)
        counts = .allocate(capacity: ReadAhead.slots)
        counts.initialize(repeating: 0, count: ReadAhead.slots)
        lock = .allocate(capacity: 1)
        changed = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(changed, nil)
        let started = pthread_create(&thread, nil, { raw in
            Unmanaged<ReadAhead>.fromOpaque(raw!).takeUnretainedValue().inflate()
            return nil
        }, Unmanaged.passUnretained(self).toOpaque())
        if started != 0 { return nil }
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(lock)
        changed.deallocate()
        lock.deallocate()
        counts.deallocate()
        memory.deallocate()
    }

    /// The inflating thread: fills free slots until the entry ends, fails, or `stop`.
    private func inflate() {
        while true {
            pthread_mutex_lock(lock)
            while filled == ReadAhead.slots, !stopping { pthread_cond_wait(changed, lock) }
            if stopping {
                pthread_mutex_unlock(lock)
                return
            }
            pthread_mutex_unlock(lock)
            let n = zip_fread(file, memory + tail * chunk, zip_uint64_t(chunk))
            let why = n < 0 ? String(cString: zip_file_strerror(file)) : ""
            pthread_mutex_lock(lock)
            if n < 0 {
                failure = WorkbookError(DataMessage.partDamaged(part, why))
                ended = true
            } else if n == 0 {
                ended = true
            } else {
                counts[tail] = Int(n)
                tail = (tail + 1) % ReadAhead.slots
                filled += 1
            }
            let done = ended
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(lock)
            if done { return }
        }
    }

    /// Up to `n` next bytes of the entry into `buffer`: how many, 0 at its end. Waits only
    /// when nothing is inflated yet.
    func read(_ buffer: UnsafeMutablePointer<UInt8>, _ n: Int) throws(WorkbookError) -> Int {
        var got = 0
        while got < n {
            pthread_mutex_lock(lock)
            while filled == 0, !ended, got == 0 { pthread_cond_wait(changed, lock) }
            if filled == 0 {
                let failure = got == 0 ? self.failure : nil
                pthread_mutex_unlock(lock)
                if let failure { throw failure }
                return got
            }
            pthread_mutex_unlock(lock)
            // The slot at head is the reader's until it hands it back.
            let count = counts[head]
            let k = Swift.min(n - got, count - offset)
            (buffer + got).update(from: memory + head * chunk + offset, count: k)
            got += k
            offset += k
            if offset == count {
                offset = 0
                head = (head + 1) % ReadAhead.slots
                pthread_mutex_lock(lock)
                filled -= 1
                pthread_cond_broadcast(changed)
                pthread_mutex_unlock(lock)
            }
        }
        return got
    }

    /// Ends the inflating thread (after the chunk it is on) and waits for it.
    func stop() {
        pthread_mutex_lock(lock)
        stopping = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
        pthread_join(thread, nil)
    }
}
