/// A configuration file that is not right: where and what.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

extension EngineConfiguration {
    /// The names a configuration file uses, one per field.
    public static var keys: [(name: String, path: WritableKeyPath<EngineConfiguration, Int>)] { [
        ("page_shift", \.pageShift), ("levels", \.levels),
        ("l1_entries", \.l1Entries), ("l1_ways", \.l1Ways), ("l2_entries", \.l2Entries), ("l2_ways", \.l2Ways),
        ("pwc_entries", \.pwcEntries), ("pwc_ways", \.pwcWays),
        ("nested_tlb_entries", \.nestedTLBEntries), ("nested_tlb_ways", \.nestedTLBWays),
        ("line_cache_entries", \.lineCacheEntries), ("line_cache_ways", \.lineCacheWays),
        ("tag_cache_entries", \.tagCacheEntries), ("tag_cache_ways", \.tagCacheWays),
        ("l2_tlb_hit_cycles", \.l2TLBHitCycles), ("line_hit_cycles", \.lineHitCycles), ("line_miss_cycles", \.lineMissCycles),
        ("page_fault_cycles", \.pageFaultCycles), ("exit_cycles", \.exitCycles), ("hypercall_cycles", \.hypercallCycles),
        ("tag_hit_cycles", \.tagHitCycles), ("work_cycles_per_event", \.workCyclesPerEvent),
    ] }

    /// The largest value a setting may take, and why: a cache is allocated
    /// whole, and a cost is multiplied by event counts into 64-bit totals
    /// (a trillion events of a million cycles each still fit).
    static func limit(of name: String) -> (value: Int, why: String) {
        if name.hasSuffix("_cycles") || name.hasSuffix("_per_event") { return (1_000_000, "a cost per event, summed over every event") }
        if name.hasSuffix("_entries") || name.hasSuffix("_ways") { return (1 << 24, "a cache is allocated whole") }
        return (Int.max, "")
    }

    /// The defaults with a file's settings applied: one `name = integer` per
    /// line, `#` comments, blank lines, any line ending. Anything else, an unknown name, or a
    /// value the engine cannot model is an error at its line and column.
    public init(file: String, text: String) throws(ConfigurationError) {
        self.init()
        var seen: [String: Int] = [:]
        // Lines end in LF, CRLF or CR ("\r\n" is one Character, which a split
        // on "\n" alone never finds); a UTF-8 byte-order mark is not content.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = index + 1
            let content = rawLine.prefix { $0 != "#" }
            guard !content.allSatisfy(\.isWhitespace) else { continue }
            func fail(_ column: Int, _ message: String) -> ConfigurationError {
                ConfigurationError(message: "\(file):\(line):\(column): \(message)")
            }
            let nameStart = content.firstIndex { !$0.isWhitespace }!
            let column = content.distance(from: content.startIndex, to: nameStart) + 1
            guard let equals = content.firstIndex(of: "=") else { throw fail(column, "expected 'name = value'") }
            let name = trimmed(content[nameStart..<equals])
            guard let key = Self.keys.first(where: { $0.name == name }) else {
                throw fail(column, "unknown setting '\(name)' (one of: \(Self.keys.map(\.name).joined(separator: ", ")))")
            }
            if let earlier = seen[name] { throw fail(column, "'\(name)' is set twice (first on line \(earlier))") }
            seen[name] = line
            let valueText = trimmed(content[content.index(after: equals)...])
            let valueColumn = content.distance(from: content.startIndex, to: content.index(after: equals)) + 1
                + (content[content.index(after: equals)...].prefix { $0.isWhitespace }.count)
            guard let value = Int(valueText.filter { $0 != "_" }), value >= 0 else {
                throw fail(valueColumn, "expected a whole number of 0 or more, found '\(valueText)'")
            }
            let limit = Self.limit(of: name)
            guard value <= limit.value else { throw fail(valueColumn, "'\(name)' is at most \(limit.value) (\(limit.why)), not \(value)") }
            self[keyPath: key.path] = value
            if let problem = problem(with: name) { throw fail(valueColumn, problem.message) }
        }
        if let problem = problem(with: nil) {
            // A cache's geometry is two settings: the error is at the later one.
            let line = problem.settings.compactMap { seen[$0] }.max()
            throw ConfigurationError(message: "\(file)\(line.map { ":\($0):1" } ?? ""): \(problem.message)")
        }
    }

    /// What the engine cannot model about a setting (every setting when nil),
    /// and the settings involved.
    public func problem(with name: String?) -> (message: String, settings: [String])? {
        func check(_ key: String, _ condition: Bool, _ message: String) -> (message: String, settings: [String])? {
            (name == nil || name == key) && !condition ? (message, [key]) : nil
        }
        if let problem = check("page_shift", pageShift == 12 || pageShift == 21, "page_shift is 12 (4 KiB pages) or 21 (2 MiB)") { return problem }
        if let problem = check("levels", levels == 4 || levels == 5, "levels is 4 or 5") { return problem }
        guard name == nil else { return nil }
        for (entries, ways, what) in [(l1Entries, l1Ways, "l1"), (l2Entries, l2Ways, "l2"), (pwcEntries, pwcWays, "pwc"),
                                      (nestedTLBEntries, nestedTLBWays, "nested_tlb"), (lineCacheEntries, lineCacheWays, "line_cache"),
                                      (tagCacheEntries, tagCacheWays, "tag_cache")] {
            guard entries == 0 || (ways > 0 && entries % ways == 0 && (entries / ways) & (entries / ways - 1) == 0) else {
                return ("\(what)_entries (\(entries)) over \(what)_ways (\(ways)) must be a power of two number of sets",
                        ["\(what)_entries", "\(what)_ways"])
            }
        }
        if l1Entries == 0 || l2Entries == 0 { return ("the L1 and L2 TLBs need at least one entry", ["l1_entries", "l2_entries"]) }
        return nil
    }
}

private func trimmed(_ text: Substring) -> String {
    String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
}
