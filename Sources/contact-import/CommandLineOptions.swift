import Localization

/// What the user asked for on the command line. Parsing never touches the daemon: everything
/// here is checked before a process is started, so a typo costs nothing.
struct CommandLineOptions: Sendable {
    static let purposes = ["addNew", "updateExisting", "addAndUpdate", "addAll"]
    static let identifiers = ["phone", "email", "contactId"]

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
    var daemon: String?
    var locale: MessageLocale
    var overrides: [Override] = []
    var keep: [String] = []
    var assumeYes = false
    var failOnErrors = false
    var showHelp = false
    var showVersion = false
    var showHistory = false

    struct UsageError: Error, Sendable {
        let text: LocalizedText
    }

    /// `--locale` if given (read before anything else, so that a usage error is already in the
    /// right language), else the environment's language.
    static func preferredLocale(arguments: [String], environment: [String: String]) -> MessageLocale {
        if let index = arguments.firstIndex(where: { $0 == "--locale" || $0.hasPrefix("--locale=") }) {
            let argument = arguments[index]
            if let value = argument.split(separator: "=", maxSplits: 1).dropFirst().first {
                return MessageLocale(tag: String(value))
            } else if index + 1 < arguments.count {
                return MessageLocale(tag: arguments[index + 1])
            }
        }
        return MessageLocale(tag: environment["LC_ALL"].nonEmpty ?? environment["LC_MESSAGES"].nonEmpty
            ?? environment["LANG"])
    }

    init(arguments: [String], environment: [String: String]) throws(UsageError) {
        locale = Self.preferredLocale(arguments: arguments, environment: environment)
        var remaining = arguments[...]

        var onlyPositional = false
        while let argument = remaining.popFirst() {
            if onlyPositional || !argument.hasPrefix("-") || argument == "-" {
                guard file == nil else { throw UsageError(text: CLIText.extraArgument(argument)) }
                file = argument
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
                let purpose = try value()
                guard Self.purposes.contains(purpose) else {
                    throw UsageError(text: CLIText.badChoice(name, purpose, Self.purposes))
                }
                self.purpose = purpose
            case "--identifier":
                let identifier = try value()
                guard Self.identifiers.contains(identifier) else {
                    throw UsageError(text: CLIText.badChoice(name, identifier, Self.identifiers))
                }
                self.identifier = identifier
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
                defaultCountry = try value().trimmingSpaces.uppercased()
            case "--workspace":
                workspace = try value()
            case "--daemon":
                daemon = try value()
            case "--locale":
                locale = MessageLocale(tag: try value())
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
        if showHistory, let file {
            throw UsageError(text: CLIText.historyTakesNoFile(file))
        }
        if !showHelp && !showVersion && !showHistory && file == nil {
            throw UsageError(text: CLIText.missingFile)
        }
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
