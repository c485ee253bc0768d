import FoundationEssentials

/// How every time goes on the wire: ISO 8601 in UTC, whole seconds (`2026-11-29T17:40:25Z`),
/// or with milliseconds where the store keeps them (a contact's `createdAt`, `updatedAt`).
enum WireTime {
    private static let seconds = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .gmt)
    private static let milliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true,
                                                              timeZone: TimeZone(identifier: "UTC") ?? .gmt)

    static func string(_ date: Date, milliseconds withMilliseconds: Bool = false) -> String {
        date.formatted(withMilliseconds ? milliseconds : seconds)
    }
}
