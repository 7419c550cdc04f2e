import ArgumentParser
import Foundation
import TPTEngine

/// The engine's configuration on the command line, for `replay` and `paper`:
/// the defaults, then a configuration file's settings, then the page size and
/// levels given as options.
struct EngineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A file of 'name = value' lines overriding the engine's defaults (see README).", valueName: "file"))
    var config: String?

    @Option(help: "Page size: 4k or 2m (default: 4k, or the configuration file's).")
    var pageSize: String?

    @Option(help: "Page-table levels: 4 or 5 (default: 4, or the configuration file's).")
    var levels: Int?

    func validate() throws {
        if let pageSize, pageSize != "4k" && pageSize != "2m" { throw ValidationError("--page-size is 4k or 2m") }
        if let levels, levels != 4 && levels != 5 { throw ValidationError("--levels is 4 or 5") }
    }

    func configuration() throws -> EngineConfiguration {
        var configuration = EngineConfiguration()
        if let config {
            let text = try readText(config)
            do {
                configuration = try EngineConfiguration(file: config, text: text)
            } catch {
                throw InputError(message: error.message)
            }
        }
        if let pageSize { configuration.pageShift = pageSize == "2m" ? 21 : 12 }
        if let levels { configuration.levels = levels }
        return configuration
    }
}
