import ArgumentParser
import Foundation

/// The `tptcheck` command: model checking for memory virtualization.
///
/// Exit codes are a contract with CI systems: 0 every verdict as expected,
/// 1 a verdict differs from its model's expectation, 2 bad input or usage,
/// 3 inconclusive (a state limit), never reported as success.
@main
struct TPTCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tptcheck",
        abstract: "Isolation model checking for nested, shadow, paravirtual and TPT memory virtualization.",
        subcommands: [Check.self, Prove.self, Necessity.self, Replay.self, Gen.self, Paper.self])

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let diagnostic as InputError {
            FileHandle.standardError.write(Data("\(diagnostic.message)\n".utf8))
            Foundation.exit(ExitStatus.badInput)
        } catch {
            // Argument errors: help and version go to standard output with success;
            // anything else is a usage error, exit code 2 by our contract.
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("\(fullMessage(for: error))\n".utf8))
            Foundation.exit(ExitStatus.badInput)
        }
    }
}

/// The process exit codes of the command-line contract.
enum ExitStatus {
    static let success: Int32 = 0
    static let unexpectedVerdict: Int32 = 1
    static let badInput: Int32 = 2
    static let inconclusive: Int32 = 3
}

/// Bad input found before any checking: one message, exit code 2.
struct InputError: Error {
    var message: String
}
