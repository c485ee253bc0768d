import FoundationEssentials

/// Encodes a wire type (`Encodable`) into a `JSONValue`: the one encoder of results. An optional
/// member that is nil is left out (Swift's `encodeIfPresent`); a member that the protocol sends
/// as an explicit `null` is declared `OrNull<T>`.
public enum JSONValueEncoder {
    public static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let box = ValueBox()
        try ValueEncoder.encode(value, into: box, codingPath: [])
        return box.value
    }
}

/// A member sent as `null` when it has no value (the protocol's `"finishedAt": null`).
public struct OrNull<Wrapped: Encodable & Sendable>: Encodable, Sendable {
    public let value: Wrapped?
    public init(_ value: Wrapped?) { self.value = value }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

extension JSONValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .int(let number): try container.encode(number)
        case .double(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }
}

/// What an encoder builds: a value, or an object or array of boxes still being filled (so a
/// nested container writes into its parent, whatever order the `encode(to:)` uses).
final class ValueBox {
    enum Node {
        case value(JSONValue)
        case object([String: ValueBox])
        case array([ValueBox])
    }

    var node: Node = .value(.null)

    init(_ value: JSONValue = .null) { node = .value(value) }

    var value: JSONValue {
        get {
            switch node {
            case .value(let value): return value
            case .object(let members): return .object(members.mapValues(\.value))
            case .array(let elements): return .array(elements.map(\.value))
            }
        }
        set { node = .value(newValue) }
    }

    func member(_ key: String) -> ValueBox {
        if case .object = node {} else { node = .object([:]) }
        guard case .object(var members) = node else { return ValueBox() }
        let box = ValueBox()
        members[key] = box
        node = .object(members)
        return box
    }

    func appended() -> ValueBox {
        if case .array = node {} else { node = .array([]) }
        guard case .array(var elements) = node else { return ValueBox() }
        let box = ValueBox()
        elements.append(box)
        node = .array(elements)
        return box
    }

    var count: Int {
        if case .array(let elements) = node { return elements.count }
        return 0
    }
}

final class ValueEncoder: Encoder {
    let storage: ValueBox
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(storage: ValueBox = ValueBox(), codingPath: [any CodingKey] = []) {
        self.storage = storage
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = storage.node {} else { storage.node = .object([:]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(storage: storage, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = storage.node {} else { storage.node = .array([]) }
        return UnkeyedContainer(storage: storage, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(storage: storage, codingPath: codingPath)
    }

    static func encode<T: Encodable>(_ value: T, into box: ValueBox, codingPath: [any CodingKey]) throws {
        switch value {
        case let text as String: box.value = .string(text)
        case let number as Int: box.value = .int(number)
        case let number as Int64: box.value = .int(Int(number))
        case let flag as Bool: box.value = .bool(flag)
        case let number as Double: box.value = .double(number)
        case let json as JSONValue: box.value = json
        default: try value.encode(to: ValueEncoder(storage: box, codingPath: codingPath))
        }
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let storage: ValueBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { storage.member(key.stringValue).value = .null }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try ValueEncoder.encode(value, into: storage.member(key.stringValue), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let box = storage.member(key.stringValue)
        box.node = .object([:])
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(storage: box, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let box = storage.member(key.stringValue)
        box.node = .array([])
        return UnkeyedContainer(storage: box, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(storage: storage.member("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        ValueEncoder(storage: storage.member(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let storage: ValueBox
    let codingPath: [any CodingKey]
    var count: Int { storage.count }

    mutating func encodeNil() throws { storage.appended().value = .null }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try ValueEncoder.encode(value, into: storage.appended(), codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let box = storage.appended()
        box.node = .object([:])
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(storage: box, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let box = storage.appended()
        box.node = .array([])
        return UnkeyedContainer(storage: box, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(storage: storage.appended(), codingPath: codingPath) }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let storage: ValueBox
    let codingPath: [any CodingKey]
    mutating func encodeNil() throws { storage.value = .null }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try ValueEncoder.encode(value, into: storage, codingPath: codingPath)
    }
}
