/// A request id as the client sent it. JSON-RPC treats `1` and `"1"` as different ids, so the
/// id keeps its JSON type and echoes it unchanged in the response.
public struct RequestID: Sendable, Hashable, CustomStringConvertible {
    public enum Value: Sendable, Hashable {
        case number(Int)
        case string(String)
    }

    public let value: Value

    public init(_ number: Int) { value = .number(number) }
    public init(_ text: String) { value = .string(text) }

    /// Reads an id from JSON; fractional numbers, booleans, null and structures are not ids.
    public init?(json: JSONValue) {
        switch json {
        case .int(let number): value = .number(number)
        case .string(let text): value = .string(text)
        default: return nil
        }
    }

    public var json: JSONValue {
        switch value {
        case .number(let number): return .int(number)
        case .string(let text): return .string(text)
        }
    }

    /// `7` or `"7"`, as in logs.
    public var description: String {
        switch value {
        case .number(let number): return String(number)
        case .string(let text): return "\"\(text)\""
        }
    }
}

extension RequestID: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
    public init(stringLiteral value: String) { self.init(value) }
}
