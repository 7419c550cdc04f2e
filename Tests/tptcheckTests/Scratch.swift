import Foundation

/// One folder for the files a test run writes, removed when the run ends, so
/// that runs leave nothing behind in the system's temporary folder.
enum Scratch {
    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tptcheck-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.directory) }
        return url
    }()
}
