import ArgumentParser
import Foundation
import RevShareCore

@main
struct RevShare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revshare",
        abstract: "Revenue-share books for a model licensor: imports, close, statements, reconciliation.",
        discussion: """
            The database defaults to $REVSHARE_DB, else ./revshare.sqlite; --db PATH overrides both \
            and may stand before or after the command.
            Exit codes: 0 success; 1 discrepancies at or above --fail-on, or verify failed; \
            64 bad usage; 65 invalid input data or a refused request, nothing written; \
            66 input file or database not found; 70 internal error; 74 database I/O error.
            """,
        subcommands: [
            Init.self, Agreements.self, Partners.self, Import.self, Maps.self, Close.self, StatementCommand.self, Statements.self, Reconcile.self, Resolve.self, Audit.self, Periods.self, Balance.self, Journal.self, Verify.self, Export.self, Demo.self,
        ])

    static func main() {
        Console.guardStandardDescriptors()
        let arguments = GlobalArguments.movingDatabaseOptionAfterCommand(Array(CommandLine.arguments.dropFirst()))
        let commands = configuration.subcommands.map { $0._commandName }
        if let unknown = GlobalArguments.unknownCommand(arguments, known: commands) {
            Diagnostics.printError("Error: unknown command '\(TerminalText.escaped(unknown))'; the commands are: \(commands.joined(separator: ", ")) (see 'revshare --help')")
            Foundation.exit(64)
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let failure as RevShareFailure {
            Diagnostics.report(failure)
            Foundation.exit(ExitStatus.code(for: failure.category))
        } catch {
            // ArgumentParser's own outcomes (help, usage errors, an explicit exit code) keep
            // their codes; any other error is not one revshare expects, and exit 1 would read as
            // "verify failed": it is an internal error (70).
            if error is ExitCode || exitCode(for: error) != .failure {
                exit(withError: error)
            }
            Diagnostics.printError("revshare: internal error: \(error); this is a revshare bug, please report it")
            Foundation.exit(70)
        }
    }
}
