import Contacts
import Foundation
import Localization

/// What the user asked for on the command line. Parsing never touches the daemon: everything
/// here is checked before a process is started, so a typo costs nothing.
struct CommandLineOptions: Sendable {
    static let purposes = ["addNew", "updateExisting", "addAndUpdate", "addAll"]
    static let identifiers = ["phone", "email", "contactId"]
    static let fieldTypes = ["text", "number", "date", "list", "checkbox", "email", "phone", "url"]
    /// The words that name a subcommand rather than a file.
    static let subcommands = ["help", "fields", "history", "undo"]

    /// `contact-import fields list` / `contact-import fields create NAME TYPE [--options a,b]`.
    enum FieldsCommand: Sendable, Equatable {
        case list
        case create(name: String, type: String, options: [String])
    }

    enum ImportTag: Sendable, Equatable {
        case automatic
        case none
        case named(String)
    }

    /// `--map "Header=field"`; a nil field skips the column.
    struct Override: Sendable, Equatable {
        var header: String
        var field: String?
    }

    var file: String?
    var purpose = "addAndUpdate"
    var identifier: String?
    var tags: [String] = []
    var importTag = ImportTag.automatic
    var defaultCountry: String?
    var workspace: String?
    /// `--files-dir`: passed to the daemon (a PostgreSQL workspace's local result files).
    var filesDirectory: String?
    var daemon: String?
    var locale: MessageLocale
    var overrides: [Override] = []
    var keep: [String] = []
    var assumeYes = false
    var failOnErrors = false
    var showHelp = false
    var showVersion = false
    var showHistory = false
    var dryRun = false
    var fieldsCommand: FieldsCommand?
    /// `contact-import undo JOB_ID`.
    var undoJob: Int?
    var fieldOptions: [String] = []

    struct UsageError: Error, Sendable {
        let text: LocalizedText
        /// A mistyped subcommand: the whole usage follows the message.
        var showUsage = false
    }

    /// `--locale` if given (read before anything else, so that a usage error is already in the
    /// right language), else the environment's language.
    static func preferredLocale(arguments: [String], environment: [String: String]) -> MessageLocale {
        if let index = arguments.firstIndex(where: { $0 == "--locale" || $0.hasPrefix("--locale=") }) {
            let argument = arguments[index]
            // An unknown --locale is itself a usage error, reported in the environment's language.
            if let value = argument.split(separator: "=", maxSplits: 1).dropFirst().first,
               let chosen = strictLocale(String(value)) {
                return chosen
            } else if index + 1 < arguments.count, let chosen = strictLocale(arguments[index + 1]) {
                return chosen
            }
        }
        return MessageLocale(tag: environment["LC_ALL"].nonEmpty ?? environment["LC_MESSAGES"].nonEmpty
            ?? environment["LANG"])
    }

    init(arguments: [String], environment: [String: String]) throws(UsageError) {
        locale = Self.preferredLocale(arguments: arguments, environment: environment)
        var remaining = arguments[...]

        var onlyPositional = false
        var positional: [String] = []
        while let argument = remaining.popFirst() {
            if onlyPositional || !argument.hasPrefix("-") || argument == "-" {
                positional.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositional = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst() else { throw UsageError(text: CLIText.missingValue(name)) }
                return next
            }
            func noValue() throws(UsageError) {
                if inlineValue != nil { throw UsageError(text: CLIText.unexpectedValue(name)) }
            }
            switch name {
            case "--purpose":
                self.purpose = try Self.choice(try value(), of: Self.purposes, option: name)
            case "--identifier":
                self.identifier = try Self.choice(try value(), of: Self.identifiers, option: name)
            case "--tags", "--tag":
                tags += try value().split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            case "--import-tag":
                let tag = try value().trimmingSpaces
                guard !tag.isEmpty else { throw UsageError(text: CLIText.missingValue(name)) }
                importTag = .named(tag)
            case "--no-import-tag":
                try noValue()
                importTag = .none
            case "--default-country":
                let given = try value().trimmingSpaces
                // A code or a country's name ("MX", "México", "Brasil"); anything else is a typo
                // that would otherwise surface only after the whole file was read.
                guard let code = Countries.code(for: given) else {
                    throw UsageError(text: CLIText.badCountry(given))
                }
                defaultCountry = code
            case "--workspace":
                workspace = try value()
            case "--files-dir":
                filesDirectory = try value()
            case "--daemon":
                daemon = try value()
            case "--locale":
                let tag = try value()
                guard let chosen = Self.strictLocale(tag) else {
                    throw UsageError(text: CLIText.badChoice(name, tag, MessageLocale.allCases.map(\.rawValue)))
                }
                locale = chosen
            case "--dry-run", "-n":
                try noValue()
                dryRun = true
            case "--options":
                fieldOptions += try value().split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            case "--map":
                let text = try value()
                // A header may itself contain "="; a field key never does.
                guard let equals = text.lastIndex(of: "="), equals != text.startIndex else {
                    throw UsageError(text: CLIText.badMap(text))
                }
                let header = String(text[..<equals])
                let field = String(text[text.index(after: equals)...]).trimmingSpaces
                overrides.append(Override(header: header, field: field.isEmpty || field == "-" ? nil : field))
            case "--keep":
                keep += try value().split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            case "--yes", "-y":
                try noValue()
                assumeYes = true
            case "--fail-on-errors":
                try noValue()
                failOnErrors = true
            case "--help", "-h":
                showHelp = true
            case "--version":
                showVersion = true
            case "--history":
                try noValue()
                showHistory = true
            default:
                throw UsageError(text: CLIText.unknownOption(name))
            }
        }
        try readPositional(positional)
        if showHistory, let file {
            throw UsageError(text: CLIText.historyTakesNoFile(file))
        }
        if !showHelp && !showVersion && !showHistory && fieldsCommand == nil && undoJob == nil && file == nil {
            throw UsageError(text: CLIText.missingFile)
        }
        if !fieldOptions.isEmpty, fieldsCommand == nil {
            throw UsageError(text: CLIText.optionsOnlyForFields)
        }
    }

    /// The words after the options: a subcommand (`help`, `fields list`, `fields create NAME
    /// TYPE`) or the one file to import. A word that is neither a file nor a path is taken for a
    /// mistyped subcommand, not for a file that was not found.
    private mutating func readPositional(_ words: [String]) throws(UsageError) {
        guard let first = words.first else { return }
        switch first {
        case "help":
            showHelp = true
            return
        case "history":
            guard words.count == 1 else { throw UsageError(text: CLIText.extraArgument(words[1])) }
            showHistory = true
            return
        case "undo":
            guard words.count == 2, let job = Int(words[1]), job > 0 else { throw UsageError(text: CLIText.undoUsage) }
            undoJob = job
            return
        case "fields":
            let rest = Array(words.dropFirst())
            switch rest.first {
            case nil, "list":
                guard rest.count <= 1 else { throw UsageError(text: CLIText.fieldsUsage) }
                fieldsCommand = .list
            case "create":
                guard rest.count == 3 else { throw UsageError(text: CLIText.fieldsUsage) }
                let name = rest[1].trimmingSpaces
                guard !name.isEmpty else { throw UsageError(text: CLIText.fieldsUsage) }
                let type = try Self.choice(rest[2], of: Self.fieldTypes, option: "fields create \(name)")
                if type == "list" && fieldOptions.isEmpty { throw UsageError(text: CLIText.listNeedsOptions) }
                if type != "list" && !fieldOptions.isEmpty { throw UsageError(text: CLIText.optionsOnlyForList) }
                fieldsCommand = .create(name: name, type: type, options: fieldOptions)
            case let other?:
                throw UsageError(text: CLIText.unknownFieldsCommand(other))
            }
            return
        default:
            break
        }
        if words.count > 1 { throw UsageError(text: CLIText.extraArgument(words[1])) }
        if Self.looksLikeSubcommand(first) { throw UsageError(text: CLIText.unknownCommand(first), showUsage: true) }
        file = first
    }

    /// "hisotry", "list", "undo": a bare word with no extension and no such file.
    static func looksLikeSubcommand(_ word: String) -> Bool {
        guard !word.isEmpty, !word.contains("/"), !word.contains("."), word != "-" else { return false }
        guard word.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "_" }) else { return false }
        var isDirectory: ObjCBool = false
        return !FileManager.default.fileExists(atPath: word, isDirectory: &isDirectory)
    }

    /// A value among `choices`; a near miss ("addnew", "Phone") is named in the message.
    static func choice(_ value: String, of choices: [String], option: String) throws(UsageError) -> String {
        if choices.contains(value) { return value }
        let near = choices.first { $0.lowercased() == value.lowercased() }
            ?? choices.first { editDistance($0.lowercased(), value.lowercased()) <= 2 }
        throw UsageError(text: CLIText.badChoice(option, value, choices, suggestion: near))
    }

    /// "es", "es-MX", "pt_BR", "EN"; nil for a language the product does not speak.
    static func strictLocale(_ tag: String) -> MessageLocale? {
        guard let prefix = tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." }).first
        else { return nil }
        return MessageLocale(rawValue: String(prefix))
    }

    /// Levenshtein distance, for "did you mean" (short words only).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension Substring {
    var trimmingSpaces: String { String(self).trimmingSpaces }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

extension Optional where Wrapped == String {
    /// nil for a missing or empty environment variable, as the shell treats them alike.
    var nonEmpty: String? {
        switch self {
        case .some(let value) where !value.isEmpty: return value
        default: return nil
        }
    }
}
