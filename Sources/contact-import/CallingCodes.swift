import Contacts

/// Which country an E.164 number belongs to, as far as its calling code says: enough to tell
/// `+34…` (ES) from `+52…` (MX) for a hint. Codes that several countries share (+1, +7, +44…)
/// name the country most of their numbers belong to.
enum CallingCodes {
    private static let main: [Int: String] = [
        1: "US", 7: "RU", 39: "IT", 44: "GB", 47: "NO", 61: "AU", 212: "MA", 262: "RE", 290: "SH", 358: "FI",
        590: "GP", 599: "CW", 672: "NF",
    ]

    private static let countries: [Int: [String]] = {
        var table: [Int: [String]] = [:]
        for code in Countries.allCodes {
            if let calling = Countries.callingCode(of: code) { table[calling, default: []].append(code) }
        }
        return table
    }()

    static func country(ofE164 number: String) -> String? {
        guard number.first == "+" else { return nil }
        let digits = number.dropFirst().prefix(3)
        // Calling codes are a prefix code: at most one of 1, 2 or 3 digits is assigned.
        for length in 1...3 where digits.count >= length {
            guard let calling = Int(digits.prefix(length)), let candidates = countries[calling] else { continue }
            if candidates.count == 1 { return candidates[0] }
            return main[calling].flatMap { candidates.contains($0) ? $0 : nil }
        }
        return nil
    }
}
