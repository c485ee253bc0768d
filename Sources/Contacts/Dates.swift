/// Dates, stored as ISO 8601 calendar dates (yyyy-MM-dd).
///
/// Decisions:
/// - Year first: 1990-12-31, 1990/12/31, 1990.12.31, 19901231 (ISO basic), and ISO date-times
///   (1990-12-31T10:30:00Z, 1990-12-31 10:30): the date is kept as written, the time and zone are
///   dropped (the field is a date; converting zones would move birthdays).
/// - Day and month: 31/12/1990, 31-12-1990, 31.12.1990. A first number above 12 means day-first,
///   a second one above 12 month-first; when both could be either, `dayFirst` decides (the
///   client's locale; day-first by default, as our users write). A time after the date is dropped.
/// - Two-digit years follow Excel: 00–29 → 2000–2029, 30–99 → 1930–1999.
/// - Month names in English, Spanish and Portuguese, full or abbreviated: "31 de diciembre de
///   1990", "31-Dec-1990" (Excel), "December 31, 1990", "31 dez 1990".
/// - The date must exist (no 1990-02-30); years 1000–9999. Excel serial numbers are rejected.
extension FieldValues {
    public static func date(_ value: String, dayFirst: Bool) -> Result<String, ValueProblem> {
        let value = value.trimmingWhitespace()
        if let (month, day) = parseYearless(value, dayFirst: dayFirst) {
            guard (1...12).contains(month), day >= 1, day <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] else {
                return .failure(.invalidDate(value))
            }
            return .success("--" + (month < 10 ? "0\(month)" : "\(month)") + "-" + (day < 10 ? "0\(day)" : "\(day)"))
        }
        guard let (year, month, day) = parseDate(value, dayFirst: dayFirst), isValid(year, month, day) else {
            return .failure(.invalidDate(value))
        }
        return .success(iso(year, month, day))
    }

    /// A birthday without its year: Google's `--03-12` (and `--0312`), `03/12`, `12.03`, `12 de
    /// marzo`, `March 12`. Month and day, or nil when the value is not shaped like one. Stored in
    /// ISO 8601's year-less form `--MM-DD` (as vCard writes it).
    private static func parseYearless(_ value: String, dayFirst: Bool) -> (Int, Int)? {
        if value.hasPrefix("--") {
            let digits = value.dropFirst(2).filter { $0 != "-" }
            guard digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { return nil }
            return (n / 100, n % 100)
        }
        let tokens = tokenize(Substring(value))
        let numbers = tokens.compactMap { token -> Substring? in if case .number(let n) = token { return n }; return nil }
        let words = tokens.compactMap { token -> String? in if case .word(let w) = token { return w }; return nil }
        let separators = tokens.compactMap { token -> Character? in if case .separator(let s) = token { return s }; return nil }
        guard numbers.count == 2 || (numbers.count == 1 && words.count >= 1) else { return nil }
        if words.isEmpty {
            guard numbers.count == 2, separators.count == 1, "/-.".contains(separators[0]),
                  numbers[0].count <= 2, numbers[1].count <= 2, let a = Int(numbers[0]), let b = Int(numbers[1]) else { return nil }
            if a > 12 && b <= 12 { return (b, a) }
            if b > 12 && a <= 12 { return (a, b) }
            return dayFirst ? (b, a) : (a, b)
        }
        let fillers: Set<String> = ["de", "del", "of", "the", "th", "st", "nd", "rd"]
        let meaningful = words.filter { !fillers.contains($0) }
        guard numbers.count == 1, numbers[0].count <= 2, meaningful.count == 1, let month = monthNumbers[meaningful[0]],
              let day = Int(numbers[0]) else { return nil }
        return (month, day)
    }

    private static func iso(_ year: Int, _ month: Int, _ day: Int) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    private static func isValid(_ year: Int, _ month: Int, _ day: Int) -> Bool {
        guard (1000...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    private static func expandYear(_ digits: Substring) -> Int? {
        guard let n = Int(digits) else { return nil }
        switch digits.count {
        case 4: return n
        case 2: return n < 30 ? 2000 + n : 1900 + n
        default: return nil
        }
    }

    private enum Token {
        case number(Substring)
        case word(String)
        case separator(Character)
    }

    private static func tokenize(_ text: Substring) -> [Token] {
        var tokens: [Token] = []
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c.isASCII && c.isNumber {
                let start = i
                while i < text.endIndex, text[i].isASCII, text[i].isNumber { i = text.index(after: i) }
                tokens.append(.number(text[start..<i]))
            } else if c.isLetter {
                let start = i
                while i < text.endIndex, text[i].isLetter { i = text.index(after: i) }
                tokens.append(.word(TextFolding.fold(String(text[start..<i]))))
            } else {
                tokens.append(.separator(c))
                i = text.index(after: i)
            }
        }
        return tokens
    }

    private static func parseDate(_ value: String, dayFirst: Bool) -> (Int, Int, Int)? {
        let text = Substring(value)
        // A time part after the date ("T10:30", " 10:30:00", " 10:30 p. m."): the hour's digits
        // before the first colon, after a "T" or a space.
        var datePart = text
        if let colon = text.firstIndex(of: ":") {
            var hourStart = colon
            while hourStart > text.startIndex, text[text.index(before: hourStart)].isASCII,
                  text[text.index(before: hourStart)].isNumber {
                hourStart = text.index(before: hourStart)
            }
            guard hourStart < colon, hourStart > text.startIndex else { return nil }
            let marker = text.index(before: hourStart)
            guard text[marker] == "T" || text[marker] == " " else { return nil }
            datePart = text[..<marker]
            while datePart.last == " " || datePart.last == "," { datePart = datePart.dropLast() }
        }
        let tokens = tokenize(datePart)
        let numbers = tokens.compactMap { token -> Substring? in if case .number(let n) = token { return n }; return nil }
        let words = tokens.compactMap { token -> String? in if case .word(let w) = token { return w }; return nil }
        let separators = tokens.compactMap { token -> Character? in if case .separator(let s) = token { return s }; return nil }

        if words.isEmpty {
            if numbers.count == 1, let only = numbers.first, only.count == 8, let n = Int(only) {
                return (n / 10000, n / 100 % 100, n % 100)  // ISO basic 19901231
            }
            guard numbers.count == 3, separators.count == 2, separators[0] == separators[1],
                  "-/.".contains(separators[0]) else { return nil }
            let a = numbers[0], b = numbers[1], c = numbers[2]
            if a.count == 4 {
                guard b.count <= 2, c.count <= 2, let m = Int(b), let d = Int(c), let y = Int(a) else { return nil }
                return (y, m, d)
            }
            guard a.count <= 2, b.count <= 2, let first = Int(a), let second = Int(b), let year = expandYear(c) else { return nil }
            if first > 12 && second <= 12 { return (year, second, first) }
            if second > 12 && first <= 12 { return (year, first, second) }
            return dayFirst ? (year, second, first) : (year, first, second)
        }

        // Month names: drop the filler words and read the month, the day and the year.
        let fillers: Set<String> = ["de", "del", "of", "the", "th", "st", "nd", "rd"]
        let meaningful = words.filter { !fillers.contains($0) }
        guard meaningful.count == 1, let month = monthNumbers[meaningful[0]], numbers.count == 2 else { return nil }
        let first = numbers[0], second = numbers[1]
        if first.count == 4, second.count <= 2, let y = Int(first), let d = Int(second) { return (y, month, d) }
        guard first.count <= 2, let day = Int(first), let year = expandYear(second) else { return nil }
        return (year, month, day)
    }

    /// Month names and abbreviations in English, Spanish and Portuguese, folded.
    private static let monthNumbers: [String: Int] = {
        let names = [
            "january jan enero ene janeiro",
            "february feb febrero fevereiro fev",
            "march mar marzo marco",
            "april apr abril abr",
            "may mayo maio mai",
            "june jun junio junho",
            "july jul julio julho",
            "august aug agosto ago",
            "september sep sept septiembre setiembre set setembro",
            "october oct octubre outubro out",
            "november nov noviembre novembro",
            "december dec diciembre dic dezembro dez",
        ]
        var table: [String: Int] = [:]
        for (index, line) in names.enumerated() {
            for name in line.split(separator: " ") { table[String(name)] = index + 1 }
        }
        return table
    }()
}
