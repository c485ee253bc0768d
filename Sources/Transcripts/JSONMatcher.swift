import FoundationEssentials
import Localization
import JSONRPC

/// Compares an expected JSON value (from a transcript or a test) with an actual one, tolerating
/// the values that legitimately change from run to run. The rule (also in protocol/README.md):
///
/// 1. Wildcards written by hand: the string `"{...}"` matches any value; inside a string, `[..]`
///    matches any run of characters.
/// 2. Ids the server issues — members named `sessionId`, `reviewId`, `jobId` — match any value of
///    the same JSON type, but consistently: the first time an expected id is seen it is bound to
///    the actual one, and from then on the same expected id must meet the same actual id (and
///    two different expected ids cannot meet one actual id). Bound ids are also substituted into
///    the client's later messages and into strings that mention them.
/// 3. Members named `version`, `startedAt`, `finishedAt`, `expiresAt`, `createdAt`, `updatedAt`,
///    `processId` match any value of the same JSON type.
/// 4. In every string, these volatile parts compare as placeholders: ISO 8601 timestamps,
///    import tags with a timestamp (`import-20261129-170405`, `-2` suffixes included), absolute
///    paths and `file://` URIs.
/// 5. Everything else must be equal, integers and doubles included (`1` is not `1.0`); objects
///    must have the same members and arrays the same elements in the same order.
public struct JSONMatcher: Sendable {
    public static let issuedIDKeys: Set<String> = ["sessionId", "reviewId", "jobId"]
    public static let anyValueKeys: Set<String> = ["version", "startedAt", "finishedAt", "expiresAt", "createdAt",
                                                   "updatedAt", "processId"]

    public struct Mismatch: Sendable, CustomStringConvertible {
        public let path: String
        public let expected: String
        public let actual: String
        public var description: String { "at \(path): expected \(expected), got \(actual)" }
    }

    /// Expected issued id (serialized) → actual id.
    public private(set) var bindings: [String: JSONValue] = [:]
    private var boundActuals: [String: String] = [:]

    public init() {}

    /// Matches and, when it matches, keeps the new bindings. Returns the mismatches (empty = match).
    public mutating func match(expected: JSONValue, actual: JSONValue) -> [Mismatch] {
        var trial = self
        var mismatches: [Mismatch] = []
        trial.compare(expected, actual, path: "$", key: nil, into: &mismatches)
        if mismatches.isEmpty { self = trial }
        return mismatches
    }

    /// True if `expected` matches `actual`; keeps bindings on success.
    public mutating func matches(expected: JSONValue, actual: JSONValue) -> Bool {
        match(expected: expected, actual: actual).isEmpty
    }

    /// Replaces ids bound so far in a message the client is about to send again.
    public func substitute(_ value: JSONValue, key: String? = nil) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (name, member) in members { result[name] = substitute(member, key: name) }
            return .object(result)
        case .array(let elements):
            return .array(elements.map { substitute($0, key: key) })
        default:
            if let key, Self.issuedIDKeys.contains(key), let bound = bindings[value.serialized] { return bound }
            return value
        }
    }

    private mutating func compare(_ expected: JSONValue, _ actual: JSONValue, path: String, key: String?,
                                  into mismatches: inout [Mismatch]) {
        if expected == .string("{...}") { return }
        if let key, Self.issuedIDKeys.contains(key), expected != .null {
            bind(expected, actual, path: path, into: &mismatches)
            return
        }
        if let key, Self.anyValueKeys.contains(key) {
            if expected.typeName != actual.typeName { mismatches.append(mismatch(path, expected, actual)) }
            return
        }
        switch (expected, actual) {
        case (.object(let expectedMembers), .object(let actualMembers)):
            for name in expectedMembers.keys.sorted() {
                let memberPath = path + "." + name
                guard let expectedMember = expectedMembers[name] else { continue }
                guard let actualMember = actualMembers[name] else {
                    mismatches.append(Mismatch(path: memberPath, expected: Self.short(expectedMember), actual: "(missing)"))
                    continue
                }
                compare(expectedMember, actualMember, path: memberPath, key: name, into: &mismatches)
            }
            for name in actualMembers.keys.sorted() where expectedMembers[name] == nil {
                mismatches.append(Mismatch(path: path + "." + name, expected: "(absent)",
                                           actual: Self.short(actualMembers[name] ?? .null)))
            }
        case (.array(let expectedElements), .array(let actualElements)):
            if expectedElements.count != actualElements.count {
                mismatches.append(Mismatch(path: path, expected: "\(expectedElements.count) element(s)",
                                           actual: "\(actualElements.count) element(s): \(Self.short(actual))"))
                return
            }
            for (index, pair) in zip(expectedElements, actualElements).enumerated() {
                compare(pair.0, pair.1, path: "\(path)[\(index)]", key: key, into: &mismatches)
            }
        case (.string(let expectedText), .string(let actualText)):
            if !stringsMatch(expectedText, actualText) { mismatches.append(mismatch(path, expected, actual)) }
        default:
            if expected != actual { mismatches.append(mismatch(path, expected, actual)) }
        }
    }

    private mutating func bind(_ expected: JSONValue, _ actual: JSONValue, path: String, into mismatches: inout [Mismatch]) {
        let expectedKey = expected.serialized
        let actualKey = actual.serialized
        if let bound = bindings[expectedKey] {
            if bound != actual {
                mismatches.append(Mismatch(path: path, expected: "\(Self.short(bound)) (bound earlier to \(expectedKey))",
                                           actual: Self.short(actual)))
            }
            return
        }
        if expected.typeName != actual.typeName {
            mismatches.append(mismatch(path, expected, actual))
            return
        }
        if let other = boundActuals[actualKey], other != expectedKey {
            mismatches.append(Mismatch(path: path, expected: "a new id for \(expectedKey)",
                                       actual: "\(actualKey), already bound to \(other)"))
            return
        }
        bindings[expectedKey] = actual
        boundActuals[actualKey] = expectedKey
    }

    private func stringsMatch(_ expected: String, _ actual: String) -> Bool {
        var expected = expected
        // Ids bound so far may be mentioned in messages ("Session s-1 expired").
        for (expectedID, actualID) in bindings {
            guard case .string(let actualText) = actualID, expectedID.count > 4 else { continue }
            let expectedText = String(expectedID.dropFirst().dropLast())
            if !expectedText.isEmpty { expected = expected.replacingEvery(expectedText, with: actualText) }
        }
        if expected == actual { return true }
        let normalizedExpected = Self.normalizeVolatile(expected)
        let normalizedActual = Self.normalizeVolatile(actual)
        if normalizedExpected == normalizedActual { return true }
        if normalizedExpected.contains("[..]") { return Self.wildcardMatch(normalizedExpected, normalizedActual) }
        return false
    }

    // Compiled once; nil only if a pattern were invalid, which the tests would catch. Swift's
    // Regex has no lookbehind, so a path's preceding character (anything but a word character,
    // ".", ":" or "/") is matched as group 1 and put back.
    nonisolated(unsafe) private static let timestampPattern = try? Regex(
        #"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"#).matchingSemantics(.unicodeScalar)
    nonisolated(unsafe) private static let importTagPattern = try? Regex(#"import-\d{8}-\d{6}(-\d+)?"#).matchingSemantics(.unicodeScalar)
    nonisolated(unsafe) private static let pathPattern = try? Regex(#"()file://[^\s"'`,;)]*|(^|[^\w.:/])/[^\s"'`,;)]+"#)
        .matchingSemantics(.unicodeScalar)

    /// The string with its volatile parts replaced by placeholders (rule 4).
    public static func normalizeVolatile(_ text: String) -> String {
        var result = text
        if let importTagPattern { result = result.replacing(importTagPattern, with: "import-<time>") }
        if let timestampPattern { result = result.replacing(timestampPattern, with: "<time>") }
        if let pathPattern {
            result = result.replacing(pathPattern) { match in
                let kept = match.output[1].substring ?? match.output[2].substring ?? ""
                return String(kept) + "<path>"
            }
        }
        return result
    }

    /// `[..]` matches any run of characters.
    static func wildcardMatch(_ pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "[..]", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, let last = parts.last, text.hasPrefix(first) else { return false }
        var remainder = Substring(text.dropFirst(first.count))
        for part in parts.dropFirst().dropLast() {
            guard let range = remainder.firstRange(of: part) else { return false }
            remainder = remainder[range.upperBound...]
        }
        return parts.count == 1 ? remainder.isEmpty : remainder.hasSuffix(last)
    }

    private func mismatch(_ path: String, _ expected: JSONValue, _ actual: JSONValue) -> Mismatch {
        Mismatch(path: path, expected: Self.short(expected), actual: Self.short(actual))
    }

    static func short(_ value: JSONValue) -> String {
        let text = value.serialized
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
