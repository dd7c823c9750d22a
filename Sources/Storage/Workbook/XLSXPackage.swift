import TextSupport
/// An .xlsx workbook's structure: its sheets in workbook order (name and part, through
/// workbook.xml and its relationships), its date system, the number format of each cell
/// style, and its shared strings (read when a sheet is first loaded).
final class XLSXPackage {
    struct Sheet {
        var name: String
        var part: String
    }

    let archive: ZipArchive
    let sheets: [Sheet]
    /// workbook.xml's `<workbookPr date1904="1"/>`: serials count days from 1904-01-01.
    let date1904: Bool
    /// What each cell style (`s="N"`, an index into cellXfs) says its numbers are.
    let styles: [CellFormat]
    private let sharedStringsPart: String?
    private var strings: SharedStrings?

    init(path: String) throws(WorkbookError) {
        archive = try ZipArchive(path: path)
        // The main part, through the package relationships (xl/workbook.xml in practice).
        let rootRels = try ElementCollector.collect(archive, part: "_rels/.rels", keeping: ["Relationship"])
        let workbookPart = rootRels.first { $0.attributes["Type"]?.hasSuffix("/officeDocument") == true }
            .map { XLSXPackage.resolve($0.attributes["Target"] ?? "", from: "") } ?? "xl/workbook.xml"
        guard archive.contains(workbookPart) else {
            if archive.contains("EncryptedPackage") || archive.contains("content.xml") {
                throw WorkbookError(DataMessage.notXLSXPackage())
            }
            throw WorkbookError(DataMessage.notXLSXNoPart(workbookPart))
        }
        let folder = workbookPart.contains("/") ? String(workbookPart[..<workbookPart.lastIndex(of: "/")!]) : ""
        let relsPart = (folder.isEmpty ? "" : folder + "/") + "_rels/" + lastPathComponent(workbookPart) + ".rels"
        var targets: [String: (type: String, part: String)] = [:]
        for r in try ElementCollector.collect(archive, part: relsPart, keeping: ["Relationship"]) {
            guard let id = r.attributes["Id"], let target = r.attributes["Target"] else { continue }
            if r.attributes["TargetMode"] == "External" { continue }
            targets[id] = (r.attributes["Type"] ?? "", XLSXPackage.resolve(target, from: folder))
        }
        let workbook = try ElementCollector.collect(archive, part: workbookPart, keeping: ["sheet", "workbookPr"])
        date1904 = workbook.contains { $0.name == "workbookPr" && ["1", "true"].contains($0.attributes["date1904"]?.lowercased() ?? "") }
        var sheets: [Sheet] = []
        for s in workbook where s.name == "sheet" {
            // Hidden sheets are the workbook's own machinery (lookup lists), not the ledger.
            if let state = s.attributes["state"], state != "visible" { continue }
            guard let name = s.attributes["name"], let id = s.attributes["id"], let target = targets[id] else { continue }
            guard target.type.hasSuffix("/worksheet") else { continue }   // chart sheets, dialogs
            sheets.append(Sheet(name: name, part: target.part))
        }
        self.sheets = sheets
        sharedStringsPart = targets.values.first { $0.type.hasSuffix("/sharedStrings") }?.part
            ?? (archive.contains("xl/sharedStrings.xml") ? "xl/sharedStrings.xml" : nil)
        let stylesPart = targets.values.first { $0.type.hasSuffix("/styles") }?.part ?? "xl/styles.xml"
        var custom: [Int: CellFormat] = [:]
        var styles: [CellFormat] = []
        for e in try ElementCollector.collect(archive, part: stylesPart, keeping: ["numFmt", "xf"]) {
            if e.name == "numFmt", let id = e.attributes["numFmtId"].flatMap({ Int($0) }) {
                custom[id] = CellFormat.classify(e.attributes["formatCode"] ?? "")
            } else if e.name == "xf", e.parent == "cellXfs" {
                let id = e.attributes["numFmtId"].flatMap { Int($0) } ?? 0
                styles.append(custom[id] ?? CellFormat.builtIn(id))
            }
        }
        self.styles = styles
    }

    /// The shared strings, parsed on first use.
    func sharedStrings() throws(WorkbookError) -> SharedStrings {
        if let strings { return strings }
        let s = SharedStrings()
        if let part = sharedStringsPart { try XMLStream.parse(archive, part: part, with: s) }
        strings = s
        return s
    }

    /// A relationship's target as a part name: relative to the folder of the part that names
    /// it, or absolute (`/xl/worksheets/sheet1.xml`).
    static func resolve(_ target: String, from folder: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for piece in target.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(piece) }
        }
        return parts.joined(separator: "/")
    }
}
