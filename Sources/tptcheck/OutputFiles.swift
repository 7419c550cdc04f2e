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

/// Writes a report file in place: opened, truncated, written, closed, each
/// step checked (a full disk, `/dev/full`, is an error). Never by writing a
/// temporary file and renaming it over the path: that would replace a device
/// such as `/dev/stdout` or `/dev/null`, or a symbolic link, with a regular
/// file. Failure to write is bad usage (exit 2, through `finish`).
func writeOutput(_ text: String, to path: String) throws(InputError) {
    try writeOutput(Data(text.utf8), to: path)
}

func writeOutput(_ data: Data, to path: String) throws(InputError) {
    func failure() -> InputError { InputError(message: "\(path): cannot write: \(String(cString: strerror(errno)))") }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { throw failure() }
    let written: Bool = data.withUnsafeBytes { bytes in
        var offset = 0
        while offset < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return false }
            offset += count
        }
        return true
    }
    guard written else {
        let error = failure()
        close(descriptor)
        throw error
    }
    guard close(descriptor) == 0 else { throw failure() }
}
