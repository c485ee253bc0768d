import XCTest
@testable import Importer

final class ImporterSmokeTests: XCTestCase {
    func testModuleLinks() {}
}
