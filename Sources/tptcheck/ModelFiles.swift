import Foundation
import TPTModel

/// Expands the paths a user gave (files, or directories of `.tpt` files) and
/// parses every model before any is checked, so that a bad file stops the run
/// with its diagnostic and no partial result.
func loadModels(_ paths: [String]) throws(InputError) -> [Model] {
    var files: [String] = []
    let fileManager = FileManager.default
    for path in paths {
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(message: "\(path): no such file or directory")
        }
        if isDirectory.boolValue {
            let entries = ((try? fileManager.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasSuffix(".tpt") }
                .sorted()
            if entries.isEmpty {
                throw InputError(message: "\(path): directory holds no .tpt model files")
            }
            files += entries.map { (path as NSString).appendingPathComponent($0) }
        } else {
            files.append(path)
        }
    }
    var models: [Model] = []
    for file in files {
        guard let data = fileManager.contents(atPath: file) else {
            throw InputError(message: "\(file): cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(message: "\(file):1:1: file is not valid UTF-8")
        }
        do {
            models.append(try parseModel(text, file: file))
        } catch {
            throw InputError(message: error.description)
        }
    }
    return models
}
