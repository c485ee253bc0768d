import Contacts

/// What a single cell looks like, for recognising a column by its content. Forwards to the
/// Contacts module so the suggester and the review agree on what a phone or an e-mail is.
enum ContentSignals {
    static func looksLikeEmail(_ value: String) -> Bool { EmailAddresses.looksLikeEmail(value) }
    static func looksLikePhone(_ value: String) -> Bool { PhoneNumbers.looksLikePhone(value) }
    static func languageCode(_ value: String) -> String? { Languages.code(for: value) }
    static func countryCode(_ value: String) -> String? { Countries.code(for: value) }
}
