/// A small part's elements, for the parts read whole and small (relationships, workbook.xml,
/// styles.xml): each element's local name, its parent's, and its attributes.
final class ElementCollector: XMLHandler {
    struct Element {
        var name: String
        var parent: String
        var attributes: [String: String]
    }

    private(set) var elements: [Element] = []
    private var path: [String] = []
    /// Only elements with these names are kept (all when empty).
    private let wanted: Set<String>
    var failure: WorkbookError? = nil

    init(keeping wanted: Set<String>) { self.wanted = wanted }

    func start(_ name: UnsafePointer<CChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        let local = String(cString: name)
        if wanted.isEmpty || wanted.contains(local) {
            var attrs: [String: String] = [:]
            var i = 0
            while let key = attributes[i] {
                attrs[String(cString: XMLStream.localName(key))] = attributes[i + 1].map { String(cString: $0) } ?? ""
                i += 2
            }
            elements.append(Element(name: local, parent: path.last ?? "", attributes: attrs))
        }
        path.append(local)
    }

    func end(_ name: UnsafePointer<CChar>) { _ = path.popLast() }

    func text(_ p: UnsafePointer<UInt8>, _ n: Int) {}

    /// The elements of `part` named in `wanted`; none when the archive lacks the part.
    static func collect(_ archive: ZipArchive, part: String, keeping wanted: Set<String>) throws(WorkbookError) -> [Element] {
        let collector = ElementCollector(keeping: wanted)
        try XMLStream.parse(archive, part: part, with: collector)
        return collector.elements
    }
}
