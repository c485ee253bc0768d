import Contacts
import Foundation
import JSONRPC
import Localization
#if canImport(Glibc)
import Glibc
#endif

/// Exit codes scripts can test.
enum ExitCode: Int32 {
    case done = 0
    case failed = 1
    case badUsage = 2
    case rowsWithErrors = 3
}

/// Why an import stopped early; `run()` turns each into a message and an exit code.
enum ImportStop: Error {
    case usage(LocalizedText)
    case daemonNotFound([String])
    case connection(ClientConnection.ClientError, stderr: String)
    case response(ResponseError)
    case rowsWithErrors
    case notConfirmed
    case cancelled
}

/// One import, from starting the daemon to printing the result file, in the order of
/// protocol/writing-a-client.md. The daemon does the work; this only asks and prints.
///
/// The steps run on the main thread; Ctrl-C arrives on the interrupt watcher's thread and reads
/// `phase` (under `lock`) to decide between cancelling the commit and simply stopping.
final class ImportRun: @unchecked Sendable {
    private let options: CommandLineOptions
    private let locale: MessageLocale
    private let progress = ProgressDisplay()
    private var daemon: DaemonProcess?
    private var connection: ClientConnection?
    private var fieldLabels: [String: String] = [:]

    private enum Phase {
        /// Nothing is written before the commit: Ctrl-C may simply stop.
        case preparing
        case confirming
        /// The commit request is on its way or running: Ctrl-C asks the daemon to cancel it.
        case committing(RequestID)
        /// Cancel sent; a second Ctrl-C stops waiting for the rollback.
        case cancelling
        /// Ctrl-C before the commit: the watcher is ending the process; no commit may start.
        case stopping
        case finished
    }

    private let lock = NSLock()
    private var phase = Phase.preparing

    /// Generous: a 200,000-row commit on a slow disk still fits, and a hung daemon is still noticed.
    private let longRequestTimeout: TimeInterval = 3600
    private let shortRequestTimeout: TimeInterval = 60

    init(options: CommandLineOptions) {
        self.options = options
        self.locale = options.locale
    }

    func run() -> ExitCode {
        InterruptWatcher.install { [self] signal in interrupted(by: signal) }
        defer { shutDown() }
        do {
            try importFile()
            return .done
        } catch {
            progress.finishLine()
            return report(error)
        }
    }

    /// `--history`: the workspace's past imports, newest first, as a table that fits 100
    /// columns (file, when, state, counts, tag), then where each result file is.
    func showHistory() -> ExitCode {
        defer { shutDown() }
        do {
            _ = try start()
            let jobs = try call("import/history", ["limit": 20])["jobs"]?.arrayValue ?? []
            guard !jobs.isEmpty else {
                out(CLIText.noHistory.text(locale))
                return .done
            }
            var table = TextTable(headings: [
                CLIText.jobHeading.text(locale), CLIText.fileHeading.text(locale), CLIText.whenHeading.text(locale),
                CLIText.stateHeading.text(locale), CLIText.countsHeading.text(locale), CLIText.tagHeading.text(locale),
            ])
            var resultFiles: [String] = []
            for job in jobs {
                let id = job["jobId"].map { $0.stringValue ?? $0.intValue.map(String.init) ?? $0.serialized } ?? "?"
                let started = job["startedAt"]?.stringValue
                let counts = job["counts"]
                let parts: [(Int, CLIText.CountWord)] = [
                    (counts?["imported"]?.intValue ?? 0, .imported), (counts?["updated"]?.intValue ?? 0, .updated),
                    (counts?["skipped"]?.intValue ?? 0, .skipped), (counts?["errors"]?.intValue ?? 0, .errors),
                ]
                let tally = parts.filter { $0.0 > 0 }.map { CLIText.counted($0.0, $0.1, locale) }
                table.add([id, job["fileName"]?.stringValue ?? "-", started.flatMap(Self.localTime) ?? started ?? "-",
                           CLIText.state(job["state"]?.stringValue ?? "").text(locale),
                           tally.isEmpty ? CLIText.nothingCounted.text(locale) : tally.joined(separator: ", "),
                           job["importTag"]?.stringValue ?? "-"])
                if let uri = job["resultFile"]?["uri"]?.stringValue {
                    let path = job["resultFile"]?["available"]?.boolValue == false
                        ? CLIText.expired.text(locale) : Self.path(fromURI: uri)
                    resultFiles.append(CLIText.historyResultFile(job: id, path: path).text(locale))
                }
            }
            // The file name and the tag give way first; the counts are what the table is for.
            out(table.rendered(maxWidth: 100, shrinkable: [1, 5, 4]))
            if !resultFiles.isEmpty {
                out("")
                out(CLIText.resultFilesHeading.text(locale))
                for line in resultFiles { out(line) }
            }
            return .done
        } catch {
            return report(error)
        }
    }

    /// `undo JOB_ID`: reverses a completed import as one job and says what it did.
    func undo(job: Int) -> ExitCode {
        defer { shutDown() }
        do {
            _ = try start()
            let result = try call("import/undo", ["jobId": .int(job)])
            let counts = result["counts"]
            out(CLIText.undoDone(job: job, removed: counts?["removed"]?.intValue ?? 0, restored: counts?["restored"]?.intValue ?? 0,
                                 conflicts: counts?["conflicts"]?.intValue ?? 0).text(locale))
            if let uri = result["resultFile"]?["uri"]?.stringValue {
                out(CLIText.resultFile(Self.path(fromURI: uri)).text(locale))
            }
            return .done
        } catch {
            return report(error)
        }
    }

    /// `fields list` and `fields create NAME TYPE`: custom fields without driving the wire by hand.
    func fields(_ command: CommandLineOptions.FieldsCommand) -> ExitCode {
        defer { shutDown() }
        do {
            _ = try start()
            switch command {
            case .list:
                let fields = try call("fields/list", [:])["fields"]?.arrayValue ?? []
                var table = TextTable(headings: [CLIText.keyHeading.text(locale), CLIText.labelHeading.text(locale),
                                                 CLIText.typeHeading.text(locale), CLIText.kindHeading.text(locale)])
                for field in fields {
                    var type = field["type"]?.stringValue ?? "?"
                    if let options = field["options"]?.arrayValue, !options.isEmpty {
                        type += " (" + options.compactMap(\.stringValue).joined(separator: ", ") + ")"
                    }
                    let builtin = field["builtin"]?.boolValue ?? false
                    table.add([field["key"]?.stringValue ?? "?", field["label"]?.stringValue ?? "",
                               type, (builtin ? CLIText.builtinKind : CLIText.customKind).text(locale)])
                }
                out(table.rendered())
            case .create(let name, let type, let options):
                var params: [String: JSONValue] = ["name": .string(name), "type": .string(type)]
                if !options.isEmpty { params["options"] = .array(options.map(JSONValue.string)) }
                let created = try call("fields/create", .object(params))
                out(CLIText.fieldCreated(name: created["key"]?.stringValue ?? name, type: type).text(locale))
            }
            return .done
        } catch {
            return report(error)
        }
    }

    private func setPhase(_ new: Phase) {
        lock.lock()
        // Once Ctrl-C has decided to stop, nothing the main thread does undoes it.
        if case .stopping = phase {} else { phase = new }
        lock.unlock()
    }

    /// Ctrl-C (or SIGTERM). During the commit: ask the daemon to roll it back and keep waiting
    /// for its answer (the main thread then reports `cancelled`); a second one stops waiting.
    /// Before the commit nothing has been written: stop the daemon and ourselves at once.
    private func interrupted(by signal: Int32) {
        lock.lock()
        let current = phase
        switch current {
        case .committing: phase = .cancelling
        case .preparing, .confirming: phase = .stopping
        default: break
        }
        let daemon = self.daemon, connection = self.connection
        lock.unlock()
        switch current {
        case .committing(let id):
            progress.silence()
            err(CLIText.cancelling.text(locale))
            try? connection?.notify("$/cancelRequest", ["id": id.json])
        case .cancelling:
            err(CLIText.quitWithoutWaiting.text(locale))
            InterruptWatcher.die(of: signal)
        case .preparing, .confirming:
            progress.silence()
            if case .confirming = current { err("") }
            err(CLIText.interrupted.text(locale))
            // No commit was sent, and with `.stopping` none will be: the daemon holds nothing
            // worth finishing, and would otherwise go on reviewing for nobody.
            daemon?.terminate()
            InterruptWatcher.die(of: signal)
        case .stopping, .finished:
            InterruptWatcher.die(of: signal)
        }
    }

    // MARK: the steps

    private func importFile() throws(ImportStop) {
        guard let file = options.file else { throw .usage(CLIText.missingFile) }
        let connection = try start()

        let fileURL = URL(fileURLWithPath: file).standardizedFileURL
        progress.expect(token: "open", title: CLIText.openTitle.text(locale), transient: true)
        let opened = try call("import/open", ["uri": .string(fileURL.absoluteString), "workDoneToken": "open"],
                              timeout: longRequestTimeout)
        guard let sessionId = opened["sessionId"]?.stringValue else { throw malformed("import/open") }
        printFileSummary(opened)

        var suggestParams: [String: JSONValue] = ["sessionId": .string(sessionId), "purpose": .string(options.purpose)]
        if let identifier = options.identifier { suggestParams["identifier"] = .string(identifier) }
        let suggestion = try call("import/suggestMapping", .object(suggestParams))

        let columns = opened["columns"]?.arrayValue ?? []
        let mapping = try buildMapping(columns: columns, suggestion: suggestion["mapping"]?.arrayValue ?? [])
        printMapping(columns: columns, mapping: mapping, suggestion: suggestion)

        var identifier = options.identifier
        if identifier == nil, options.purpose != "addAll" { identifier = suggestion["identifier"]?.stringValue }
        let review = try reviewImport(sessionId: sessionId, identifier: identifier, mapping: mapping)
        guard let reviewId = review["reviewId"]?.stringValue else { throw malformed("import/review") }
        try printReview(review, sessionId: sessionId, reviewId: reviewId, identifier: identifier, mapping: mapping)

        let counts = review["counts"]
        let errors = counts?["error"]?.intValue ?? 0
        // A few before → after lines, so the user sees what the updates do before saying yes.
        try printChanges(sessionId: sessionId, reviewId: reviewId)
        if options.dryRun {
            if errors > 0 && options.failOnErrors { throw .rowsWithErrors }
            out(CLIText.dryRunDone.text(locale))
            _ = try? connection.request("import/close", ["sessionId": .string(sessionId)], timeout: shortRequestTimeout)
            return
        }
        if errors > 0 && options.failOnErrors { throw .rowsWithErrors }
        let adds = counts?["add"]?.intValue ?? 0, updates = counts?["update"]?.intValue ?? 0
        if adds == 0 && updates == 0 {
            // A job that changes nothing would only add an empty entry to the history.
            out(CLIText.nothingToImport(purpose: options.purpose).text(locale))
            return
        }
        if !options.assumeYes {
            setPhase(.confirming)
            let question = CLIText.confirmQuestion(add: adds, update: updates, errors: errors, locale: locale)
            guard confirm(question.text(locale)) else { throw .notConfirmed }
        }

        progress.expect(token: "commit", title: CLIText.commitTitle.text(locale))
        let result = try commit(sessionId: sessionId, reviewId: reviewId)
        printCommit(result)
        _ = try? connection.request("import/close", ["sessionId": .string(sessionId)], timeout: shortRequestTimeout)
    }

    /// Sends the commit while holding `lock`, so that a Ctrl-C cancels a request the daemon has
    /// already been sent, never one still to come.
    private func commit(sessionId: String, reviewId: String) throws(ImportStop) -> JSONValue {
        guard let connection else { throw .connection(.closed, stderr: "") }
        let id = connection.makeRequestID()
        lock.lock()
        if case .stopping = phase {
            lock.unlock()
            // Ctrl-C came first; the watcher thread is ending the process.
            while true { pause() }
        }
        phase = .committing(id)
        let sent: Result<RequestID, ClientConnection.ClientError>
        do {
            sent = .success(try connection.sendRequest(
                "import/commit", ["sessionId": .string(sessionId), "reviewId": .string(reviewId), "workDoneToken": "commit"],
                id: id))
        } catch {
            sent = .failure(error)
        }
        lock.unlock()
        let result: Result<JSONValue, ResponseError>
        do {
            result = try connection.waitForResponse(try sent.get(), timeout: longRequestTimeout, what: "import/commit")
        } catch {
            throw .connection(error, stderr: daemon?.stderrText ?? "")
        }
        lock.lock()
        let wasCancelling: Bool
        if case .cancelling = phase { wasCancelling = true } else { wasCancelling = false }
        phase = .finished
        lock.unlock()
        progress.finish(token: "commit", succeeded: (try? result.get()) != nil)
        switch result {
        case .success(let value):
            if wasCancelling { err(CLIText.cancelTooLate.text(locale)) }
            return value
        case .failure(let response) where response.code == ErrorCode.requestCancelled:
            throw .cancelled
        case .failure(let response):
            throw .response(response)
        }
    }

    /// Where the workspace is and whether it is there yet: a folder that exists must be a
    /// workspace (a typo must not silently become a new empty one), and creating one is said.
    private func checkWorkspace() throws(ImportStop) -> String? {
        let given = options.workspace ?? ProcessInfo.processInfo.environment["CONTACT_IMPORT_WORKSPACE"]
        if let given, Self.namesADatabase(given) { return nil }  // the daemon's to judge
        let path = given.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? Self.defaultWorkspace()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return path }
        guard isDirectory.boolValue else { throw .usage(CLIText.workspaceIsAFile(path)) }
        if FileManager.default.fileExists(atPath: path + "/contacts.sqlite") { return nil }
        // An empty folder (made with mkdir for the purpose) becomes the workspace.
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        guard entries.isEmpty else { throw .usage(CLIText.notAWorkspace(path)) }
        return path
    }

    /// A PostgreSQL URI or `key=value` conninfo (the daemon's rule, `WorkspaceLocation.parse`),
    /// never a folder to check or create.
    static func namesADatabase(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("://") { return true }
        let first = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? ""
        guard let equals = first.firstIndex(of: "=") else { return false }
        let key = first[..<equals]
        return !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "_") }
    }

    static func defaultWorkspace(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return data + "/contact-importer/default"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/contact-importer/default"
    }

    private func start() throws(ImportStop) -> ClientConnection {
        let creating = try checkWorkspace()
        let executable = try DaemonPath.find(explicit: options.daemon)
        var arguments: [String] = []
        if let workspace = options.workspace { arguments += ["--workspace", workspace] }
        if let files = options.filesDirectory { arguments += ["--files-dir", files] }
        let daemon: DaemonProcess
        do {
            daemon = try DaemonProcess(executable: executable, arguments: arguments)
        } catch {
            throw .connection(.spawnFailed(error.reason), stderr: "")
        }
        let connection = daemon.connection
        lock.lock()
        self.daemon = daemon
        self.connection = connection
        lock.unlock()
        let progress = self.progress
        connection.onNotification { method, params in
            guard method == "$/progress", let params, let value = params["value"] else { return }
            let token = params["token"]?.stringValue ?? params["token"]?.intValue.map(String.init) ?? ""
            progress.handle(params: JSONValueProgress(
                token: token,
                kind: value["kind"]?.stringValue ?? "",
                title: value["title"]?.stringValue,
                message: value["message"]?.stringValue,
                percentage: value["percentage"]?.intValue
            ))
        }
        _ = try call("initialize", [
            "processId": .int(Int(getpid())),
            "clientInfo": ["name": "contact-import", "version": .string(CommandLineClient.version)],
            "locale": .string(locale.rawValue),
            "capabilities": ["window": ["workDoneProgress": true]],
        ])
        do {
            try connection.notify("initialized", [:])
        } catch {
            throw .connection(error, stderr: daemon.stderrText)
        }
        if let creating { err(CLIText.createdWorkspace(creating).text(locale)) }
        // Labels make the mapping table readable; without them the keys still work.
        if let fields = try? connection.request("fields/list", [:], timeout: shortRequestTimeout)["fields"]?.arrayValue {
            for field in fields {
                if let key = field["key"]?.stringValue, let label = field["label"]?.stringValue {
                    fieldLabels[key] = label
                }
            }
        }
        return connection
    }

    private func reviewImport(sessionId: String, identifier: String?, mapping: [MappedColumn]) throws(ImportStop)
        -> JSONValue {
        var params: [String: JSONValue] = [
            "sessionId": .string(sessionId),
            "purpose": .string(options.purpose),
            "mapping": .array(mapping.compactMap(\.json)),
            "workDoneToken": "review",
        ]
        if let identifier { params["identifier"] = .string(identifier) }
        if !options.tags.isEmpty { params["tags"] = .array(options.tags.map(JSONValue.string)) }
        switch options.importTag {
        case .automatic: break
        case .none: params["importTag"] = false
        case .named(let tag): params["importTag"] = .string(tag)
        }
        if let country = options.defaultCountry { params["defaultCountry"] = .string(country) }
        progress.expect(token: "review", title: CLIText.reviewTitle.text(locale), transient: true)
        return try call("import/review", .object(params), timeout: longRequestTimeout)
    }

    private func shutDown() {
        setPhase(.finished)
        guard let daemon, let connection else { return }
        if !connection.isClosed {
            _ = try? connection.requestResult("shutdown", nil, timeout: 10)
            try? connection.notify("exit", nil)
        }
        connection.closeInput()
        if daemon.waitForExit(timeout: 10) == nil {
            daemon.terminate()
            _ = daemon.waitForExit(timeout: 5)
        }
    }

    // MARK: mapping

    struct MappedColumn {
        var index: Int
        var header: String
        var field: String?
        var confidence: Double?
        var overwrite: Bool

        var json: JSONValue? {
            guard let field else { return nil }
            var entry: [String: JSONValue] = ["column": .int(index), "field": .string(field)]
            if !overwrite { entry["overwrite"] = false }
            return .object(entry)
        }
    }

    private func buildMapping(columns: [JSONValue], suggestion: [JSONValue]) throws(ImportStop) -> [MappedColumn] {
        var mapped: [MappedColumn] = columns.compactMap { column in
            guard let index = column["index"]?.intValue else { return nil }
            return MappedColumn(index: index, header: column["header"]?.stringValue ?? "", field: nil,
                                confidence: nil, overwrite: true)
        }
        for entry in suggestion {
            guard let column = entry["column"]?.intValue,
                  let position = mapped.firstIndex(where: { $0.index == column }) else { continue }
            mapped[position].field = entry["field"]?.stringValue
            mapped[position].confidence = entry["confidence"]?.doubleValue
        }
        let fieldsByName = try resolveFieldNames(options.overrides.compactMap(\.field)
            + options.keep.filter { $0 != "all" })
        for override in options.overrides {
            let wanted = override.header.trimmingSpaces.lowercased()
            // "movil" finds "Móvil" (a keyboard without accents), unless that is ambiguous.
            let loosely = mapped.indices.filter { Self.loose(mapped[$0].header) == Self.loose(override.header) }
            guard let position = mapped.firstIndex(where: { $0.header.trimmingSpaces.lowercased() == wanted })
                ?? (loosely.count == 1 ? loosely.first : nil) else {
                throw .usage(CLIText.unknownHeader(override.header, mapped.map(\.header)))
            }
            let key = override.field.flatMap { fieldsByName[$0] }
            // The column named on the command line takes the field from a merely suggested one
            // (the mapping table shows that column skipped); two --map to one field stay an error.
            if let key {
                for other in mapped.indices where other != position && mapped[other].field == key
                    && mapped[other].confidence != nil {
                    mapped[other].field = nil
                    mapped[other].confidence = nil
                }
            }
            mapped[position].field = key
            mapped[position].confidence = nil
        }
        for field in options.keep {
            if field == "all" {
                for position in mapped.indices { mapped[position].overwrite = false }
                continue
            }
            let key = fieldsByName[field] ?? fieldKey(for: field)
            guard let position = mapped.firstIndex(where: { $0.field == key }) else {
                throw .usage(CLIText.unknownKeepField(field))
            }
            mapped[position].overwrite = false
        }
        return mapped
    }

    /// The field each `--map` names, by key, label, or any synonym the daemon knows in any
    /// language ("Correo=e-mail", "Telefone=celular"). Names that are not keys or labels are asked
    /// of the daemon's own mapping suggester, as the headers of a one-row file; a name it does not
    /// recognise either is a usage error that lists the valid fields, once.
    private func resolveFieldNames(_ names: [String]) throws(ImportStop) -> [String: String] {
        var resolved: [String: String] = [:]
        var unknown: [String] = []
        for name in names where resolved[name] == nil {
            if let key = localFieldKey(for: name) { resolved[name] = key } else if !unknown.contains(name) { unknown.append(name) }
        }
        guard !unknown.isEmpty else { return resolved }
        // Each field is suggested for one column only, so names of the same field ("e-mail" for
        // --map, "correo" for --keep) are asked again, until a round finds nothing new.
        var asking = unknown
        while !asking.isEmpty {
            let found = probeFieldNames(asking)
            guard !found.isEmpty else { break }
            for (name, key) in found { resolved[name] = key }
            asking = asking.filter { resolved[$0] == nil }
        }
        if let missing = unknown.first(where: { resolved[$0] == nil }),
           let override = options.overrides.first(where: { $0.field == missing }) {
            let valid = fieldLabels.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
            throw .usage(CLIText.unknownMapField(override.header + "=" + missing, field: missing,
                                                 valid: fieldOrder(valid)))
        }
        return resolved
    }

    /// The daemon's reading of `names` as the headers of a one-row file: name → field key, for
    /// the names it maps by exact header or synonym.
    private func probeFieldNames(_ names: [String]) -> [String: String] {
        let header = names.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
        let row = Array(repeating: "", count: names.count).joined(separator: ",") + "x"
        guard let opened = try? call("import/open", ["text": .string(header + "\n" + row + "\n"), "fileName": "map.csv"]),
              let sessionId = opened["sessionId"]?.stringValue else { return [:] }
        defer { _ = try? call("import/close", ["sessionId": .string(sessionId)]) }
        var found: [String: String] = [:]
        let suggestion = try? call("import/suggestMapping", ["sessionId": .string(sessionId)])
        for entry in suggestion?["mapping"]?.arrayValue ?? [] {
            guard let column = entry["column"]?.intValue, column < names.count,
                  let field = entry["field"]?.stringValue,
                  ["exactHeader", "synonym"].contains(entry["reason"]?.stringValue ?? "") else { continue }
            found[names[column]] = field
        }
        return found
    }

    /// Built-in fields in the order of the product's table, then custom ones by name.
    private func fieldOrder(_ entries: [String]) -> [String] {
        let builtin = ["contactId", "firstName", "lastName", "phone", "email", "language", "countryCode", "tags"]
        return entries.sorted { a, b in
            let ka = builtin.firstIndex { a.hasPrefix($0 + " ") } ?? Int.max
            let kb = builtin.firstIndex { b.hasPrefix($0 + " ") } ?? Int.max
            return ka != kb ? ka < kb : a < b
        }
    }

    /// A field given by key or by label ("Correo electrónico"), ignoring case and accents.
    private func localFieldKey(for name: String) -> String? {
        let wanted = Self.loose(name)
        if fieldLabels.keys.contains(name) { return name }
        for (key, label) in fieldLabels.sorted(by: { $0.key < $1.key })
        where Self.loose(key) == wanted || Self.loose(label) == wanted {
            return key
        }
        return nil
    }

    /// `--keep FIELD`: the same names as `--map`, without asking the daemon.
    private func fieldKey(for name: String) -> String {
        localFieldKey(for: name) ?? name
    }

    /// Compared without case, accents or surrounding spaces: what a user typing on any keyboard means.
    static func loose(_ text: String) -> String {
        text.trimmingSpaces.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    // MARK: output

    private func printFileSummary(_ opened: JSONValue) {
        let file = opened["file"]
        let rows = count(file?["rowCount"])
        let summary = CLIText.fileSummary(
            name: file?["name"]?.stringValue ?? options.file ?? "",
            rows: rows,
            columns: file?["columnCount"]?.intValue ?? 0,
            encoding: file?["encoding"]?.stringValue ?? "?",
            delimiter: printable(file?["delimiter"]?.stringValue ?? "?")
        )
        out(summary.text(locale))
        for warning in opened["warnings"]?.arrayValue ?? [] {
            out(CLIText.warning(warning["message"]?.stringValue ?? "").text(locale))
        }
        out("")
    }

    private func printMapping(columns: [JSONValue], mapping: [MappedColumn], suggestion: JSONValue) {
        let samples: [Int: String] = Dictionary(uniqueKeysWithValues: columns.compactMap { column in
            guard let index = column["index"]?.intValue else { return nil }
            let values = (column["samples"]?.arrayValue ?? []).prefix(3).compactMap(\.stringValue)
            // Not ", ": a tags cell is itself "clientes,vip".
            return (index, values.joined(separator: " | "))
        })
        var table = TextTable(headings: [CLIText.columnHeading.text(locale), CLIText.fieldHeading.text(locale),
                                         CLIText.confidenceHeading.text(locale), CLIText.samplesHeading.text(locale)])
        for column in mapping {
            var field = CLIText.skipped.text(locale)
            if let key = column.field {
                field = fieldLabels[key].map { "\($0) (\(key))" } ?? key
                if !column.overwrite { field += ", " + CLIText.keepMark.text(locale) }
            }
            // A skipped column has nothing to be confident about.
            let confidence = column.field == nil ? "" : column.confidence.map { "\(Int(($0 * 100).rounded()))%" } ?? ""
            table.add([column.header, field, confidence, samples[column.index].map { $0.count > 50 ? $0.prefix(49) + "…" : $0 } ?? ""])
        }
        out(table.rendered())
        if mapping.contains(where: { $0.field == nil }) { out(CLIText.skippedHint.text(locale)) }
        out("")
    }

    private func printReview(_ review: JSONValue, sessionId: String, reviewId: String, identifier: String?,
                             mapping: [MappedColumn])
        throws(ImportStop) {
        let counts = review["counts"]
        out(CLIText.reviewHeading(purpose: options.purpose, identifier: identifier,
                                  identifierLabel: identifier.flatMap { fieldLabels[$0] }).text(locale))
        let lines: [(LocalizedText, JSONValue?)] = [
            (CLIText.addLabel, counts?["add"]), (CLIText.updateLabel, counts?["update"]),
            (CLIText.skipLabel, counts?["skip"]), (CLIText.errorLabel, counts?["error"]),
            (CLIText.totalLabel, counts?["total"]),
        ]
        let labelWidth = lines.map { $0.0.text(locale).count }.max() ?? 0
        let numbers = lines.map { count($0.1) }
        let numberWidth = numbers.map(\.count).max() ?? 0
        for (line, number) in zip(lines, numbers) {
            out("  " + line.0.text(locale).rightPadded(to: labelWidth) + "  " + number.leftPadded(to: numberWidth))
        }
        if let unchanged = counts?["unchanged"]?.intValue, unchanged > 0 {
            out("  " + CLIText.alreadyUpToDate(unchanged, of: counts?["update"]?.intValue ?? unchanged).text(locale))
        }
        out(CLIText.importTag(review["importTag"]?.stringValue).text(locale))
        for warning in review["warnings"]?.arrayValue ?? [] {
            out(CLIText.warning(warning["message"]?.stringValue ?? "").text(locale))
        }

        let errors = counts?["error"]?.intValue ?? 0
        if errors > 0 {
            if let uri = review["errorFile"]?["uri"]?.stringValue {
                out(CLIText.errorFile(Self.path(fromURI: uri)).text(locale))
            }
            let shown = 10
            let page = try call("import/rows", ["sessionId": .string(sessionId), "reviewId": .string(reviewId),
                                                "action": "error", "limit": .int(shown)])
            let phoneColumns = Set(mapping.filter { $0.field == "phone" }.map(\.index))
            var invalidPhones = false
            for row in page["rows"]?.arrayValue ?? [] {
                let rowErrors = row["errors"]?.arrayValue ?? []
                // The daemon names its parameter; here the user has an option of that name.
                let messages = rowErrors.compactMap {
                    $0["message"]?.stringValue?.replacingOccurrences(of: "(defaultCountry)", with: "(--default-country)")
                }
                out(CLIText.errorRow(line: row["line"]?.intValue ?? 0, row: row["row"]?.intValue ?? 0,
                                     message: messages.joined(separator: "; ")).text(locale))
                invalidPhones = invalidPhones || rowErrors.contains {
                    $0["code"]?.stringValue == "invalidValue" && $0["column"]?.intValue.map(phoneColumns.contains) == true
                }
            }
            if errors > shown { out(CLIText.moreErrors(formatCount(errors - shown, locale)).text(locale)) }
            // The daemon's message names its parameter, defaultCountry; here it is an option.
            if invalidPhones && options.defaultCountry == nil {
                let country = try likelyCountry(sessionId: sessionId, reviewId: reviewId) ?? Self.localeRegion()
                out(CLIText.defaultCountryHint(country).text(locale))
            }
        }
        out("")
    }

    private func printCommit(_ result: JSONValue) {
        let counts = result["counts"]
        out(CLIText.finished(
            state: CLIText.state(result["state"]?.stringValue ?? "").text(locale),
            imported: counts?["imported"]?.intValue ?? 0, updated: counts?["updated"]?.intValue ?? 0,
            skipped: counts?["skipped"]?.intValue ?? 0, errors: counts?["errors"]?.intValue ?? 0
        ).text(locale))
        if let uri = result["resultFile"]?["uri"]?.stringValue {
            out(CLIText.resultFile(Self.path(fromURI: uri)).text(locale))
            if let expiry = result["resultFile"]?["expiresAt"]?.stringValue.flatMap(Self.localTime) {
                out(CLIText.keptUntil(expiry).text(locale))
            }
        }
    }

    /// A dry run shows a few before → after lines of the updates, when the daemon reports them
    /// (`changes` on `import/rows` outcomes); a daemon without them shows the counts alone.
    private func printChanges(sessionId: String, reviewId: String) throws(ImportStop) {
        let page = try call("import/rows", ["sessionId": .string(sessionId), "reviewId": .string(reviewId),
                                            "action": "update", "limit": 5])
        var lines: [String] = []
        for row in page["rows"]?.arrayValue ?? [] {
            let line = row["line"]?.intValue ?? 0
            for change in row["changes"]?.arrayValue ?? [] {
                let key = change["field"]?.stringValue ?? "?"
                let name = fieldLabels[key] ?? key
                let from: String, to: String
                if change["added"] != nil || change["removed"] != nil {
                    from = (change["removed"]?.arrayValue ?? []).compactMap(\.stringValue).map { "-" + $0 }
                        .joined(separator: ",")
                    to = (change["added"]?.arrayValue ?? []).compactMap(\.stringValue).map { "+" + $0 }
                        .joined(separator: ",")
                } else {
                    from = Self.shown(change["from"], empty: CLIText.emptyValue.text(locale))
                    to = Self.shown(change["to"], empty: CLIText.emptyValue.text(locale))
                }
                lines.append(CLIText.changeLine(line: line, field: name, from: from, to: to).text(locale))
            }
        }
        guard !lines.isEmpty else { return }
        out(CLIText.changesHeading.text(locale))
        for line in lines.prefix(10) { out(line) }
        out("")
    }

    private static func shown(_ value: JSONValue?, empty: String) -> String {
        guard let value, value != .null else { return empty }
        let text = value.stringValue ?? value.serialized
        return text.isEmpty ? empty : text
    }

    /// The country most of the file's readable phone numbers carry (`+34…` → ES), for the
    /// `--default-country` hint; nil when no number has a country code.
    private func likelyCountry(sessionId: String, reviewId: String) throws(ImportStop) -> String? {
        let page = try call("import/rows", ["sessionId": .string(sessionId), "reviewId": .string(reviewId),
                                            "limit": 1000])
        var tally: [String: Int] = [:]
        for row in page["rows"]?.arrayValue ?? [] {
            guard let phone = row["values"]?["phone"]?.stringValue,
                  let country = CallingCodes.country(ofE164: phone) else { continue }
            tally[country, default: 0] += 1
        }
        return tally.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }

    /// The region of the user's locale (`es_MX.UTF-8` → MX), if it is a country.
    static func localeRegion(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let tag = environment[name], !tag.isEmpty else { continue }
            let language = tag.split(separator: ".").first ?? ""
            let parts = language.split(whereSeparator: { $0 == "_" || $0 == "-" })
            guard parts.count >= 2, parts[1].count == 2 else { return nil }
            return Countries.code(for: String(parts[1]))
        }
        return nil
    }

    /// Yes only for a clear yes; Enter alone is the default no. Anything else asks again, so a
    /// stray key is not taken for an answer.
    private func confirm(_ question: String) -> Bool {
        FileHandle.standardError.writeQuietly(question)
        for _ in 0..<3 {
            guard let line = readLine() else {
                FileHandle.standardError.writeQuietly("\n")
                if isatty(STDIN_FILENO) == 0 { err(CLIText.noAnswer.text(locale)) }
                return false
            }
            let answer = line.trimmingSpaces.lowercased()
            if CLIText.yesAnswers.contains(answer) { return true }
            if answer.isEmpty || CLIText.noAnswers.contains(answer) { return false }
            FileHandle.standardError.writeQuietly(CLIText.answerYesOrNo.text(locale))
        }
        return false
    }

    // MARK: errors

    private func report(_ error: ImportStop) -> ExitCode {
        switch error {
        case .usage(let text):
            err(text.text(locale))
            return .badUsage
        case .daemonNotFound(let searched):
            err(CLIText.daemonNotFound(searched).text(locale))
            return .failed
        case .connection(let failure, let stderr):
            err(CLIText.daemonFailed(failure.description).text(locale))
            let tail = stderr.split(separator: "\n").suffix(10).joined(separator: "\n")
            if !tail.isEmpty { err(tail) }
            return .failed
        case .response(let response):
            let problems = response.data?["problems"]?.arrayValue ?? []
            // The daemon's message repeats its problems; each is printed once, on a line of its own.
            err(CLIText.errorLine(problems.isEmpty ? response.message : CLIText.mappingInvalid.text(locale)).text(locale))
            for problem in problems {
                err(CLIText.problem(problem["message"]?.stringValue ?? "",
                                    code: problem["code"]?.stringValue ?? "").text(locale))
            }
            return .failed
        case .rowsWithErrors:
            err(CLIText.stoppedOnErrors.text(locale))
            return .rowsWithErrors
        case .notConfirmed:
            err(CLIText.notConfirmed.text(locale))
            return .failed
        case .cancelled:
            err(CLIText.cancelled.text(locale))
            return .failed
        }
    }

    private func call(_ method: String, _ params: JSONValue, timeout: TimeInterval? = nil) throws(ImportStop)
        -> JSONValue {
        guard let connection else { throw .connection(.closed, stderr: "") }
        let result: Result<JSONValue, ResponseError>
        do {
            result = try connection.requestResult(method, params, timeout: timeout ?? shortRequestTimeout)
        } catch {
            throw .connection(error, stderr: daemon?.stderrText ?? "")
        }
        switch result {
        case .success(let value): return value
        case .failure(let response): throw .response(response)
        }
    }

    private func malformed(_ method: String) -> ImportStop {
        .response(ResponseError(code: ErrorCode.internalError, message: "\(method): unexpected response"))
    }

    private func count(_ value: JSONValue?) -> String {
        formatCount(value?.intValue ?? 0, locale)
    }

    private func printable(_ delimiter: String) -> String {
        delimiter == "\t" ? "\\t" : delimiter
    }

    /// "2026-12-06 11:40" in the user's time zone: when the file goes, on their clock.
    static func localTime(_ iso8601: String) -> String? {
        let parser = ISO8601DateFormatter()
        var date = parser.date(from: iso8601)
        if date == nil {
            parser.formatOptions.insert(.withFractionalSeconds)
            date = parser.date(from: iso8601)
        }
        guard let date else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    static func path(fromURI uri: String) -> String {
        guard let url = URL(string: uri), url.isFileURL else { return uri }
        return url.path
    }

    private func out(_ text: String) {
        FileHandle.standardOutput.writeQuietly(text + "\n")
    }

    private func err(_ text: String) {
        FileHandle.standardError.writeQuietly(text + "\n")
    }
}

/// Where `contact-importd` is: `--daemon`, `$CONTACT_IMPORTD`, next to this program (both are
/// built into the same directory and installed side by side), or on `PATH`.
enum DaemonPath {
    static func find(explicit: String?,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws(ImportStop) -> String {
        var described: [String] = []
        if let explicit {
            if isExecutable(explicit) { return explicit }
            throw .daemonNotFound([explicit])
        }
        if let fromEnvironment = environment["CONTACT_IMPORTD"], !fromEnvironment.isEmpty {
            if isExecutable(fromEnvironment) { return fromEnvironment }
            described.append("$CONTACT_IMPORTD=\(fromEnvironment)")
        }
        let ownDirectory: String
        if let own = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            ownDirectory = (own as NSString).deletingLastPathComponent
        } else {
            let first = CommandLine.arguments.first ?? "."
            ownDirectory = URL(fileURLWithPath: first).standardizedFileURL.deletingLastPathComponent().path
        }
        let besideSelf = ownDirectory + "/contact-importd"
        if isExecutable(besideSelf) { return besideSelf }
        described.append(besideSelf)
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/contact-importd"
            if isExecutable(candidate) { return candidate }
        }
        described.append("PATH")
        throw .daemonNotFound(described)
    }

    private static func isExecutable(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.isExecutableFile(atPath: path)
            && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
