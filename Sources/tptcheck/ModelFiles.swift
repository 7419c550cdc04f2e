import Foundation
import TPTModel

/// Expands the paths a user gave (files, or directories of files ending in
/// `suffix`) and reads each as UTF-8 text, so that every input is parsed before
/// any is checked: a bad file stops the run with its diagnostic and no partial
/// result.
func readInputs(_ paths: [String], suffix: String) throws(InputError) -> [(file: String, text: String)] {
    var files: [String] = []
    let fileManager = FileManager.default
    for path in paths {
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(message: "\(path): no such file or directory")
        }
        if isDirectory.boolValue {
            let entries = ((try? fileManager.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasSuffix(suffix) }
                .sorted()
            if entries.isEmpty {
                throw InputError(message: "\(path): directory holds no \(suffix) files")
            }
            files += entries.map { (path as NSString).appendingPathComponent($0) }
        } else {
            files.append(path)
        }
    }
    var inputs: [(file: String, text: String)] = []
    for file in files {
        inputs.append((file, try readText(file)))
    }
    return inputs
}

/// A text input (a model, a proof, an engine configuration), whole: valid
/// UTF-8 or an error at the line and column of the first byte that is not, and
/// without a leading byte-order mark. Every text input is read through this.
///
/// Read as a stream, so a pipe or `/dev/stdin` works too, and at most
/// `maximumTextBytes`: an endless input (`/dev/zero`) is refused, not read
/// into memory until the machine runs out.
func readText(_ file: String) throws(InputError) -> String {
    let bytes = try readBytes(file, limit: maximumTextBytes)
    if let offset = firstInvalidUTF8(bytes) {
        let before = bytes[..<offset]
        // Lines end in LF, CRLF or CR, as the parsers count them.
        var line = 1, lineStart = 0
        for (index, byte) in before.enumerated() where byte == 10 || (byte == 13 && (index + 1 >= before.count || before[index + 1] != 10)) {
            line += 1
            lineStart = index + 1
        }
        // Columns count bytes, as the parsers' do.
        let column = offset - lineStart + 1
        throw InputError(message: "\(file):\(line):\(column): file is not valid UTF-8 (byte \(offset) is 0x\(String(bytes[offset], radix: 16)))")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
}

/// 64 MiB: a bigger model, proof or configuration is a mistake, not a wish.
let maximumTextBytes = 64 << 20

/// A file's bytes, through `read(2)` in chunks (pipes and devices too), at
/// most `limit` of them.
private func readBytes(_ file: String, limit: Int) throws(InputError) -> [UInt8] {
    let descriptor = open(file, O_RDONLY)
    guard descriptor >= 0 else { throw InputError(message: "\(file): cannot read file (\(String(cString: strerror(errno))))") }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw InputError(message: "\(file): cannot read file (\(String(cString: strerror(errno))))")
        }
        if count == 0 { return bytes }
        bytes += chunk[..<count]
        if bytes.count > limit { throw InputError(message: "\(file): larger than \(limit >> 20) MiB, the most a text input may hold") }
    }
}

/// The offset of the first byte that does not continue a valid UTF-8
/// sequence, or nil.
private func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    var index = 0
    while index < bytes.count {
        let lead = bytes[index]
        let (length, low, high): (Int, UInt8, UInt8) = switch lead {
        case 0x00...0x7F: (1, 0x80, 0xBF)
        case 0xC2...0xDF: (2, 0x80, 0xBF)
        case 0xE0: (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
        case 0xED: (3, 0x80, 0x9F)
        case 0xF0: (4, 0x90, 0xBF)
        case 0xF1...0xF3: (4, 0x80, 0xBF)
        case 0xF4: (4, 0x80, 0x8F)
        default: (0, 0, 0)
        }
        guard length > 0 else { return index }
        for k in 1..<max(length, 1) {
            guard index + k < bytes.count else { return index }
            let byte = bytes[index + k]
            // The second byte's range depends on the lead; the rest are 0x80...0xBF.
            guard k == 1 ? (low...high).contains(byte) : (0x80...0xBF).contains(byte) else { return index }
        }
        index += length
    }
    return nil
}

/// Every model the paths name (`.tpt` files, or directories of them), parsed.
func loadModels(_ paths: [String]) throws(InputError) -> [Model] {
    var models: [Model] = []
    for (file, text) in try readInputs(paths, suffix: ".tpt") {
        do {
            models.append(try parseModel(text, file: file))
        } catch {
            throw InputError(message: error.description)
        }
    }
    return models
}
