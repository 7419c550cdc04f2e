import ArgumentParser

/// `--shard i/n`: this run does the i-th of n parts of the jobs, so that a CI
/// matrix or a batch scheduler runs the parts in parallel. Jobs (model files,
/// proof files) go round-robin in the order they are listed (a directory's
/// files sorted by name), so the parts are disjoint, cover every job, and are
/// the same on every machine.
struct ShardOption: ParsableArguments {
    @Option(help: ArgumentHelp("Do the i-th of n parts of the jobs (1 <= i <= n). With one model, run the i-th member "
                               + "of a swarm of seeded searches instead.", valueName: "i/n"))
    var shard: String?

    /// (i, n), 1-based; nil without the option.
    var part: (index: Int, count: Int)? {
        guard let shard else { return nil }
        let fields = shard.split(separator: "/", omittingEmptySubsequences: false)
        guard fields.count == 2, let index = Int(fields[0]), let count = Int(fields[1]), count >= 1, (1...count).contains(index) else {
            return nil
        }
        return (index, count)
    }

    func validate() throws {
        if shard != nil && part == nil { throw ValidationError("--shard is i/n with 1 <= i <= n, such as 2/4") }
    }

    /// The jobs of this part, in order.
    func select<T>(_ jobs: [T]) -> [T] {
        guard let (index, count) = part else { return jobs }
        return jobs.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}
