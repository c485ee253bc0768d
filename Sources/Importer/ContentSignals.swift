import Foundation
import Contacts

/// What a single cell looks like, for recognising a column by its content.
/// INTERIM: simple local recognisers until module Contacts provides `EmailAddresses.looksLikeEmail`,
/// `PhoneNumbers.looksLikePhone`, `Languages.code(for:)` and `Countries.code(for:)`; then these
/// forward to it so the suggester and the review agree on what a valid value is.
enum ContentSignals {
    static func looksLikeEmail(_ value: String) -> Bool {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !trimmed.contains(where: { $0 == " " || $0 == "," || $0 == ";" }) else { return false }
        return true
    }

    static func looksLikePhone(_ value: String) -> Bool {
        var digits = 0
        for scalar in value.unicodeScalars {
            switch scalar {
            case "0"..."9": digits += 1
            case "+", "(", ")", "-", ".", " ", "/": continue
            default: return false
            }
        }
        return (7...15).contains(digits)
    }

    static func languageCode(_ value: String) -> String? {
        let key = fold(value)
        if key.count == 2, languageCodes.contains(key) { return key }
        return languageNames[key]
    }

    static func countryCode(_ value: String) -> String? {
        let key = fold(value)
        if key.count == 2, countryCodes.contains(key) { return key.uppercased() }
        return countryNames[key]
    }

    private static func fold(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespaces)
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .lowercased()
    }

    private static let languageCodes: Set<String> = ["es", "en", "pt", "fr", "de", "it", "ca", "gl", "eu", "nl", "zh", "ja", "ar", "ru"]
    private static let languageNames: [String: String] = [
        "spanish": "es", "espanol": "es", "castellano": "es", "espanhol": "es",
        "english": "en", "ingles": "en", "portuguese": "pt", "portugues": "pt",
        "french": "fr", "frances": "fr", "german": "de", "aleman": "de", "alemao": "de",
        "italian": "it", "italiano": "it",
    ]
    private static let countryCodes: Set<String> = ["mx", "es", "ar", "co", "cl", "pe", "ve", "ec", "bo", "py", "uy", "br", "pt", "us", "gt", "hn", "sv", "ni", "cr", "pa", "do", "cu", "pr", "ca", "gb", "fr", "de", "it"]
    private static let countryNames: [String: String] = [
        "mexico": "MX", "espana": "ES", "spain": "ES", "argentina": "AR", "colombia": "CO", "chile": "CL",
        "peru": "PE", "venezuela": "VE", "ecuador": "EC", "bolivia": "BO", "paraguay": "PY", "uruguay": "UY",
        "brasil": "BR", "brazil": "BR", "portugal": "PT", "united states": "US", "estados unidos": "US", "usa": "US",
        "guatemala": "GT", "honduras": "HN", "el salvador": "SV", "nicaragua": "NI", "costa rica": "CR", "panama": "PA",
    ]
}
