import Foundation
import XCTest
import JSONRPC
import TestSupport

/// Rules of protocol/README.md that no other wire test pins down, each test named after its
/// rule. Everything runs against the real `contact-importd`.
final class ConformanceWireTests: XCTestCase {
    private let header = "Nombre,Apellido,Teléfono,Correo\n"
    private let standard = [mapped(0, "firstName"), mapped(1, "lastName"), mapped(2, "phone"), mapped(3, "email")]

    // MARK: import/review params

    func testADefaultCountryThatCannotReadPhonesIsInvalidParamsUpFront() throws {
        let wire = try ImportWire(locale: "es")
        let session = try wire.open("Nombre,Teléfono\nAna,612 345 678\n")
        // Bouvet Island is a country of ISO 3166-1 without a telephone numbering plan; ZZ is no country.
        for country in ["BV", "Isla Bouvet", "ZZ", ""] {
            let error = try wire.client.requestError("import/review", wire.reviewParams(
                session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone")], extra: ["defaultCountry": .string(country)]))
            XCTAssertEqual(error.code, ErrorCode.invalidParams, country)
            XCTAssertEqual(error.data?["field"], "defaultCountry", country)
            XCTAssertTrue(error.message.hasPrefix("Parámetros no válidos: `defaultCountry`"), error.message)
        }
        let find = try wire.client.requestError("contacts/find", ["phone": "612345678", "defaultCountry": "BV"])
        XCTAssertEqual(find.code, ErrorCode.invalidParams)
        XCTAssertEqual(find.data?["field"], "defaultCountry")
        // A country name is as good as its code.
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone")],
                                     extra: ["defaultCountry": "España"])
        XCTAssertEqual(review["counts"]?["add"], 1)
    }

    func testARowsCountryWithoutNumberingPlanFallsBackToTheDefaultCountry() throws {
        let wire = try ImportWire()
        let session = try wire.open("Nombre,Teléfono,País\nAna,612 345 678,Isla Bouvet\nLuis,55 1234 5678,México\n")
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone"), mapped(2, "countryCode")],
                                     extra: ["defaultCountry": "ES"])
        XCTAssertEqual(review["counts"]?["add"], 2, "\(review)")
        let page = try wire.client.request("import/rows", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null])
        XCTAssertEqual(page["rows"]?[0]?["values"]?["phone"], "+34612345678")
        XCTAssertEqual(page["rows"]?[1]?["values"]?["phone"], "+525512345678")
    }

    func testContactIdIdentifierIsOnlyForUpdateExistingEvenWithAddAll() throws {
        let wire = try ImportWire()
        let session = try wire.open(header + "Ana,Ruiz,+34612345678,\n")
        let error = try wire.client.requestError("import/review", wire.reviewParams(session, "addAll", identifier: "contactId",
                                                                                    mapping: standard))
        XCTAssertEqual(error.code, ErrorCode.mappingInvalid)
        XCTAssertEqual(error.data?["problems"]?[0]?["code"], "identifierNotAllowed")
        XCTAssertEqual(error.data?["problems"]?.arrayValue?.count, 1)
    }

    func testIdentifierIsNotNeededForAddAllAndRequiredNamingTheFieldOtherwise() throws {
        let wire = try ImportWire()
        let session = try wire.open(header + "Ana,Ruiz,+34612345678,\n")
        XCTAssertEqual(try wire.review(session, "addAll", identifier: nil, mapping: standard)["counts"]?["add"], 1)
        for purpose in ["addNew", "updateExisting", "addAndUpdate"] {
            let error = try wire.client.requestError("import/review", wire.reviewParams(session, purpose, identifier: nil, mapping: standard))
            XCTAssertEqual(error.code, ErrorCode.invalidParams, purpose)
            XCTAssertEqual(error.data?["field"], "identifier", purpose)
        }
    }

    func testInvalidParamsOfImportMethodsNameTheOffendingField() throws {
        let wire = try ImportWire()
        let session = try wire.open(header + "Ana,Ruiz,+34612345678,\n")
        let review = try wire.review(session, "addNew", mapping: standard)
        let reviewId = review["reviewId"] ?? .null
        let base = wire.reviewParams(session, "addNew", mapping: standard).objectValue ?? [:]
        func reviewWith(_ key: String, _ value: JSONValue) -> JSONValue {
            var params = base
            params[key] = value
            return .object(params)
        }
        let cases: [(String, JSONValue, String)] = [
            ("import/open", ["text": 5], "text"),
            ("import/open", ["uri": "file:///x.csv", "encoding": "ebcdic"], "encoding"),
            ("import/suggestMapping", ["sessionId": .string(session), "purpose": "merge"], "purpose"),
            ("import/suggestMapping", ["sessionId": .string(session), "identifier": "fax"], "identifier"),
            ("import/review", reviewWith("purpose", "merge"), "purpose"),
            ("import/review", reviewWith("identifier", "fax"), "identifier"),
            ("import/review", reviewWith("mapping", "all"), "mapping"),
            ("import/review", reviewWith("mapping", [["column": "0", "field": "firstName"]]), "mapping[0].column"),
            ("import/review", reviewWith("mapping", [["column": 0, "field": 7]]), "mapping[0].field"),
            ("import/review", reviewWith("mapping", [["column": 0, "field": "firstName", "overwrite": "no"]]), "mapping[0].overwrite"),
            ("import/review", reviewWith("mapping", [5]), "mapping[0]"),
            ("import/review", reviewWith("tags", ["ok", 3]), "tags[1]"),
            ("import/review", reviewWith("importTag", 5), "importTag"),
            ("import/review", reviewWith("defaultCountry", 52), "defaultCountry"),
            ("import/rows", ["sessionId": .string(session), "reviewId": reviewId, "limit": 1001], "limit"),
            ("import/rows", ["sessionId": .string(session), "reviewId": reviewId, "limit": -1], "limit"),
            ("import/rows", ["sessionId": .string(session), "reviewId": reviewId, "offset": -1], "offset"),
            ("import/rows", ["sessionId": .string(session), "reviewId": reviewId, "action": "merge"], "action"),
            ("import/rows", ["sessionId": .string(session)], "reviewId"),
            ("import/commit", ["sessionId": .string(session)], "reviewId"),
            ("import/commit", ["sessionId": .string(session), "reviewId": 1], "reviewId"),
            ("import/commit", ["reviewId": reviewId], "sessionId"),
            ("import/history", ["limit": "ten"], "limit"),
            ("import/status", [:], "jobId"),
            ("import/status", ["jobId": 1.5], "jobId"),
            ("import/close", ["sessionId": 7], "sessionId"),
        ]
        for (method, params, field) in cases {
            let error = try wire.client.requestError(method, params)
            XCTAssertEqual(error.code, ErrorCode.invalidParams, "\(method) \(params.serialized)")
            XCTAssertEqual(error.data?["field"]?.stringValue, field, "\(method) \(params.serialized)")
            XCTAssertTrue(error.message.contains("`\(field)`"), error.message)
        }
        XCTAssertEqual(try wire.contactCount(), 0, "no commit ran")
    }

    // MARK: import/suggestMapping

    func testSuggestMappingIdentifierIsPhoneEmailOrNull() throws {
        let wire = try ImportWire()
        let session = try wire.open("Nombre,Teléfono,Correo\nAna,+34612345678,\nLuis,+34612345679,l@x.com\n")
        XCTAssertEqual(try wire.client.request("import/suggestMapping", ["sessionId": .string(session)])["identifier"], "phone")
        XCTAssertEqual(try wire.client.request("import/suggestMapping", ["sessionId": .string(session), "identifier": "email"])["identifier"],
                       "email")
        let byId = try wire.client.request("import/suggestMapping", ["sessionId": .string(session), "purpose": "updateExisting",
                                                                      "identifier": "contactId"])
        XCTAssertEqual(byId["identifier"], "phone", "the result lists phone, email or null only")
        let none = try wire.open("Nombre,Notas\nAna,hola\n")
        let result = try wire.client.request("import/suggestMapping", ["sessionId": .string(none)])
        XCTAssertEqual(result["identifier"], .null)
        XCTAssertEqual(result["mapping"]?[1], ["column": 1, "header": "Notas", "field": .null, "confidence": 0.0, "reason": "none"])
    }

    // MARK: import/review result

    func testReviewSampleIsTheFirstFiftyOutcomesAndTheErrorFileCountsErrorRows() throws {
        let wire = try ImportWire()
        var file = header
        for index in 0..<60 { file += "P\(index),X,+34 600 000 \(String(format: "%03d", index)),\n" }
        file += ",SinNombre,+34 611 000 000,\n"
        let review = try wire.review(try wire.open(file), "addNew", mapping: standard)
        XCTAssertEqual(review["counts"], ["add": 60, "update": 0, "skip": 0, "error": 1, "total": 61, "unchanged": 0])
        let sample = try XCTUnwrap(review["sample"]?.arrayValue)
        XCTAssertEqual(sample.count, 50)
        XCTAssertEqual(sample.map { $0["row"]?.intValue }, (1...50).map { $0 })
        XCTAssertEqual(sample[49]["line"], 51)
        XCTAssertEqual(review["errorFile"]?["rows"], 1)
        let expiresAt = try XCTUnwrap(review["expiresAt"]?.stringValue)
        XCTAssertNotNil(expiresAt.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression), expiresAt)
    }

    func testAPhoneWithoutCountryCodeGetsOneHintAndOtherPhoneProblemsNone() throws {
        let wire = try ImportWire()
        let review = try wire.review(try wire.open("Nombre,Teléfono\nAna,612 345 678\nLuis,abc\n"), "addNew",
                                     mapping: [mapped(0, "firstName"), mapped(1, "phone")])
        let national = try XCTUnwrap(review["sample"]?[0]?["errors"]?[0]?["message"]?.stringValue)
        XCTAssertEqual(national.components(separatedBy: "defaultCountry").count, 2, "one hint: \(national)")
        XCTAssertTrue(national.contains("Country column"), national)
        let letters = try XCTUnwrap(review["sample"]?[1]?["errors"]?[0]?["message"]?.stringValue)
        XCTAssertFalse(letters.contains("defaultCountry"), "a country cannot fix letters: \(letters)")
    }

    func testAnAddressWithTwoAtSignsIsOneBadAddressNotTwoAddresses() throws {
        for (locale, expected, wrong) in [("en", "more than one @", "more than one e-mail address"),
                                          ("es", "más de una @", "más de una dirección")] {
            let wire = try ImportWire(locale: locale)
            let review = try wire.review(try wire.open("Nombre,Correo\nPedro,pedro.sanchez@@example\nAna,\"a@x.com, b@y.com\"\n"),
                                         "addNew", identifier: "email", mapping: [mapped(0, "firstName"), mapped(1, "email")])
            let doubled = try XCTUnwrap(review["sample"]?[0]?["errors"]?[0]?["message"]?.stringValue)
            XCTAssertTrue(doubled.contains(expected), doubled)
            XCTAssertFalse(doubled.contains(wrong), doubled)
            let two = try XCTUnwrap(review["sample"]?[1]?["errors"]?[0]?["message"]?.stringValue)
            XCTAssertTrue(two.contains(wrong), two)
        }
    }

    func testAmbiguousMatchIsAnErrorForEveryPurposeButAddAll() throws {
        let wire = try ImportWire(contacts: [(["firstName": "A", "phone": "+34612345678"], []),
                                             (["firstName": "B", "phone": "+34612345678"], [])])
        let session = try wire.open(header + "Ana,Ruiz,+34 612 345 678,\n")
        for purpose in ["addNew", "updateExisting", "addAndUpdate"] {
            let review = try wire.review(session, purpose, mapping: standard)
            XCTAssertEqual(review["sample"]?[0]?["action"], "error", purpose)
            XCTAssertEqual(review["sample"]?[0]?["errors"]?[0]?["code"], "ambiguousMatch", purpose)
            XCTAssertEqual(review["sample"]?[0]?["errors"]?[0]?["contactIds"], [1, 2], purpose)
            let message = review["sample"]?[0]?["errors"]?[0]?["message"]?.stringValue ?? ""
            XCTAssertTrue(message.contains("1") && message.contains("2"), "names the contacts: \(message)")
        }
        let all = try wire.review(session, "addAll", identifier: nil, mapping: standard)
        XCTAssertEqual(all["sample"]?[0]?["action"], "add")
    }

    func testUpdateExistingByContactIdUpdatesKnownIdsAndSkipsUnknownOnes() throws {
        let wire = try ImportWire(contacts: [(["firstName": "Viejo", "phone": "+34612345678"], [])])
        let session = try wire.open("ID,Nombre\n1,Nuevo\n99,Nadie\n")
        let review = try wire.review(session, "updateExisting", identifier: "contactId",
                                     mapping: [mapped(0, "contactId"), mapped(1, "firstName")])
        XCTAssertEqual(review["counts"], ["add": 0, "update": 1, "skip": 1, "error": 0, "total": 2, "unchanged": 0])
        XCTAssertEqual(review["sample"]?[0]?["contactId"], 1)
        let result = try wire.commit(session, review)
        XCTAssertEqual(result["counts"]?["updated"], 1)
        XCTAssertEqual(result["counts"]?["skipped"], 1)
        XCTAssertEqual(try wire.contact(phone: "+34612345678")?.values["firstName"], "Nuevo")
        XCTAssertEqual(try wire.contactCount(), 1)
    }

    func testACancelledReviewIsRequestCancelledAndLeavesTheLatestReviewAsItWas() throws {
        let wire = try ImportWire(locale: "es")
        let session = try wire.open(bulkCSV(rows: 150_000))
        let nameAndPhone = [mapped(0, "firstName"), mapped(1, "lastName"), mapped(2, "phone")]
        let first = try wire.review(session, "addNew", mapping: nameAndPhone)
        let id = try wire.client.sendRequest("import/review", wire.reviewParams(session, "addAndUpdate", mapping: nameAndPhone,
                                                                                extra: ["workDoneToken": "rv"]))
        let begin = try wire.client.waitForNotification("$/progress")
        XCTAssertEqual(begin["value"]?["cancellable"], true)
        try wire.client.notify("$/cancelRequest", ["id": id.json])
        guard case .failure(let error) = try wire.client.waitForResponse(id, timeout: 120) else {
            return XCTFail("the review finished before it was cancelled")
        }
        XCTAssertEqual(error.code, ErrorCode.requestCancelled)
        XCTAssertEqual(error.message, "Solicitud cancelada")
        // The cancelled review never became the latest: the first one is still the one to commit.
        let page = try wire.client.request("import/rows", ["sessionId": .string(session), "reviewId": first["reviewId"] ?? .null, "limit": 1])
        XCTAssertEqual(page["total"], 150_000)
    }

    // MARK: import/rows

    func testRowsPastTheEndAreAnEmptyPageWhateverTheOffset() throws {
        let wire = try ImportWire()
        let session = try wire.open(header + "Ana,Ruiz,+34612345678,\n")
        let review = try wire.review(session, "addNew", mapping: standard)
        for action: JSONValue in [.null, "add", "error"] {
            let page = try wire.client.request("import/rows", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null,
                                                               "action": action, "offset": .int(Int.max), "limit": 1000])
            XCTAssertEqual(page["rows"], [], action.serialized)
        }
        XCTAssertNotNil(try wire.client.request("fields/list")["fields"], "the daemon survived")
    }

    // MARK: import/commit

    func testCommitWithoutAReviewIsReviewRequiredSayingSo() throws {
        let wire = try ImportWire(locale: "es")
        let session = try wire.open(header + "Ana,Ruiz,+34612345678,\n")
        let never = try wire.client.requestError("import/commit", ["sessionId": .string(session), "reviewId": "review-1"])
        XCTAssertEqual(never.code, ErrorCode.reviewRequired)
        XCTAssertTrue(never.message.contains("import/review"), never.message)
        XCTAssertEqual(never.data?["reviewId"], "review-1")
        let first = try wire.review(session, "addNew", mapping: standard)
        let latest = try wire.review(session, "addAndUpdate", mapping: standard)
        let stale = try wire.client.requestError("import/commit", ["sessionId": .string(session), "reviewId": first["reviewId"] ?? .null])
        XCTAssertEqual(stale.code, ErrorCode.reviewRequired)
        XCTAssertEqual(stale.data?["latestReviewId"], latest["reviewId"])
        XCTAssertTrue(stale.message.contains("última"), stale.message)
        _ = try wire.commit(session, latest)
        let again = try wire.client.requestError("import/commit", ["sessionId": .string(session), "reviewId": latest["reviewId"] ?? .null])
        XCTAssertEqual(again.code, ErrorCode.reviewRequired)
        XCTAssertEqual(again.data?["latestReviewId"], .null)
        XCTAssertEqual(try wire.contactCount(), 1)
    }

    func testAutomaticImportTagsAreUniqueWithNumberedSuffixes() throws {
        let wire = try ImportWire()
        var tags: [String] = []
        for phone in ["+34612345671", "+34612345672", "+34612345673"] {
            let session = try wire.open(header + "Ana,Ruiz,\(phone),\n")
            let result = try wire.commit(session, try wire.review(session, "addNew", mapping: standard))
            tags.append(try XCTUnwrap(result["importTag"]?.stringValue))
        }
        XCTAssertEqual(Set(tags).count, 3, "\(tags)")
        for tag in tags {
            XCTAssertNotNil(tag.range(of: #"^import-\d{8}-\d{6}(-\d+)?$"#, options: .regularExpression), tag)
        }
        // Imports in one second share the base; the later ones take -2, -3...
        for (earlier, later) in zip(tags, tags.dropFirst()) where later.hasPrefix(earlier.prefix(22)) {
            let base = String(earlier.prefix(22))
            let suffix = Int(earlier.dropFirst(23)) ?? 1
            XCTAssertEqual(later, "\(base)-\(suffix + 1)", "\(tags)")
        }
    }

    func testAnAutomaticImportTagAContactAlreadyCarriesTakesTheNextSuffix() throws {
        // The tags the next few seconds would produce (server's local time), already on a contact.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "'import-'yyyyMMdd-HHmmss"
        let now = Date()
        let bases = (0..<4).map { formatter.string(from: now.addingTimeInterval(Double($0))) }
        let wire = try ImportWire(contacts: [(["firstName": "Etiquetado", "phone": "+34699999999"], bases)])
        let session = try wire.open(header + "Eva,Sanz,+34612345674,\n")
        let review = try wire.review(session, "addNew", mapping: standard)
        let tag = try XCTUnwrap(review["importTag"]?.stringValue)
        XCTAssertTrue(bases.map { $0 + "-2" }.contains(tag), "\(tag) should be one of \(bases) with -2")
        let result = try wire.commit(session, review)
        XCTAssertEqual(result["importTag"]?.stringValue.map { bases.map { $0 + "-2" }.contains($0) || bases.map { $0 + "-3" }.contains($0) }, true)
    }

    func testTagsParamAndImportTagNeverRemoveTagsEvenWithATagsColumnThatKeeps() throws {
        let wire = try ImportWire(contacts: [(["firstName": "A", "phone": "+34612345671"], ["vip"])])
        let session = try wire.open("Nombre,Teléfono,Etiquetas\nA,+34612345671,\n")
        let review = try wire.review(session, "updateExisting",
                                     mapping: [mapped(0, "firstName"), mapped(1, "phone"), mapped(2, "tags", overwrite: false)],
                                     extra: ["tags": ["feria"], "importTag": "lote-1"])
        _ = try wire.commit(session, review)
        XCTAssertEqual(try wire.contact(phone: "+34612345671")?.tags, ["vip", "feria", "lote-1"])
    }

    func testAnEmptyTagsCellWithOverwriteClearsTagsYetTheImportTagIsAdded() throws {
        let wire = try ImportWire(contacts: [(["firstName": "A", "phone": "+34612345671"], ["vip", "viejo"])])
        let session = try wire.open("Nombre,Teléfono,Etiquetas\nA,+34612345671,\n")
        _ = try wire.commit(session, try wire.review(session, "updateExisting",
                                                     mapping: [mapped(0, "firstName"), mapped(1, "phone"), mapped(2, "tags")],
                                                     extra: ["importTag": "lote"]))
        XCTAssertEqual(try wire.contact(phone: "+34612345671")?.tags, ["lote"])
    }

    func testTheResultFileIsKeptSevenDaysAndHistorySaysWhenItGoes() throws {
        let wire = try ImportWire()
        let session = try wire.open(header + "Ana,Ruiz,+34612345678,\n")
        let result = try wire.commit(session, try wire.review(session, "addNew", mapping: standard))
        let formatter = ISO8601DateFormatter()
        let finished = try XCTUnwrap(formatter.date(from: result["finishedAt"]?.stringValue ?? ""))
        let expires = try XCTUnwrap(formatter.date(from: result["resultFile"]?["expiresAt"]?.stringValue ?? ""))
        XCTAssertEqual(expires.timeIntervalSince(finished), 7 * 86_400, accuracy: 1)
        let status = try wire.client.request("import/status", ["jobId": result["jobId"] ?? .null])
        XCTAssertEqual(status["resultFile"]?["expiresAt"], result["resultFile"]?["expiresAt"])
        XCTAssertEqual(status["resultFile"]?["available"], true)
        XCTAssertEqual(status["counts"], result["counts"])
        XCTAssertEqual(status["importTag"], result["importTag"])
    }

    func testAnotherClientSeesARunningJobAsRunning() throws {
        let wire = try ImportWire()
        let watcher = try ImportWire(sharing: wire)
        let session = try wire.open(bulkCSV(rows: 60_000), fileName: "grande.csv")
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "lastName"), mapped(2, "phone")])
        let id = try wire.client.sendRequest("import/commit", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null,
                                                              "workDoneToken": "w"])
        var sawRunning = false
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let history = try watcher.client.request("import/history", ["limit": 1])
            guard let job = history["jobs"]?[0] else { continue }
            if job["state"] == "running" {
                sawRunning = true
                XCTAssertEqual(job["fileName"], "grande.csv")
                XCTAssertEqual(job["finishedAt"], .null)
                XCTAssertEqual(try watcher.client.request("import/status", ["jobId": job["jobId"] ?? .null])["state"], "running")
                break
            }
            if job["state"] == "completed" { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let result = try wire.client.waitForResponse(id, timeout: 300).get()
        XCTAssertEqual(result["state"], "completed")
        if !sawRunning { print("note: the commit finished before the watcher looked; running state not observed") }
        let history = try watcher.client.request("import/history", ["limit": 1])
        XCTAssertEqual(history["jobs"]?[0]?["state"], "completed")
    }

    func testFormulasAreDefusedInBothFilesWhileNumbersAndPhonesStayAsTheyAre() throws {
        let wire = try ImportWire()
        let file = "Nombre,Teléfono,Saldo,Nota\n"
            + "Ana,+34612345671,-12.5,\"\tx\"\n"           // added
            + "Luis,malo,+3,=HYPERLINK(\"http://x\")\n"      // error: bad phone
        let session = try wire.open(file)
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "phone")])
        let errorRows = try rowsOfFile(review["errorFile"]?["uri"])
        XCTAssertEqual(errorRows[1][2], "+3", "a plain number stays")
        XCTAssertEqual(errorRows[1][3], "'=HYPERLINK(\"http://x\")")
        let result = try wire.commit(session, review)
        let resultRows = try rowsOfFile(result["resultFile"]?["uri"])
        XCTAssertEqual(resultRows[1][1], "+34612345671", "a phone stays")
        XCTAssertEqual(resultRows[1][2], "-12.5", "a negative number stays")
        XCTAssertEqual(resultRows[1][3], "'\tx", "a leading tab is defused")
        XCTAssertEqual(resultRows[2][3], "'=HYPERLINK(\"http://x\")")
    }

    // MARK: sessions

    func testEveryRequestThatTouchesASessionGivesItANewExpiry() throws {
        let wire = try ImportWire(arguments: ["--session-ttl", "600"])
        let opened = try wire.client.request("import/open", ["text": .string(header + "Ana,Ruiz,+34612345678,\n")])
        let session = try XCTUnwrap(opened["sessionId"]?.stringValue)
        let openedExpiry = try XCTUnwrap(ISO8601DateFormatter().date(from: opened["expiresAt"]?.stringValue ?? ""))
        Thread.sleep(forTimeInterval: 1.2)
        let review = try wire.review(session, "addNew", mapping: standard)
        let reviewedExpiry = try XCTUnwrap(ISO8601DateFormatter().date(from: review["expiresAt"]?.stringValue ?? ""))
        XCTAssertGreaterThanOrEqual(reviewedExpiry.timeIntervalSince(openedExpiry), 1)
        XCTAssertEqual(reviewedExpiry.timeIntervalSinceNow, 600, accuracy: 5)
    }

    func testASessionDoesNotExpireUnderARunningReview() throws {
        let wire = try ImportWire(arguments: ["--session-ttl", "1"])
        let session = try wire.open(bulkCSV(rows: 150_000))
        let started = Date()
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "lastName"), mapped(2, "phone")])
        if Date().timeIntervalSince(started) < 1 { print("note: the review took less than the TTL; not exercised") }
        XCTAssertNotEqual(review["expiresAt"], .null, "the review's session is alive")
        let page = try wire.client.request("import/rows", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null, "limit": 1])
        XCTAssertEqual(page["total"], 150_000)
    }

    func testASessionWhoseCommitStartedDoesNotExpire() throws {
        let wire = try ImportWire(arguments: ["--session-ttl", "1"])
        let session = try wire.open(bulkCSV(rows: 60_000))
        let review = try wire.review(session, "addNew", mapping: [mapped(0, "firstName"), mapped(1, "lastName"), mapped(2, "phone")])
        let started = Date()
        let id = try wire.client.sendRequest("import/commit", ["sessionId": .string(session), "reviewId": review["reviewId"] ?? .null])
        let result = try wire.client.waitForResponse(id, timeout: 300).get()
        XCTAssertEqual(result["state"], "completed")
        XCTAssertEqual(result["counts"]?["imported"], 60_000)
        if Date().timeIntervalSince(started) < 1.2 {
            print("note: the commit took less than the TTL; expiry during a commit was not exercised")
        }
        // No expiry is announced during the commit nor after it, and the session still answers.
        let quietUntil = Date().addingTimeInterval(1.5)
        while Date() < quietUntil, let message = wire.client.nextMessage(timeout: 0.2) {
            XCTAssertNotEqual(message["method"], "import/sessionExpired", "a session whose commit started expired")
        }
        XCTAssertNotNil(try wire.client.request("import/suggestMapping", ["sessionId": .string(session)])["mapping"])
        XCTAssertEqual(try wire.client.request("import/close", ["sessionId": .string(session)]), .null)
    }

    // MARK: every error code

    func testApplicationErrorsAreLocalizedAndCarryData() throws {
        let wire = try ImportWire(locale: "es", arguments: ["--max-sessions", "1"])
        let notFound = try wire.client.requestError("import/suggestMapping", ["sessionId": "s-nunca"])
        XCTAssertEqual(notFound.code, ErrorCode.sessionNotFound)
        XCTAssertEqual(notFound.data?["sessionId"], "s-nunca")
        XCTAssertTrue(notFound.message.hasPrefix("No hay ninguna sesión"), notFound.message)
        let rejected = try wire.client.requestError("import/open", ["uri": "file:///no/existe.csv"])
        XCTAssertEqual(rejected.code, ErrorCode.fileRejected)
        XCTAssertEqual(rejected.data?["reason"], "unreadable")
        let session = try wire.open(header + "Ana,Ruiz,+34612345678,\n")
        let tooMany = try wire.client.requestError("import/open", ["text": "a\n1\n"])
        XCTAssertEqual(tooMany.code, ErrorCode.tooManySessions)
        XCTAssertEqual(tooMany.data?["limit"], 1)
        XCTAssertTrue(tooMany.message.hasPrefix("Hay demasiadas"), tooMany.message)
        let invalid = try wire.client.requestError("import/review", wire.reviewParams(session, "addNew", mapping: [mapped(1, "lastName")]))
        XCTAssertEqual(invalid.code, ErrorCode.mappingInvalid)
        XCTAssertTrue(invalid.message.hasPrefix("La asignación"), invalid.message)
        for problem in invalid.data?["problems"]?.arrayValue ?? [] {
            XCTAssertNotNil(problem["code"]?.stringValue)
            XCTAssertFalse(problem["message"]?.stringValue?.isEmpty ?? true)
        }
        let review = try wire.client.requestError("import/rows", ["sessionId": .string(session), "reviewId": "review-0"])
        XCTAssertEqual(review.code, ErrorCode.reviewRequired)
        XCTAssertNotNil(review.data?["reviewId"])
        let job = try wire.client.requestError("import/status", ["jobId": 77])
        XCTAssertEqual(job.code, ErrorCode.notFound)
        XCTAssertEqual(job.data?["jobId"], 77)
        XCTAssertTrue(job.message.hasPrefix("No existe"), job.message)
    }

    // MARK: robustness

    /// Every import and contact method gets params of every wrong shape a client might send
    /// (wrong types, nulls, huge and negative numbers, empty and long strings): each request
    /// gets exactly one response, never `-32603`, and the daemon keeps serving.
    func testEveryMethodSurvivesSeededFuzzedParams() throws {
        let wire = try ImportWire(arguments: ["--max-sessions", "64"])
        let session = try wire.open(header + "Ana,Ruiz,+34612345678,a@x.com\nLuis,Gil,612345678,b@x.com\n")
        let review = try wire.review(session, "addAll", identifier: nil, mapping: standard)
        let methods: [(String, [String])] = [
            ("import/open", ["uri", "text", "fileName", "encoding", "delimiter", "workDoneToken"]),
            ("import/suggestMapping", ["sessionId", "purpose", "identifier"]),
            ("import/review", ["sessionId", "purpose", "identifier", "mapping", "tags", "importTag", "defaultCountry", "workDoneToken"]),
            ("import/rows", ["sessionId", "reviewId", "action", "offset", "limit"]),
            ("import/commit", ["sessionId", "reviewId", "workDoneToken"]),
            ("import/history", ["limit"]),
            ("import/status", ["jobId"]),
            ("fields/list", []),
            ("fields/create", ["name", "type", "options"]),
            ("contacts/get", ["contactId"]),
            ("contacts/find", ["phone", "email", "defaultCountry"]),
            ("contacts/create", ["firstName", "phone", "email", "tags", "language", "countryCode"]),
            ("contacts/update", ["contactId", "firstName", "phone", "tags"]),
            ("contacts/addTags", ["contactId", "tags"]),
            ("contacts/deleteTags", ["contactId", "tags"]),
        ]
        var random = SplitMix64(seed: 20261129)
        let long = String(repeating: "ñ", count: 100_000)
        let scalars: [JSONValue] = [
            .null, true, false, 0, -1, .int(Int.max), .int(Int.min), .double(1e308), .double(-0.5), .double(2.5),
            "", .string(long), "\u{0}", "addNew", "updateExisting", "addAll", "phone", "email", "contactId", "add", "error",
            "MX", "BV", "firstName", "tags", "text", "list", "file:///dev/zero", "file:///no/such.csv", "file://host/x.csv",
            "http://example.com/x.csv", "%zz", "=cmd|' /C calc'!A0", "+34612345678", "utf-16le", ";",
        ]
        func value(_ depth: Int = 0) -> JSONValue {
            switch random.below(10) {
            case 0 where depth < 2:
                return .array((0..<random.below(4)).map { _ in value(depth + 1) })
            case 1 where depth < 2:
                var object: [String: JSONValue] = [:]
                for key in ["column", "field", "overwrite", "x"] where random.below(2) == 0 { object[key] = value(depth + 1) }
                return .object(object)
            default:
                return scalars[random.below(scalars.count)]
            }
        }
        var reviewId = review["reviewId"] ?? .null
        for _ in 0..<400 {
            let (method, keys) = methods[random.below(methods.count)]
            var params: [String: JSONValue] = [:]
            for key in keys where random.below(5) < 3 { params[key] = value() }
            if keys.contains("sessionId") && random.below(4) < 3 { params["sessionId"] = .string(session) }
            if keys.contains("reviewId") && random.below(4) < 3 { params["reviewId"] = reviewId }
            let sent: JSONValue? = random.below(20) == 0 ? [1, "x"] : .object(params)
            let id = try wire.client.sendRequest(method, sent)
            let response = try wire.client.waitForResponse(id, timeout: 60)
            if case .failure(let error) = response {
                XCTAssertNotEqual(error.code, ErrorCode.internalError, "\(method) \(sent?.serialized.prefix(300) ?? "")")
            }
            if case .success(let result) = response, method == "import/review", let newId = result["reviewId"] { reviewId = newId }
        }
        // Nothing answered twice: what is left are notifications only.
        while let message = wire.client.nextMessage(timeout: 0.3) {
            XCTAssertNotNil(message["method"], "a stray response: \(message.serialized.prefix(300))")
        }
        XCTAssertNotNil(try wire.client.request("fields/list")["fields"])
        XCTAssertFalse(wire.client.stderrText.contains("Fatal error"), wire.client.stderrText)
        XCTAssertEqual(try wire.client.shutdownAndExit(), 0)
    }

    // MARK: transcripts

    func testReplayReplacesARecordedProcessIdWithALiveOne() throws {
        // The pid of a process that has ended: what a recorded processId is at replay time.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let transcript = """
        {"event":"start","framing":"content-length","server":{"name":"contact-importd","version":"0.1.0","sessionTtlSeconds":3600,"maxSessions":8,"testMethods":true}}
        {"direction":"in","message":{"id":1,"jsonrpc":"2.0","method":"initialize","params":{"locale":"en","processId":\(gone.processIdentifier)}}}
        {"direction":"out","message":{"id":1,"jsonrpc":"2.0","result":"{...}"}}
        {"direction":"in","message":{"id":2,"jsonrpc":"2.0","method":"$/test/sleep","params":{"milliseconds":200,"steps":1}}}
        {"direction":"out","message":{"id":2,"jsonrpc":"2.0","result":{"slept":200}}}
        {"direction":"in","message":{"id":3,"jsonrpc":"2.0","method":"shutdown"}}
        {"direction":"out","message":{"id":3,"jsonrpc":"2.0","result":null}}
        {"direction":"in","message":{"jsonrpc":"2.0","method":"exit"}}
        {"event":"exit","code":0}
        """
        let report = try TranscriptReplayer(daemonPath: try DaemonLocator.daemonPath()).replay(text: transcript)
        XCTAssertTrue(report.passed, report.diff)
        XCTAssertTrue(report.log.contains("\"processId\":\(getpid())"), report.log)
    }
}
