import Foundation
import Localization

/// `contact-import`: the command-line client. See `contact-import --help` and the README.
enum CommandLineClient {
    static let version = "0.1.0"

    static func main() -> ExitCode {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let environment = ProcessInfo.processInfo.environment
        let options: CommandLineOptions
        do throws(CommandLineOptions.UsageError) {
            options = try CommandLineOptions(arguments: arguments, environment: environment)
        } catch {
            let locale = CommandLineOptions.preferredLocale(arguments: arguments, environment: environment)
            let after = error.showUsage ? "\n" + CLIText.usage.text(locale) : CLIText.tryHelp.text(locale)
            FileHandle.standardError.writeQuietly(error.text.text(locale) + "\n" + after + "\n")
            return .badUsage
        }
        if options.showHelp {
            FileHandle.standardOutput.writeQuietly(CLIText.usage.text(options.locale) + "\n")
            return .done
        }
        if options.showVersion {
            FileHandle.standardOutput.writeQuietly("contact-import \(version)\n")
            return .done
        }
        if options.showHistory {
            return ImportRun(options: options).showHistory()
        }
        if let job = options.undoJob {
            return ImportRun(options: options).undo(job: job)
        }
        if let command = options.fieldsCommand {
            return ImportRun(options: options).fields(command)
        }
        return ImportRun(options: options).run()
    }
}

exit(CommandLineClient.main().rawValue)
