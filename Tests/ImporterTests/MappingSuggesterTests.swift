import XCTest
import Contacts
@testable import Importer

final class MappingSuggesterTests: XCTestCase {
    func testPlaceholder() {}
}
