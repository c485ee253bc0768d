import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import ThreadSupport
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
    /// `cells` are every row's first formula-like value (`formulaCells`), found before the rows'
    /// actions are known.
    static func formulaWarnings(cells: [FormulaCell], outcomes: RowOutcomes, columns: [MappedColumn],
                                headers: [String]) -> [ReviewWarning] {
        var rows: [Int] = []
        var count = 0
        var example: (value: String, header: String, row: Int)?
        for cell in cells where outcomes.action(at: cell.row) != .error {
            count += 1
            if rows.count < maxWarningRows { rows.append(cell.row + 1) }
            if example == nil {
                let column = columns[cell.column].column
                example = (cell.value, column < headers.count ? headers[column] : String(column), cell.row + 1)
            }
        }
        guard let example else { return [] }
        return [ReviewWarning(code: "formulaLike", rows: rows,
                              text: ReviewMessages.formulaLike(rows: count, value: example.value,
                                                               header: example.header, row: example.row))]
    }

    /// A row's first value that a spreadsheet would run as a formula, and its mapped column.
    struct FormulaCell: Sendable {
        let row: Int
        let column: Int
        let value: String
    }

    /// Every row's first formula-like value, in row order (few rows have one); `values` holds
    /// the rows from `firstRow` on.
    static func formulaCells(values: FieldValueTable, columns: [MappedColumn], firstRow: Int = 0) -> [FormulaCell] {
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
        // A sign then digits only is a plain number, which `spreadsheetSafe` leaves as it is: told
        // from the bytes, since every canonical phone (`+34612345678`) starts with a sign.
        func signedDigits(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard bytes.count >= 2 else { return false }
            for byte in bytes.dropFirst() where byte &- 0x30 >= 10 { return false }
            return true
        }
        var cells: [FormulaCell] = []
        for row in 0..<values.count / width {
            // Only a value starting like a formula is made (the table tells without making it).
            for k in 0..<width where values.startsWithByte(at: row * width + k, where: formulaStart) {
                if values.withTextUTF8(at: row * width + k, signedDigits) == true { continue }
                let found: String?
                switch values[row * width + k] {
                case .text(let text): found = formulaLike(text) ? text : nil
                case .tags(let tags): found = tags.first(where: formulaLike)
                case .empty: found = nil
                }
                guard let found else { continue }
                cells.append(FormulaCell(row: firstRow + row, column: k, value: found))
                break
            }
        }
        return cells
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
                       checkCancellation: (@Sendable () throws -> Void)? = nil,
                       phases: CommitPhases? = nil) throws -> ReviewPlan {
        let reviewStart = CommitPhases.now()
        var phaseStart = reviewStart
        /// Adds the time since the previous mark to `name`.
        func mark(_ name: String) {
            guard let phases else { return }
            let now = CommitPhases.now()
            phases.add(name, now - phaseStart)
            phaseStart = now
        }
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

        // 1. Read and canonicalize every mapped cell once (the costly part), in parallel: the
        // identifiers first, so that the lookups (one core, a read snapshot) run while the other
        // columns are read, then beside the merge and the duplicate scan; rows found duplicated
        // are dropped from the matches afterwards. In the same snapshot, the contacts that
        // matched rows an update would change are read and, once every value is read, compared
        // (`counts.unchanged`), since whether a row is an update is known only afterwards.
        let reader = RowReader(table: table, columns: columns, identifier: identifier,
                               defaultCountry: request.defaultCountry, dayFirstDates: request.dayFirstDates)
        let cancelled = AtomicFlag()
        let stop: @Sendable () -> Bool = {
            if cancelled.isRaised { return true }
            if let checkCancellation, (try? checkCancellation()) == nil {
                cancelled.raise()
                return true
            }
            return false
        }
        let pendingMatches = PendingMatches()
        let pendingGroups = Pending<[[Int]]>()
        let pendingValues = Pending<FieldValueTable>()
        // A review that throws before its values are read releases the lookup thread.
        defer { pendingValues.finish(.failure(CancellationError())) }
        var identifierColumn: IdentifierColumn?
        if let identifier {
            let parts = parallelChunks(count: rowCount) { range -> IdentifierColumn in
                stop() ? IdentifierColumn() : reader.readIdentifiers(range)
            }
            try checkCancellation?()
            let column = IdentifierColumn(merging: parts, rowCount: rowCount)
            identifierColumn = column
            mark("readIdentifiers")
            let planner = self
            let compare = request.purpose.action(matched: true) == .update
                ? UnchangedComparison(columns: columns, values: pendingValues, tags: request.tags, identifierKey: identifier.fieldKey)
                : nil
            Threads.detach {
                pendingMatches.finish(Result {
                    try planner.lookUp(identifier: identifier, identifierValues: column.strings, matchable: column.matchable,
                                       compare: compare, duplicates: pendingGroups, phases: phases)
                })
                pendingGroups.finish(.failure(CancellationError()))
            }
        }

        let rowsDone = RowCounter()
        let memoPool = CellMemoPool(columns: columns.count)
        var chunks = parallelChunks(count: rowCount) { [identifierColumn] range -> ReadChunk in
            if stop() { return ReadChunk(range: range) }
            let cpu = phases.map { _ in CommitPhases.threadCPU() }
            var memos = memoPool.take()
            var chunk = reader.read(range, identifiers: identifierColumn, memos: &memos)
            memoPool.give(memos)
            chunk.formulaCells = Self.formulaCells(values: chunk.values, columns: columns, firstRow: range.lowerBound)
            if let phases, let cpu { phases.add("readCPU", CommitPhases.threadCPU() - cpu) }
            progress?(rowsDone.add(range.count), rowCount)
            return chunk
        }
        try checkCancellation?()
        mark("read")

        // The values first: the lookup thread compares the contacts it matched against them.
        // Joined without a copy: each chunk's buffers become a run of the whole.
        var values = FieldValueTable()
        for i in chunks.indices {
            values.append(contentsOf: chunks[i].values)
            chunks[i].values = FieldValueTable()
        }
        pendingValues.finish(.success(values))

        var errors: [[RowError]] = []
        errors.reserveCapacity(rowCount)
        for chunk in chunks { errors.append(contentsOf: chunk.errors) }
        // Found by each chunk as it was read; whether each row is imported is known later.
        let formulaCells = chunks.flatMap(\.formulaCells)
        let identifierValues = identifierColumn?.strings ?? [String](repeating: "", count: rowCount)
        var matchable = identifierColumn?.matchable ?? [Bool](repeating: false, count: rowCount)
        chunks = []
        identifierColumn = nil
        mark("merge")

        // 2. Duplicates in the file: every row of a group is an error naming the others.
        if let identifier {
            // The lookup thread finds them from its sort; should it fail, the review's error is its own.
            let groups = (try? pendingGroups.wait().get()) ?? Self.duplicateGroups(identifierValues, matchable: matchable)
            markDuplicates(groups, identifier: identifier, identifierValues: identifierValues,
                           matchable: &matchable, errors: &errors)
        }

        mark("duplicates")


        // 3. Existing contacts.
        var matches: [MatchResult]
        var unchangedIfUpdated: [Int] = []
        var contactsVersion: Int64?
        if identifier != nil {
            // Taken, not shared with `pendingMatches`: the edits below then need no copy.
            (matches, unchangedIfUpdated, contactsVersion) = try pendingMatches.take()
                .map { ($0.matches, $0.unchanged, $0.contactsVersion) }.get()
            for row in matches.indices where !matchable[row] { matches[row] = .none }
        } else {
            matches = [MatchResult](repeating: .none, count: rowCount)
        }
        try checkCancellation?()
        mark("waitForLookups")

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

        mark("actions")

        // The error file and the formula warnings are made on a thread of their own while the
        // import tag is resolved.
        let side = Pending<(errorFile: ReviewErrorFile?, warnings: [ReviewWarning])>()
        let errorCount = counts.error
        let (store, locale, fileName) = (workspace, self.locale, session.fileName)
        let finalOutcomes = outcomes
        Threads.detach {
            let start = CommitPhases.now()
            let made = Result { () throws -> (errorFile: ReviewErrorFile?, warnings: [ReviewWarning]) in
                var errorFile: ReviewErrorFile?
                if errorCount > 0 {
                    // Review ids are unique only within this process; the workspace names a fresh file.
                    let path = try store.newFilePath(prefix: ResultFiles.safeStem(fileName) + "-errors", extension: "csv", now: now)
                    // Only the rows in error are made whole (the file lists nothing else).
                    let errorRows = finalOutcomes.indices.filter { finalOutcomes.action(at: $0) == .error }.map { finalOutcomes[$0] }
                    errorFile = try ResultFiles.writeErrorFile(table: table, outcomes: errorRows, locale: locale, path: path)
                }
                return (errorFile, Self.formulaWarnings(cells: formulaCells, outcomes: finalOutcomes, columns: columns,
                                                        headers: table.headers))
            }
            phases?.add("side.errorFileAndWarnings", CommitPhases.now() - start)
            side.finish(made)
        }
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
        mark("importTag")
        let (errorFile, warnings) = try side.wait().get()
        mark("waitForErrorFile")
        let reviewId = "review-\(Self.reviewNumbers.take())"
        let plan = ReviewPlan(reviewId: reviewId, sessionId: session.id, purpose: request.purpose, identifier: identifier,
                              columns: columns, tags: request.tags, importTag: importTag, importTagIsAutomatic: automatic,
                              defaultCountry: request.defaultCountry, counts: counts, outcomes: outcomes, values: values,
                              errorFile: errorFile, createdAt: now,
                              warnings: warnings,
                              contactsVersion: identifier == nil ? nil : contactsVersion)
        // Refused if this session's commit started meanwhile (its plan stays the latest).
        try session.storeReview(plan)
        mark("store")
        phases?.add("total", CommitPhases.now() - reviewStart)
        return plan
    }

    private func isMalformed(_ errors: [RowError]) -> Bool {
        errors.contains { $0.code == .malformedRow }
    }

    private func markDuplicates(_ groups: [[Int]], identifier: ImportIdentifier, identifierValues: [String],
                                matchable: inout [Bool], errors: inout [[RowError]]) {
        for group in groups {
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
    /// order.
    static func duplicateGroups(_ values: [String], matchable: [Bool]) -> [[Int]] {
        let rows = values.indices.filter { matchable[$0] }
        return duplicateGroups(values, rows: rows, order: keyedValueOrder(values, rows: rows))
    }

    /// The groups of `rows` with equal values, given `rows` in value order (`valueOrder`, which
    /// the lookups sort them in anyway). ASCII values (every phone, nearly every e-mail) are
    /// equal only when their bytes are, so equal values sit together in that order, where a
    /// dictionary keyed by 200,000 strings would hold about 13 MB while the lookups fill their
    /// page cache (the review's peak). Any other value sends all to the dictionary, whose
    /// `String` keys also equate canonically equivalent spellings.
    static func duplicateGroups(_ values: [String], rows: [Int], order: [(high: UInt64, low: UInt64, k: Int)]) -> [[Int]] {
        guard rows.allSatisfy({ values[$0].utf8.allSatisfy { $0 < 0x80 } }) else { return dictionaryGroups(values, rows: rows) }
        var groups: [[Int]] = []
        var start = 0
        while start < order.count {
            let (high, low) = (order[start].high, order[start].low)
            var end = start + 1
            while end < order.count && order[end].high == high && order[end].low == low
                    && values[rows[order[end].k]] == values[rows[order[start].k]] { end += 1 }
            if end - start > 1 { groups.append(order[start..<end].map { rows[$0.k] }.sorted()) }
            start = end
        }
        return groups
    }

    private static func dictionaryGroups(_ values: [String], rows: [Int]) -> [[Int]] {
        var firstRow: [String: Int] = [:]
        var groups: [Int: [Int]] = [:]
        for row in rows {
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
    /// The file's duplicate groups are handed to `duplicates` as soon as the rows are sorted.
    private func lookUp(identifier: ImportIdentifier, identifierValues: [String], matchable: [Bool],
                        compare: UnchangedComparison?, duplicates: Pending<[[Int]]>, phases: CommitPhases?) throws -> Looked {
        let rows = identifierValues.indices.filter { matchable[$0] }
        var start = CommitPhases.now()
        let keyed = Self.keyedValueOrder(identifierValues, rows: rows, identifier: identifier)
        duplicates.finish(.success(Self.duplicateGroups(identifierValues, rows: rows, order: keyed)))
        let order = keyed.map(\.k)
        phases?.add("lookup.sortAndDuplicates", CommitPhases.now() - start)
        let (version, found, unchanged) = try workspace.lookUp { tx -> (Int64?, [MatchResult], [Int]) in
            start = CommitPhases.now()
            let version = try tx.contactsVersion()
            let found = try Self.matchAll(identifier, identifierValues, rows: rows, order: order, in: tx)
            phases?.add("lookup.match", CommitPhases.now() - start)
            start = CommitPhases.now()
            defer { phases?.add("lookup.compare", CommitPhases.now() - start) }
            guard let compare else { return (version, found, []) }
            var candidates: [(row: Int, contactId: Int64)] = []
            for (row, match) in zip(rows, found) { if case .one(let id) = match { candidates.append((row, id)) } }
            let unchanged = try ChangePreview.unchangedRows(candidates, columns: compare.columns,
                                                            values: {
                                                                let waited = CommitPhases.now()
                                                                defer { phases?.add("lookup.waitForValues", CommitPhases.now() - waited) }
                                                                return try compare.values.wait().get()
                                                            }, valuesReady: { compare.values.isFinished },
                                                            tags: compare.tags, identifierKey: compare.identifierKey, in: tx)
            return (version, found, unchanged)
        }
        var results = [MatchResult](repeating: .none, count: identifierValues.count)
        for (row, match) in zip(rows, found) { results[row] = match }
        return Looked(matches: results, unchanged: unchanged, contactsVersion: version)
    }

    /// The match of each of `rows` (aligned with it), looked up in index order: each lookup
    /// descends next to the previous one, so the index pages it reads are still in the CPU
    /// caches (file order jumps across the whole index). Sorted by the value's lookup key
    /// (`keyedValueOrder`), then by the value: the order only decides how close one descent is
    /// to the next, and integers compare cheaply. The review and the commit's re-check both
    /// match through here.
    /// `order`: `valueOrder(identifierValues, rows: rows)`, when the caller has it already.
    static func matchAll(_ identifier: ImportIdentifier, _ identifierValues: [String], rows: [Int], order: [Int]? = nil,
                         in tx: any ContactLookup) throws -> [MatchResult] {
        if tx.prefersBatchLookups && identifier != .contactId {
            let values = rows.map { identifierValues[$0] }
            let found = identifier == .phone ? try tx.contactIDs(phones: values) : try tx.contactIDs(emails: values)
            return values.map { value in
                let ids = found[value] ?? []
                return ids.isEmpty ? .none : ids.count == 1 ? .one(ids[0]) : .many(ids)
            }
        }
        let order = order ?? valueOrder(identifierValues, rows: rows, identifier: identifier)
        var results = [MatchResult](repeating: .none, count: rows.count)
        guard identifier != .contactId else {
            for k in order { results[k] = try Self.match(identifier, identifierValues[rows[k]], in: tx) }
            return results
        }
        try tx.eachContactID(matching: order.map { identifierValues[rows[$0]] }, byEmail: identifier == .email) { index, id in
            let k = order[index]
            switch results[k] {
            case .none: results[k] = .one(id)
            case .one(let first): results[k] = .many([first, id])
            case .many(var ids):
                results[k] = .none
                ids.append(id)
                results[k] = .many(ids)
            }
        }
        // Ascending, as `contactIDs(phone:)` gives them.
        for k in results.indices { if case .many(let ids) = results[k] { results[k] = .many(ids.sorted()) } }
        return results
    }

    /// The positions in `rows` ordered by their rows' values: by their lookup key (phone,
    /// e-mail) or first 16 UTF-8 bytes, then by the value (the order only decides how close one lookup is to the next, and where
    /// equal values sit together).
    static func valueOrder(_ identifierValues: [String], rows: [Int], identifier: ImportIdentifier? = nil) -> [Int] {
        keyedValueOrder(identifierValues, rows: rows, identifier: identifier).map(\.k)
    }

    /// `valueOrder` with each position's first 16 bytes as two integers (`prefixKeys`): values
    /// whose keys differ differ, without reading them again.
    /// With a phone or e-mail `identifier`, the order is the workspace index's: by `LookupKeys`
    /// (a value's key as `high`, `low` zero).
    static func keyedValueOrder(_ identifierValues: [String], rows: [Int],
                                identifier: ImportIdentifier? = nil) -> [(high: UInt64, low: UInt64, k: Int)] {
        // The first 16 bytes (or the lookup key) as integers settle almost every comparison:
        // the values themselves are compared only past them.
        let lookupKey: ((String) -> Int64)? = switch identifier {
        case .phone: LookupKeys.phone
        case .email: LookupKeys.email
        default: nil
        }
        if let lookupKey {
            // In the index's order (a radix sort; comparing tuples took `lookup.sortAndDuplicates`
            // 0.01 s longer on 200,000 rows), then values with the same key (a hash's, or the
            // same value twice) by the value, as below.
            let keys = rows.map { lookupKey(identifierValues[$0]) }
            // The sign bit flipped: unsigned order of `high` is the keys' signed order.
            var order = LookupKeys.indexOrder(keys).map { k -> (high: UInt64, low: UInt64, k: Int) in
                (UInt64(bitPattern: keys[Int(k)]) ^ (1 << 63), 0, Int(k))
            }
            var start = 0
            while start < order.count {
                var end = start + 1
                while end < order.count && order[end].high == order[start].high { end += 1 }
                if end - start > 1 {
                    order[start..<end].sort { a, b in
                        let (x, y) = (identifierValues[rows[a.k]], identifierValues[rows[b.k]])
                        return x != y ? x < y : a.k < b.k
                    }
                }
                start = end
            }
            return order
        }
        var order = rows.indices.map { k -> (high: UInt64, low: UInt64, k: Int) in
            let (high, low) = Self.prefixKeys(identifierValues[rows[k]])
            return (high, low, k)
        }
        order.sort { a, b in
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            return identifierValues[rows[a.k]] < identifierValues[rows[b.k]]
        }
        return order
    }

    /// The first 16 UTF-8 bytes of `value` as two big-endian integers, zero-padded (they sort as
    /// the bytes do).
    static func prefixKeys(_ value: String) -> (UInt64, UInt64) {
        var keys: (UInt64, UInt64) = (0, 0)
        var count = 0
        for byte in value.utf8 {
            if count < 8 { keys.0 |= UInt64(byte) << UInt64(8 * (7 - count)) } else { keys.1 |= UInt64(byte) << UInt64(8 * (15 - count)) }
            count += 1
            if count == 16 { break }
        }
        return keys
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
            let trimmed = tag.whitespaceTrimmed()
            return (trimmed.isEmpty ? nil : trimmed, false)
        case .automatic:
            return (try Self.nextFreeTag(base: Self.automaticTagBase(now), workspace: workspace), true)
        }
    }

    static func automaticTagBase(_ now: Date) -> String {
        // Local time, from the C library (DateFormatter is Foundation's, with ICU behind it).
        var seconds = time_t(now.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "import-\(parts.tm_year + 1900)" + two(parts.tm_mon + 1) + two(parts.tm_mday)
            + "-" + two(parts.tm_hour) + two(parts.tm_min) + two(parts.tm_sec)
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
    /// Every row's values, handed over once read (after the lookups have started).
    let values: Pending<FieldValueTable>
    let tags: [String]
    let identifierKey: String
}

/// A result handed from a thread of the review to the review's own (once).
final class Pending<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?
    private var taken = false

    private let lock = ThreadLock()
    private var finished = false

    /// The first call hands its result over; later ones are ignored.
    func finish(_ result: Result<T, any Error>) {
        let first = lock.withLock {
            guard !finished else { return false }
            finished = true
            self.result = result
            return true
        }
        if first { done.signal() }
    }

    /// Whether `finish` was called: `wait` would not block.
    var isFinished: Bool { lock.withLock { finished } }

    /// Blocks until `finish` (the first call only); the semaphore orders the write before this read.
    func wait() -> Result<T, any Error> {
        if !taken {
            done.wait()
            taken = true
        }
        return result ?? .failure(CancellationError())
    }

    /// `wait`, handing the result over: this object keeps no reference to it afterwards.
    func take() -> Result<T, any Error> {
        let result = wait()
        self.result = nil
        return result
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
    var formulaCells: [ReviewPlanner.FormulaCell] = []

    init() {}
    /// A chunk abandoned by cancellation: the review throws before anyone reads it.
    init(range: Range<Int>) {}
}

/// The identifier column, read before the other columns so the lookups can start: per row its
/// canonical value, its problem if it has one, its text and whether it takes part in
/// duplicates and matching (present and readable).
struct IdentifierColumn: Sendable {
    var values = FieldValueTable()
    /// Rows (0-based, of the whole file) whose identifier cell has a problem; few.
    var problems: [Int: ValueProblem] = [:]
    /// Per row, whether `problems` has it (read per row without hashing).
    var hasProblem: [Bool] = []
    var strings: [String] = []
    var matchable: [Bool] = []

    init() {}

    init(merging parts: [IdentifierColumn], rowCount: Int) {
        strings.reserveCapacity(rowCount)
        matchable.reserveCapacity(rowCount)
        hasProblem.reserveCapacity(rowCount)
        for part in parts {
            hasProblem.append(contentsOf: part.hasProblem)
            values.append(contentsOf: part.values)
            problems.merge(part.problems) { first, _ in first }
            strings.append(contentsOf: part.strings)
            matchable.append(contentsOf: part.matchable)
        }
    }
}

final class RowCounter: @unchecked Sendable {
    private let lock = ThreadLock()
    private var done = 0
    func add(_ count: Int) -> Int { lock.withLock { done += count; return done } }
}

/// Reads rows of the table into canonical values and row errors. Pure: safe on any thread.
/// A class: the per-cell closures capture it with one reference, where a struct of this many
/// arrays was copied (retaining each) for every cell.
final class RowReader: Sendable {
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
    // Per mapped column, what the loop needs, so no `MappedColumn` is copied per cell.
    let fields: [FieldDefinition]
    let types: [FieldType]
    let sources: [Int]
    let isContactId: [Bool]
    /// Phones and e-mails are read straight from the file's bytes (no String per cell).
    let byteReadable: [Bool]
    /// Values that depend on the cell alone repeat from row to row (names, languages,
    /// countries, tags): each is read once per chunk (`CellMemo`).
    let memoizable: [Bool]
    let defaultContext: NormalizationContext

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
        self.fields = columns.map(\.field)
        self.types = columns.map(\.field.type)
        self.sources = columns.map(\.column)
        self.isContactId = columns.map { $0.field.key == BuiltinField.contactId.rawValue }
        self.byteReadable = columns.map { $0.field.type == .phone || $0.field.type == .email }
        self.memoizable = columns.map { Self.dependsOnCellAlone($0.field) }
        self.defaultContext = NormalizationContext(defaultCountry: defaultCountry, dayFirstDates: dayFirstDates)
    }

    /// Whether the row has the file's number of fields (else it is a `malformedRow`, not read).
    private func isWellFormed(_ row: Int) -> Bool {
        table.fieldCount(ofRow: row) == table.columnCount
    }

    /// The identifier column of `range` (the review reads it first), as `read` would read it.
    func readIdentifiers(_ range: Range<Int>) -> IdentifierColumn {
        var part = IdentifierColumn()
        guard let identifierIndex else { return part }
        part.values.reserveCapacity(values: range.count, bytes: range.count * 16)
        part.strings.reserveCapacity(range.count)
        part.matchable.reserveCapacity(range.count)
        part.hasProblem.reserveCapacity(range.count)
        var countryMemo = CellMemo()
        for row in range {
            part.hasProblem.append(false)
            guard isWellFormed(row) else {
                part.values.append(.empty)
                part.strings.append("")
                part.matchable.append(false)
                continue
            }
            let context = rowContext(row, memo: &countryMemo).context
            switch readCell(identifierIndex, row: row, context: context) {
            case .success(let value):
                part.values.append(value)
                let text = value.storedText
                part.strings.append(text)
                part.matchable.append(!text.isEmpty)
            case .failure(let problem):
                part.values.append(.empty)
                part.problems[row] = problem
                part.hasProblem[part.hasProblem.count - 1] = true
                part.strings.append("")
                part.matchable.append(false)
            }
        }
        part.values.trimCapacity()
        return part
    }

    /// Every mapped cell of `range`, with the identifier column taken from `identifiers` (read
    /// by `readIdentifiers`) when there is one.
    func read(_ range: Range<Int>, identifiers: IdentifierColumn?, memos: inout [CellMemo]) -> ReadChunk {
        var chunk = ReadChunk()
        chunk.errors.reserveCapacity(range.count)
        // Canonical values take about the bytes of their cells: one allocation, not a doubling
        // series copying the buffer each time.
        chunk.values.reserveCapacity(values: range.count * columns.count, bytes: table.byteCount(ofRows: range) + 1_024)
        // Unwrapped once: binding the optional inside the loop copied the column (a retain of
        // each of its buffers) for every cell.
        let identifierColumn = identifiers ?? IdentifierColumn()
        let identifierIndex = identifiers == nil ? nil : identifierIndex
        for row in range {
            var errors: [RowError] = []
            let fieldCount = table.fieldCount(ofRow: row)
            if fieldCount != table.columnCount {
                errors.append(RowError(code: .malformedRow,
                                       text: ReviewMessages.malformedRow(fields: fieldCount, expected: table.columnCount)))
                chunk.errors.append(errors)
                chunk.values.append(repeating: .empty, count: columns.count)
                continue
            }
            let (context, rowCountry, countryEntry) = countryIndex.map { rowContext(row, memo: &memos[$0]) }
                ?? (defaultContext, nil, nil)
            for k in 0..<fields.count {
                let result: Result<FieldValue, ValueProblem>
                if k == identifierIndex {
                    guard identifierColumn.hasProblem[row], let problem = identifierColumn.problems[row] else {
                        chunk.values.append(row, of: identifierColumn.values)
                        continue
                    }
                    result = .failure(problem)
                } else if memoizable[k], let entry = k == countryIndex ? countryEntry : memoEntry(k, row, &memos[k]) {
                    guard let problem = memos[k].appendValue(entry, to: &chunk.values) else { continue }
                    result = .failure(problem)
                } else {
                    result = readCell(k, row: row, context: context)
                }
                switch result {
                case .success(let value):
                    chunk.values.append(value)
                case .failure(let problem):
                    chunk.values.append(.empty)
                    var text = problem.text
                    // Only a number that lacks its country code is helped by a country; the hint
                    // names the row's Country column as well as defaultCountry.
                    if problem.code == "phoneNeedsCountry" && rowCountry == nil && defaultCountry == nil {
                        text = ReviewMessages.phoneWithoutCountry(problem.value)
                    }
                    let source = sources[k]
                    let header = source < headers.count ? headers[source] : String(source)
                    errors.append(RowError(code: .invalidValue, column: source,
                                           text: ReviewMessages.invalidValue(header: header, problem: text)))
                }
            }
            if let identifier, let identifierIndex,
               !identifierColumn.hasProblem[row] && identifierColumn.strings[row].isEmpty {
                errors.append(RowError(code: .identifierMissing, column: columns[identifierIndex].column,
                                       text: ReviewMessages.identifierMissing(identifier)))
            }
            chunk.errors.append(errors)
        }
        // The chunks' values are joined as they are, so the reserve beyond them is given back here.
        chunk.values.trimCapacity()
        return chunk
    }

    /// The context the row's phones and dates are read in, and the row's country when its
    /// Country cell names one with a numbering plan (a country without one, Bouvet Island,
    /// cannot read a national number: the row's phone falls back to defaultCountry); also the
    /// Country cell's memo entry, when it has one.
    private func rowContext(_ row: Int, memo: inout CellMemo) -> (context: NormalizationContext, country: String?, entry: Int?) {
        guard let countryIndex else { return (defaultContext, nil, nil) }
        let result: Result<FieldValue, ValueProblem>
        var entry: Int?
        if memoizable[countryIndex], let found = memoEntry(countryIndex, row, &memo) {
            entry = found
            result = memo.problem(found).map { .failure($0) } ?? .success(memo.values[found])
        } else {
            result = FieldValues.normalize(table.cell(row: row, column: sources[countryIndex]), for: fields[countryIndex],
                                           context: defaultContext)
        }
        if case .success(let value) = result, case .text(let code) = value, !code.isEmpty,
           Countries.callingCode(of: code) != nil {
            return (NormalizationContext(defaultCountry: code, dayFirstDates: dayFirstDates), code, entry)
        }
        return (defaultContext, nil, entry)
    }

    /// The memo entry of a cell of column `k`; nil when the memo cannot hold it (then it is
    /// read as any cell).
    private func memoEntry(_ k: Int, _ row: Int, _ memo: inout CellMemo) -> Int? {
        // The field is taken only for a new key (copying a `FieldDefinition` per cell showed in
        // profiles); the closures are literals, so their context is not allocated per cell.
        if let entry = table.withUnquotedUTF8(row: row, column: sources[k], { bytes in
            memo.entry(for: bytes) { FieldValues.normalize($0, for: self.fields[k], context: self.defaultContext) }
        }) {
            return entry
        }
        var text = table.cell(row: row, column: sources[k])
        return text.withUTF8 { bytes in
            memo.entry(for: bytes) { FieldValues.normalize($0, for: self.fields[k], context: self.defaultContext) }
        }
    }

    /// A cell of column `k` read on its own (no memo), in the row's context.
    private func readCell(_ k: Int, row: Int, context: NormalizationContext) -> Result<FieldValue, ValueProblem> {
        let source = sources[k]
        if isContactId[k] {
            return Self.readContactId(table.cell(row: row, column: source))
        }
        if byteReadable[k], let fast = table.withUnquotedUTF8(row: row, column: source, {
            FieldValues.normalize(utf8: $0, type: types[k], context: context)
        }) ?? nil {
            return fast
        }
        if let order = dateOrders[k] {
            var dated = context
            dated.columnDayFirst = order
            return FieldValues.normalize(table.cell(row: row, column: source), for: fields[k], context: dated)
        }
        return FieldValues.normalize(table.cell(row: row, column: source), for: fields[k], context: context)
    }

    /// Fields whose canonical value is a function of the cell alone: phones read with the row's
    /// country and dates with the column's order, e-mails rarely repeat, contact IDs never do.
    static func dependsOnCellAlone(_ field: FieldDefinition) -> Bool {
        guard field.key != BuiltinField.contactId.rawValue else { return false }
        switch field.type {
        case .phone, .date, .email: return false
        case .text, .number, .list, .checkbox, .url, .integer, .language, .country, .tags: return true
        }
    }

    static func readContactId(_ raw: String) -> Result<FieldValue, ValueProblem> {
        let trimmed = raw.whitespaceTrimmed()
        if trimmed.isEmpty { return .success(.empty) }
        guard let id = Int64(trimmed), id > 0 else {
            return .failure(ValueProblem(code: "contactIdNotInteger", value: raw, text: ReviewMessages.contactIdNotANumber))
        }
        return .success(.text(String(id)))
    }
}
