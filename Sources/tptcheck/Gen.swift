import ArgumentParser
import Foundation
import TPTEngine

/// `tptcheck gen`: a synthetic trace in tptcheck's binary format.
struct Gen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic memory-access trace (binary format; gzip when OUT ends in .gz).",
        discussion: """
            Workloads: gups (random 8-byte updates over the footprint), chase (pointer \
            chasing over 64-byte nodes), stream (sequential loads), churn (map a region, \
            write each page, unmap it). The same seed gives the same trace.
            """)

    @Argument(help: "The workload: gups, chase, stream or churn.")
    var workload: String

    @Option(help: "Data accesses to generate.")
    var accesses: Int = 10_000_000

    @Option(help: "Footprint in MiB (rounded down to a power of two).")
    var footprint: Int = 1024

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "churn: pages per region (1 to 32).")
    var regionPages: Int = 32

    @Option(name: .shortAndLong, help: "The trace file to write.")
    var output: String

    func validate() throws {
        if Workload(rawValue: workload) == nil { throw ValidationError("unknown workload '\(workload)' (gups, chase, stream, churn)") }
        try checkGeneratedAccesses(accesses)
        if !(1...(1 << 26)).contains(footprint) { throw ValidationError("--footprint must be between 1 MiB and 64 TiB") }
        if !(1...32).contains(regionPages) { throw ValidationError("--region-pages must be between 1 and 32") }
    }

    func run() throws {
        var parameters = WorkloadParameters()
        parameters.accesses = accesses
        parameters.footprint = UInt64(footprint) << 20
        parameters.seed = seed
        parameters.regionPages = regionPages
        do throws(TraceError) {
            let writer = try BinaryTraceWriter(path: output)
            try Workload(rawValue: workload)!.generate(parameters) { record throws(TraceError) in try writer.append(record) }
            try writer.finish()
            print("\(output): \(workload), \(grouped(Int(writer.records))) records")
        } catch {
            throw InputError(message: error.message)
        }
    }
}

/// 2^30 accesses are 16 GiB in the binary format and half a minute to
/// generate: more is an argument mistake more often than a wish (traces
/// concatenate, for more).
func checkGeneratedAccesses(_ accesses: Int) throws {
    if !(1...(1 << 30)).contains(accesses) { throw ValidationError("--accesses must be between 1 and 1,073,741,824 (2^30)") }
}
