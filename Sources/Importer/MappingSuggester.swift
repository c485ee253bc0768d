import FoundationEssentials
import Contacts

/// Why a column was suggested for a field. Raw values are the wire names.
public enum MappingReason: String, Sendable, CaseIterable {
    /// The header is the field's key or label (the help page's automatic assignment).
    case exactHeader
    /// The header is a known synonym, or contains one.
    case synonym
    /// The header is a near miss of a key, label or synonym (a typo).
    case fuzzy
    /// The column's values look like the field's values, whatever the header says.
    case content
    /// How this header set (or this header) was mapped at the workspace's last completed
    /// import: the user's own choice, which outranks every other evidence.
    case remembered
    case none

    /// Among equal scores, the stronger kind of evidence wins.
    fileprivate var strength: Int {
        switch self {
        case .remembered: return 5
        case .exactHeader: return 4
        case .synonym: return 3
        case .fuzzy: return 2
        case .content: return 1
        case .none: return 0
        }
    }
}

/// The suggestion for one column of the file.
public struct ColumnSuggestion: Sendable, Hashable {
    public let column: Int
    public let header: String
    /// A built-in field key or a custom field's name; nil when the column is best left unmapped.
    public let field: String?
    /// 0...1; 0 when `field` is nil.
    public let confidence: Double
    public let reason: MappingReason

    public init(column: Int, header: String, field: String?, confidence: Double, reason: MappingReason) {
        self.column = column
        self.header = header
        self.field = field
        self.confidence = confidence
        self.reason = reason
    }
}

public struct MappingSuggestion: Sendable, Hashable {
    /// One entry per column, in column order.
    public let columns: [ColumnSuggestion]
    /// `.phone` or `.email`: whichever is mapped and better filled; nil when neither is mapped.
    public let identifier: BuiltinField?
}

/// Suggests which field each column of a file holds.
///
/// Every (column, field) pair gets a score from the strongest evidence available — the header
/// is the field's key or label (1.0), a synonym (0.75–0.96, see `MappingSynonyms`), contains a
/// synonym (×0.85), is a typo of one (Damerau-Levenshtein on the compact header, ×0.85 scaled by
/// the distance), or the column's sampled values look like e-mails, phones, languages or
/// countries. Content also vetoes weak header evidence: "Email Opt Out" holding "yes"/"no" is
/// not an e-mail column, "County" holding "Orange" is not a country.
///
/// Round 2 (issue 14): custom fields named after a concept of `MappingSynonyms.concepts` share
/// its synonyms; typos must be close, must not be real words of another meaning and must beat
/// the next field by an edit; content never makes a column a country or language under a header
/// that names a state, flag, opt-in, id or document (`notCodeWords`), nor from yes/no values, nor
/// a phone column from valid CPFs; among columns that could be one field the filled one wins;
/// `contactId` needs whole numbers even under its exact name and a purpose that allows it; and
/// under a placeholder header ("Columna 3", "Unnamed: 2") the content alone decides.
///
/// Fields are then assigned to columns by an exact maximum-weight matching (the Hungarian
/// algorithm, O(f²·c) for f fields with candidates and c candidate columns), so each field gets
/// at most one column and the total confidence is the largest possible. Files have tens of
/// columns, rarely a few hundred, and only columns with a candidate take part, so this stays well
/// under a millisecond.
public struct MappingSuggester: Sendable {
    /// Scores below this are not worth suggesting.
    public static let minimumConfidence = 0.5

    private let fields: [FieldDefinition]
    private let table: [String: [HeaderCandidate]]
    /// The table's headers as bytes, grouped by length, for typo matching.
    private let fuzzyTable: [Int: [(key: [UInt8], candidates: [HeaderCandidate])]]
    private let fieldIndex: [String: Int]

    /// - Parameter fields: the workspace's fields; built-in fields missing from the list are
    ///   added, so passing only the custom fields works too.
    public init(fields: [FieldDefinition] = BuiltinField.definitions) {
        var all = BuiltinField.definitions
        var seen = Set(all.map(\.key))
        for field in fields where !seen.contains(field.key) {
            all.append(field)
            seen.insert(field.key)
        }
        self.fields = all
        var index: [String: Int] = [:]
        for (position, field) in all.enumerated() { index[field.key] = position }
        self.fieldIndex = index
        let table = MappingSuggester.buildTable(fields: all, index: index)
        self.table = table
        var fuzzyTable: [Int: [(key: [UInt8], candidates: [HeaderCandidate])]] = [:]
        for (key, candidates) in table {
            let usable = candidates.filter(\.fuzzyAllowed)
            let bytes = Array(key.utf8)
            guard bytes.count >= 4, !usable.isEmpty else { continue }
            fuzzyTable[bytes.count, default: []].append((bytes, usable))
        }
        self.fuzzyTable = fuzzyTable
    }

    /// - Parameter contactIdAllowed: false when the import's purpose cannot use `contactId` (only
    ///   "update existing contacts" can): the suggestion is then never refused by the review.
    public func suggest(columns: [ColumnProfile], contactIdAllowed: Bool = true) -> MappingSuggestion {
        var scores = columns.map { scoreColumn($0) }
        if !contactIdAllowed, let contactId = fieldIndex[BuiltinField.contactId.rawValue] {
            for position in scores.indices { scores[position][contactId] = nil }
        }
        preferBetterFilledColumns(&scores, columns: columns)

        let assignment = MappingSuggester.assign(scores: scores)
        var suggestions: [ColumnSuggestion] = []
        suggestions.reserveCapacity(columns.count)
        for (position, column) in columns.enumerated() {
            if let fieldPosition = assignment[position], let score = scores[position][fieldPosition] {
                suggestions.append(ColumnSuggestion(
                    column: column.index, header: column.header, field: fields[fieldPosition].key,
                    confidence: (score.value * 100).rounded() / 100, reason: score.reason))
            } else {
                suggestions.append(ColumnSuggestion(column: column.index, header: column.header,
                                                    field: nil, confidence: 0, reason: .none))
            }
        }
        return MappingSuggestion(columns: suggestions, identifier: identifier(suggestions, columns: columns))
    }

    // MARK: - Scoring one column

    struct Score {
        var value: Double
        var reason: MappingReason
    }

    private func scoreColumn(_ column: ColumnProfile) -> [Int: Score] {
        let header = HeaderText(column.header)
        let compact = header.compact
        let direct = table[compact] ?? []
        // A column named exactly after a field keeps it; reading its values would change nothing.
        let content = ContentProfile(samples: direct.contains { $0.reason == .exactHeader } ? [] : column.samples)
        var scores: [Int: Score] = [:]
        func offer(_ field: Int, _ value: Double, _ reason: MappingReason) {
            if let existing = scores[field],
               existing.value > value || (existing.value == value && existing.reason.strength >= reason.strength) {
                return
            }
            scores[field] = Score(value: value, reason: reason)
        }

        for candidate in direct { offer(candidate.field, candidate.confidence, candidate.reason) }

        let isPlaceholder = header.words.allSatisfy {
            MappingSynonyms.placeholderHeaderWords.contains($0) || $0.allSatisfy(\.isNumber)
        }
        if direct.isEmpty && !compact.isEmpty && !isPlaceholder {
            for (field, value) in containedSynonyms(header) { offer(field, value, .synonym) }
            for (field, value) in fuzzyMatches(compact, words: header.words) { offer(field, value, .fuzzy) }
        }

        // Content checks header evidence that is not exact, then adds its own. contactId is
        // checked even under its exact name: Salesforce's "Contact ID" holds 18-character ids.
        let contactIdField = fieldIndex[BuiltinField.contactId.rawValue]
        let idContent = contactIdField != nil && scores[contactIdField ?? -1]?.reason == .exactHeader
            ? ContentProfile(samples: column.samples) : content
        for (field, score) in scores where score.reason != .exactHeader || field == contactIdField {
            guard let builtin = BuiltinField(rawValue: fields[field].key), fields[field].isBuiltin else { continue }
            if let adjusted = (field == contactIdField ? idContent : content).adjust(score, for: builtin) {
                scores[field] = adjusted
            } else {
                scores[field] = nil
            }
        }
        let allowPhoneContent = header.words.allSatisfy { !MappingSynonyms.notPhoneWords.contains($0) }
        // Two-letter codes and language names are weak evidence: a header that names a state, a
        // flag, an opt-in, an id or a document is not a country or a language column.
        let allowCodeContent = header.words.allSatisfy { !MappingSynonyms.notCodeWords.contains($0) }
        for (builtin, value) in content.candidates(allowPhone: allowPhoneContent, allowCodes: allowCodeContent) {
            if let field = fieldIndex[builtin.rawValue] { offer(field, value, .content) }
        }
        // A column of dates under a header that says nothing goes to the workspace's one date
        // field, if it has exactly one.
        if isPlaceholder, content.date >= 0.6, let dateField = onlyDateField {
            offer(dateField, 0.45 + 0.4 * content.date, .content)
        }
        return scores.filter { $0.value.value >= MappingSuggester.minimumConfidence }
    }

    /// The position of the only custom field of type date, if there is exactly one.
    private var onlyDateField: Int? {
        let dates = fields.indices.filter { !fields[$0].isBuiltin && fields[$0].type == .date }
        return dates.count == 1 ? dates[0] : nil
    }

    /// Synonyms found as a run of whole words inside a longer header ("Teléfono móvil personal").
    private func containedSynonyms(_ header: HeaderText) -> [(Int, Double)] {
        let words = header.words
        // A header is a few words; a pasted paragraph is not worth searching (and would cost
        // quadratic time).
        guard words.count > 1, words.count <= 24 else { return [] }
        var best: [Int: (length: Int, confidence: Double, qualified: Bool)] = [:]
        var covered: [Int: Set<Int>] = [:]
        for start in 0..<words.count {
            var run = ""
            // No synonym is longer than six words.
            for end in start..<min(words.count, start + 6) {
                run += words[end]
                let length = end - start + 1
                guard length < words.count, let candidates = table[run] else { continue }
                let others = words[..<start] + words[(end + 1)...]
                let qualified = others.contains(where: MappingSynonyms.qualifierWords.contains)
                for candidate in candidates where candidate.containable {
                    covered[candidate.field, default: []].formUnion(start...end)
                    if let current = best[candidate.field],
                       current.length > length || (current.length == length && current.confidence >= candidate.confidence) {
                        continue
                    }
                    best[candidate.field] = (length, candidate.confidence, qualified)
                }
            }
        }
        // "Email / Teléfono" and "Teléfono 1 - Etiqueta" name two fields: only a longer match
        // may settle it.
        let longest = best.values.map(\.length).max() ?? 0
        let winners = best.filter { $0.value.length == longest }
        // "Email Opt Out", "Phone Type": words about the field, not the field.
        guard winners.count == 1, let winner = winners.first, !winner.value.qualified else { return [] }
        // "Celular / WhatsApp", "Nombre(s) de pila": every word names the same field, so the
        // header is as clear as a listed synonym. Otherwise the extra words leave some doubt.
        let fieldWords = covered[winner.key] ?? []
        let fullyNamed = words.indices.allSatisfy { fieldWords.contains($0) || MappingSynonyms.connectorWords.contains(words[$0]) }
        return [(winner.key, winner.value.confidence * (fullyNamed ? 1 : 0.85))]
    }

    /// Typos of a table header. A wrong mapping is worse than none, so a typo match must be
    /// close (one edit up to 8 letters, two up to 12, three beyond), must not be a real word of
    /// another meaning ("Campaña" is not "Company", in any of our languages), and must beat the
    /// next field by a whole edit: "Nmbre" could only be one field, "Nome"/"Note" could be two.
    private func fuzzyMatches(_ compact: String, words: [String]) -> [(Int, Double)] {
        let header = Array(compact.utf8)
        guard header.count >= 4 else { return [] }
        if words.contains(where: MappingSynonyms.knownOtherWords.contains)
            || words.contains(where: MappingSynonyms.qualifierWords.contains) { return [] }
        var best: [Int: (value: Double, distance: Int)] = [:]
        // Only keys whose length is within the largest allowed distance can be close enough.
        for length in max(4, header.count - 3)...(header.count + 3) {
            for (target, candidates) in fuzzyTable[length] ?? [] {
                let longer = max(header.count, target.count)
                let allowed = longer <= 8 ? 1 : (longer <= 12 ? 2 : 3)
                guard abs(target.count - header.count) <= allowed,
                      let distance = MappingSuggester.restrictedDamerauLevenshtein(header, target, limit: allowed),
                      distance > 0 else { continue }
                let closeness = 1 - Double(distance) / Double(longer)
                for candidate in candidates {
                    let value = candidate.confidence * 0.85 * closeness
                    if value > best[candidate.field]?.value ?? 0 { best[candidate.field] = (value, distance) }
                }
            }
        }
        let closest = best.values.map(\.distance).min() ?? 0
        let atClosest = best.filter { $0.value.distance == closest }
        // Two fields equally close: leave it to the user.
        guard atClosest.count == 1 else { return [] }
        return atClosest.map { ($0.key, $0.value.value) }
    }

    /// Among columns that could be one field, a nearly empty one (an unused "WhatsApp" column,
    /// Outlook's "Other Country/Region") should not win over a well-filled one just because its
    /// header ranks higher or comes first; an empty one never does.
    private func preferBetterFilledColumns(_ scores: inout [[Int: Score]], columns: [ColumnProfile]) {
        for field in fields.indices {
            let candidates = scores.indices.filter { scores[$0][field] != nil }
            guard candidates.count > 1 else { continue }
            let bestFilled = candidates.map { columns[$0].filled }.max() ?? 0
            guard bestFilled > 0 else { continue }
            for position in candidates where columns[position].filled * 2 < bestFilled {
                guard var score = scores[position][field], score.reason != .exactHeader else { continue }
                score.value *= columns[position].filled == 0 ? 0.5 : 0.85
                scores[position][field] = score.value >= MappingSuggester.minimumConfidence ? score : nil
            }
        }
    }

    private func identifier(_ suggestions: [ColumnSuggestion], columns: [ColumnProfile]) -> BuiltinField? {
        func filled(_ field: BuiltinField) -> Int? {
            // Custom fields never share a built-in key (init drops them), so the key is enough.
            guard let position = suggestions.firstIndex(where: { $0.field == field.rawValue }) else { return nil }
            return columns[position].filled
        }
        switch (filled(.phone), filled(.email)) {
        case (nil, nil): return nil
        case (.some, nil): return .phone
        case (nil, .some): return .email
        // Ties go to the phone: conversations arrive by WhatsApp, so it identifies more contacts.
        case (.some(let phone), .some(let email)): return phone >= email ? .phone : .email
        }
    }

    // MARK: - Header table

    struct HeaderCandidate {
        let field: Int
        let confidence: Double
        let reason: MappingReason
        /// May be found inside a longer header.
        let containable: Bool
        /// May match a misspelt header.
        let fuzzyAllowed: Bool
    }

    private static let conceptHeaders: [(types: [FieldType], compacts: Set<String>)] = MappingSynonyms.concepts.map {
        ($0.types, Set($0.headers.map { HeaderText($0).compact }))
    }

    private static let builtinSynonyms: [(compact: String, group: SynonymGroup)] = MappingSynonyms.groups.flatMap { group in
        group.headers.map { (HeaderText($0).compact, group) }
    }

    private static func buildTable(fields: [FieldDefinition], index: [String: Int]) -> [String: [HeaderCandidate]] {
        var table: [String: [HeaderCandidate]] = [:]
        func add(_ compact: String, _ candidate: HeaderCandidate) {
            guard !compact.isEmpty else { return }
            var list = table[compact, default: []]
            if let existing = list.firstIndex(where: { $0.field == candidate.field }) {
                guard list[existing].confidence < candidate.confidence else { return }
                list[existing] = candidate
            } else {
                list.append(candidate)
            }
            table[compact] = list
        }
        for (position, field) in fields.enumerated() {
            // contactId is only ever mapped from its own names: a wrong guess would update the
            // wrong contacts.
            let guessable = field.key != BuiltinField.contactId.rawValue
            let names = [field.key, field.label.english, field.label.spanish, field.label.portuguese].compactMap { $0 }
            for name in names {
                add(HeaderText(name).compact, HeaderCandidate(field: position, confidence: 1, reason: .exactHeader,
                                                             containable: guessable, fuzzyAllowed: guessable))
            }
        }
        // Custom fields named after a concept get the concept's other headers as synonyms.
        for (position, field) in fields.enumerated() where !field.isBuiltin {
            let names = Set([field.key, field.label.english, field.label.spanish, field.label.portuguese]
                .compactMap { $0 }.map { HeaderText($0).compact })
            for concept in conceptHeaders where !names.isDisjoint(with: concept.compacts) {
                let confidence = concept.types.contains(field.type) ? 0.9 : 0.8
                for compact in concept.compacts {
                    add(compact, HeaderCandidate(field: position, confidence: confidence, reason: .synonym,
                                                 containable: false, fuzzyAllowed: true))
                }
            }
        }
        for (compact, group) in builtinSynonyms {
            guard let position = index[group.field.rawValue] else { continue }
            let guessable = group.field != .contactId
            add(compact, HeaderCandidate(field: position, confidence: group.confidence, reason: .synonym,
                                         containable: guessable && group.confidence >= 0.9,
                                         fuzzyAllowed: guessable))
        }
        return table
    }

    // MARK: - Algorithms

    /// Optimal-string-alignment distance (Damerau-Levenshtein where a transposed pair is one
    /// edit, the usual typo model); nil as soon as it must exceed `limit`.
    static func restrictedDamerauLevenshtein(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int? {
        if a.isEmpty || b.isEmpty {
            let distance = max(a.count, b.count)
            return distance <= limit ? distance : nil
        }
        let width = b.count + 1
        var previousPrevious = [Int](repeating: 0, count: width)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: width)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return nil }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        let distance = previous[b.count]
        return distance <= limit ? distance : nil
    }

    /// Maximum-weight assignment of fields to columns (each used at most once); returns the
    /// field chosen for each column position.
    static func assign(scores: [[Int: Score]]) -> [Int?] {
        let candidateColumns = scores.indices.filter { !scores[$0].isEmpty }
        let candidateFields = Array(Set(scores.flatMap(\.keys))).sorted()
        var result = [Int?](repeating: nil, count: scores.count)
        guard !candidateColumns.isEmpty, !candidateFields.isEmpty else { return result }

        // Earlier columns win ties, by a margin far below any real difference in confidence.
        func weight(column: Int, field: Int) -> Double {
            guard let score = scores[column][field] else { return 0 }
            return score.value - Double(column) * 1e-9 + Double(score.reason.strength) * 1e-7
        }
        if candidateFields.count <= candidateColumns.count {
            let matrix = candidateFields.map { field in candidateColumns.map { weight(column: $0, field: field) } }
            for (row, column) in hungarianMaximum(matrix).enumerated() {
                guard let column else { continue }
                let columnPosition = candidateColumns[column]
                if scores[columnPosition][candidateFields[row]] != nil { result[columnPosition] = candidateFields[row] }
            }
        } else {
            let matrix = candidateColumns.map { column in candidateFields.map { weight(column: column, field: $0) } }
            for (row, field) in hungarianMaximum(matrix).enumerated() {
                guard let field else { continue }
                let columnPosition = candidateColumns[row]
                if scores[columnPosition][candidateFields[field]] != nil { result[columnPosition] = candidateFields[field] }
            }
        }
        return result
    }

    /// The Hungarian algorithm (shortest augmenting paths with potentials) for an n×m matrix with
    /// n ≤ m: assigns every row a distinct column maximising the total weight.
    static func hungarianMaximum(_ weights: [[Double]]) -> [Int?] {
        let n = weights.count
        guard n > 0, let m = weights.first?.count, m >= n else { return [Int?](repeating: nil, count: n) }
        let infinity = Double.greatestFiniteMagnitude
        var u = [Double](repeating: 0, count: n + 1)
        var v = [Double](repeating: 0, count: m + 1)
        var owner = [Int](repeating: 0, count: m + 1)   // row (1-based) holding column j; 0 = free
        var way = [Int](repeating: 0, count: m + 1)
        for row in 1...n {
            owner[0] = row
            var column0 = 0
            var minimum = [Double](repeating: infinity, count: m + 1)
            var used = [Bool](repeating: false, count: m + 1)
            repeat {
                used[column0] = true
                let row0 = owner[column0]
                var delta = infinity
                var column1 = 0
                for column in 1...m where !used[column] {
                    let cost = -weights[row0 - 1][column - 1] - u[row0] - v[column]
                    if cost < minimum[column] {
                        minimum[column] = cost
                        way[column] = column0
                    }
                    if minimum[column] < delta {
                        delta = minimum[column]
                        column1 = column
                    }
                }
                for column in 0...m {
                    if used[column] {
                        u[owner[column]] += delta
                        v[column] -= delta
                    } else {
                        minimum[column] -= delta
                    }
                }
                column0 = column1
            } while owner[column0] != 0
            repeat {
                let previous = way[column0]
                owner[column0] = owner[previous]
                column0 = previous
            } while column0 != 0
        }
        var assignment = [Int?](repeating: nil, count: n)
        for column in 1...m where owner[column] != 0 {
            assignment[owner[column] - 1] = column - 1
        }
        return assignment
    }
}

/// What a column's sampled values look like.
struct ContentProfile {
    let count: Int
    var email = 0.0
    var phone = 0.0
    var language = 0.0
    var country = 0.0
    var integer = 0.0
    var date = 0.0
    /// Yes/no values ("Yes", "No", "true", "0"): such a column is never a code column.
    var checkbox = 0.0
    /// Brazilian CPF numbers (11 digits with valid check digits): never a phone column.
    var cpf = 0.0

    init(samples: [String]) {
        count = samples.count
        guard count > 0 else { return }
        // A first look at a few values decides which recognisers are worth running on the rest.
        let probe = samples.prefix(20)
        func fraction(_ values: ArraySlice<String>, _ test: (String) -> Bool) -> Double {
            Double(values.reduce(0) { $0 + (test($1) ? 1 : 0) }) / Double(max(values.count, 1))
        }
        // 60 values tell a column of e-mails from one that merely has some; more would only
        // cost time on wide files.
        let sample = samples.prefix(60)
        func measure(_ test: (String) -> Bool) -> Double {
            let early = fraction(probe, test)
            guard early >= 0.3 else { return early }
            return fraction(sample, test)
        }
        email = measure(ContentSignals.looksLikeEmail)
        phone = measure(ContentSignals.looksLikePhone)
        language = measure { ContentProfile.couldBeName($0) && ContentSignals.languageCode($0) != nil }
        country = measure { ContentProfile.couldBeName($0) && ContentSignals.countryCode($0) != nil }
        integer = measure(ContentProfile.isWholeNumber)
        checkbox = measure { if case .success = FieldValues.checkbox($0) { return true } else { return false } }
        if phone >= 0.3 { cpf = measure(ContentProfile.isCPF) }
        if email < 0.3 {
            date = measure { ContentProfile.couldBeDate($0) && (try? FieldValues.date($0, dayFirst: true).get()) != nil }
            // "1990-03-12" has the digits of a short phone number; a column of dates is not phones.
            if date >= 0.6 { phone = 0 }
        }
        // "No" is Norway and Norwegian, "Si" is not a code: a yes/no column holds no countries.
        if checkbox >= 0.6 {
            language = 0
            country = 0
        }
    }

    static func couldBeDate(_ value: String) -> Bool {
        value.utf8.count >= 6 && value.utf8.count <= 40 && value.utf8.contains { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// An 11-digit Brazilian CPF ("123.456.789-09") whose two check digits are right.
    static func isCPF(_ value: String) -> Bool {
        var digits: [Int] = []
        for byte in value.utf8 {
            switch byte {
            case 0x30...0x39: digits.append(Int(byte - 0x30))
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: " "): continue
            default: return false
            }
        }
        guard digits.count == 11, Set(digits).count > 1 else { return false }
        func check(_ length: Int) -> Int {
            var sum = 0
            for i in 0..<length { sum += digits[i] * (length + 1 - i) }
            let rest = (sum * 10) % 11
            return rest == 10 ? 0 : rest
        }
        return check(9) == digits[9] && check(10) == digits[10]
    }

    /// A cheap filter before the language and country tables: their names and codes are short
    /// and have no digits or '@' ("es", "pt-BR", "Español", "Estados Unidos"; "es_MX").
    static func couldBeName(_ value: String) -> Bool {
        var count = 0
        for byte in value.utf8 {
            count += 1
            if count > 40 || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "@") { return false }
        }
        return count > 0
    }

    static func isWholeNumber(_ value: String) -> Bool {
        var digits = 0
        for byte in value.utf8 {
            switch byte {
            case 0x30...0x39: digits += 1
            case 0x20, 0x09: continue
            default: return false
            }
        }
        return digits > 0
    }

    private func fraction(for field: BuiltinField) -> Double? {
        switch field {
        case .email: return email
        case .phone: return phone
        case .language: return language
        case .countryCode: return country
        default: return nil
        }
    }

    /// Header evidence seen against the values: nil drops it.
    func adjust(_ score: MappingSuggester.Score, for field: BuiltinField) -> MappingSuggester.Score? {
        guard count > 0 else { return score }
        if field == .contactId { return integer >= 0.9 ? score : nil }
        guard let own = fraction(for: field) else { return score }
        // Typos, synonyms found inside longer headers and weak synonyms are guesses: the values
        // must back them.
        let isGuess = score.reason == .fuzzy || (score.reason == .synonym && score.value < 0.9)
        if isGuess { return own >= 0.5 ? score : nil }
        // A "Teléfono" column full of e-mail addresses (shifted columns): trust the values.
        let other = field == .phone ? email : (field == .email ? phone : 0)
        if own < 0.2 && other >= 0.8 { return MappingSuggester.Score(value: score.value * 0.5, reason: score.reason) }
        return score
    }

    /// Fields the values alone point to, with a confidence that grows with the share recognised.
    func candidates(allowPhone: Bool, allowCodes: Bool = true) -> [(BuiltinField, Double)] {
        guard count > 0 else { return [] }
        var result: [(BuiltinField, Double)] = []
        if email >= 0.6 { result.append((.email, 0.5 + 0.4 * email)) }
        if allowPhone && phone >= 0.6 && email < 0.6 && cpf < 0.5 { result.append((.phone, 0.45 + 0.4 * phone)) }
        // "es", "pt", "de" are both languages and countries: the clearer reading wins, and a
        // column that is equally both is left to its header.
        if allowCodes && (language >= 0.6 || country >= 0.6) {
            let languageValue = 0.4 + 0.4 * language - (country >= language ? 0.1 : 0)
            let countryValue = 0.4 + 0.4 * country - (language >= country ? 0.1 : 0)
            if language >= 0.6 { result.append((.language, languageValue)) }
            if country >= 0.6 { result.append((.countryCode, countryValue)) }
        }
        return result
    }
}
