import CKernels

/// What a CSV load read: which file (device and inode, from the loader's own `open`), how many
/// bytes, and, when asked, the XXH64 of every one of them in order. `BlockReader` feeds it as it
/// reads; a load that starts again (a column that must be read as text) starts it again, so after
/// a load it describes exactly the bytes the returned table was made from.
///
/// The cache needs this because the file can change while it is being loaded: a hash taken
/// before or after the load is a hash of other bytes, and an entry stored under it could later
/// be served for a file that no load ever saw.
public final class ContentDigest {
    /// Whether `hash` is kept (it costs a pass over the bytes, ~3% of a load).
    let hashesBytes: Bool
    private(set) var device: UInt64 = 0
    private(set) var inode: UInt64 = 0
    private(set) var byteCount = 0
    private var state = projq_hash_state()

    init(hashesBytes: Bool) {
        self.hashesBytes = hashesBytes
        projq_hash_init(&state, FileHash.seed)
    }

    /// A load opened this file: forget what an earlier attempt read.
    func start(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
        byteCount = 0
        projq_hash_init(&state, FileHash.seed)
    }

    /// The next `count` bytes of the file.
    func add(_ bytes: UnsafeRawPointer, _ count: Int) {
        byteCount += count
        if hashesBytes { projq_hash_update(&state, bytes, count) }
    }

    /// XXH64 of the bytes read: the value `FileHash.whole` gives for the same bytes.
    var hash: UInt64 {
        withUnsafePointer(to: state) { projq_hash_digest($0) }
    }
}
