import FoundationEssentials
import Workspace
import Contacts
import Localization

/// What an import is for (the help page's step 3: addNew, updateExisting, addAndUpdate, addAll). Raw values are the wire names.
public enum ImportPurpose: String, Sendable, CaseIterable {
    case addNew, updateExisting, addAndUpdate, addAll

    /// Purposes that may create contacts, and so need a first name column.
    public var addsContacts: Bool { self != .updateExisting }
    /// `addAll` treats every row as new: no identifier, no matching, no duplicate check.
    public var matchesContacts: Bool { self != .addAll }

    /// The help page's table, the one place it is written: what this purpose does with a valid
    /// row whose identifier matched exactly one contact (`matched: true`) or none. Review plans
    /// with it and commit decides again with it inside its transaction.
    public func action(matched: Bool) -> RowAction {
        switch (self, matched) {
        case (.addNew, false), (.addAndUpdate, false), (.addAll, _): return .add
        case (.addNew, true): return .skip
        case (.updateExisting, true), (.addAndUpdate, true): return .update
        case (.updateExisting, false): return .skip
        }
    }
}

/// The field that recognises existing contacts (the help page's step 4: phone or e-mail, or contactId for updates). Raw values are the wire names.
public enum ImportIdentifier: String, Sendable, CaseIterable {
    case phone, email, contactId

    public var fieldKey: String { rawValue }
}

/// What happens to one data row. Raw values are the wire names.
public enum RowAction: String, Sendable, CaseIterable {
    case add, update, skip, error
}

/// One entry of the review's `mapping`: a column imported into a field, or skipped (`field == nil`).
public struct ColumnMapping: Sendable, Hashable {
    public var column: Int
    public var field: String?
    /// The seed's "don't overwrite" box, inverted: true replaces stored values.
    public var overwrite: Bool
    public init(column: Int, field: String?, overwrite: Bool = true) {
        self.column = column
        self.field = field
        self.overwrite = overwrite
    }
}

/// The `importTag` parameter: generated, none, or the client's own.
public enum ImportTagChoice: Sendable, Hashable {
    case automatic
    case none
    case named(String)
}

/// Everything `import/review` asks for, already decoded from the wire.
public struct ReviewRequest: Sendable {
    public var purpose: ImportPurpose
    /// Required except for `addAll`, where it is ignored.
    public var identifier: ImportIdentifier?
    public var mapping: [ColumnMapping]
    public var tags: [String]
    public var importTag: ImportTagChoice
    /// ISO 3166-1 alpha-2, upper case.
    public var defaultCountry: String?
    public var dayFirstDates: Bool

    public init(purpose: ImportPurpose, identifier: ImportIdentifier?, mapping: [ColumnMapping],
                tags: [String] = [], importTag: ImportTagChoice = .automatic,
                defaultCountry: String? = nil, dayFirstDates: Bool = true) {
        self.purpose = purpose
        self.identifier = identifier
        self.mapping = mapping
        self.tags = tags
        self.importTag = importTag
        self.defaultCountry = defaultCountry
        self.dayFirstDates = dayFirstDates
    }
}

/// A reason the mapping cannot be reviewed at all. All problems are reported together.
public struct MappingProblem: Sendable, Hashable, LocalizedDescribable {
    public enum Code: String, Sendable {
        case identifierNotMapped, identifierNotAllowed, fieldMappedTwice, noColumnSelected
        case nameRequired, unknownField, unknownColumn
    }
    public let code: Code
    public let column: Int?
    public let field: String?
    public let text: LocalizedText
    public init(code: Code, column: Int? = nil, field: String? = nil, text: LocalizedText) {
        self.code = code
        self.column = column
        self.field = field
        self.text = text
    }
    public func message(_ locale: MessageLocale) -> String { text.text(locale) }
}

/// `1004 MappingInvalid`: the mapping has problems; nothing was reviewed.
public struct MappingInvalid: Error, Sendable, LocalizedDescribable {
    public let problems: [MappingProblem]
    public init(problems: [MappingProblem]) { self.problems = problems }
    public func message(_ locale: MessageLocale) -> String {
        LocalizedText(en: "The column mapping cannot be imported: ",
                      es: "La asignación de columnas no se puede importar: ",
                      pt: "O mapeamento de colunas não pode ser importado: ").text(locale)
            + problems.map { $0.message(locale) }.joined(separator: " ")
    }
}

/// Why a row will not be imported. Raw values of `Code` are the wire codes.
public struct RowError: Sendable, Hashable, LocalizedDescribable {
    public enum Code: String, Sendable {
        case identifierMissing, duplicateInFile, ambiguousMatch, nameMissing, invalidValue, malformedRow
        /// Not an error and never on the wire: why a committed row was skipped, for the result
        /// file's `Errors` column ("already exists: contact 2").
        case skipped
    }
    public let code: Code
    /// Column index (0-based) the error is about.
    public let column: Int?
    /// The other data rows (1-based) of a `duplicateInFile` group.
    public let rows: [Int]?
    /// The contacts of an `ambiguousMatch`.
    public let contactIds: [Int64]?
    public let text: LocalizedText
    public init(code: Code, column: Int? = nil, rows: [Int]? = nil, contactIds: [Int64]? = nil, text: LocalizedText) {
        self.code = code
        self.column = column
        self.rows = rows
        self.contactIds = contactIds
        self.text = text
    }
    public func message(_ locale: MessageLocale) -> String { text.text(locale) }
}

/// What the review decided for one data row.
public struct RowOutcome: Sendable, Hashable {
    /// 1-based data row.
    public var row: Int
    /// 1-based physical line where the record starts.
    public var line: Int
    public var action: RowAction
    /// The matched contact (update, or skip because it exists).
    public var contactId: Int64?
    public var errors: [RowError]
    public init(row: Int, line: Int, action: RowAction, contactId: Int64? = nil, errors: [RowError] = []) {
        self.row = row
        self.line = line
        self.action = action
        self.contactId = contactId
        self.errors = errors
    }
}

public struct ReviewCounts: Sendable, Hashable {
    public var add = 0
    public var update = 0
    public var skip = 0
    public var error = 0
    public var total = 0
    /// Of the `update` rows, those that would change nothing on their contact (`ChangePreview`).
    public var unchanged = 0
    public init(add: Int = 0, update: Int = 0, skip: Int = 0, error: Int = 0, total: Int = 0) {
        self.add = add
        self.update = update
        self.skip = skip
        self.error = error
        self.total = total
    }
    public func count(of action: RowAction) -> Int {
        switch action {
        case .add: return add
        case .update: return update
        case .skip: return skip
        case .error: return error
        }
    }
}

/// A mapped column resolved against the workspace's fields.
public struct MappedColumn: Sendable, Hashable {
    public let column: Int
    public let field: FieldDefinition
    public let overwrite: Bool
    public init(column: Int, field: FieldDefinition, overwrite: Bool) {
        self.column = column
        self.field = field
        self.overwrite = overwrite
    }
}

/// Something the user should look at before importing, though no row is in error. Codes are
/// wire names: `formulaLike` (values a spreadsheet would run as formulas, imported as text).
public struct ReviewWarning: Sendable, Hashable, LocalizedDescribable {
    public let code: String
    /// 1-based data rows (the first few).
    public let rows: [Int]
    public let text: LocalizedText
    public init(code: String, rows: [Int], text: LocalizedText) {
        self.code = code
        self.rows = rows
        self.text = text
    }
    public func message(_ locale: MessageLocale) -> String { text.text(locale) }
}

/// The error file written by a review: where it is and how many rows it holds.
public struct ReviewErrorFile: Sendable, Hashable {
    public let path: String
    public let rows: Int
    public init(path: String, rows: Int) {
        self.path = path
        self.rows = rows
    }
    public var uri: String { URL(fileURLWithPath: path).absoluteString }
}

/// The review's outcomes, held compactly: per row its action, matched contact and line (13
/// bytes), and the errors only of the rows that have some. Reads like the `[RowOutcome]` it
/// replaces (`outcomes[i]`, `count`, iteration); each `RowOutcome` is made when it is read.
public struct RowOutcomes: RandomAccessCollection, Sendable {
    private var actions: [RowAction] = []
    /// `noContact` when none.
    private var contactIds: [Int64] = []
    private var lines: [UInt32] = []
    private var errors: [Int: [RowError]] = [:]
    private static let noContact = Int64.min

    public init() {}

    /// Outcomes given whole; their rows must be 1, 2, 3… in order.
    public init(_ outcomes: some Sequence<RowOutcome>) {
        for outcome in outcomes { append(outcome) }
    }

    public mutating func reserveCapacity(_ count: Int) {
        actions.reserveCapacity(count)
        contactIds.reserveCapacity(count)
        lines.reserveCapacity(count)
    }

    public mutating func append(_ outcome: RowOutcome) {
        precondition(outcome.row == actions.count + 1, "outcomes are appended in row order")
        append(line: outcome.line, action: outcome.action, contactId: outcome.contactId, errors: outcome.errors)
    }

    mutating func append(line: Int, action: RowAction, contactId: Int64?, errors rowErrors: [RowError]) {
        if !rowErrors.isEmpty { errors[actions.count] = rowErrors }
        actions.append(action)
        contactIds.append(contactId ?? Self.noContact)
        lines.append(UInt32(clamping: line))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { actions.count }

    public subscript(position: Int) -> RowOutcome {
        let id = contactIds[position]
        return RowOutcome(row: position + 1, line: Int(lines[position]), action: actions[position],
                          contactId: id == Self.noContact ? nil : id, errors: errors[position] ?? [])
    }

    /// The action of 0-based row `position`, without making its outcome.
    public func action(at position: Int) -> RowAction { actions[position] }

    /// The matched contact of 0-based row `position`.
    public func contactId(at position: Int) -> Int64? {
        let id = contactIds[position]
        return id == Self.noContact ? nil : id
    }
}

/// The outcome of `import/review`: what would happen to every row, and the normalized values the
/// commit will write. Immutable; the session keeps only its latest one.
public final class ReviewPlan: Sendable {
    public let reviewId: String
    public let sessionId: String
    public let purpose: ImportPurpose
    /// nil for `addAll`.
    public let identifier: ImportIdentifier?
    public let columns: [MappedColumn]
    /// Tags from the request, added to every added and updated contact.
    public let tags: [String]
    /// The resolved import tag (nil = none).
    public let importTag: String?
    /// True when `importTag` was generated, so the commit may pick the next free suffix.
    public let importTagIsAutomatic: Bool
    public let defaultCountry: String?
    public let counts: ReviewCounts
    /// One per data row, in file order.
    public let outcomes: RowOutcomes
    /// Row-major: `values[row * columns.count + k]` is the normalized value of `columns[k]`
    /// (`.empty` for rows in error whose cell could not be read). Compact (`FieldValueTable`):
    /// the session holds the file's bytes and these, not a `String` per cell.
    public let values: FieldValueTable
    /// Where `values` holds the identifier (nil: no identifier), whose canonical value per row
    /// the commit's re-check reads from there rather than from a copy of every one.
    private let identifierColumn: Int?
    public let errorFile: ReviewErrorFile?
    public let createdAt: Date
    /// `formulaLike`…: shown with the counts; they change no row's action.
    public let warnings: [ReviewWarning]
    /// The store's contacts version in the snapshot the matches were read in (nil: unknown,
    /// or no identifier): a commit that finds it unchanged keeps the matches (`Committer`).
    public let contactsVersion: Int64?

    public init(reviewId: String, sessionId: String, purpose: ImportPurpose, identifier: ImportIdentifier?,
                columns: [MappedColumn], tags: [String], importTag: String?, importTagIsAutomatic: Bool,
                defaultCountry: String?, counts: ReviewCounts, outcomes: RowOutcomes, values: FieldValueTable,
                errorFile: ReviewErrorFile?, createdAt: Date,
                warnings: [ReviewWarning] = [], contactsVersion: Int64? = nil) {
        self.reviewId = reviewId
        self.sessionId = sessionId
        self.purpose = purpose
        self.identifier = identifier
        self.columns = columns
        self.tags = tags
        self.importTag = importTag
        self.importTagIsAutomatic = importTagIsAutomatic
        self.defaultCountry = defaultCountry
        self.counts = counts
        self.outcomes = outcomes
        self.values = values
        self.identifierColumn = identifier.flatMap { id in columns.firstIndex { $0.field.key == id.fieldKey } }
        self.errorFile = errorFile
        self.createdAt = createdAt
        self.warnings = warnings
        self.contactsVersion = contactsVersion
    }

    /// The canonical identifier value of 0-based row `row` ("" when none: not mapped, empty
    /// or unreadable, whose value the review stored as `.empty`).
    public func identifierValue(_ row: Int) -> String {
        guard let identifierColumn else { return "" }
        return values.withTextUTF8(at: row * columns.count + identifierColumn) { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Every row's `identifierValue`.
    public var identifierValues: [String] { outcomes.indices.map(identifierValue) }

    /// The tag the commit's job claims: the review's proposal, and for a generated one the
    /// first free suffix of its base at the moment of the claim.
    public var importTagRequest: ImportTagRequest {
        guard let importTag else { return .none }
        return importTagIsAutomatic ? .automatic(base: ReviewPlanner.automaticTagBase(createdAt)) : .named(importTag)
    }

    /// The normalized values of one data row (0-based), keyed by field key.
    public func values(ofRow row: Int) -> [(field: FieldDefinition, value: FieldValue)] {
        guard row >= 0, row < outcomes.count else { return [] }
        let width = columns.count
        return columns.enumerated().map { (k, mapped) in (mapped.field, values[row * width + k]) }
    }

    /// Outcomes with `action` (all when nil), paged: the matching slice and the number of matches.
    public func outcomes(action: RowAction?, offset: Int, limit: Int) -> (rows: [RowOutcome], total: Int) {
        let start = max(0, offset)
        guard let action else {
            let end = min(outcomes.count, start + max(0, limit))
            return (start < end ? Array(outcomes[start..<end]) : [], outcomes.count)
        }
        var page: [RowOutcome] = []
        var seen = 0
        for row in outcomes.indices where outcomes.action(at: row) == action {
            if seen >= start && page.count < limit { page.append(outcomes[row]) }
            seen += 1
        }
        return (page, seen)
    }
}
