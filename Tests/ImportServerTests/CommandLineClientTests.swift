import Foundation
import JSONRPC
import TestSupport
import XCTest

/// The built `contact-import` against the built `contact-importd`, each test in a fresh
/// workspace: exit codes, what is printed, and that the example files import.
final class CommandLineClientTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    private static let example = repository + "/protocol/examples/contactos-ejemplo.csv"
    private static let excelExample = repository + "/protocol/examples/clientes-excel.csv"

    private var directory: TemporaryDirectory?
    private var workspace = ""

    override func setUpWithError() throws {
        let directory = try TemporaryDirectory(prefix: "contact-import-cli")
        self.directory = directory
        workspace = directory.file("workspace")
    }

    override func tearDown() {
        directory?.remove()
    }

    private struct Run {
        var code: Int32
        var output: String
        var errors: String
    }

    /// Runs contact-import with `--workspace` (unless `workspace` is false) and `arguments`.
    private func run(_ arguments: [String], input: String? = nil, workspace useWorkspace: Bool = true,
                     environment extra: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try DaemonLocator.executablePath(named: "contact-import"))
        process.arguments = (useWorkspace ? ["--workspace", workspace] : []) + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CONTACT_IMPORTD"] = try DaemonLocator.daemonPath()
        environment["LANG"] = "C.UTF-8"
        environment["LC_ALL"] = nil
        environment["LC_MESSAGES"] = nil
        for (name, value) in extra { environment[name] = value }
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Read stderr on another thread so that neither pipe can fill up and block the child.
        let errorData = LockedData()
        let reader = Thread { errorData.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1_000) }
        return Run(code: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                   errors: String(decoding: errorData.value, as: UTF8.self))
    }

    /// A contact-import still running: stderr is collected as it comes, stdin stays open.
    private final class RunningCLI {
        let process: Process
        let stdin: Pipe
        private let stdout = LockedData(), stderr = LockedData()
        private let readers = DispatchGroup()

        init(process: Process, stdin: Pipe, stdoutPipe: Pipe, stderrPipe: Pipe) {
            self.process = process
            self.stdin = stdin
            for (pipe, sink) in [(stdoutPipe, stdout), (stderrPipe, stderr)] {
                readers.enter()
                Thread.detachNewThread { [readers] in
                    // availableData: whatever has come, not a full buffer (a prompt is a few bytes).
                    let handle = pipe.fileHandleForReading
                    while case let chunk = handle.availableData, !chunk.isEmpty { sink.append(chunk) }
                    readers.leave()
                }
            }
        }

        var errors: String { String(decoding: stderr.value, as: UTF8.self) }
        var output: String { String(decoding: stdout.value, as: UTF8.self) }

        /// Waits until stderr contains `text`; false at the deadline or if the process ended first.
        func waitForErrors(containing text: String, timeout: TimeInterval) -> Bool {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while Date() < deadline {
                if errors.contains(text) { return true }
                if !process.isRunning { return errors.contains(text) }
                usleep(5_000)
            }
            return false
        }

        /// Ctrl-C as a terminal sends it: SIGINT to the whole foreground process group, which is
        /// the CLI's own (Process starts it in a group of its own), daemon included if it were there.
        func pressControlC() {
            kill(-process.processIdentifier, SIGINT)
        }

        func waitUntilExit(timeout: TimeInterval) -> Bool {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while process.isRunning {
                if Date() > deadline { return false }
                usleep(5_000)
            }
            _ = readers.wait(timeout: .now() + 10)
            return true
        }
    }

    private func start(_ arguments: [String]) throws -> RunningCLI {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try DaemonLocator.executablePath(named: "contact-import"))
        process.arguments = ["--workspace", workspace] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CONTACT_IMPORTD"] = try DaemonLocator.daemonPath()
        environment["LANG"] = "C.UTF-8"
        environment["LC_ALL"] = nil
        environment["LC_MESSAGES"] = nil
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // The test plays the terminal: the CLI must lead its own process group, as a shell's job does.
        XCTAssertEqual(getpgid(process.processIdentifier), process.processIdentifier)
        return RunningCLI(process: process, stdin: stdin, stdoutPipe: stdout, stderrPipe: stderr)
    }

    private func history() throws -> [JSONValue] {
        let client = try WireClient(arguments: ["--workspace", workspace])
        _ = try client.initialize(locale: "en")
        let jobs = try client.request("import/history", ["limit": 5])["jobs"]?.arrayValue ?? []
        _ = try client.shutdownAndExit()
        return jobs
    }

    private func path(after prefix: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            var path = String(line.dropFirst(prefix.count))
            if let open = path.range(of: " (") { path = String(path[..<open.lowerBound]) }
            return path
        }
        return nil
    }

    /// Progress lines come first on stderr; the failure is a line of its own.
    private func hasErrorLine(_ text: String) -> Bool {
        text.split(separator: "\n").contains { $0.hasPrefix("error: ") }
    }

    // MARK: usage

    func testHelpInEnglishAndSpanish() throws {
        let english = try run(["--help", "--locale", "en"], workspace: false)
        XCTAssertEqual(english.code, 0)
        XCTAssertTrue(english.output.hasPrefix("Usage: contact-import FILE.csv [options]"), english.output)
        XCTAssertTrue(english.output.contains("--fail-on-errors"))
        XCTAssertTrue(english.output.contains("addAndUpdate    (the default)"), english.output)
        XCTAssertTrue(english.output.contains("Ctrl-C while importing cancels the import"), english.output)
        XCTAssertTrue(english.output.contains("Examples:\n  contact-import protocol/examples/contactos-ejemplo.csv"),
                      english.output)
        let spanish = try run(["--help"], workspace: false, environment: ["LANG": "es_MX.UTF-8"])
        XCTAssertEqual(spanish.code, 0)
        XCTAssertTrue(spanish.output.hasPrefix("Uso: contact-import ARCHIVO.csv [opciones]"), spanish.output)
        XCTAssertTrue(spanish.output.contains("addAndUpdate    (el predeterminado)"), spanish.output)
        // Every option of one language is explained in the other.
        let options = { (text: String) in
            Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," })
                .filter { $0.hasPrefix("--") }.map(String.init))
        }
        XCTAssertEqual(options(english.output), options(spanish.output))
        let portuguese = try run(["--help"], workspace: false, environment: ["LANG": "pt_BR.UTF-8"])
        XCTAssertEqual(portuguese.code, 0)
        XCTAssertTrue(portuguese.output.contains("addAndUpdate    (o padrão)"), portuguese.output)
        XCTAssertEqual(options(english.output), options(portuguese.output))
    }

    func testBadUsageExitsTwo() throws {
        let cases: [([String], String)] = [
            ([], "No CSV file given."),
            ([Self.example, "--purpose", "addSome"], "--purpose addSome: expected one of addNew, updateExisting, addAndUpdate, addAll."),
            ([Self.example, "--frobnicate"], "Unknown option: --frobnicate"),
            ([Self.example, "--map", "Nombre"], "--map Nombre: expected \"Header=field\""),
            ([Self.example, "--default-country"], "--default-country needs a value."),
            ([Self.example, "other.csv"], "Only one file can be imported at a time"),
            ([Self.example, "--yes=no"], "--yes takes no value."),
        ]
        for (arguments, message) in cases {
            let result = try run(arguments)
            XCTAssertEqual(result.code, 2, "\(arguments): \(result.errors)")
            XCTAssertTrue(result.errors.contains(message), "\(arguments): \(result.errors)")
            XCTAssertTrue(result.errors.contains("contact-import --help"), result.errors)
            XCTAssertEqual(result.output, "")
        }
        let spanish = try run([Self.example, "--locale", "es", "--purpose", "todo"])
        XCTAssertEqual(spanish.code, 2)
        XCTAssertTrue(spanish.errors.contains("se esperaba uno de"), spanish.errors)
    }

    func testUnknownMapHeaderIsBadUsage() throws {
        let result = try run([Self.example, "--map", "Celular=phone", "--yes", "--default-country", "MX"])
        XCTAssertEqual(result.code, 2, result.errors)
        XCTAssertTrue(result.errors.contains("the file has no column \"Celular\""), result.errors)
        XCTAssertTrue(result.errors.contains("\"Teléfono\""), result.errors)
    }

    // MARK: importing

    func testImportsTheExampleFileWithYes() throws {
        let result = try run([Self.example, "--yes", "--default-country", "MX", "--locale", "en"])
        XCTAssertEqual(result.code, 0, result.errors)
        let output = result.output
        XCTAssertTrue(output.contains("contactos-ejemplo.csv: 20 rows, 7 columns (utf-8, delimiter \",\")"), output)
        XCTAssertTrue(output.contains("Teléfono   Phone Number (phone)"), output)
        XCTAssertFalse(output.contains("Columns marked (skipped)"), output)
        XCTAssertTrue(output.contains("Review: add and update contacts (addAndUpdate), identifier Phone Number (phone)\n"),
                      output)
        XCTAssertTrue(output.contains("  To add       16\n  To update     0\n  To skip       0\n  With errors   4\n  Total rows   20\n"),
                      output)
        XCTAssertTrue(output.contains("  line 9 (row 8): "), output)
        XCTAssertTrue(output.contains("  line 13 (row 12): "), output)
        XCTAssertTrue(output.contains("Import completed: 16 imported, 0 updated, 0 skipped, 4 with errors."), output)
        let errorFile = try XCTUnwrap(path(after: "Error file: ", in: output))
        let resultFile = try XCTUnwrap(path(after: "Result file: ", in: output))
        XCTAssertTrue(FileManager.default.fileExists(atPath: errorFile), errorFile)
        XCTAssertTrue(FileManager.default.fileExists(atPath: resultFile), resultFile)
        XCTAssertTrue(resultFile.hasPrefix(workspace), "result file \(resultFile) outside \(workspace)")
        // stderr is not a terminal here: plain progress lines, no bar.
        XCTAssertTrue(result.errors.contains("Importing: 100%"), result.errors)
        XCTAssertFalse(result.errors.contains("\r"), result.errors)

        // The same file again: every valid row now matches by phone.
        let again = try run([Self.example, "--yes", "--default-country", "MX", "--locale", "en"])
        XCTAssertEqual(again.code, 0, again.errors)
        XCTAssertTrue(again.output.contains("Import completed: 0 imported, 16 updated, 0 skipped, 4 with errors."),
                      again.output)
    }

    func testSecondRunWithAddNewHasNothingToImport() throws {
        let first = try run([Self.example, "--yes", "--default-country", "MX", "--locale", "en"])
        XCTAssertEqual(first.code, 0, first.errors)
        let again = try run([Self.example, "--yes", "--purpose", "addNew", "--default-country", "MX", "--locale", "en"])
        XCTAssertEqual(again.code, 0, again.errors)
        XCTAssertTrue(again.output.contains("  To skip      16\n"), again.output)
        XCTAssertTrue(again.output.contains(
            "Nothing to import: every valid row is a contact that already exists (addNew skips them).\n"), again.output)
        XCTAssertFalse(again.output.contains("Result file"), again.output)
        XCTAssertFalse(again.errors.contains("Importing"), again.errors)
        XCTAssertEqual(try history().count, 1, "a job that changes nothing was recorded")
    }

    func testADatabaseWorkspaceIsPassedToTheDaemonNeverMadeAFolder() throws {
        let unreachable = "host=/nonexistent-pg-socket-dir dbname=postgres password=hunter2"
        let failed = try run(["--history", "--workspace", unreachable, "--locale", "en"], workspace: false)
        XCTAssertNotEqual(failed.code, 0)
        XCTAssertTrue(failed.errors.contains("PostgreSQL"), failed.errors)
        XCTAssertFalse(failed.errors.contains("hunter2"), failed.errors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/host="))
        guard let base = ProcessInfo.processInfo.environment["CONTACT_IMPORT_TEST_POSTGRES"], !base.isEmpty else { return }
        let schema = "c_" + UUID().uuidString.prefix(8).lowercased()
        let empty = try run(["--history", "--workspace", base + " options='-c contact_import.schema=\(schema)'",
                             "--files-dir", workspace + "-files", "--locale", "en"], workspace: false)
        XCTAssertEqual(empty.code, 0, empty.errors)
        XCTAssertEqual(empty.output, "No imports yet in this workspace.\n")
        let drop = Process()
        drop.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        drop.arguments = [base, "-qc", "DROP SCHEMA IF EXISTS \(schema) CASCADE"]
        drop.standardOutput = FileHandle.nullDevice
        drop.standardError = FileHandle.nullDevice
        try? drop.run()
        drop.waitUntilExit()
    }

    func testHistoryListsPastImports() throws {
        let empty = try run(["--history", "--locale", "en"])
        XCTAssertEqual(empty.code, 0, empty.errors)
        XCTAssertEqual(empty.output, "No imports yet in this workspace.\n")

        let imported = try run([Self.example, "--yes", "--default-country", "MX", "--locale", "en"])
        let resultFile = try XCTUnwrap(path(after: "Result file: ", in: imported.output), imported.output)
        let history = try run(["--history", "--locale", "es"])
        XCTAssertEqual(history.code, 0, history.errors)
        let lines = history.output.split(separator: "\n").map(String.init)
        // A table (number, file, when, state, counts, tag), then where the result files are.
        XCTAssertEqual(lines.count, 5, history.output)
        XCTAssertTrue(lines[0].hasPrefix("#  Archivo "), history.output)
        XCTAssertTrue(lines[0].contains("  Fecha  "), history.output)
        XCTAssertTrue(lines[0].hasSuffix("  Estado      Cantidades                    Etiqueta"), history.output)
        XCTAssertTrue(lines[2].hasPrefix("1  contactos-ej"), history.output)
        XCTAssertTrue(lines[2].contains("  completada  16 importados, 4 con errores  import-"), history.output)
        XCTAssertEqual(lines[3], "Archivos de resultados:", history.output)
        XCTAssertEqual(lines[4], "  #1: " + resultFile, history.output)
        for line in lines.prefix(3) { XCTAssertLessThanOrEqual(line.count, 100, line) }

        // Singulars: one updated contact, one skipped row.
        let updates = try XCTUnwrap(directory).write("uno.csv", "Correo,Nombre\nana.garcia@example.com,Ana\nnadie@example.com,Nadie\n")
        let updated = try run([updates, "--yes", "--purpose", "updateExisting", "--identifier", "email", "--locale", "es"])
        XCTAssertTrue(updated.output.contains("Importación completada: 0 importados, 1 actualizado, 1 omitido, 0 con errores."),
                      updated.output)
        let again = try run(["--history", "--locale", "es"])
        XCTAssertTrue(again.output.contains("  completada  1 actualizado, 1 omitido  "), again.output)

        let withFile = try run(["--history", Self.example, "--locale", "en"])
        XCTAssertEqual(withFile.code, 2, withFile.errors)
        XCTAssertTrue(withFile.errors.contains("--history lists past imports and imports nothing"), withFile.errors)
    }

    func testMapIgnoresAccentsAndCase() throws {
        // As typed on a keyboard without accents: the header "Móvil", the label "Número de teléfono".
        let result = try run([Self.excelExample, "--map", "movil=numero de telefono", "--map", "POBLACION=-",
                              "--purpose", "addNew", "--default-country", "ES", "--locale", "es"], input: "n\n")
        XCTAssertEqual(result.code, 1, result.errors)
        XCTAssertTrue(result.output.contains("\nMóvil          Número de teléfono (phone)    "), result.output)
        XCTAssertTrue(result.output.contains("\nPoblación      (se omite)"), result.output)
    }

    func testSpanishOutputAndMapOverrides() throws {
        // Skipping the e-mail column turns the row with an invalid address into a valid one.
        let result = try run([Self.example, "--yes", "--default-country", "MX", "--locale", "es", "--purpose", "addNew",
                              "--map", "correo=-", "--map", "Etiquetas=Etiquetas", "--tags", "feria,2026",
                              "--no-import-tag"])
        XCTAssertEqual(result.code, 0, result.errors)
        XCTAssertTrue(result.output.contains("Correo     (se omite)"), result.output)
        XCTAssertTrue(result.output.contains("Etiqueta de importación: ninguna"), result.output)
        XCTAssertTrue(result.output.contains("Importación completada: 17 importados, 0 actualizados, 0 omitidos, 3 con errores."),
                      result.output)
        XCTAssertNotNil(path(after: "Archivo de resultados: ", in: result.output), result.output)
    }

    func testUpdateExistingByEmailWithNamedImportTag() throws {
        let first = try run([Self.example, "--yes", "--default-country", "MX", "--locale", "en"])
        XCTAssertEqual(first.code, 0, first.errors)
        let updates = try XCTUnwrap(directory).write("actualizar.csv", """
            Correo,Nombre,Etiquetas
            ana.garcia@example.com,Ana María,feria
            javier.romero@example.org,Javier,
            nadie@example.com,Nadie,
            """)
        let result = try run([updates, "--yes", "--purpose", "updateExisting", "--identifier", "email",
                              "--import-tag", "feria-2026", "--keep", "tags", "--locale", "en"])
        XCTAssertEqual(result.code, 0, result.errors)
        XCTAssertTrue(result.output.contains(
            "Review: update existing contacts only (updateExisting), identifier Email (email)\n"), result.output)
        XCTAssertTrue(result.output.contains("  To add       0\n  To update    2\n  To skip      1\n  With errors  0\n  Total rows   3\n"),
                      result.output)
        XCTAssertTrue(result.output.contains("Tags (tags), don't overwrite"), result.output)
        XCTAssertTrue(result.output.contains("Import tag: feria-2026"), result.output)
        XCTAssertTrue(result.output.contains("Import completed: 0 imported, 2 updated, 1 skipped, 0 with errors."),
                      result.output)
    }

    func testFailOnErrorsExitsThreeAndImportsNothing() throws {
        let stopped = try run([Self.example, "--fail-on-errors", "--default-country", "MX", "--locale", "en"])
        XCTAssertEqual(stopped.code, 3, stopped.errors)
        XCTAssertTrue(stopped.errors.contains("Nothing was imported: some rows have errors (--fail-on-errors)."),
                      stopped.errors)
        XCTAssertNotNil(path(after: "Error file: ", in: stopped.output), stopped.output)
        XCTAssertFalse(stopped.output.contains("Result file"), stopped.output)

        XCTAssertFalse(stopped.output.contains("Hint:"), stopped.output)

        // Without --default-country, the national number of row 10 is an error, and the
        // option that fixes it is named.
        let noCountry = try run([Self.example, "--fail-on-errors", "--locale", "en"])
        XCTAssertEqual(noCountry.code, 3, noCountry.errors)
        XCTAssertTrue(noCountry.output.contains("  line 11 (row 10): "), noCountry.output)
        XCTAssertTrue(noCountry.output.contains("Hint: phone numbers written without a country code are read with "
            + "--default-country (e.g. --default-country MX).\n"), noCountry.output)

        let next = try run([Self.example, "--yes", "--purpose", "addNew", "--default-country", "MX", "--locale", "en"])
        XCTAssertTrue(next.output.contains("  To add       16\n"), "the stopped run imported something:\n\(next.output)")
    }

    func testConfirmationPrompt() throws {
        let declined = try run([Self.example, "--default-country", "MX", "--locale", "en"], input: "n\n")
        XCTAssertEqual(declined.code, 1, declined.errors)
        XCTAssertTrue(declined.errors.contains("Add 16 contacts now? The 4 rows with errors are left out. [y/N] "),
                      declined.errors)
        XCTAssertTrue(declined.errors.contains("Nothing was imported."), declined.errors)

        let noAnswer = try run([Self.example, "--default-country", "MX", "--locale", "en"], input: "")
        XCTAssertEqual(noAnswer.code, 1, noAnswer.errors)
        XCTAssertTrue(noAnswer.errors.contains("No answer: the input ended. Use --yes to import without asking."),
                      noAnswer.errors)


        let accepted = try run([Self.example, "--default-country", "MX", "--locale", "es"], input: "sí\n")
        XCTAssertEqual(accepted.code, 0, accepted.errors)
        XCTAssertTrue(accepted.errors.contains("¿Agregar 16 contactos ahora? Las 4 filas con errores quedan fuera. [s/N] "),
                      accepted.errors)
        XCTAssertTrue(accepted.output.contains("Importación completada: 16 importados"), accepted.output)
        // An unclear answer is asked again rather than taken for a no.
        let unclear = try run([Self.example, "--default-country", "MX", "--locale", "en"], input: "í\nyes\n")
        XCTAssertEqual(unclear.code, 0, unclear.errors)
        XCTAssertTrue(unclear.errors.contains("Please answer y (yes) or n (no): "), unclear.errors)
        XCTAssertTrue(unclear.output.contains("Import completed: 0 imported, 16 updated"), unclear.output)
    }

    func testWindows1252SemicolonFile() throws {
        let result = try run([Self.excelExample, "--yes", "--purpose", "addNew", "--default-country", "ES",
                              "--locale", "en"])
        XCTAssertEqual(result.code, 0, result.errors)
        XCTAssertTrue(result.output.contains("clientes-excel.csv: 8 rows, 7 columns (windows-1252, delimiter \";\")"),
                      result.output)
        XCTAssertTrue(result.output.contains("Import completed: 6 imported, 0 updated, 0 skipped, 2 with errors."),
                      result.output)
        XCTAssertTrue(result.output.contains("Población      (skipped)"), result.output)
        XCTAssertTrue(result.output.contains("Columns marked (skipped) are not imported; to import one, map it with "
            + "--map \"Header=field\"."), result.output)
    }

    // MARK: Ctrl-C

    func testControlCDuringCommitCancelsItAndRollsBack() throws {
        try assertStopDuringCommitRollsBack { $0.pressControlC() }
    }

    func testSIGTERMDuringCommitCancelsItLikeControlC() throws {
        // As `kill` or `timeout` send it: to the CLI alone.
        try assertStopDuringCommitRollsBack { kill($0.process.processIdentifier, SIGTERM) }
    }

    /// `stop` interrupts a running commit; the CLI must cancel it and report the rollback.
    private func assertStopDuringCommitRollsBack(_ stop: (RunningCLI) -> Void) throws {
        let file = try XCTUnwrap(directory).file("medio.csv")
        _ = try ContactCSVGenerator(rows: 40_000, seed: 7).write(toPath: file)
        let cli = try start([file, "--yes", "--purpose", "addAll", "--default-country", "MX", "--locale", "en"])
        defer { if cli.process.isRunning { cli.process.terminate() } }
        XCTAssertTrue(cli.waitForErrors(containing: "Importing…", timeout: 120), cli.errors)
        // Held still while Ctrl-C is pressed, the daemon reads the cancel mid-commit however fast
        // the commit is.
        let daemon = try XCTUnwrap(childProcess(of: cli.process.processIdentifier), "no daemon under the CLI")
        kill(daemon, SIGSTOP)
        stop(cli)
        XCTAssertTrue(cli.waitForErrors(containing: "Cancelling the import…", timeout: 10), cli.errors)
        kill(daemon, SIGCONT)
        guard cli.waitUntilExit(timeout: 60) else { return XCTFail("still running after Ctrl-C:\n\(cli.errors)") }
        XCTAssertEqual(cli.process.terminationReason, .exit, cli.errors)
        XCTAssertEqual(cli.process.terminationStatus, 1, cli.errors)
        XCTAssertTrue(cli.errors.contains("Cancelling the import… (press Ctrl-C again to quit without waiting)"),
                      cli.errors)
        XCTAssertTrue(cli.errors.contains("Import cancelled: nothing was changed."), cli.errors)
        XCTAssertFalse(cli.output.contains("Result file"), cli.output)

        // The daemon was not killed by the SIGINT: it rolled back and said so in the history.
        let jobs = try history()
        XCTAssertEqual(jobs.first?["state"]?.stringValue, "cancelled", "\(jobs)")
        XCTAssertEqual(jobs.first?["counts"]?["imported"]?.intValue, 0, "\(jobs)")
        let again = try run([Self.example, "--yes", "--purpose", "addNew", "--default-country", "MX", "--locale", "en"])
        XCTAssertTrue(again.output.contains("  To add       16\n"), "the cancelled import left contacts:\n\(again.output)")
    }

    func testSecondControlCQuitsWithoutWaiting() throws {
        // Smaller: the daemon is stopped as soon as the commit begins, so it needs no length.
        let file = try XCTUnwrap(directory).file("medio.csv")
        _ = try ContactCSVGenerator(rows: 40_000, seed: 7).write(toPath: file)
        let cli = try start([file, "--yes", "--purpose", "addAll", "--locale", "en"])
        defer { if cli.process.isRunning { cli.process.terminate() } }
        XCTAssertTrue(cli.waitForErrors(containing: "Importing…", timeout: 120), cli.errors)
        // A daemon slow to roll back: stopped, it cannot answer the cancel at all.
        let daemon = try XCTUnwrap(childProcess(of: cli.process.processIdentifier), "no daemon under the CLI")
        kill(daemon, SIGSTOP)
        defer {
            kill(daemon, SIGCONT)
            kill(daemon, SIGKILL)
        }
        cli.pressControlC()
        XCTAssertTrue(cli.waitForErrors(containing: "Cancelling the import…", timeout: 10), cli.errors)
        XCTAssertTrue(cli.process.isRunning, "the first Ctrl-C must wait for the rollback")
        cli.pressControlC()
        // Reading a running Process's termination traps: stop here if it has not ended.
        guard cli.waitUntilExit(timeout: 30) else {
            return XCTFail("the second Ctrl-C did not quit:\n\(cli.errors)")
        }
        XCTAssertEqual(cli.process.terminationReason, .uncaughtSignal, cli.errors)
        XCTAssertEqual(cli.process.terminationStatus, SIGINT, cli.errors)
        XCTAssertTrue(cli.errors.hasSuffix(
            "Quitting without waiting; contact-importd rolls the import back on its own.\n"), cli.errors)
    }

    /// The first process whose parent is `parent` (from /proc).
    private func childProcess(of parent: pid_t) -> pid_t? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.range(of: ")", options: .backwards) else { continue }
            // "pid (name) state ppid ...": the name may hold spaces, hence from the last ")".
            let fields = stat[close.upperBound...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == parent { return pid }
        }
        return nil
    }

    func testControlCAtThePromptStopsAtOnce() throws {
        let cli = try start([Self.example, "--default-country", "MX", "--locale", "es"])
        defer { if cli.process.isRunning { cli.process.terminate() } }
        XCTAssertTrue(cli.waitForErrors(containing: "[s/N] ", timeout: 60), cli.errors)
        cli.pressControlC()
        guard cli.waitUntilExit(timeout: 20) else { return XCTFail("still running after Ctrl-C:\n\(cli.errors)") }
        // Killed by SIGINT, as an uncaught Ctrl-C: a calling shell script stops too.
        XCTAssertEqual(cli.process.terminationReason, .uncaughtSignal, cli.errors)
        XCTAssertEqual(cli.process.terminationStatus, SIGINT, cli.errors)
        XCTAssertTrue(cli.errors.hasSuffix("[s/N] \nInterrumpido: no se importó nada.\n"), cli.errors)
        XCTAssertEqual(try history().count, 0)
    }

    // MARK: as users expect (issue 16)

    func testDryRunReviewsPrintsTheErrorFileAndImportsNothing() throws {
        let dry = try run([Self.example, "--dry-run", "--default-country", "MX", "--locale", "en"])
        XCTAssertEqual(dry.code, 0, dry.errors)
        XCTAssertTrue(dry.output.contains("  To add       16\n"), dry.output)
        XCTAssertTrue(dry.output.contains("  With errors   4\n"), dry.output)
        let errorFile = try XCTUnwrap(path(after: "Error file: ", in: dry.output), dry.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: errorFile), errorFile)
        XCTAssertTrue(dry.output.hasSuffix("Dry run: nothing was imported. Run the same command without --dry-run to import.\n"),
                      dry.output)
        XCTAssertFalse(dry.output.contains("Result file"), dry.output)
        XCTAssertFalse(dry.errors.contains("[y/N]"), "a dry run asks nothing:\n\(dry.errors)")
        XCTAssertEqual(try history().count, 0, "a dry run left a job in the history")

        let strict = try run([Self.example, "-n", "--fail-on-errors", "--default-country", "MX", "--locale", "en"])
        XCTAssertEqual(strict.code, 3, strict.errors)
        let clean = try XCTUnwrap(directory).write("limpio.csv", "Nombre,Teléfono\nAna,+52 55 1234 5678\n")
        XCTAssertEqual(try run([clean, "--dry-run", "--fail-on-errors", "--locale", "en"]).code, 0)
        XCTAssertEqual(try history().count, 0)
    }

    func testTheReviewSaysHowManyUpdatesAreAlreadyUpToDateAndShowsBeforeAfter() throws {
        let file = try XCTUnwrap(directory).write("clientes.csv", "Nombre,Apellido,Teléfono\nAna,Ruiz,+34612345671\nLuis,Gil,+34612345672\n")
        XCTAssertEqual(try run([file, "--yes", "--locale", "en"]).code, 0)
        let changed = try XCTUnwrap(directory).write("clientes-2.csv", "Nombre,Apellido,Teléfono\nAna,Ruiz Gil,+34612345671\nLuis,Gil,+34612345672\n")
        let dry = try run([changed, "--dry-run", "--purpose", "addAndUpdate", "--identifier", "phone", "--locale", "en"])
        XCTAssertEqual(dry.code, 0, dry.errors)
        XCTAssertTrue(dry.output.contains("(1 of the 2 to update already up to date)"), dry.output)
        XCTAssertTrue(dry.output.contains("Ruiz → Ruiz Gil"), dry.output)
    }

    func testUndoReversesAnImportAndHistoryShowsIt() throws {
        let file = try XCTUnwrap(directory).write("deshacer.csv", "Nombre,Teléfono\nAna,+34612345671\nLuis,+34612345672\n")
        XCTAssertEqual(try run([file, "--yes", "--locale", "en"]).code, 0)
        let undo = try run(["undo", "1", "--locale", "en"])
        XCTAssertEqual(undo.code, 0, undo.errors)
        XCTAssertTrue(undo.output.contains("Import 1 undone: 2 contacts removed, 0 restored, 0 kept as changed since."), undo.output)
        let again = try run(["undo", "1", "--locale", "es"])
        XCTAssertEqual(again.code, 1, again.errors)
        XCTAssertTrue(again.errors.contains("ya se deshizo"), again.errors)
        let history = try run(["history", "--locale", "en"])
        XCTAssertEqual(history.code, 0, history.errors)
        XCTAssertTrue(history.output.contains("undone"), history.output)
        XCTAssertEqual(try run(["undo", "uno", "--locale", "en"]).code, 2)
    }

    func testHelpWordsAndUnknownSubcommandsPrintUsage() throws {
        for words in [["help"], ["-h"], ["--help"]] {
            let result = try run(words + ["--locale", "en"], workspace: false)
            XCTAssertEqual(result.code, 0, "\(words): \(result.errors)")
            XCTAssertTrue(result.output.hasPrefix("Usage: contact-import FILE.csv [options]"), "\(words): \(result.output)")
        }
        let typo = try run(["hisotry", "--locale", "en"], workspace: false)
        XCTAssertEqual(typo.code, 2, typo.errors)
        XCTAssertTrue(typo.errors.hasPrefix("Unknown command: hisotry (and no file of that name)."), typo.errors)
        XCTAssertTrue(typo.errors.contains("\nUsage: contact-import FILE.csv [options]"), typo.errors)
        XCTAssertFalse(typo.errors.contains("was not found"), typo.errors)
        let spanish = try run(["ayuda"], workspace: false, environment: ["LANG": "es_ES.UTF-8"])
        XCTAssertEqual(spanish.code, 2, spanish.errors)
        XCTAssertTrue(spanish.errors.contains("Comando desconocido: ayuda"), spanish.errors)
    }

    func testFlagsAreCheckedBeforeAnyWorkWithTheirChoices() throws {
        let missing = directory?.file("aun-no-existe.csv") ?? "/nonexistent.csv"
        let cases: [([String], String)] = [
            (["--default-country", "XX"], "--default-country XX: not a country; expected a two-letter ISO 3166-1 code"),
            (["--locale", "fr"], "--locale fr: expected one of en, es, pt."),
            (["--purpose", "addnew"], "--purpose addnew: expected one of addNew, updateExisting, addAndUpdate, addAll. "
                + "Did you mean addNew?"),
            (["--identifier", "emial"], "--identifier emial: expected one of phone, email, contactId. Did you mean email?"),
        ]
        for (flags, message) in cases {
            let result = try run([missing] + flags, environment: ["LANG": "en_US.UTF-8"])
            XCTAssertEqual(result.code, 2, "\(flags): \(result.errors)")
            XCTAssertTrue(result.errors.hasPrefix(message), "\(flags): \(result.errors)")
            XCTAssertFalse(result.errors.contains("Invalid params"), result.errors)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace), "a usage error started the daemon")
        // A country's name is as good as its code.
        let named = try run([Self.example, "--dry-run", "--default-country", "México", "--locale", "en"])
        XCTAssertEqual(named.code, 0, named.errors)
        XCTAssertFalse(named.output.contains("has no country code"), named.output)
    }

    func testMapTakesFieldsByKeyLabelOrSynonymInAnyLanguage() throws {
        let file = try XCTUnwrap(directory).write("sinonimos.csv", """
            Cliente,Tel,Mail
            Ana,+52 55 1234 5678,ana@example.com
            """)
        let result = try run([file, "--dry-run", "--map", "Cliente=Nome", "--map", "Tel=celular",
                              "--map", "Mail=e-mail", "--keep", "correo", "--locale", "en"])
        XCTAssertEqual(result.code, 0, result.errors)
        XCTAssertTrue(result.output.contains("\nCliente  First Name (firstName)"), result.output)
        XCTAssertTrue(result.output.contains("\nTel      Phone Number (phone)"), result.output)
        XCTAssertTrue(result.output.contains("\nMail     Email (email), don't overwrite"), result.output)

        let unknown = try run([file, "--dry-run", "--map", "Mail=emial", "--locale", "en"])
        XCTAssertEqual(unknown.code, 2, unknown.errors)
        XCTAssertEqual(unknown.errors.components(separatedBy: "there is no field").count, 2, unknown.errors)
        XCTAssertTrue(unknown.errors.contains("--map Mail=emial: there is no field \"emial\". Fields: contactId (Contact ID), "
            + "firstName (First Name), lastName (Last Name), phone (Phone Number), email (Email)"), unknown.errors)
    }

    func testMappingProblemsNameColumnsByHeaderOnce() throws {
        let file = try XCTUnwrap(directory).write("dos-telefonos.csv", """
            Nombre,Tel,Móvil
            Ana,+52 55 1234 5678,+52 55 1234 5679
            """)
        let result = try run([file, "--yes", "--map", "Tel=phone", "--map", "Móvil=phone", "--locale", "en"])
        XCTAssertEqual(result.code, 1, result.errors)
        XCTAssertTrue(result.errors.contains("error: the column mapping cannot be imported:\n"), result.errors)
        XCTAssertTrue(result.errors.contains(
            "is mapped to more than one column (\"Tel\" (column 1), \"Móvil\" (column 2))"), result.errors)
        XCTAssertEqual(result.errors.components(separatedBy: "more than one column").count, 2, result.errors)
    }

    func testCreatingAWorkspaceIsSaidAndAFolderThatIsNoneIsRefused() throws {
        let first = try run([Self.example, "--dry-run", "--default-country", "MX", "--locale", "en"])
        XCTAssertEqual(first.code, 0, first.errors)
        XCTAssertTrue(first.errors.contains("Created a new workspace at \(workspace)\n"), first.errors)
        let second = try run([Self.example, "--dry-run", "--default-country", "MX", "--locale", "en"])
        XCTAssertFalse(second.errors.contains("Created a new workspace"), second.errors)

        let typo = try XCTUnwrap(directory).file("documentos")
        try FileManager.default.createDirectory(atPath: typo, withIntermediateDirectories: true)
        _ = try XCTUnwrap(directory).write("documentos/carta.txt", "hola")
        let refused = try run([Self.example, "--dry-run", "--workspace", typo, "--locale", "en"], workspace: false)
        XCTAssertEqual(refused.code, 2, refused.errors)
        XCTAssertTrue(refused.errors.hasPrefix("--workspace \(typo): this folder exists but is not a workspace"),
                      refused.errors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: typo + "/contacts.sqlite"))
    }

    func testCountryHintFollowsTheNumbersOfTheFile() throws {
        let spanish = try XCTUnwrap(directory).write("espana.csv", """
            Nombre,Teléfono
            Ana,+34 612 345 678
            Luis,+34 622 334 455
            Eva,+52 55 1234 5678
            Sin,611 223 344
            """)
        let fromFile = try run([spanish, "--dry-run", "--locale", "en"])
        XCTAssertTrue(fromFile.output.contains("(e.g. --default-country ES).\n"), fromFile.output)
        // The row's message names the option, not the wire parameter.
        XCTAssertTrue(fromFile.output.contains("or choose a default country (--default-country)."), fromFile.output)
        XCTAssertFalse(fromFile.output.contains("(defaultCountry)"), fromFile.output)

        let national = try XCTUnwrap(directory).write("nacional.csv", "Nome,Telefone\nAna,11 91234 5678\n")
        let fromLocale = try run([national, "--dry-run"], environment: ["LANG": "pt_BR.UTF-8"])
        XCTAssertTrue(fromLocale.output.contains("(por ex. --default-country BR).\n"), fromLocale.output)
        let none = try run([national, "--dry-run", "--locale", "en"])
        XCTAssertTrue(none.output.contains("are read with --default-country (a two-letter country code).\n"), none.output)
        XCTAssertFalse(none.output.contains("MX"), none.output)
    }

    func testFieldsListAndCreateForACompanyColumn() throws {
        let created = try run(["fields", "create", "Empresa", "text", "--locale", "es"])
        XCTAssertEqual(created.code, 0, created.errors)
        XCTAssertEqual(created.output, "Se creó el campo personalizado \"Empresa\" (text); asígnele una columna con "
            + "--map \"Encabezado=Empresa\".\n")
        let list = try run(["fields", "list", "--locale", "en"])
        XCTAssertEqual(list.code, 0, list.errors)
        XCTAssertTrue(list.output.hasPrefix("Key "), list.output)
        XCTAssertTrue(list.output.contains("\nphone        Phone Number  phone     built-in"), list.output)
        XCTAssertTrue(list.output.contains("\nEmpresa      Empresa       text      custom"), list.output)
        let file = try XCTUnwrap(directory).write("empresas.csv", "Nombre,Teléfono,Empresa\nAna,+52 55 1234 5678,ACME\n")
        let imported = try run([file, "--dry-run", "--locale", "en"])
        XCTAssertTrue(imported.output.contains("\nEmpresa   Empresa (Empresa)"), imported.output)

        let withOptions = try run(["fields", "create", "Nivel", "list", "--options", "Oro,Plata"])
        XCTAssertEqual(withOptions.code, 0, withOptions.errors)
        for (words, message) in [(["fields", "create", "Nivel2", "list"], "A list field needs its options"),
                                 (["fields", "create", "Color", "colour"], "fields create Color colour: expected one of text, number"),
                                 (["fields", "remove"], "fields remove: expected list or create.")] {
            let result = try run(words + ["--locale", "en"])
            XCTAssertEqual(result.code, 2, "\(words): \(result.errors)")
            XCTAssertTrue(result.errors.hasPrefix(message), "\(words): \(result.errors)")
        }
        let duplicate = try run(["fields", "create", "empresa", "text", "--locale", "en"])
        XCTAssertEqual(duplicate.code, 1, duplicate.errors)
        XCTAssertTrue(hasErrorLine(duplicate.errors), duplicate.errors)
    }

    func testFormulaLookingValuesAreWarnedAboutBeforeImporting() throws {
        let file = try XCTUnwrap(directory).write("formulas.csv", """
            Nombre,Teléfono,Apellido
            Ana,+52 55 1234 5678,=HYPERLINK("http://example.com")
            """)
        let result = try run([file, "--dry-run", "--locale", "en"])
        XCTAssertEqual(result.code, 0, result.errors)
        XCTAssertTrue(result.output.contains("warning: 1 row has a value that a spreadsheet would run as a formula "
            + "(“=HYPERLINK(\"http://example.com\")” in column \"Apellido\", row 1)."), result.output)
    }

    func testPortugueseFromTheCommandLine() throws {
        let result = try run([Self.example, "--dry-run", "--locale", "pt"])
        XCTAssertEqual(result.code, 0, result.errors)
        XCTAssertTrue(result.output.contains("contactos-ejemplo.csv: 20 linhas, 7 colunas (utf-8, separador \",\")"),
                      result.output)
        XCTAssertTrue(result.output.contains("Revisão: adicionar e atualizar contatos (addAndUpdate), identificador "),
                      result.output)
        XCTAssertTrue(result.output.contains("  A adicionar "), result.output)
        XCTAssertTrue(result.output.contains("Arquivo de erros: "), result.output)
        XCTAssertTrue(result.output.contains("Só revisão (--dry-run): nada foi importado."), result.output)
        let chosenByLang = try run(["--help"], workspace: false, environment: ["LANG": "pt_BR.UTF-8"])
        XCTAssertTrue(chosenByLang.output.hasPrefix("Uso: contact-import ARQUIVO.csv [opções]"), chosenByLang.output)
        let imported = try run([Self.example, "--yes", "--default-country", "MX", "--locale", "pt"])
        XCTAssertTrue(imported.output.contains("Importação concluída: 16 importados, 0 atualizados, 0 ignorados, 4 com erros."),
                      imported.output)
    }

    // MARK: failures

    func testRejectedFileExitsOne() throws {
        let missing = try run([directory?.file("no-such-file.csv") ?? "/nonexistent.csv", "--yes", "--locale", "en"])
        XCTAssertEqual(missing.code, 1, missing.errors)
        XCTAssertTrue(hasErrorLine(missing.errors), missing.errors)

        let workbook = try XCTUnwrap(directory).write("libro.xlsx", bytes: [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0, count: 64))
        let rejected = try run([workbook, "--yes", "--locale", "en"])
        XCTAssertEqual(rejected.code, 1, rejected.errors)
        XCTAssertTrue(hasErrorLine(rejected.errors), rejected.errors)
    }

    func testMappingInvalidListsProblemsAndExitsOne() throws {
        let result = try run([Self.example, "--yes", "--purpose", "addNew", "--map", "Nombre=-", "--locale", "en"])
        XCTAssertEqual(result.code, 1, result.errors)
        XCTAssertTrue(hasErrorLine(result.errors), result.errors)
        XCTAssertTrue(result.errors.contains("(nameRequired)"), result.errors)
    }

    func testMissingDaemonExitsOne() throws {
        let result = try run([Self.example, "--yes", "--daemon", "/nonexistent/contact-importd", "--locale", "en"])
        XCTAssertEqual(result.code, 1)
        XCTAssertTrue(result.errors.contains("contact-importd not found"), result.errors)
    }
}

/// Bytes handed over from a reader thread.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false

    func append(_ chunk: Data) {
        lock.lock()
        data.append(chunk)
        lock.unlock()
    }

    func set(_ value: Data) {
        lock.lock()
        data = value
        done = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    var value: Data {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}
