#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// XXH64 of a file's bytes, whole or sampled, read with `pread` from an open descriptor (so the
/// bytes are those of the file that was stamped, whatever its path names now).
enum FileHash {
    static let seed: UInt64 = 0x7072_6F6A_7163_7376   // "projqcsv"

    /// Files up to this size are hashed whole even when a sample is asked for.
    static let sampleLimit = 1 << 20
    static let edgeBytes = 64 << 10
    static let slices = 64
    static let sliceBytes = 4 << 10

    /// The first and last 64 KiB and 64 slices of 4 KiB spread evenly between them (384 KiB, well
    /// under a millisecond from the page cache); a file of at most 1 MiB whole. Nil when a read
    /// fails or the file is shorter than `size`.
    static func sampled(fd: Int32, size: Int) -> UInt64? {
        if size <= sampleLimit { return whole(fd: fd, size: size) }
        var state = projq_hash_state()
        projq_hash_init(&state, seed)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: edgeBytes, alignment: 64)
        defer { buffer.deallocate() }
        var ranges = [(0, edgeBytes)]
        let stride = (size - 2 * edgeBytes - sliceBytes) / (slices + 1)
        for k in 1...slices { ranges.append((edgeBytes + k * stride, sliceBytes)) }
        ranges.append((size - edgeBytes, edgeBytes))
        for (offset, count) in ranges {
            guard readFully(fd, buffer, count, at: offset) else { return nil }
            projq_hash_update(&state, buffer, count)
        }
        return projq_hash_digest(&state)
    }

    /// Every byte; nil when a read fails or the file does not hold exactly `size` bytes.
    static func whole(fd: Int32, size: Int) -> UInt64? {
        var state = projq_hash_state()
        projq_hash_init(&state, seed)
        // No larger than the file (and a byte more, to see its end): the files of most ledgers
        // are small and hashed whole at every open, and a 1 MiB buffer is a mapping of its own.
        let chunk = min(1 << 20, size + 1)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var offset = 0
        while true {
            let r = pread(fd, buffer, chunk, off_t(offset))
            if r < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if r == 0 { break }
            projq_hash_update(&state, buffer, r)
            offset += r
        }
        return offset == size ? projq_hash_digest(&state) : nil
    }

    private static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, at offset: Int) -> Bool {
        var done = 0
        while done < count {
            let r = pread(fd, buffer + done, count - done, off_t(offset + done))
            if r < 0, errno == EINTR { continue }
            if r <= 0 { return false }
            done += r
        }
        return true
    }
}
