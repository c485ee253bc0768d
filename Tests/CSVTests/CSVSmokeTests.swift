import XCTest
@testable import CSV

final class CSVSmokeTests: XCTestCase {
    func testModuleLinks() {}
}
