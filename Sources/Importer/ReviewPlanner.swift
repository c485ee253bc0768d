import Foundation
import CSV
import Contacts
import Localization
import Workspace

/// Decides what an import would do to every row of a session's file, without changing the
/// workspace: the help page's review step ("Parte 3: Revisión de la importación").
public struct ReviewPlanner: Sendable {
    public let workspace: any ImportStore
    /// The language of the error file's header and messages.
    public let locale: MessageLocale

    public init(workspace: any ImportStore, locale: MessageLocale) {
        self.workspace = workspace
        self.locale = locale
    }

    private static let reviewNumbers = SequenceNumbers()
    /// Duplicate groups can be huge (a file where every row has the same phone); a row names at
    /// most this many of the others and counts the rest.
    static let maxNamedDuplicates = 20

    // MARK: mapping

    /// Every problem of the mapping at once (empty when it can be reviewed).
    /// `headers` (the file's, by column index) let messages name columns the way the user sees them.
    public static func mappingProblems(_ request: ReviewRequest, columnCount: Int,
                                       fields: [FieldDefinition], headers: [String] = []) -> [MappingProblem] {
        var problems: [MappingProblem] = []
        var columnsByField: [String: [Int]] = [:]
        var fieldOrder: [String] = []
        var labels: [String: LocalizedText] = [:]
        for entry in request.mapping {
            if entry.column < 0 || entry.column >= columnCount {
                problems.append(MappingProblem(code: .unknownColumn, column: entry.column, field: entry.field,
                                               text: ReviewMessages.unknownColumn(entry.column, count: columnCount)))
                continue
            }
            guard let key = entry.field else { continue }
            guard let field = resolveField(key, in: fields) else {
                problems.append(MappingProblem(code: .unknownField, column: entry.column, field: key,
                                               text: ReviewMessages.unknownField(key)))
                continue
            }
            if columnsByField[field.key] == nil { fieldOrder.append(field.key) }
            columnsByField[field.key, default: []].append(entry.column)
            labels[field.key] = field.label
        }
        for key in fieldOrder {
            guard let columns = columnsByField[key], columns.count > 1, let label = labels[key] else { continue }
            problems.append(MappingProblem(code: .fieldMappedTwice, column: columns[1], field: key,
                                           text: ReviewMessages.fieldMappedTwice(label, columns: columns, headers: headers)))
        }
        if !request.mapping.contains(where: { $0.field != nil }) {
            problems.append(MappingProblem(code: .noColumnSelected, text: ReviewMessages.noColumnSelected))
        }
        var contactIdRefused = false
        if request.purpose.matchesContacts {
            if let identifier = request.identifier {
                if identifier == .contactId && request.purpose != .updateExisting {
                    contactIdRefused = true
                    problems.append(MappingProblem(code: .identifierNotAllowed, column: columnsByField[identifier.fieldKey]?.first,
                                                   field: identifier.fieldKey, text: ReviewMessages.contactIdOnlyForUpdate))
                } else if columnsByField[identifier.fieldKey] == nil {
                    problems.append(MappingProblem(code: .identifierNotMapped, field: identifier.fieldKey,
                                                   text: ReviewMessages.identifierNotMapped(identifier)))
                }
            } else {
                problems.append(MappingProblem(code: .identifierNotMapped, text: ReviewMessages.identifierMissingParam))
            }
        } else if request.identifier == .contactId {
            // addAll needs no identifier, but naming Contact ID still asks for something only
            // updateExisting can do.
            contactIdRefused = true
            problems.append(MappingProblem(code: .identifierNotAllowed, column: columnsByField[BuiltinField.contactId.rawValue]?.first,
                                           field: BuiltinField.contactId.rawValue, text: ReviewMessages.contactIdOnlyForUpdate))
        }
        // Contact IDs are assigned by the workspace: a column of them can only say which contact to update.
        let contactIdIsIdentifier = request.purpose == .updateExisting && request.identifier == .contactId
        if let columns = columnsByField[BuiltinField.contactId.rawValue], !contactIdIsIdentifier, !contactIdRefused {
            problems.append(MappingProblem(code: .identifierNotAllowed, column: columns.first,
                                           field: BuiltinField.contactId.rawValue, text: ReviewMessages.contactIdReadOnly))
        }
        if request.purpose.addsContacts && columnsByField[BuiltinField.firstName.rawValue] == nil {
            problems.append(MappingProblem(code: .nameRequired, field: BuiltinField.firstName.rawValue,
                                           text: ReviewMessages.nameRequired))
        }
        return problems
    }

    /// Rows listed by a `formulaLike` warning; the rest are counted.
    static let maxWarningRows = 20

    /// Imported values a spreadsheet would run as formulas (`=HYPERLINK(…)`, `@SUM(…)`), in the
    /// rows that will be imported: they are stored as text, as the user wrote them, but the user
    /// should know before importing (plain numbers and phone numbers such as `+34…` are fine).
    static func formulaWarnings(outcomes: RowOutcomes, values: FieldValueTable, columns: [MappedColumn],
                                headers: [String]) -> [ReviewWarning] {
        let width = columns.count
        guard width > 0 else { return [] }
        func formulaStart(_ first: UInt8) -> Bool {
            first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
                || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
        }
        func formulaLike(_ text: String) -> Bool {
            guard let first = text.utf8.first, formulaStart(first) else { return false }
            return CSVWriter.spreadsheetSafe(text) != text
        }
        var rows: [Int] = []
        var count = 0
        var example: (value: String, header: String, row: Int)?
        for row in outcomes.indices where outcomes.action(at: row) != .error {
            // Only a value starting like a formula is made (the table tells without making it).
            for k in 0..<width where values.startsWithByte(at: row * width + k, where: formulaStart) {
                let found: String?
                switch values[row * width + k] {
                case .text(let text): found = formulaLike(text) ? text : nil
                case .tags(let tags): found = tags.first(where: formulaLike)
                case .empty: found = nil
                }
                guard let found else { continue }
                count += 1
                if rows.count < maxWarningRows { rows.append(row + 1) }
                if example == nil {
                    let column = columns[k].column
                    example = (found, column < headers.count ? headers[column] : String(column), row + 1)
                }
                break
            }
        }
        guard let example else { return [] }
        return [ReviewWarning(code: "formulaLike", rows: rows,
                              text: ReviewMessages.formulaLike(rows: count, value: example.value,
                                                               header: example.header, row: example.row))]
    }

    /// Built-in keys match exactly; custom field names, like the workspace, ignore case.
    static func resolveField(_ key: String, in fields: [FieldDefinition]) -> FieldDefinition? {
        if let exact = fields.first(where: { $0.key == key }) { return exact }
        let folded = key.lowercased()
        return fields.first { !$0.isBuiltin && $0.key.lowercased() == folded }
    }

    // MARK: review

    /// Reviews the session's file, stores the plan as the session's latest review, and writes the
    /// error file when some rows have errors. Throws `MappingInvalid` before reading any row.
    public func review(session: ImportSession, request: ReviewRequest, now: Date = Date(),
                       progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil,
                       checkCancellation: (@Sendable () throws -> Void)? = nil) throws -> ReviewPlan {
        let table = session.table
        let fields = try workspace.fields()
        let problems = Self.mappingProblems(request, columnCount: table.columnCount, fields: fields,
                                            headers: table.headers)
        guard problems.isEmpty else { throw MappingInvalid(problems: problems) }

        let columns = request.mapping.compactMap { entry -> MappedColumn? in
            guard let key = entry.field, let field = Self.resolveField(key, in: fields) else { return nil }
            return MappedColumn(column: entry.column, field: field, overwrite: entry.overwrite)
        }
        let identifier = request.purpose.matchesContacts ? request.identifier : nil
        let rowCount = table.rowCount
        try checkCancellation?()

        // 1. Read and canonicalize every mapped cell once (the costly part), in parallel.
        let reader = RowReader(table: table, columns: columns, identifier: identifier,
                               defaultCountry: request.defaultCountry, dayFirstDates: request.dayFirstDates)
        let cancelled = AtomicFlag()
        let rowsDone = RowCounter()
        var chunks = parallelChunks(count: rowCount) { range -> ReadChunk in
            if cancelled.isRaised { return ReadChunk(range: range) }
            if let checkCancellation, (try? checkCancellation()) == nil {
                cancelled.raise()
                return ReadChunk(range: range)
            }
            let chunk = reader.read(range)
            progress?(rowsDone.add(range.count), rowCount)
            return chunk
        }
        try checkCancellation?()

        // The values first: the lookup thread compares the contacts it matched against them.
        // Each chunk's values are freed once copied, so the file's values are held about once,
        // not twice, at the end of the merge.
        var values = FieldValueTable()
        values.reserveCapacity(values: rowCount * columns.count, bytes: chunks.reduce(0) { $0 + $1.values.valueByteCount })
        for i in chunks.indices {
            values.append(contentsOf: chunks[i].values)
            chunks[i].values = FieldValueTable()
        }

        var errors: [[RowError]] = []
        errors.reserveCapacity(rowCount)
        var identifierValues: [String] = []
        identifierValues.reserveCapacity(rowCount)
        var matchable: [Bool] = []
        matchable.reserveCapacity(rowCount)
        for chunk in chunks {
            errors.append(contentsOf: chunk.errors)
            identifierValues.append(contentsOf: chunk.identifiers)
            matchable.append(contentsOf: chunk.matchable)
        }
        chunks = []

        // The lookups (one core, a read snapshot) run beside the duplicate scan; rows found
        // duplicated are dropped from the matches afterwards. They share the merged identifiers
        // rather than merging a copy of their own. In the same snapshot,
        // the contacts that matched rows an update would change are read and compared
        // (`counts.unchanged`), since whether a row is an update is known only afterwards.
        let pendingMatches = PendingMatches()
        if let identifier {
            let planner = self
            let (lookupValues, readable) = (identifierValues, matchable)
            let compare = request.purpose.action(matched: true) == .update
                ? UnchangedComparison(columns: columns, values: values, tags: request.tags, identifierKey: identifier.fieldKey)
                : nil
            Thread {
                pendingMatches.finish(Result {
                    try planner.lookUp(identifier: identifier, identifierValues: lookupValues, matchable: readable,
                                       compare: compare)
                })
            }.start()
        }

        // 2. Duplicates in the file: every row of a group is an error naming the others.
        if let identifier {
            markDuplicates(identifier: identifier, identifierValues: identifierValues,
                           matchable: &matchable, errors: &errors)
        }

        // 3. Existing contacts.
        var matches = [MatchResult](repeating: .none, count: rowCount)
        var unchangedIfUpdated: [Int] = []
        var contactsVersion: Int64?
        if identifier != nil {
            let looked = try pendingMatches.wait().get()
            (matches, unchangedIfUpdated, contactsVersion) = (looked.matches, looked.unchanged, looked.contactsVersion)
            for row in matches.indices where !matchable[row] { matches[row] = .none }
        }
        try checkCancellation?()

        // 4. Actions by purpose.
        let firstNameIndex = columns.firstIndex { $0.field.key == BuiltinField.firstName.rawValue }
        var outcomes = RowOutcomes()
        outcomes.reserveCapacity(rowCount)
        var counts = ReviewCounts(total: rowCount)
        for row in 0..<rowCount {
            var rowErrors = errors[row]
            var contactId: Int64?
            var wouldAdd = false
            var action: RowAction
            switch matches[row] {
            case .none:
                action = request.purpose.action(matched: false)
                wouldAdd = action == .add
            case .one(let id):
                contactId = id
                action = request.purpose.action(matched: true)
                wouldAdd = action == .add
            case .many(let ids):
                action = .error
                if let identifier {
                    rowErrors.append(RowError(code: .ambiguousMatch, contactIds: ids,
                                              text: ReviewMessages.ambiguousMatch(identifier, value: identifierValues[row], contactIds: ids)))
                }
            }
            // Named even beside other errors, so one pass over the error file fixes the row.
            if wouldAdd && !isMalformed(rowErrors) {
                let hasName = firstNameIndex.map { !values.isEmpty(at: row * columns.count + $0) } ?? false
                if !hasName {
                    rowErrors.append(RowError(code: .nameMissing, column: firstNameIndex.map { columns[$0].column },
                                              text: ReviewMessages.nameMissing))
                }
            }
            if !rowErrors.isEmpty { action = .error }
            switch action {
            case .add: counts.add += 1
            case .update: counts.update += 1
            case .skip: counts.skip += 1
            case .error: counts.error += 1
            }
            outcomes.append(line: table.lineNumber(ofRow: row), action: action, contactId: contactId, errors: rowErrors)
        }

        // The error file and the formula warnings are made on a thread of their own while the
        // import tag is resolved.
        let side = Pending<(errorFile: ReviewErrorFile?, warnings: [ReviewWarning])>()
        let errorCount = counts.error
        let (store, locale, fileName) = (workspace, self.locale, session.fileName)
        let (finalOutcomes, finalValues) = (outcomes, values)
        Thread {
            side.finish(Result {
                var errorFile: ReviewErrorFile?
                if errorCount > 0 {
                    // Review ids are unique only within this process; the workspace names a fresh file.
                    let path = try store.newFilePath(prefix: ResultFiles.safeStem(fileName) + "-errors", extension: "csv", now: now)
                    // Only the rows in error are made whole (the file lists nothing else).
                    let errorRows = finalOutcomes.indices.filter { finalOutcomes.action(at: $0) == .error }.map { finalOutcomes[$0] }
                    errorFile = try ResultFiles.writeErrorFile(table: table, outcomes: errorRows, locale: locale, path: path)
                }
                return (errorFile, Self.formulaWarnings(outcomes: finalOutcomes, values: finalValues, columns: columns,
                                                        headers: table.headers))
            })
        }.start()
        let importTag: String?
        let automatic: Bool
        // Rows compared while matching, counted if they are updates after all.
        counts.unchanged = unchangedIfUpdated.lazy.filter { outcomes.action(at: $0) == .update }.count
        do {
            try checkCancellation?()
            (importTag, automatic) = try resolveImportTag(request.importTag, now: now)
        } catch {
            // No review comes of it: its error file goes too.
            if case .success(let made) = side.wait(), let file = made.errorFile { try? FileManager.default.removeItem(atPath: file.path) }
            throw error
        }
        let (errorFile, warnings) = try side.wait().get()
        let reviewId = "review-\(Self.reviewNumbers.take())"
        let plan = ReviewPlan(reviewId: reviewId, sessionId: session.id, purpose: request.purpose, identifier: identifier,
                              columns: columns, tags: request.tags, importTag: importTag, importTagIsAutomatic: automatic,
                              defaultCountry: request.defaultCountry, counts: counts, outcomes: outcomes, values: values,
                              identifierValues: identifierValues, errorFile: errorFile, createdAt: now,
                              warnings: warnings,
                              contactsVersion: identifier == nil ? nil : contactsVersion)
        // Refused if this session's commit started meanwhile (its plan stays the latest).
        try session.storeReview(plan)
        return plan
    }

    private func isMalformed(_ errors: [RowError]) -> Bool {
        errors.contains { $0.code == .malformedRow }
    }

    private func markDuplicates(identifier: ImportIdentifier, identifierValues: [String],
                                matchable: inout [Bool], errors: inout [[RowError]]) {
        for group in Self.duplicateGroups(identifierValues, matchable: matchable) {
            let value = identifierValues[group[0]]
            for row in group {
                matchable[row] = false
                let others = group.lazy.filter { $0 != row }.prefix(Self.maxNamedDuplicates).map { $0 + 1 }
                let named = Array(others)
                let more = group.count - 1 - named.count
                errors[row].append(RowError(code: .duplicateInFile, rows: named,
                                            text: ReviewMessages.duplicateInFile(identifier, value: value,
                                                                                 otherRows: named, more: more)))
            }
        }
    }

    /// The groups of two or more matchable rows with equal values, each group's rows in file
    /// order. ASCII values (every phone, nearly every e-mail) are grouped by sorting the rows by
    /// value: 6 bytes a row, where a dictionary keyed by 200,000 strings holds about 13 MB just
    /// while the lookups fill their page cache (the review's peak). Any other value sends all
    /// to the dictionary, whose `String` keys also equate canonically equivalent spellings.
    static func duplicateGroups(_ values: [String], matchable: [Bool]) -> [[Int]] {
        var order: [UInt32] = []
        var allASCII = true
        for row in values.indices where matchable[row] {
            order.append(UInt32(truncatingIfNeeded: row))
            if allASCII && !values[row].utf8.allSatisfy({ $0 < 0x80 }) { allASCII = false }
        }
        guard allASCII else { return dictionaryGroups(values, matchable: matchable) }
        let keys = values.map(prefixKey)
        order.sort { a, b in
            let (keyA, keyB) = (keys[Int(a)], keys[Int(b)])
            if keyA != keyB { return keyA < keyB }
            let (valueA, valueB) = (values[Int(a)], values[Int(b)])
            return valueA != valueB ? valueA < valueB : a < b
        }
        var groups: [[Int]] = []
        var start = 0
        while start < order.count {
            let value = values[Int(order[start])]
            var end = start + 1
            while end < order.count && values[Int(order[end])] == value { end += 1 }
            if end - start > 1 { groups.append(order[start..<end].map { Int($0) }) }
            start = end
        }
        return groups
    }

    private static func dictionaryGroups(_ values: [String], matchable: [Bool]) -> [[Int]] {
        var firstRow: [String: Int] = [:]
        var groups: [Int: [Int]] = [:]
        for row in values.indices where matchable[row] {
            let value = values[row]
            if let first = firstRow[value] {
                groups[first, default: [first]].append(row)
            } else {
                firstRow[value] = row
            }
        }
        return groups.keys.sorted().compactMap { groups[$0] }
    }

    /// One read snapshot for every lookup: its statements are prepared once, and a single
    /// connection's page cache holds the index pages (parallel lookups cost no less time here
    /// and a second connection's cache tens of megabytes).
    /// Also the snapshot's contacts version: the commit skips its re-check when it is unchanged.
    private func lookUp(identifier: ImportIdentifier, identifierValues: [String], matchable: [Bool],
                        compare: UnchangedComparison?) throws -> Looked {
        let rows = identifierValues.indices.filter { matchable[$0] }
        let (version, found, unchanged) = try workspace.lookUp { tx -> (Int64?, [MatchResult], [Int]) in
            let version = try tx.contactsVersion()
            let found = try Self.matchAll(identifier, identifierValues, rows: rows, in: tx)
            guard let compare else { return (version, found, []) }
            var candidates: [(row: Int, contactId: Int64)] = []
            for (row, match) in zip(rows, found) { if case .one(let id) = match { candidates.append((row, id)) } }
            let unchanged = try ChangePreview.unchangedRows(candidates, columns: compare.columns, values: compare.values,
                                                            tags: compare.tags, identifierKey: compare.identifierKey, in: tx)
            return (version, found, unchanged)
        }
        var results = [MatchResult](repeating: .none, count: identifierValues.count)
        for (row, match) in zip(rows, found) { results[row] = match }
        return Looked(matches: results, unchanged: unchanged, contactsVersion: version)
    }

    /// The match of each of `rows` (aligned with it), looked up in index order: each lookup
    /// descends next to the previous one, so the index pages it reads are still in the CPU
    /// caches (file order jumps across the whole index). Sorted by the first 8 UTF-8 bytes
    /// packed in an integer, then by the value: the order only decides how close one descent
    /// is to the next, and integers compare cheaply. The review and the commit's re-check both
    /// match through here.
    static func matchAll(_ identifier: ImportIdentifier, _ identifierValues: [String], rows: [Int],
                         in tx: any ContactLookup) throws -> [MatchResult] {
        if tx.prefersBatchLookups && identifier != .contactId {
            let values = rows.map { identifierValues[$0] }
            let found = identifier == .phone ? try tx.contactIDs(phones: values) : try tx.contactIDs(emails: values)
            return values.map { value in
                let ids = found[value] ?? []
                return ids.isEmpty ? .none : ids.count == 1 ? .one(ids[0]) : .many(ids)
            }
        }
        let keys = rows.map { Self.prefixKey(identifierValues[$0]) }
        var order = Array(rows.indices)
        order.sort { a, b in
            keys[a] != keys[b] ? keys[a] < keys[b] : identifierValues[rows[a]] < identifierValues[rows[b]]
        }
        var results = [MatchResult](repeating: .none, count: rows.count)
        for k in order {
            results[k] = try Self.match(identifier, identifierValues[rows[k]], in: tx)
        }
        return results
    }

    /// The first 8 UTF-8 bytes of `value`, big-endian (byte order sorts as the bytes do).
    static func prefixKey(_ value: String) -> UInt64 {
        var key: UInt64 = 0
        var count = 0
        for byte in value.utf8 {
            key = key << 8 | UInt64(byte)
            count += 1
            if count == 8 { return key }
        }
        return count == 0 ? 0 : key << UInt64(8 * (8 - count))
    }

    /// The contacts `value` (canonical) identifies right now.
    static func match(_ identifier: ImportIdentifier, _ value: String, in tx: any ContactLookup) throws -> MatchResult {
        let ids: [Int64]
        switch identifier {
        case .phone: ids = try tx.contactIDs(phone: value)
        case .email: ids = try tx.contactIDs(email: value)
        case .contactId:
            guard let id = Int64(value) else { return .none }
            ids = try tx.contactExists(id: id) ? [id] : []
        }
        switch ids.count {
        case 0: return .none
        case 1: return .one(ids[0])
        default: return .many(ids)
        }
    }

    // MARK: import tag

    /// `import-YYYYMMDD-HHMMSS` in local time, then `-2`, `-3`... until no contact and no earlier
    /// job uses it; the client's own string is taken as given.
    func resolveImportTag(_ choice: ImportTagChoice, now: Date) throws -> (String?, Bool) {
        switch choice {
        case .none: return (nil, false)
        case .named(let tag):
            let trimmed = tag.trimmingCharacters(in: .whitespacesAndNewlines)
            return (trimmed.isEmpty ? nil : trimmed, false)
        case .automatic:
            return (try Self.nextFreeTag(base: Self.automaticTagBase(now), workspace: workspace), true)
        }
    }

    static func automaticTagBase(_ now: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "import-" + formatter.string(from: now)
    }

    static func nextFreeTag(base: String, workspace: any ImportStore) throws -> String {
        try workspace.freeImportTag(base: base)
    }
}

/// The lookups' outcome, handed from their thread to the review's.
/// The lookups' matches, the rows an update would leave unchanged, and the snapshot's contacts version.
struct Looked: Sendable {
    var matches: [MatchResult]
    var unchanged: [Int]
    var contactsVersion: Int64?
}

typealias PendingMatches = Pending<Looked>

/// What the lookup thread needs to tell an update that would change nothing.
struct UnchangedComparison: Sendable {
    let columns: [MappedColumn]
    let values: FieldValueTable
    let tags: [String]
    let identifierKey: String
}

/// A result handed from a thread of the review to the review's own (once).
final class Pending<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?
    private var taken = false

    func finish(_ result: Result<T, any Error>) {
        self.result = result
        done.signal()
    }

    /// Blocks until `finish` (the first call only); the semaphore orders the write before this read.
    func wait() -> Result<T, any Error> {
        if !taken {
            done.wait()
            taken = true
        }
        return result ?? .failure(CancellationError())
    }
}

enum MatchResult: Sendable, Hashable {
    case none
    case one(Int64)
    case many([Int64])
}

struct ReadChunk: Sendable {
    var errors: [[RowError]] = []
    var values = FieldValueTable()
    var identifiers: [String] = []
    /// Rows whose identifier is present and readable, so they take part in duplicates and matching.
    var matchable: [Bool] = []

    init() {}
    /// A chunk abandoned by cancellation: the review throws before anyone reads it.
    init(range: Range<Int>) {}
}

final class RowCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    func add(_ count: Int) -> Int { lock.withLock { done += count; return done } }
}

/// Reads rows of the table into canonical values and row errors. Pure: safe on any thread.
struct RowReader: Sendable {
    let table: CSVTable
    let columns: [MappedColumn]
    let identifier: ImportIdentifier?
    let defaultCountry: String?
    let dayFirstDates: Bool
    let identifierIndex: Int?
    let countryIndex: Int?
    let headers: [String]
    /// Per mapped column, the day/month order its dates show (nil: undecided or not a date).
    let dateOrders: [Bool?]

    init(table: CSVTable, columns: [MappedColumn], identifier: ImportIdentifier?,
         defaultCountry: String?, dayFirstDates: Bool) {
        self.table = table
        self.columns = columns
        self.identifier = identifier
        self.defaultCountry = defaultCountry
        self.dayFirstDates = dayFirstDates
        self.identifierIndex = identifier.flatMap { id in columns.firstIndex { $0.field.key == id.fieldKey } }
        self.countryIndex = columns.firstIndex { $0.field.key == BuiltinField.countryCode.rawValue }
        self.headers = table.headers
        self.dateOrders = columns.map { mapped in
            guard mapped.field.type == .date else { return nil }
            return FieldValues.dateOrder(of: (0..<table.rowCount).lazy.map { table.cell(row: $0, column: mapped.column) })
        }
    }

    func read(_ range: Range<Int>) -> ReadChunk {
        var chunk = ReadChunk()
        chunk.errors.reserveCapacity(range.count)
        // Canonical values take about the bytes of their cells: one allocation, not a doubling
        // series copying the buffer each time.
        chunk.values.reserveCapacity(values: range.count * columns.count, bytes: table.byteCount(ofRows: range) + 1_024)
        chunk.identifiers.reserveCapacity(range.count)
        chunk.matchable.reserveCapacity(range.count)
        let defaultContext = NormalizationContext(defaultCountry: defaultCountry, dayFirstDates: dayFirstDates)
        // Languages, countries and tags repeat from row to row and do not depend on the row's
        // context: their results are remembered per chunk, up to a bound for files where they
        // do not repeat.
        let memoizable = columns.map { Self.memoizableTypes.contains($0.field.type) }
        let byteReadable = columns.map { $0.field.type == .phone || $0.field.type == .email }
        // Per mapped column, what the loop needs, so no `MappedColumn` is copied per cell.
        let fields = columns.map(\.field)
        let sources = columns.map(\.column)
        let isContactId = columns.map { $0.field.key == BuiltinField.contactId.rawValue }
        var memos = [[String: Result<FieldValue, ValueProblem>]](repeating: [:], count: columns.count)
        func normalize(_ k: Int, _ raw: String, _ context: NormalizationContext) -> Result<FieldValue, ValueProblem> {
            guard memoizable[k] else { return FieldValues.normalize(raw, for: fields[k], context: context) }
            if let known = memos[k][raw] { return known }
            let result = FieldValues.normalize(raw, for: fields[k], context: context)
            if memos[k].count < Self.memoLimit { memos[k][raw] = result }
            return result
        }
        for row in range {
            var errors: [RowError] = []
            let fieldCount = table.fieldCount(ofRow: row)
            if fieldCount != table.columnCount {
                errors.append(RowError(code: .malformedRow,
                                       text: ReviewMessages.malformedRow(fields: fieldCount, expected: table.columnCount)))
                chunk.errors.append(errors)
                chunk.values.append(repeating: .empty, count: columns.count)
                chunk.identifiers.append("")
                chunk.matchable.append(false)
                continue
            }
            var rowValues = [FieldValue](repeating: .empty, count: columns.count)
            var context = defaultContext
            var rowCountry: String?
            if let countryIndex {
                let mapped = columns[countryIndex]
                let result = normalize(countryIndex, table.cell(row: row, column: mapped.column), defaultContext)
                // A country without a numbering plan (Bouvet Island) cannot read a national
                // number; the row's phone falls back to defaultCountry.
                if case .success(let value) = result, case .text(let code) = value, !code.isEmpty,
                   Countries.callingCode(of: code) != nil {
                    rowCountry = code
                    context = NormalizationContext(defaultCountry: code, dayFirstDates: dayFirstDates)
                }
            }
            var identifierReadable = true
            for k in 0..<fields.count {
                let source = sources[k]
                let result: Result<FieldValue, ValueProblem>
                if isContactId[k] {
                    result = Self.readContactId(table.cell(row: row, column: source))
                } else if byteReadable[k], let fast = table.withUnquotedUTF8(row: row, column: source, {
                    FieldValues.normalize(utf8: $0, for: fields[k], context: context)
                }) ?? nil {
                    // Phones and e-mails read straight from the file's bytes (no String per cell).
                    result = fast
                } else if let order = dateOrders[k] {
                    var dated = context
                    dated.columnDayFirst = order
                    result = normalize(k, table.cell(row: row, column: source), dated)
                } else {
                    result = normalize(k, table.cell(row: row, column: source), context)
                }
                switch result {
                case .success(let value):
                    rowValues[k] = value
                case .failure(let problem):
                    if k == identifierIndex { identifierReadable = false }
                    var text = problem.text
                    // Only a number that lacks its country code is helped by a country; the hint
                    // names the row's Country column as well as defaultCountry.
                    if problem.code == "phoneNeedsCountry" && rowCountry == nil && defaultCountry == nil {
                        text = ReviewMessages.phoneWithoutCountry(problem.value)
                    }
                    let header = source < headers.count ? headers[source] : String(source)
                    errors.append(RowError(code: .invalidValue, column: source,
                                           text: ReviewMessages.invalidValue(header: header, problem: text)))
                }
            }
            var identifierValue = ""
            if let identifier, let identifierIndex {
                identifierValue = rowValues[identifierIndex].storedText
                if identifierReadable && identifierValue.isEmpty {
                    errors.append(RowError(code: .identifierMissing, column: columns[identifierIndex].column,
                                           text: ReviewMessages.identifierMissing(identifier)))
                }
            }
            chunk.errors.append(errors)
            for value in rowValues { chunk.values.append(value) }
            chunk.identifiers.append(identifierValue)
            chunk.matchable.append(identifier != nil && identifierReadable && !identifierValue.isEmpty)
        }
        return chunk
    }

    static let memoizableTypes: Set<FieldType> = [.language, .country, .tags]
    static let memoLimit = 4_096

    static func readContactId(_ raw: String) -> Result<FieldValue, ValueProblem> {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .success(.empty) }
        guard let id = Int64(trimmed), id > 0 else {
            return .failure(ValueProblem(code: "contactIdNotInteger", value: raw, text: ReviewMessages.contactIdNotANumber))
        }
        return .success(.text(String(id)))
    }
}
