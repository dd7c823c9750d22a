#if canImport(Glibc)
import Glibc
#endif

/// The memory projq lets one statement's large builds take — a join's output, a stream read
/// into memory — checked before they are made, so that asking for too much is an error naming
/// what it would take, not the process killed by the system halfway. `--memory-limit` sets it;
/// the default is three quarters of the machine's memory.
public enum MemoryLimit {
    nonisolated(unsafe) public static var bytes: Int = machineDefault

    public static var machineDefault: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? pages / 4 * 3 * size : 4 << 30
    }

    /// `300MB`, `2GB`, `1.5G`, `512M`, `4096` (bytes); binary units (MB is 2^20 bytes). Nil when
    /// it does not read or is below a megabyte.
    public static func parse(_ text: String) -> Int? {
        var digits = Substring(text.uppercased())
        var unit = 1
        for (suffix, size) in [("GB", 1 << 30), ("G", 1 << 30), ("MB", 1 << 20), ("M", 1 << 20), ("KB", 1 << 10), ("K", 1 << 10), ("B", 1)] {
            if digits.hasSuffix(suffix) {
                digits = digits.dropLast(suffix.count)
                unit = size
                break
            }
        }
        guard let value = Double(digits), value.isFinite, value > 0, value * Double(unit) < 1e18 else { return nil }
        let bytes = Int(value * Double(unit))
        return bytes >= 1 << 20 ? bytes : nil
    }

    /// `1.5 GB`, `300 MB`.
    public static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 30 { return formatTenths(Double(bytes) / Double(1 << 30)) + " GB" }
        return formatTenths(Double(bytes) / Double(1 << 20)) + " MB"
    }

    private static func formatTenths(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }
}
