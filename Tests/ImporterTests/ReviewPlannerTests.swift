import Foundation
import XCTest
import CSV
import Contacts
import Localization
import Workspace
@testable import Importer

final class ReviewPlannerTests: XCTestCase {
    private let header = "Nombre,Apellido,Teléfono,Correo\n"
    private var standardMapping: [ColumnMapping] {
        [column(0, "firstName"), column(1, "lastName"), column(2, "phone"), column(3, "email")]
    }

    // MARK: mapping checks

    func testMappingProblemsAreReportedAllAtOnce() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + "Ana,Ruiz,+34612345678,ana@example.com\n")
        let mapping = [column(0, "lastName"), column(1, "lastName"), column(3, "favouriteColour"), column(9, "email")]
        XCTAssertThrowsError(try fixture.review(session, .addAndUpdate, by: .phone, mapping: mapping)) { error in
            let codes = Set((error as? MappingInvalid)?.problems.map(\.code) ?? [])
            XCTAssertEqual(codes, [.fieldMappedTwice, .unknownField, .unknownColumn, .identifierNotMapped, .nameRequired])
        }
    }

    func testNoColumnSelectedIsAProblem() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + "Ana,Ruiz,+34612345678,ana@example.com\n")
        XCTAssertThrowsError(try fixture.review(session, .addAll, by: nil, mapping: [column(0, nil)])) { error in
            XCTAssertEqual((error as? MappingInvalid)?.problems.map(\.code), [.noColumnSelected, .nameRequired])
        }
    }

    func testContactIdIdentifierOnlyForUpdateExisting() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session("ID,Nombre\n1,Ana\n")
        XCTAssertThrowsError(try fixture.review(session, .addAndUpdate, by: .contactId,
                                                mapping: [column(0, "contactId"), column(1, "firstName")])) { error in
            XCTAssertEqual((error as? MappingInvalid)?.problems.map(\.code), [.identifierNotAllowed])
        }
        XCTAssertNoThrow(try fixture.review(session, .updateExisting, by: .contactId,
                                            mapping: [column(0, "contactId"), column(1, "firstName")]))
    }

    func testUpdateExistingNeedsNoFirstNameColumn() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session("Tel,Apellido\n+34612345678,Ruiz\n")
        XCTAssertNoThrow(try fixture.review(session, .updateExisting, mapping: [column(0, "phone"), column(1, "lastName")]))
    }

    // MARK: counts per purpose

    private func purposeFixture() throws -> (ReviewFixture, ImportSession) {
        let fixture = try ReviewFixture()
        try fixture.addContact(["firstName": "Existing", "phone": "+34612345678"])
        let session = try fixture.session(header
            + "Ana,Ruiz,+34 612 345 678,ana@example.com\n"   // matches the existing contact
            + "Luis,Gil,+34 622 000 111,luis@example.com\n"  // new
            + "Eva,Sanz,+34 633 000 222,eva@example.com\n")  // new
        return (fixture, session)
    }

    func testCountsForAddNew() throws {
        let (fixture, session) = try purposeFixture()
        let plan = try fixture.review(session, .addNew, mapping: standardMapping)
        XCTAssertEqual(plan.counts, ReviewCounts(add: 2, update: 0, skip: 1, error: 0, total: 3))
        XCTAssertEqual(plan.outcomes.map(\.action), [.skip, .add, .add])
    }

    func testCountsForUpdateExisting() throws {
        let (fixture, session) = try purposeFixture()
        let plan = try fixture.review(session, .updateExisting, mapping: standardMapping)
        XCTAssertEqual(plan.counts, ReviewCounts(add: 0, update: 1, skip: 2, error: 0, total: 3))
        XCTAssertNotNil(plan.outcomes[0].contactId)
    }

    func testCountsForAddAndUpdate() throws {
        let (fixture, session) = try purposeFixture()
        let plan = try fixture.review(session, .addAndUpdate, mapping: standardMapping)
        XCTAssertEqual(plan.counts, ReviewCounts(add: 2, update: 1, skip: 0, error: 0, total: 3))
    }

    func testCountsForAddAllIgnoreExistingContactsAndDuplicates() throws {
        let fixture = try ReviewFixture()
        try fixture.addContact(["firstName": "Existing", "phone": "+34612345678"])
        let session = try fixture.session(header
            + "Ana,Ruiz,+34612345678,\n"
            + "Ana,Ruiz,+34612345678,\n"
            + "Sin,Telefono,,\n")
        let plan = try fixture.review(session, .addAll, by: nil, mapping: standardMapping)
        XCTAssertEqual(plan.counts, ReviewCounts(add: 3, update: 0, skip: 0, error: 0, total: 3))
    }

    // MARK: row rules

    func testDuplicateIdentifiersInFileMarkEveryRowOfTheGroupNamingTheOthers() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header
            + "Ana,Ruiz,+34 612 345 678,\n"
            + "Luis,Gil,+34 622 000 111,\n"
            + "Ana,R,0034612345678,\n"
            + "Ana,R.,(+34) 612-345-678,\n")
        let plan = try fixture.review(session, .addAndUpdate, mapping: standardMapping)
        XCTAssertEqual(plan.outcomes.map(\.action), [.error, .add, .error, .error])
        XCTAssertEqual(plan.outcomes[0].errors.map(\.code), [.duplicateInFile])
        XCTAssertEqual(plan.outcomes[0].errors.first?.rows, [3, 4])
        XCTAssertEqual(plan.outcomes[2].errors.first?.rows, [1, 4])
        XCTAssertEqual(plan.outcomes[3].errors.first?.rows, [1, 3])
    }

    func testDuplicateEmailsCompareTrimmedAndCaseInsensitive() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session("Nombre,Correo\nAna, Ana@Example.com\nAna,ana@example.COM \n")
        let plan = try fixture.review(session, .addNew, by: .email, mapping: [column(0, "firstName"), column(1, "email")])
        XCTAssertEqual(plan.counts.error, 2)
        XCTAssertEqual(plan.outcomes[1].errors.first?.code, .duplicateInFile)
    }

    func testAmbiguousMatchNamesTheContacts() throws {
        let fixture = try ReviewFixture()
        let first = try fixture.addContact(["firstName": "A", "email": "shared@example.com"])
        let second = try fixture.addContact(["firstName": "B", "email": "shared@example.com"])
        let session = try fixture.session("Nombre,Correo\nAna,SHARED@example.com\n")
        for purpose in [ImportPurpose.addNew, .updateExisting, .addAndUpdate] {
            let plan = try fixture.review(session, purpose, by: .email, mapping: [column(0, "firstName"), column(1, "email")])
            XCTAssertEqual(plan.outcomes[0].action, .error, "\(purpose)")
            XCTAssertEqual(plan.outcomes[0].errors.first?.code, .ambiguousMatch)
            XCTAssertEqual(plan.outcomes[0].errors.first?.contactIds, [first, second])
        }
        let addAll = try fixture.review(session, .addAll, by: nil, mapping: [column(0, "firstName"), column(1, "email")])
        XCTAssertEqual(addAll.outcomes[0].action, .add)
    }

    func testEmptyIdentifierIsAnErrorExceptForAddAll() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + "Ana,Ruiz,,ana@example.com\n")
        let plan = try fixture.review(session, .addAndUpdate, mapping: standardMapping)
        XCTAssertEqual(plan.outcomes[0].errors.map(\.code), [.identifierMissing])
        XCTAssertEqual(plan.outcomes[0].errors.first?.column, 2)
        let addAll = try fixture.review(session, .addAll, by: nil, mapping: standardMapping)
        XCTAssertEqual(addAll.outcomes[0].action, .add)
    }

    func testRowThatWouldAddWithoutFirstNameIsAnError() throws {
        let fixture = try ReviewFixture()
        try fixture.addContact(["firstName": "Existing", "phone": "+34612345678"])
        let session = try fixture.session(header + ",Ruiz,+34612345678,\n,Gil,+34622000111,\n")
        let plan = try fixture.review(session, .addAndUpdate, mapping: standardMapping)
        XCTAssertEqual(plan.outcomes[0].action, .update, "an update needs no first name")
        XCTAssertEqual(plan.outcomes[1].action, .error)
        XCTAssertEqual(plan.outcomes[1].errors.map(\.code), [.nameMissing])
    }

    func testInvalidValueNamesTheColumnAndTheReason() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + "Ana,Ruiz,+34612345678,not-an-email\n")
        let plan = try fixture.review(session, .addNew, mapping: standardMapping)
        let error = try XCTUnwrap(plan.outcomes[0].errors.first)
        XCTAssertEqual(error.code, .invalidValue)
        XCTAssertEqual(error.column, 3)
        XCTAssertTrue(error.message(.english).hasPrefix("Column \"Correo\": "), error.message(.english))
        XCTAssertTrue(error.message(.spanish).hasPrefix("Columna \"Correo\": "), error.message(.spanish))
    }

    func testRaggedRowIsMalformed() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + "Ana,Ruiz,+34612345678\nLuis,Gil,+34622000111,l@example.com,extra\n")
        let plan = try fixture.review(session, .addNew, mapping: standardMapping)
        XCTAssertEqual(plan.outcomes.map { $0.errors.map(\.code) }, [[.malformedRow], [.malformedRow]])
    }

    func testPhonesWithoutCountryCodeUseTheRowsCountryThenTheDefault() throws {
        let fixture = try ReviewFixture()
        let mx = try fixture.addContact(["firstName": "MX", "phone": "+525512345678"])
        let es = try fixture.addContact(["firstName": "ES", "phone": "+34612345678"])
        let mx2 = try fixture.addContact(["firstName": "MX2", "phone": "+525587654321"])
        let session = try fixture.session("Nombre,Tel,País\nA,55 1234 5678,\nB,612 345 678,España\nC,55 8765 4321,México\n")
        let plan = try fixture.review(session, .updateExisting, mapping: [column(0, "firstName"), column(1, "phone"), column(2, "countryCode")],
                                      defaultCountry: "MX")
        XCTAssertEqual(plan.identifierValues, ["+525512345678", "+34612345678", "+525587654321"])
        XCTAssertEqual(plan.outcomes.map(\.contactId), [mx, es, mx2])
    }

    func testPhoneWithoutAnyCountryIsInvalidAndSuggestsADefaultCountry() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session("Nombre,Tel\nAna,612 345 678\n")
        let plan = try fixture.review(session, .addNew, mapping: [column(0, "firstName"), column(1, "phone")])
        let error = try XCTUnwrap(plan.outcomes[0].errors.first)
        XCTAssertEqual(error.code, .invalidValue)
        XCTAssertTrue(error.message(.english).contains("defaultCountry"), error.message(.english))
    }

    func testContactIdMatchingNothingIsSkipped() throws {
        let fixture = try ReviewFixture()
        let id = try fixture.addContact(["firstName": "Ana"])
        let session = try fixture.session("ID,Apellido\n\(id),Ruiz\n999999,Gil\n")
        let plan = try fixture.review(session, .updateExisting, by: .contactId, mapping: [column(0, "contactId"), column(1, "lastName")])
        XCTAssertEqual(plan.outcomes.map(\.action), [.update, .skip])
    }

    func testValuesAreNormalizedForThePreview() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + " Ana ,Ruiz,0034 612 345 678, ANA@Example.com\n")
        let plan = try fixture.review(session, .addNew, mapping: standardMapping)
        let values = Dictionary(uniqueKeysWithValues: plan.values(ofRow: 0).map { ($0.field.key, $0.value.storedText) })
        XCTAssertEqual(values["firstName"], "Ana")
        XCTAssertEqual(values["phone"], "+34612345678")
        XCTAssertEqual(values["email"], "ana@example.com")
    }

    // MARK: import tag, review ids, error file

    func testAutomaticImportTagIsUniqueAgainstTagsInTheWorkspace() throws {
        let fixture = try ReviewFixture()
        let now = Date()
        let base = ReviewPlanner.automaticTagBase(now)
        XCTAssertNotNil(base.range(of: #"^import-\d{8}-\d{6}$"#, options: .regularExpression), base)
        try fixture.addContact(["firstName": "A"], tags: [base, base + "-2"])
        let tag = try ReviewPlanner(workspace: fixture.workspace, locale: .english).resolveImportTag(.automatic, now: now)
        XCTAssertEqual(tag.0, base + "-3")
        XCTAssertEqual(try ReviewPlanner(workspace: fixture.workspace, locale: .english).resolveImportTag(.none, now: now).0, nil)
        XCTAssertEqual(try ReviewPlanner(workspace: fixture.workspace, locale: .english).resolveImportTag(.named("feria"), now: now).0, "feria")
    }

    func testEachReviewHasANewIdAndReplacesTheLatest() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + "Ana,Ruiz,+34612345678,\n")
        let first = try fixture.review(session, .addNew, mapping: standardMapping)
        let second = try fixture.review(session, .addAndUpdate, mapping: standardMapping)
        XCTAssertNotEqual(first.reviewId, second.reviewId)
        XCTAssertEqual(session.latestReview?.reviewId, second.reviewId)
    }

    func testErrorFileHasTheOriginalHeaderTheErrorRowsAndALocalizedErrorColumn() throws {
        for (locale, errorHeader) in [(MessageLocale.english, "Error"), (.spanish, "Error")] {
            let fixture = try ReviewFixture()
            let session = try fixture.session(header + "Ana,Ruiz,+34612345678,\nLuis,Gil,,\n=1+1,Gil,+34622000111,bad\n")
            let plan = try fixture.review(session, .addNew, mapping: standardMapping, locale: locale)
            let errorFile = try XCTUnwrap(plan.errorFile)
            XCTAssertEqual(errorFile.rows, 2)
            XCTAssertTrue(errorFile.uri.hasPrefix("file:///"))
            XCTAssertTrue(errorFile.path.hasPrefix(fixture.workspace.filesDirectory + "/"))
            let rows = try readWrittenCSV(errorFile.path)
            XCTAssertEqual(rows[0], ["Nombre", "Apellido", "Teléfono", "Correo", errorHeader])
            XCTAssertEqual(Array(rows[1].prefix(4)), ["Luis", "Gil", "", ""])
            XCTAssertEqual(rows[1][4], plan.outcomes[1].errors[0].message(locale))
            XCTAssertEqual(rows[2][0], "'=1+1", "formula defused")
            XCTAssertEqual(rows[2][2], "+34622000111", "phone numbers stay as they are")
        }
    }

    func testNoErrorFileWithoutErrors() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + "Ana,Ruiz,+34612345678,\n")
        XCTAssertNil(try fixture.review(session, .addNew, mapping: standardMapping).errorFile)
    }

    func testPagingByAction() throws {
        let fixture = try ReviewFixture()
        let session = try fixture.session(header + "A,x,+34612345671,\nB,x,,\nC,x,+34612345673,\nD,x,,\nE,x,+34612345675,\n")
        let plan = try fixture.review(session, .addNew, mapping: standardMapping)
        let errors = plan.outcomes(action: .error, offset: 1, limit: 10)
        XCTAssertEqual(errors.total, 2)
        XCTAssertEqual(errors.rows.map(\.row), [4])
        let adds = plan.outcomes(action: .add, offset: 0, limit: 2)
        XCTAssertEqual(adds.rows.map(\.row), [1, 3])
        XCTAssertEqual(adds.total, 3)
        XCTAssertEqual(plan.outcomes(action: nil, offset: 3, limit: 5).rows.map(\.row), [4, 5])
    }
}
