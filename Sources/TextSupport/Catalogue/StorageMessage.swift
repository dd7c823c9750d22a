/// The store's messages: why a file did not load or save, and memory refusals, in English and
/// Chinese (see `CatalogueMessage`).
public enum StorageMessage: CatalogueMessage {
    case addressSpaceLeft, memoryLimitOption, needsMemory, loadingIt

    public var texts: (english: String, chinese: String) {
        switch self {
        // MARK: Memory
        case .addressSpaceLeft:
            ("the address space left under ulimit -v",
             "ulimit -v 下剩余的地址空间")
        case .memoryLimitOption:
            ("the memory limit (--memory-limit)",
             "内存上限（--memory-limit）")
        case .needsMemory:
            ("{1} needs about {2} of memory, more than {3}, {4}",
             "{1}约需 {2} 内存，超过{3}（{4}）")
        case .loadingIt:
            ("loading it ({1})",
             "载入该文件（{1}）")
        }
    }
}
