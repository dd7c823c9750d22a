#if canImport(Glibc)
import Glibc
#endif

/// A chart as inline SVG for the HTML report: every chart has its title, the unit of its values
/// (the value column's header) and each value written on its bar, point or slice; rows that
/// `total` added are left out (a total would dwarf the bars). One element of class `mark` per
/// row and series, which the tests count.
enum SVGChart {
    static let colors = ["#3b6fb6", "#e07b39", "#5a9e4b", "#b3403a", "#7d5ba6", "#8c6d31"]

    static func render(_ data: ChartData, title: String?) -> String {
        switch data.kind {
        case .bar, .funnel: return bars(data, title: title)
        case .column, .line: return columns(data, title: title)
        case .pie: return pie(data, title: title)
        }
    }

    static func header(_ title: String?, _ data: ChartData, width: Int) -> String {
        var out = ""
        if let title { out += "<text x=\"\(width / 2)\" y=\"18\" text-anchor=\"middle\" class=\"title\">\(HTMLReport.escape(title))</text>\n" }
        let units = data.series.map(\.header).joined(separator: "、")
        out += "<text x=\"\(width / 2)\" y=\"36\" text-anchor=\"middle\" class=\"unit\">\(HTMLReport.escape(units))</text>\n"
        return out
    }

    static func open(_ width: Int, _ height: Int, _ kind: ChartSpec.Kind) -> String {
        "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"\(kind.rawValue)\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\">\n"
    }

    /// Horizontal bars (a funnel: centred, each row under the one before).
    static func bars(_ data: ChartData, title: String?) -> String {
        let width = 680, labelWidth = 150, top = 48, rowHeight = 24
        let rows = data.labels.count, groups = data.series.count
        let height = top + rows * rowHeight * (data.kind == .funnel ? 1 : groups) + 16
        let room = Double(width - labelWidth - 90)
        var out = open(width, height, data.kind) + header(title, data, width: width)
        let maximum = data.series.flatMap(\.values).compactMap { $0 }.map(abs).max() ?? 0
        for (i, label) in data.labels.enumerated() {
            for (s, series) in data.series.enumerated() where data.kind != .funnel || s == 0 {
                let y = top + (data.kind == .funnel ? i : i * groups + s) * rowHeight
                if s == 0 { out += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 16)\" text-anchor=\"end\" class=\"label\">\(HTMLReport.escape(label))</text>\n" }
                let length = maximum > 0 ? (abs(series.values[i] ?? 0) / maximum * room) : 0
                let x = data.kind == .funnel ? Double(labelWidth) + (room - length) / 2 : Double(labelWidth)
                out += "<rect class=\"mark\" x=\"\(f(x))\" y=\"\(y + 3)\" width=\"\(f(length))\" height=\"\(rowHeight - 6)\" fill=\"\(colors[s % colors.count])\"/>\n"
                out += "<text x=\"\(f(x + length + 4))\" y=\"\(y + 16)\" class=\"value\">\(HTMLReport.escape(series.texts[i]))</text>\n"
            }
        }
        return out + legend(data, y: height - 4, width: width) + "</svg></figure>\n"
    }

    /// Vertical bars side by side, or lines through points, over the labels.
    static func columns(_ data: ChartData, title: String?) -> String {
        let width = 680, top = 56, plot = 220, bottom = 64
        let height = top + plot + bottom
        let rows = Swift.max(data.labels.count, 1), groups = data.series.count
        let slot = Double(width - 40) / Double(rows)
        let maximum = data.series.flatMap(\.values).compactMap { $0 }.map(abs).max() ?? 0
        func y(_ v: Double?) -> Double { Double(top + plot) - (maximum > 0 ? abs(v ?? 0) / maximum * Double(plot) : 0) }
        var out = open(width, height, data.kind) + header(title, data, width: width)
        out += "<line x1=\"20\" y1=\"\(top + plot)\" x2=\"\(width - 20)\" y2=\"\(top + plot)\" stroke=\"#888\"/>\n"
        for (i, label) in data.labels.enumerated() {
            let cx = 20 + slot * (Double(i) + 0.5)
            out += "<text x=\"\(f(cx))\" y=\"\(top + plot + 16)\" text-anchor=\"middle\" class=\"label\">\(HTMLReport.escape(label))</text>\n"
        }
        for (s, series) in data.series.enumerated() {
            let color = colors[s % colors.count]
            if data.kind == .line {
                let points = series.values.indices.map { "\(f(20 + slot * (Double($0) + 0.5))),\(f(y(series.values[$0])))" }
                out += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            }
            for i in series.values.indices {
                let cx = 20 + slot * (Double(i) + 0.5)
                if data.kind == .line {
                    out += "<circle class=\"mark\" cx=\"\(f(cx))\" cy=\"\(f(y(series.values[i])))\" r=\"3\" fill=\"\(color)\"/>\n"
                    out += "<text x=\"\(f(cx))\" y=\"\(f(y(series.values[i]) - 6))\" text-anchor=\"middle\" class=\"value\">\(HTMLReport.escape(series.texts[i]))</text>\n"
                } else {
                    let w = slot * 0.8 / Double(groups)
                    let x = 20 + slot * Double(i) + slot * 0.1 + w * Double(s)
                    out += "<rect class=\"mark\" x=\"\(f(x))\" y=\"\(f(y(series.values[i])))\" width=\"\(f(w))\" height=\"\(f(Double(top + plot) - y(series.values[i])))\" fill=\"\(color)\"/>\n"
                    out += "<text x=\"\(f(x + w / 2))\" y=\"\(f(y(series.values[i]) - 4))\" text-anchor=\"middle\" class=\"value\">\(HTMLReport.escape(series.texts[i]))</text>\n"
                }
            }
        }
        return out + legend(data, y: height - 8, width: width) + "</svg></figure>\n"
    }

    /// Slices of a circle, each with its label, value and share.
    static func pie(_ data: ChartData, title: String?) -> String {
        let width = 680, height = 340, cx = 220.0, cy = 190.0, r = 120.0
        guard let series = data.series.first else { return "" }
        let total = series.values.compactMap { $0 }.map(abs).reduce(0, +)
        var out = open(width, height, .pie) + header(title, data, width: width)
        var angle = -Double.pi / 2
        for (i, label) in data.labels.enumerated() {
            let v = abs(series.values[i] ?? 0)
            let sweep = total > 0 ? v / total * 2 * Double.pi : 0
            let (x1, y1) = (cx + r * cos(angle), cy + r * sin(angle))
            let (x2, y2) = (cx + r * cos(angle + sweep), cy + r * sin(angle + sweep))
            let large = sweep > Double.pi ? 1 : 0
            let color = colors[i % colors.count]
            if sweep >= 2 * Double.pi - 1e-9 {
                out += "<circle class=\"mark\" cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"\(f(r))\" fill=\"\(color)\"/>\n"
            } else {
                out += "<path class=\"mark\" d=\"M\(f(cx)),\(f(cy)) L\(f(x1)),\(f(y1)) A\(f(r)),\(f(r)) 0 \(large) 1 \(f(x2)),\(f(y2)) Z\" fill=\"\(color)\" stroke=\"#fff\"/>\n"
            }
            let share = total > 0 ? v / total * 100 : 0
            let ly = 70 + i * 20
            out += "<rect x=\"400\" y=\"\(ly - 11)\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
            out += "<text x=\"418\" y=\"\(ly)\" class=\"label\">\(HTMLReport.escape(label))：\(HTMLReport.escape(series.texts[i]))（\(f(share))%）</text>\n"
            angle += sweep
        }
        return out + "</svg></figure>\n"
    }

    static func legend(_ data: ChartData, y: Int, width: Int) -> String {
        guard data.series.count > 1 else { return "" }
        var out = "", x = 40
        for (s, series) in data.series.enumerated() {
            out += "<rect x=\"\(x)\" y=\"\(y - 10)\" width=\"12\" height=\"12\" fill=\"\(colors[s % colors.count])\"/><text x=\"\(x + 16)\" y=\"\(y)\" class=\"label\">\(HTMLReport.escape(series.header))</text>\n"
            x += 40 + 14 * series.header.count
        }
        return out
    }

    /// A number with one digit after the point (SVG coordinates, shares).
    static func f(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}
