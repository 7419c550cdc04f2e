/// Delta debugging (ddmin) over lines, then bytes: the smallest input found
/// that still gives an outcome of the same kind, within a budget of runs.
public func minimize(_ input: [UInt8], budget: Int, keeps: ([UInt8]) -> Bool) -> [UInt8] {
    var best = input, runs = 0
    func reduce(_ units: [[UInt8]], joiner: [UInt8]) -> [[UInt8]] {
        var units = units, granularity = 2
        while units.count >= 2 && runs < budget {
            let chunk = (units.count + granularity - 1) / granularity
            var reduced = false
            var start = 0
            while start < units.count && runs < budget {
                var candidate = units
                candidate.removeSubrange(start..<min(units.count, start + chunk))
                runs += 1
                if keeps(Array(candidate.joined(separator: joiner))) {
                    units = candidate
                    reduced = true
                } else {
                    start += chunk
                }
            }
            if !reduced {
                if chunk == 1 { break }
                granularity = min(units.count, granularity * 2)
            }
        }
        return units
    }
    let lines = best.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    best = Array(reduce(lines, joiner: [0x0A]).joined(separator: [0x0A]))
    if best.count <= 4096 {
        best = Array(reduce(best.map { [$0] }, joiner: []).joined())
    }
    return best
}
