import Storage
import Query
import TextSupport

/// `.chart KIND [X] Y[, Y2 …]`: how the next result is drawn beside its table — in the HTML
/// report as an SVG chart, in markdown and in the terminal as bars of block characters.
public struct ChartSpec: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        case bar, column, line, pie, funnel
    }

    public var kind: Kind
    /// The labels' column; nil: the result's first column.
    public var x: String?
    /// The values' columns; empty: the first number column after the labels.
    public var y: [String]

    /// Reads `.chart`'s arguments: `bar 单位 完成率`, `column 阶段 项目数, 投资额`, `pie 投资额`.
    public static func parse(_ args: [String]) -> ChartSpec? {
        guard let first = args.first, let kind = Kind(rawValue: first.lowercased()) else { return nil }
        let names = args.dropFirst().flatMap { $0.split(separator: ",").map { String($0).trimmingWhitespace } }.filter { !$0.isEmpty }
        switch names.count {
        case 0: return ChartSpec(kind: kind, x: nil, y: [])
        case 1: return ChartSpec(kind: kind, x: nil, y: names)
        default: return ChartSpec(kind: kind, x: names[0], y: Array(names.dropFirst()))
        }
    }
}

/// A chart's data from a result: the label and the values of each row that is not a total, with
/// the series' names and units for the axis.
struct ChartData {
    struct Series {
        var name: String
        /// The header as the box shows it (`投资额 (万元)`).
        var header: String
        var values: [Double?]
        /// Each value as the table shows it (`158.6%`, `1,200`).
        var texts: [String]
        var isPercent: Bool
    }

    var kind: ChartSpec.Kind
    var labels: [String]
    var series: [Series]
    var labelHeader: String

    /// The data `spec` asks for from `table`; the message why not.
    static func make(_ spec: ChartSpec, _ table: Table, roles: [RowRole]?) -> Swift.Result<ChartData, ChartFailure> {
        func column(_ name: String) -> Int? {
            table.columns.firstIndex { $0.name == name } ?? table.columns.firstIndex { $0.name.lowercased() == name.lowercased() }
        }
        guard !table.columns.isEmpty else { return .failure(ChartFailure(message: ShellMessage.chartNoColumns())) }
        var x = 0
        if let name = spec.x {
            guard let c = column(name) else { return .failure(ChartFailure(message: ShellMessage.chartNoLabelColumn(name, table.columns.map(\.name).joined(separator: ", ")))) }
            x = c
        }
        var ys: [Int] = []
        for name in spec.y {
            guard let c = column(name) else { return .failure(ChartFailure(message: ShellMessage.chartNoValueColumn(name, table.columns.map(\.name).joined(separator: ", ")))) }
            guard table.columns[c].type.isNumeric else { return .failure(ChartFailure(message: ShellMessage.chartValuesNotNumbers(name, table.columns[c].type))) }
            ys.append(c)
        }
        if ys.isEmpty {
            guard let c = table.columns.indices.first(where: { $0 != x && table.columns[$0].type.isNumeric }) else {
                return .failure(ChartFailure(message: ShellMessage.chartNoNumberColumn()))
            }
            ys = [c]
        }
        let rows = (0..<table.rowCount).filter { (roles?[$0] ?? .detail) == .detail }
        let labels = rows.map { BoxRenderer.cell(table.columns[x], table.row($0)) }
        let series = ys.map { c -> Series in
            let column = table.columns[c]
            let values = rows.map { r -> Double? in
                switch column.value(at: table.row(r)) {
                case .int(let v): Double(v)
                case .decimal(let d): d.doubleValue
                case .float(let v): v
                default: nil
                }
            }
            return Series(name: column.name, header: BoxRenderer.header(column), values: values,
                          texts: rows.map { BoxRenderer.cell(column, table.row($0)) }, isPercent: column.type.sameKind(.percent(scale: 0)))
        }
        return .success(ChartData(kind: spec.kind, labels: labels, series: series, labelHeader: BoxRenderer.header(table.columns[x])))
    }
}

struct ChartFailure: Error {
    var message: String
}

/// Horizontal bars of block characters (eighths of a cell), for the terminal and markdown: a
/// label column aligned by display width, each bar scaled to the widest value, the value at its
/// end; the whole within `width` columns.
enum TextChart {
    static func render(_ data: ChartData, width: Int) -> String {
        var out = ""
        let labelWidth = Swift.min(data.labels.map { DisplayWidth.of($0) }.max() ?? 0, Swift.max(8, width / 3))
        for series in data.series {
            if data.series.count > 1 || data.kind != .bar { out += series.header + "\n" }
            let textWidth = series.texts.map { DisplayWidth.of($0) }.max() ?? 0
            let barRoom = Swift.max(4, width - labelWidth - textWidth - 3)
            let top = series.values.compactMap { $0 }.map { abs($0) }.max() ?? 0
            for (i, label) in data.labels.enumerated() {
                let fitted = DisplayWidth.truncate(label, to: labelWidth)
                var line = fitted + String(repeating: " ", count: labelWidth - DisplayWidth.of(fitted)) + " "
                if let v = series.values[i], top > 0 {
                    let eighths = Int((abs(v) / top * Double(barRoom * 8)).rounded())
                    line += String(repeating: "█", count: eighths / 8)
                    if eighths % 8 > 0 { line += String(Array("▏▎▍▌▋▊▉")[eighths % 8 - 1]) }
                }
                out += line + " " + series.texts[i] + "\n"
            }
        }
        return out
    }
}
