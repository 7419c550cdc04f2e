import ArgumentParser
import Foundation

/// Report files and directories a command will write, checked before it
/// starts its work (a search or a proof may take hours; an unwritable
/// `--junit` path found at the end would throw the verdict away), and written
/// at the end without letting an I/O error replace a verdict's exit code.

/// Refuses a report file that cannot be written: a directory, a path in a
/// missing or read-only directory, `/proc/...`. Leaves no file behind.
func checkWritableFile(_ path: String, option: String) throws(InputError) {
    var isDirectory: ObjCBool = false
    let existed = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    if existed && isDirectory.boolValue { throw InputError(message: "\(path): \(option) names a directory, not a file") }
    let descriptor = open(path, O_WRONLY | O_CREAT, 0o644)
    guard descriptor >= 0 else { throw InputError(message: "\(path): cannot write (\(option)): \(String(cString: strerror(errno)))") }
    close(descriptor)
    if !existed { unlink(path) }
}

/// Creates a report directory up front, or refuses it (a regular file, no
/// write permission).
func prepareDirectory(_ path: String, option: String) throws(InputError) {
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw InputError(message: "\(path): \(option) cannot create the directory: \(error.localizedDescription)")
    }
    guard access(path, W_OK) == 0 else { throw InputError(message: "\(path): \(option) directory is not writable") }
}

/// Writes the reports, then ends with the verdict's exit code. A report that
/// cannot be written after all is an error on standard error; it makes the
/// exit code 2 only when the verdict's was 0, so that a failing or
/// inconclusive verdict is never hidden behind it.
func finish(status: Int32, writing reports: [() throws -> Void]) throws {
    var failed = false
    for write in reports {
        do {
            try write()
        } catch {
            FileHandle.standardError.write(Data("\((error as? InputError)?.message ?? "\(error)")\n".utf8))
            failed = true
        }
    }
    if failed && status == ExitStatus.success { throw ExitCode(ExitStatus.badInput) }
    if status != ExitStatus.success { throw ExitCode(status) }
}
