/// The name among `candidates` closest to `name` by edit distance, when close enough to be a
/// likely typo (for "did you mean").
public func closestName(to name: String, among candidates: [String]) -> String? {
    let target = Array(name.lowercased())
    var best: (String, Int)? = nil
    for c in candidates {
        let lower = Array(c.lowercased())
        // A prefix either way (`integr` for `int`, `invest` for `investment`) is a near miss.
        let isPrefix = lower.count >= 2 && target.count >= 2 && (target.starts(with: lower) || lower.starts(with: target))
        let d = isPrefix ? 1 : editDistance(target, lower)
        if best == nil || d < best!.1 { best = (c, d) }
    }
    guard let (c, d) = best else { return nil }
    let limit = max(1, min(3, (target.count + 1) / 3))
    return d <= limit ? c : nil
}

public func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
