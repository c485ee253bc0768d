import FoundationEssentials
import Contacts
import Importer
import JSONRPC
import Localization
import Workspace

/// `import/review`, `import/rows`, `import/commit`, `import/history` and `import/status`: the wire
/// side of review planning and commit jobs. The work itself lives in `Importer`; this file only
/// reads params, calls it, and shapes the results as the protocol says.
struct ReviewMethods: Sendable {
    let server: ImportServer
    var sessions: SessionRegistry { server.sessions }

    /// `import/rows`' largest page (the contract's limit).
    static let maxRowsPage = 1_000
    static let defaultRowsPage = 100
    static let sampleSize = 50
    static let defaultHistoryLimit = 50

    // MARK: import/review

    func review(_ context: RequestContext) throws -> JSONValue {
        let params = context.params
        let locale = context.locale
        let session = try server.acquireSession(context)
        // Held from the lookup to the reply: the session cannot expire under its own review,
        // and the review's end restarts its time to live.
        defer { sessions.release(session) }
        let sessionId = session.id
        let purpose = try params.enumValue("purpose", as: ImportPurpose.self)
        let identifier = try params.optionalEnumValue("identifier", as: ImportIdentifier.self)
        if identifier == nil && purpose != .addAll { throw params.missing("identifier") }
        let mapping = try Self.readMapping(params)
        let tags = try params.optionalStringArray("tags") ?? []
        let importTag = try Self.readImportTag(params)
        let defaultCountry = try Self.readCountry(params)
        let request = ReviewRequest(purpose: purpose, identifier: identifier, mapping: mapping, tags: tags,
                                    importTag: importTag, defaultCountry: defaultCountry)

        let workspace = try server.requireWorkspace()
        let reporter = context.progress(title: ReviewWords.reviewTitle.text(locale), cancellable: true)
        let planner = ReviewPlanner(workspace: workspace, locale: locale)
        let plan: ReviewPlan
        let phases = CommitPhases()
        do {
            // A running commit of this session keeps its plan: refused at once (and again when
            // the plan is stored, should a commit start meanwhile).
            try session.checkReviewAllowed()
            plan = try planner.review(session: session, request: request, progress: { done, total in
                reporter.report(percentage: total == 0 ? 100 : done * 100 / total,
                                message: ReviewWords.rowsProgress(done, total, locale))
            }, checkCancellation: { try context.checkCancellation() }, phases: phases)
        } catch {
            reporter.end(message: nil)
            throw wireError(error, locale)
        }
        // Seconds per phase, read by `contact-import-bench import` (`--log-level debug`).
        context.log(.debug, "review phases (s): \(phases.summary)")
        reporter.end(message: ReviewWords.reviewDone(plan.counts, locale))
        sessions.touch(sessionId)
        // The review's scratch (per-chunk buffers, the duplicate index) is freed by now.
        ImportServer.returnFreedMemory()

        var result: [String: JSONValue] = [
            "reviewId": .string(plan.reviewId),
            "counts": Self.json(plan.counts),
            "importTag": plan.importTag.map(JSONValue.string) ?? .null,
            "expiresAt": sessions.expiresAt(sessionId).map { .string(WireTime.string($0)) } ?? .null,
            "sample": .array(plan.outcomes.prefix(Self.sampleSize).map { Self.json($0, locale) }),
        ]
        if let errorFile = plan.errorFile {
            result["errorFile"] = ["uri": .string(errorFile.uri), "rows": .int(errorFile.rows)]
        }
        // Only when there is something to say, like `errorFile`.
        if !plan.warnings.isEmpty {
            result["warnings"] = .array(plan.warnings.map { warning in
                ["code": .string(warning.code), "message": .string(warning.message(locale)),
                 "rows": .array(warning.rows.map(JSONValue.int))]
            })
        }
        return .object(result)
    }

    static func readMapping(_ params: Params) throws -> [ColumnMapping] {
        let entries = try params.array("mapping")
        var mapping: [ColumnMapping] = []
        mapping.reserveCapacity(entries.count)
        for index in entries.indices {
            let entry = try params.element("mapping", index)
            mapping.append(ColumnMapping(column: try entry.int("column"), field: try entry.optionalString("field"),
                                         overwrite: try entry.optionalBool("overwrite") ?? true))
        }
        return mapping
    }

    static func readImportTag(_ params: Params) throws -> ImportTagChoice {
        switch params.value("importTag") {
        case nil, .some(.bool(true)): return .automatic
        case .some(.bool(false)): return .none
        case .some(.string(let tag)):
            let trimmed = tag.whitespaceTrimmed()
            return trimmed.isEmpty ? .none : .named(trimmed)
        default:
            throw params.invalid("importTag", LocalizedText(en: "must be a boolean or a string",
                                                            es: "debe ser un booleano o un texto",
                                                            pt: "deve ser um booleano ou um texto"),
                                 expected: "boolean|string")
        }
    }

    /// An ISO 3166-1 code ("MX", "mx") or a country name the Country field accepts ("México").
    static func readCountry(_ params: Params) throws -> String? {
        guard let raw = try params.optionalString("defaultCountry") else { return nil }
        let result = FieldValues.normalize(raw, for: BuiltinField.countryCode.definition, context: NormalizationContext())
        guard case .success(.text(let code)) = result, code.count == 2 else {
            throw params.invalid("defaultCountry", LocalizedText(
                en: "must be an ISO 3166-1 country code such as \"MX\"",
                es: "debe ser un código de país ISO 3166-1 como \"MX\"",
                pt: "deve ser um código de país ISO 3166-1 como \"MX\""), expected: "ISO 3166-1 alpha-2")
        }
        // A country without a telephone numbering plan (Antarctica, Bouvet Island...) cannot
        // read a single national number: refused here rather than as one error per row.
        guard Countries.callingCode(of: code) != nil else { throw noNumberingPlan(params, code) }
        return code
    }

    static func noNumberingPlan(_ params: Params, _ code: String) -> ResponseError {
        params.invalid("defaultCountry", LocalizedText(
            en: "\"\(code)\" has no telephone numbering plan of its own, so it cannot be the default country of phone numbers",
            es: "\"\(code)\" no tiene un plan de numeración telefónica propio, así que no puede ser el país predeterminado de los teléfonos",
            pt: "\"\(code)\" não tem um plano de numeração telefônica próprio, então não pode ser o país padrão dos telefones"),
            expected: "ISO 3166-1 alpha-2")
    }

    // MARK: import/rows

    func rows(_ context: RequestContext) throws -> JSONValue {
        let params = context.params
        let session = try server.requireSession(context)
        let reviewId = try params.string("reviewId")
        let action = try params.optionalEnumValue("action", as: RowAction.self)
        let offset = try params.optionalInt("offset", in: 0...Int.max) ?? 0
        let limit = try params.optionalInt("limit", in: 0...Self.maxRowsPage) ?? Self.defaultRowsPage
        let plan: ReviewPlan
        do {
            plan = try session.review(reviewId)
        } catch {
            throw wireError(error, context.locale)
        }
        // Past the last row the page is empty whatever the offset (and offset + limit cannot overflow).
        let page = plan.outcomes(action: action, offset: min(offset, plan.outcomes.count), limit: limit)
        let changes: [Int: RowChanges]
        do {
            changes = try ChangePreview.changes(of: page.rows, in: plan, store: try server.requireWorkspace())
        } catch {
            throw wireError(error, context.locale)
        }
        let rows = page.rows.map { outcome -> JSONValue in
            var object = Self.jsonObject(outcome, context.locale)
            var values: [String: JSONValue] = [:]
            for (field, value) in plan.values(ofRow: outcome.row - 1) {
                values[field.key] = Self.json(value)
            }
            object["values"] = .object(values)
            if outcome.action == .update { object["changes"] = Self.json(changes[outcome.row] ?? RowChanges()) }
            return .object(object)
        }
        return ["rows": .array(rows), "total": .int(page.total)]
    }

    // MARK: import/commit

    func commit(_ context: RequestContext) throws -> JSONValue {
        let params = context.params
        let locale = context.locale
        let reviewId = try params.string("reviewId")
        let session = try server.acquireSession(context)
        // Held until the reply: a session whose commit has started never expires, and
        // acquiring it is one step with the lookup, so no sweep falls between the two.
        defer { sessions.release(session) }
        let sessionId = session.id
        let workspace = try server.requireWorkspace()
        let committer = Committer(workspace: workspace, locale: locale)
        let reporter = context.progress(title: ReviewWords.commitTitle.text(locale), cancellable: true)
        var claimed: ImportJob?
        let result: CommitResult
        do {
            result = try committer.commit(session: session, reviewId: reviewId, started: { claimed = $0 },
                                          progress: { done, total in
                                              reporter.report(percentage: total == 0 ? 100 : done * 100 / total,
                                                              message: ReviewWords.rowsProgress(done, total, locale))
                                          }, isCancelled: { context.isCancelled },
                                          resultFileProblem: { problem in
                                              // The contacts are imported all the same; the file is the workspace's trouble.
                                              context.log(.warn, "could not write the result file of job \(problem.jobId): \(problem.error)")
                                          })
        } catch {
            reporter.end(message: nil)
            // A job that started and ended badly is news for the notification centre too.
            if let job = claimed, let ended = try? workspace.job(id: job.id) {
                announce(ended, sessionId: sessionId, context: context)
            }
            throw wireError(error, locale)
        }
        // The committed plan and the result file's buffers are freed by now.
        ImportServer.returnFreedMemory()
        let job = result.job
        if let phases = result.phases {
            // Seconds per phase, read by `contact-import-bench import` (`--log-level debug`).
            context.log(.debug, "commit phases (s): \(phases.summary)")
        }
        reporter.end(message: ReviewWords.summary(job, locale))
        announce(job, sessionId: sessionId, context: context)
        return [
            "jobId": .int(Int(job.id)),
            "state": .string(job.state.rawValue),
            "counts": Self.json(job.counts),
            "importTag": job.importTag.map(JSONValue.string) ?? .null,
            "resultFile": Self.resultFile(job, withAvailability: false),
            "startedAt": .string(WireTime.string(job.startedAt)),
            "finishedAt": job.finishedAt.map { .string(WireTime.string($0)) } ?? .null,
        ]
    }

    // MARK: import/undo

    func undo(_ context: RequestContext) throws -> JSONValue {
        let locale = context.locale
        let jobId = Int64(try context.params.int("jobId"))
        let workspace = try server.requireWorkspace()
        let reporter = context.progress(title: ReviewWords.undoTitle.text(locale), cancellable: true)
        var claimed: ImportJob?
        let result: UndoResult
        do {
            result = try Undoer(workspace: workspace, locale: locale).undo(
                jobId: jobId, started: { claimed = $0 },
                progress: { done, total in
                    reporter.report(percentage: total == 0 ? 100 : done * 100 / total,
                                    message: ReviewWords.contactsProgress(done, total, locale))
                }, isCancelled: { context.isCancelled })
        } catch {
            reporter.end(message: nil)
            if let job = claimed, let ended = try? workspace.job(id: job.id) {
                announce(ended, sessionId: nil, context: context)
            }
            throw wireError(error, locale)
        }
        reporter.end(message: ReviewWords.summary(result.job, locale))
        announce(result.job, sessionId: nil, context: context)
        return ReviewWire.encode(ReviewWire.UndoResultShape(result.job))
    }

    /// `import/finished` and its words for the notification centre (`window/showMessage`).
    /// Its `resultFile` is history's (with `available`), as the contract says. An undo job has
    /// no session and its counts are `{removed, restored, conflicts}`.
    private func announce(_ job: ImportJob, sessionId: String?, context: RequestContext) {
        context.notify("import/finished", [
            "jobId": .int(Int(job.id)),
            "sessionId": sessionId.map(JSONValue.string) ?? .null,
            "state": .string(job.state.rawValue),
            "counts": job.undoes == nil ? Self.json(job.counts) : ReviewWire.encode(ReviewWire.UndoCountsShape(job.undoCounts)),
            "resultFile": Self.resultFile(job, withAvailability: true),
        ])
        context.notify("window/showMessage", ["type": 3, "message": .string(ReviewWords.summary(job, context.locale))])
    }

    // MARK: import/history, import/status

    func history(_ context: RequestContext) throws -> JSONValue {
        let limit = try context.params.optionalInt("limit", in: 1...10_000) ?? Self.defaultHistoryLimit
        let workspace = try server.requireWorkspace()
        let jobs: [ImportJob]
        do {
            jobs = try workspace.jobs(limit: limit)
        } catch {
            throw wireError(error, context.locale)
        }
        return ["jobs": .array(jobs.map(Self.json))]
    }

    func status(_ context: RequestContext) throws -> JSONValue {
        let jobId = try context.params.int("jobId")
        let workspace = try server.requireWorkspace()
        do {
            guard let job = try workspace.job(id: Int64(jobId)) else { throw JobNotFound(jobId: Int64(jobId)) }
            return Self.json(job)
        } catch {
            throw wireError(error, context.locale)
        }
    }

    // MARK: helpers

    /// The wire form of everything review and commit can throw.
    func wireError(_ error: any Error, _ locale: MessageLocale) -> any Error {
        switch error {
        case let error as ResponseError:
            return error
        case let error as MappingInvalid:
            let problems = error.problems.map { problem -> JSONValue in
                var object: [String: JSONValue] = ["code": .string(problem.code.rawValue),
                                                   "message": .string(problem.message(locale))]
                if let column = problem.column { object["column"] = .int(column) }
                if let field = problem.field { object["field"] = .string(field) }
                return .object(object)
            }
            return ResponseError(code: ErrorCode.mappingInvalid, message: error.message(locale),
                                 data: ["problems": .array(problems)])
        case let error as ReviewRequired:
            var data: [String: JSONValue] = ["reviewId": .string(error.reviewId),
                                             "latestReviewId": error.latestReviewId.map(JSONValue.string) ?? .null]
            if let jobId = error.importedBy { data["jobId"] = .int(Int(jobId)) }
            return ResponseError(code: ErrorCode.reviewRequired, message: error.message(locale), data: .object(data))
        case let error as SessionError:
            return error
        case let error as UndoUnavailable:
            var data: [String: JSONValue] = ["jobId": .int(Int(error.jobId)), "reason": .string(error.reason.rawValue)]
            if let by = error.undoneBy { data["undoneBy"] = .int(Int(by)) }
            return ResponseError(code: ErrorCode.undoUnavailable, message: error.message(locale), data: .object(data))
        case let error as JobNotFound:
            return ResponseError(code: ErrorCode.notFound, LocalizedText(
                en: "There is no import job \(error.jobId) in this workspace.",
                es: "No existe el trabajo de importación \(error.jobId) en este espacio de trabajo.",
                pt: "Não existe o trabalho de importação \(error.jobId) neste espaço de trabalho."),
                locale: locale, data: ["jobId": .int(Int(error.jobId))])
        case let error as ImportInProgress:
            return ResponseError(code: ErrorCode.importInProgress, LocalizedText(
                en: "Another import is in progress (job \(error.jobId), started \(WireTime.string(error.startedAt))); wait until it finishes before starting a new one.",
                es: "Hay otra importación en curso (trabajo \(error.jobId), iniciada \(WireTime.string(error.startedAt))); espere a que termine antes de comenzar una nueva.",
                pt: "Há outra importação em andamento (trabalho \(error.jobId), iniciada \(WireTime.string(error.startedAt))); aguarde o término antes de começar outra."),
                locale: locale, data: ["jobId": .int(Int(error.jobId)), "startedAt": .string(WireTime.string(error.startedAt))])
        case is ImportCancelled:
            return ResponseError.cancelled(locale)
        case let error as WorkspaceError:
            return ResponseError(code: ErrorCode.workspaceError, message: error.message(locale),
                                 data: ["reason": .string(error.kind.rawValue)])
        case let error as FileWriteError:
            return Self.fileNotWritten(path: error.path, locale: locale)
        case let error as CocoaError where error.isFileError:
            return Self.fileNotWritten(path: error.filePath ?? "", locale: locale)
        default:
            return error
        }
    }

    /// The error or result file could not be written (disk full, folder gone): the workspace's
    /// trouble, not a bug.
    private static func fileNotWritten(path: String, locale: MessageLocale) -> ResponseError {
        ResponseError(code: ErrorCode.workspaceError, LocalizedText(
            en: "A file could not be written in the workspace (\(path)): check that the disk has free space and the folder still exists.",
            es: "No se pudo escribir un archivo en el espacio de trabajo (\(path)): compruebe que el disco tiene espacio libre y que la carpeta sigue existiendo.",
            pt: "Não foi possível gravar um arquivo no espaço de trabalho (\(path)): verifique se o disco tem espaço livre e se a pasta ainda existe."),
            locale: locale, data: ["reason": "io"])
    }

    // MARK: JSON shapes (the wire types are in ReviewWire.swift)

    static func json(_ counts: ReviewCounts) -> JSONValue { ReviewWire.encode(ReviewWire.ReviewCountsShape(counts)) }
    static func json(_ counts: JobCounts) -> JSONValue { ReviewWire.encode(ReviewWire.JobCountsShape(counts)) }
    static func json(_ changes: RowChanges) -> JSONValue { ReviewWire.encode(ReviewWire.changes(changes)) }
    static func json(_ outcome: RowOutcome, _ locale: MessageLocale) -> JSONValue {
        ReviewWire.encode(ReviewWire.Outcome(outcome, locale))
    }
    static func jsonObject(_ outcome: RowOutcome, _ locale: MessageLocale) -> [String: JSONValue] {
        json(outcome, locale).objectValue ?? [:]
    }
    static func json(_ value: FieldValue) -> JSONValue { ReviewWire.encode(ReviewWire.Value(value)) }
    static func json(_ job: ImportJob) -> JSONValue { ReviewWire.encode(ReviewWire.Job(job)) }

    /// History, status and `import/finished` always carry the contract's object, so a client can
    /// read `available` of any job: a job that wrote no file (cancelled, failed, interrupted)
    /// has `uri` and `expiresAt` null and `available` false. The commit result has `{uri,
    /// expiresAt}`, or null when no file was written.
    static func resultFile(_ job: ImportJob, withAvailability: Bool) -> JSONValue {
        if withAvailability { return ReviewWire.encode(ReviewWire.ResultFile(job)) }
        return ReviewWire.encode(OrNull(ReviewWire.CommitResultFile(job)))
    }
}

/// The words of progress and the notification centre.
enum ReviewWords {
    static let reviewTitle = LocalizedText(en: "Reviewing the import", es: "Revisando la importación", pt: "Revisando a importação")
    static let commitTitle = LocalizedText(en: "Importing contacts", es: "Importando contactos", pt: "Importando contatos")
    static let undoTitle = LocalizedText(en: "Undoing the import", es: "Deshaciendo la importación", pt: "Desfazendo a importação")

    static func contactsProgress(_ done: Int, _ total: Int, _ locale: MessageLocale) -> String {
        let word = LocalizedText(en: "contacts", es: "contactos", pt: "contatos").text(locale)
        return "\(formatCount(done, locale)) / \(formatCount(total, locale)) \(word)"
    }

    static func rowsProgress(_ done: Int, _ total: Int, _ locale: MessageLocale) -> String {
        let word = LocalizedText(en: "rows", es: "filas", pt: "linhas").text(locale)
        return "\(formatCount(done, locale)) / \(formatCount(total, locale)) \(word)"
    }

    static func reviewDone(_ counts: ReviewCounts, _ locale: MessageLocale) -> String {
        LocalizedText(
            en: "\(formatCount(counts.add, .english)) to add, \(formatCount(counts.update, .english)) to update, \(formatCount(counts.skip, .english)) to skip, \(formatCount(counts.error, .english)) with errors",
            es: "\(formatCount(counts.add, .spanish)) por agregar, \(formatCount(counts.update, .spanish)) por actualizar, \(formatCount(counts.skip, .spanish)) por omitir, \(formatCount(counts.error, .spanish)) con errores",
            pt: "\(formatCount(counts.add, .portuguese)) a adicionar, \(formatCount(counts.update, .portuguese)) a atualizar, \(formatCount(counts.skip, .portuguese)) a ignorar, \(formatCount(counts.error, .portuguese)) com erros"
        ).text(locale)
    }

    /// "1 contact added" / "2 contacts added", with the locale's thousands separator.
    static func counted(_ count: Int, _ one: String, _ many: String, _ locale: MessageLocale) -> String {
        "\(formatCount(count, locale)) \(count == 1 ? one : many)"
    }

    /// The notification centre's sentence about a finished job.
    static func summary(_ job: ImportJob, _ locale: MessageLocale) -> String {
        let c = job.counts
        let name = job.fileName
        if let undone = job.undoes, job.state == .completed {
            let u = job.undoCounts
            return LocalizedText(
                en: "Import \(undone) (\(name)) undone: \(counted(u.removed, "contact removed", "contacts removed", .english)), \(counted(u.restored, "restored", "restored", .english)), \(counted(u.conflicts, "kept as changed since", "kept as changed since", .english)).",
                es: "Importación \(undone) (\(name)) deshecha: \(counted(u.removed, "contacto eliminado", "contactos eliminados", .spanish)), \(counted(u.restored, "restaurado", "restaurados", .spanish)), \(counted(u.conflicts, "conservado por cambios posteriores", "conservados por cambios posteriores", .spanish)).",
                pt: "Importação \(undone) (\(name)) desfeita: \(counted(u.removed, "contato removido", "contatos removidos", .portuguese)), \(counted(u.restored, "restaurado", "restaurados", .portuguese)), \(counted(u.conflicts, "mantido por alterações posteriores", "mantidos por alterações posteriores", .portuguese))."
            ).text(locale)
        }
        switch job.state {
        case .completed:
            return LocalizedText(
                en: "Import of \(name) completed: \(counted(c.imported, "contact added", "contacts added", .english)), \(counted(c.updated, "updated", "updated", .english)), \(counted(c.skipped, "skipped", "skipped", .english)), \(counted(c.errors, "row with errors", "rows with errors", .english)).",
                es: "Importación de \(name) completada: \(counted(c.imported, "contacto agregado", "contactos agregados", .spanish)), \(counted(c.updated, "actualizado", "actualizados", .spanish)), \(counted(c.skipped, "omitido", "omitidos", .spanish)), \(counted(c.errors, "fila con errores", "filas con errores", .spanish)).",
                pt: "Importação de \(name) concluída: \(counted(c.imported, "contato adicionado", "contatos adicionados", .portuguese)), \(counted(c.updated, "atualizado", "atualizados", .portuguese)), \(counted(c.skipped, "ignorado", "ignorados", .portuguese)), \(counted(c.errors, "linha com erros", "linhas com erros", .portuguese))."
            ).text(locale)
        case .cancelled:
            return LocalizedText(en: "Import of \(name) cancelled: no contact was changed.",
                                 es: "Importación de \(name) cancelada: no se modificó ningún contacto.",
                                 pt: "Importação de \(name) cancelada: nenhum contato foi alterado.").text(locale)
        case .undone:
            return LocalizedText(en: "Import of \(name) was undone.", es: "La importación de \(name) se deshizo.",
                                 pt: "A importação de \(name) foi desfeita.").text(locale)
        case .failed, .interrupted:
            return LocalizedText(en: "Import of \(name) failed: no contact was changed.",
                                 es: "La importación de \(name) falló: no se modificó ningún contacto.",
                                 pt: "A importação de \(name) falhou: nenhum contato foi alterado.").text(locale)
        case .running:
            return LocalizedText(en: "Import of \(name) is running.", es: "La importación de \(name) está en curso.",
                                 pt: "A importação de \(name) está em andamento.").text(locale)
        }
    }
}
