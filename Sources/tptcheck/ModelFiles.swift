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

func readText(_ file: String) throws(InputError) -> String {
    guard let data = FileManager.default.contents(atPath: file) else {
        throw InputError(message: "\(file): cannot read file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw InputError(message: "\(file):1:1: file is not valid UTF-8")
    }
    return text
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
