import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import ThreadSupport
import JSONRPC
import Localization
import CSV
import Contacts
import Importer
import Workspace

// import/open, import/suggestMapping, import/close and session expiry — owned by helper "mapping".
//
// Sessions live in one `SessionRegistry` per server (`sessions`), shared with the review methods:
// they find a session with `try requireSession(context)`, which reads `sessionId`, restarts the
// session's time to live and turns a missing or expired id into 1001/1002. A timer started with
// the first `import/open` expires idle sessions and sends `import/sessionExpired {sessionId}`.
extension ImportServer {
    /// The server's import sessions, with the `--session-ttl`, `--max-sessions` and clock of its
    /// configuration.
    public var sessions: SessionRegistry {
        areaState(SessionRegistry.self) {
            SessionRegistry(ttl: configuration.sessionTTL, maxSessions: configuration.maxSessions,
                            clock: configuration.clock)
        }
    }

    /// The session named by the request's `sessionId`; using it restarts its time to live.
    /// Throws `-32602` without a `sessionId`, 1001 for an unknown or closed id, 1002 for an
    /// expired one (and then announces the expiry at once rather than at the next timer tick).
    public func requireSession(_ context: RequestContext, touch: Bool = true) throws -> ImportSession {
        let id = try context.params.string("sessionId")
        do {
            return try sessions.session(id, touch: touch)
        } catch {
            if case .expired = error { announceExpiredSessions() }
            throw error
        }
    }

    /// `requireSession` for a long request (review, commit): the session is also held in use
    /// until `sessions.release(_:)`, taken in the same step as the lookup.
    public func acquireSession(_ context: RequestContext) throws -> ImportSession {
        let id = try context.params.string("sessionId")
        do {
            return try sessions.acquire(id)
        } catch {
            if case .expired = error { announceExpiredSessions() }
            throw error
        }
    }

    // MARK: import/open

    func importOpen(_ context: RequestContext) throws -> JSONValue {
        let params = context.params
        let uri = try params.optionalString("uri")
        let text = try params.optionalString("text")
        let givenName = try params.optionalString("fileName")
        let encoding = try params.optionalEnumValue("encoding", as: TextEncoding.self)
        let delimiter = try delimiterParam(params)
        // The header's 1-based line, overriding the detection of title lines above it.
        let headerRow = try params.optionalInt("headerRow", in: 1...Int(Int32.max))
        if uri == nil && text == nil { throw params.invalid("uri", OpenText.uriOrTextMissing) }
        if uri != nil && text != nil { throw params.invalid("text", OpenText.uriAndText) }

        startSessionExpiryTimer()

        let progress = context.progress(title: OpenText.reading)
        let locale = context.locale
        let report: (Double) -> Void = { fraction in
            let percent = Int(min(max(fraction, 0), 1) * 100)
            progress.report(percentage: percent * 95 / 100, message: OpenText.fileRead(percent: percent, locale))
        }
        let options = CSVReadOptions(encoding: encoding, delimiter: delimiter, locale: context.locale, headerLine: headerRow)
        let session: ImportSession
        do {
            let source: ImportSource
            let fileName: String
            if let uri {
                let path = try Self.filePath(fromURI: uri)
                source = .file(path: path)
                fileName = givenName ?? URL(fileURLWithPath: path).lastPathComponent
            } else {
                source = .text(text ?? "")
                fileName = givenName ?? OpenText.untitled
            }
            session = try sessions.openFile(source, fileName: fileName, options: options, progress: report,
                                            checkCancellation: { try context.checkCancellation() })
        } catch let error as CSVRejection {
            throw LocalizedResponseError(code: ErrorCode.fileRejected, error.detail,
                                         data: ["reason": .string(error.reason.rawValue)])
        }
        let table = session.table
        let columns = session.columns
        progress.end(message: OpenText.rowsRead(table.rowCount, context.locale))
        return openResult(session: session, table: table, columns: columns, locale: context.locale)
    }

    private func openResult(session: ImportSession, table: CSVTable, columns: [ColumnProfile],
                            locale: MessageLocale) -> JSONValue {
        let expiresAt = sessions.expiresAt(session.id) ?? now().addingTimeInterval(configuration.sessionTTL)
        let file: JSONValue = [
            "name": .string(session.fileName),
            "bytes": .int(table.byteCount),
            "encoding": .string(table.encoding.rawValue),
            "bom": .bool(table.hasBOM),
            "delimiter": .string(String(UnicodeScalar(table.delimiter))),
            "rowCount": .int(table.rowCount),
            "columnCount": .int(table.columnCount),
            "headerRow": .int(table.headerLineNumber),
        ]
        let columnList: [JSONValue] = columns.map { column in
            [
                "index": .int(column.index),
                "header": .string(column.header),
                "samples": .array(column.samples.prefix(5).map { .string($0) }),
                "filled": .int(column.filled),
            ]
        }
        let warnings: [JSONValue] = table.warnings.map { warning in
            var object: [String: JSONValue] = [
                "code": .string(warning.code.rawValue),
                "message": .string(warning.message(locale)),
            ]
            if let rows = warning.rows { object["rows"] = .array(rows.map { .int($0) }) }
            return .object(object)
        }
        return [
            "sessionId": .string(session.id),
            "expiresAt": .string(WireTime.string(expiresAt)),
            "file": file,
            "columns": .array(columnList),
            "warnings": .array(warnings),
        ]
    }

    private func delimiterParam(_ params: Params) throws -> UInt8? {
        guard let text = try params.optionalString("delimiter") else { return nil }
        switch text {
        case ",": return UInt8(ascii: ",")
        case ";": return UInt8(ascii: ";")
        case "\t", "\\t", "tab": return UInt8(ascii: "\t")
        case "|": return UInt8(ascii: "|")
        default: throw params.invalid("delimiter", OpenText.badDelimiter, expected: "\",\", \";\", \"\\t\", \"|\"")
        }
    }

    /// `file:///abs/path` or `file://localhost/abs/path`, percent-decoded. Anything else (http,
    /// a relative path, another host) is a file we cannot read: 1003 `unreadable`.
    static func filePath(fromURI uri: String) throws(CSVRejection) -> String {
        let unreadable = CSVRejection(reason: .unreadable, detail: OpenText.notFileURI(uri))
        let scheme = "file://"
        guard uri.count > scheme.count, uri.prefix(scheme.count).lowercased() == scheme else { throw unreadable }
        let rest = uri.dropFirst(scheme.count)
        guard let slash = rest.firstIndex(of: "/") else { throw unreadable }
        let host = rest[..<slash]
        guard host.isEmpty || host.lowercased() == "localhost" else { throw unreadable }
        var encodedPath = rest[slash...]
        // A query or fragment is not part of a file's name.
        if let end = encodedPath.firstIndex(where: { $0 == "?" || $0 == "#" }) { encodedPath = encodedPath[..<end] }
        guard let path = Self.percentDecoded(encodedPath), !path.contains("\0") else {
            throw CSVRejection(reason: .unreadable, detail: OpenText.malformedFileURI(uri))
        }
        return path
    }


    // MARK: import/suggestMapping

    func importSuggestMapping(_ context: RequestContext) throws -> JSONValue {
        let params = context.params
        let session = try requireSession(context)
        let purpose = try params.optionalEnumValue("purpose", as: ImportPurposeName.self)
        let chosenIdentifier = try params.optionalEnumValue("identifier", as: IdentifierName.self)
        let useMemory = try params.optionalBool("remembered") ?? true
        let workspace = try requireWorkspace()
        let fields: [FieldDefinition]
        do {
            fields = try workspace.fields()
        } catch {
            throw LocalizedResponseError(code: ErrorCode.workspaceError, error.text, data: ["reason": .string(error.kind.rawValue)])
        }
        // Only "update existing contacts" may identify by contactId: never suggest what the review
        // would refuse (identifierNotAllowed).
        var suggestion = MappingSuggester(fields: fields)
            .suggest(columns: session.columns, contactIdAllowed: purpose == nil || purpose == .updateExisting)
        var suggested: MappingMemory.Suggested?
        if useMemory {
            do {
                (suggestion, suggested) = try MappingMemory.apply(to: suggestion, table: session.table, fields: fields,
                                                                  store: workspace)
            } catch let error as WorkspaceError {
                throw LocalizedResponseError(code: ErrorCode.workspaceError, error.text, data: ["reason": .string(error.kind.rawValue)])
            }
        }
        let mapping: [JSONValue] = suggestion.columns.map { column in
            [
                "column": .int(column.column),
                "header": .string(column.header),
                "field": column.field.map { .string($0) } ?? .null,
                "confidence": .double(column.confidence),
                "reason": .string(column.reason.rawValue),
            ]
        }
        // A client that already chose phone or email gets it back; otherwise (nothing chosen, or
        // contactId, which the contract's result does not list) the suggestion.
        let chosen = chosenIdentifier == .contactId ? nil : chosenIdentifier?.rawValue
        let identifier = chosen ?? suggestion.identifier?.rawValue
        var result: [String: JSONValue] = ["mapping": .array(mapping), "identifier": identifier.map { .string($0) } ?? .null]
        if let suggested {
            result["suggested"] = ["purpose": suggested.purpose.map(JSONValue.string) ?? .null,
                                   "identifier": suggested.identifier.map(JSONValue.string) ?? .null,
                                   "defaultCountry": suggested.defaultCountry.map(JSONValue.string) ?? .null]
        }
        return .object(result)
    }

    // MARK: import/close

    func importClose(_ context: RequestContext) throws -> JSONValue {
        let id = try context.params.string("sessionId")
        let closed: ImportSession
        do {
            closed = try sessions.close(id)
        } catch {
            if case .expired = error { announceExpiredSessions() }
            throw error
        }
        Self.returnMemory(whenReleased: closed)
        return .null
    }

    // MARK: expiry

    /// Sends `import/sessionExpired` for every session that expired since the last call.
    func announceExpiredSessions() {
        let expired = sessions.sweep()
        guard !expired.isEmpty else { return }
        for id in expired {
            logger.info("session \(id) expired")
            notify("import/sessionExpired", ["sessionId": .string(id)])
        }
        Self.returnFreedMemory()
        // Again a little later, for a request that still held an expired session.
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + 0.5) { Self.returnFreedMemory() }
    }

    private func startSessionExpiryTimer() {
        let timer = areaState(SessionExpiryTimer.self) { SessionExpiryTimer() }
        guard timer.claimStart() else { return }
        let registry = sessions
        // One housekeeping thread per server: it only sleeps and announces.
        Threads.detach { [weak self] in
            while true {
                // Wake at the next deadline (never later than a second, so a clock that jumps is
                // noticed), but not more than 100 times a second.
                var wait = 1.0
                if let deadline = registry.nextDeadline() {
                    wait = min(1.0, max(0.01, deadline.timeIntervalSince(registry.now)))
                }
                Threads.sleep(seconds: wait)
                guard let self else { return }
                self.announceExpiredSessions()
            }
        }
    }

    /// A closed 20 MB session frees its table, but glibc keeps large freed blocks in the heap;
    /// trimming hands them back so the daemon's RSS returns near its baseline.
    static func returnFreedMemory() {
        _ = mallocTrim?(0)
    }

    /// Trims once the session is really gone: a request that used it a moment ago (the
    /// suggestMapping just answered) may still be letting go of it on another thread.
    static func returnMemory(whenReleased session: ImportSession) {
        weak let released = session
        DispatchQueue.global(qos: .utility).async {
            for _ in 0..<200 where released != nil { usleep(10_000) }
            returnFreedMemory()
        }
    }

    /// `%XX` escapes decoded (RFC 3986); nil for a malformed escape or bytes that are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        func hex(_ byte: UInt8?) -> UInt8? {
            switch byte {
            case .some(let b) where b >= 0x30 && b <= 0x39: return b - 0x30
            case .some(let b) where b >= 0x41 && b <= 0x46: return b - 0x41 + 10
            case .some(let b) where b >= 0x61 && b <= 0x66: return b - 0x61 + 10
            default: return nil
            }
        }
        while let byte = iterator.next() {
            guard byte == 0x25 else { bytes.append(byte); continue }
            guard let high = hex(iterator.next()), let low = hex(iterator.next()) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module does not import
    /// <malloc.h>, and other C libraries (musl, Darwin) do not have it.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
}

/// Starts the expiry timer once per server.
final class SessionExpiryTimer: @unchecked Sendable {
    private let lock = ThreadLock()
    private var started = false

    func claimStart() -> Bool {
        lock.withLock {
            defer { started = true }
            return !started
        }
    }
}

/// The purposes `import/suggestMapping` accepts (only `updateExisting`, or none, lets it suggest `contactId`).
enum ImportPurposeName: String, CaseIterable {
    case addNew, updateExisting, addAndUpdate, addAll
}

enum IdentifierName: String, CaseIterable {
    case phone, email, contactId
}

extension SessionError: ResponseErrorConvertible {
    public func responseError(_ locale: MessageLocale) -> ResponseError {
        switch self {
        case .notFound(let id):
            return ResponseError(code: ErrorCode.sessionNotFound, message: message(locale), data: ["sessionId": .string(id)])
        case .expired(let id):
            return ResponseError(code: ErrorCode.sessionExpired, message: message(locale), data: ["sessionId": .string(id)])
        case .tooManySessions(let limit):
            return ResponseError(code: ErrorCode.tooManySessions, message: message(locale), data: ["limit": .int(limit)])
        }
    }
}
