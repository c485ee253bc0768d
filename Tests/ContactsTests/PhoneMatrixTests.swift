import XCTest
import Contacts

/// For each country: one mobile and one landline as people write them nationally, and every way
/// the same number arrives in a CSV (international with + or 00, Excel's apostrophe, no spaces,
/// dashes, calling code without +, Excel's scientific notation).
private struct Sample {
    let country: String
    let mobile: String
    let mobileE164: String
    let landline: String
    let landlineE164: String
}

private let samples: [Sample] = [
    Sample(country: "MX", mobile: "044 55 1234 5678", mobileE164: "+525512345678", landline: "33 3615 2000", landlineE164: "+523336152000"),
    Sample(country: "AR", mobile: "011 15 2345-6789", mobileE164: "+5491123456789", landline: "011 4123-4567", landlineE164: "+541141234567"),
    Sample(country: "CO", mobile: "300 123 4567", mobileE164: "+573001234567", landline: "(601) 234 5678", landlineE164: "+576012345678"),
    Sample(country: "PE", mobile: "987 654 321", mobileE164: "+51987654321", landline: "(01) 234-5678", landlineE164: "+5112345678"),
    Sample(country: "CL", mobile: "9 8765 4321", mobileE164: "+56987654321", landline: "2 2345 6789", landlineE164: "+56223456789"),
    Sample(country: "BR", mobile: "(11) 91234-5678", mobileE164: "+5511912345678", landline: "(21) 2345-6789", landlineE164: "+552123456789"),
    Sample(country: "US", mobile: "(212) 555-1234", mobileE164: "+12125551234", landline: "1 (305) 555-2368", landlineE164: "+13055552368"),
    Sample(country: "CA", mobile: "(416) 555-2368", mobileE164: "+14165552368", landline: "604-555-2399", landlineE164: "+16045552399"),
    Sample(country: "ES", mobile: "612 34 56 78", mobileE164: "+34612345678", landline: "91 234 56 78", landlineE164: "+34912345678"),
    Sample(country: "PT", mobile: "912 345 678", mobileE164: "+351912345678", landline: "21 234 5678", landlineE164: "+351212345678"),
    Sample(country: "GB", mobile: "07911 123456", mobileE164: "+447911123456", landline: "020 7946 0958", landlineE164: "+442079460958"),
    Sample(country: "DE", mobile: "0151 23456789", mobileE164: "+4915123456789", landline: "030 1234567", landlineE164: "+49301234567"),
    Sample(country: "FR", mobile: "06 12 34 56 78", mobileE164: "+33612345678", landline: "01 23 45 67 89", landlineE164: "+33123456789"),
    Sample(country: "IT", mobile: "333 123 4567", mobileE164: "+393331234567", landline: "06 1234 5678", landlineE164: "+390612345678"),
    Sample(country: "IN", mobile: "098765 43210", mobileE164: "+919876543210", landline: "011 2345 6789", landlineE164: "+911123456789"),
    Sample(country: "MY", mobile: "012-345 6789", mobileE164: "+60123456789", landline: "03-2123 4567", landlineE164: "+60321234567"),
    Sample(country: "PH", mobile: "0917 123 4567", mobileE164: "+639171234567", landline: "(02) 8123 4567", landlineE164: "+63281234567"),
    Sample(country: "VE", mobile: "0412-123.45.67", mobileE164: "+584121234567", landline: "(0212) 555-1234", landlineE164: "+582125551234"),
    Sample(country: "EC", mobile: "099 123 4567", mobileE164: "+593991234567", landline: "(02) 234 5678", landlineE164: "+59322345678"),
    Sample(country: "UY", mobile: "099 123 456", mobileE164: "+59899123456", landline: "2901 2345", landlineE164: "+59829012345"),
    Sample(country: "PY", mobile: "0981 123456", mobileE164: "+595981123456", landline: "(021) 123 456", landlineE164: "+59521123456"),
    Sample(country: "BO", mobile: "7123 4567", mobileE164: "+59171234567", landline: "2 123 4567", landlineE164: "+59121234567"),
    Sample(country: "GT", mobile: "5123 4567", mobileE164: "+50251234567", landline: "2234 5678", landlineE164: "+50222345678"),
    Sample(country: "CR", mobile: "8312 3456", mobileE164: "+50683123456", landline: "2222 3333", landlineE164: "+50622223333"),
    Sample(country: "DO", mobile: "(829) 555-1234", mobileE164: "+18295551234", landline: "(809) 555-1234", landlineE164: "+18095551234"),
    Sample(country: "PR", mobile: "(939) 555-1234", mobileE164: "+19395551234", landline: "(787) 555-1234", landlineE164: "+17875551234"),
    Sample(country: "HN", mobile: "9123 4567", mobileE164: "+50491234567", landline: "2234 5678", landlineE164: "+50422345678"),
    Sample(country: "SV", mobile: "7123 4567", mobileE164: "+50371234567", landline: "2234 5678", landlineE164: "+50322345678"),
    Sample(country: "NI", mobile: "8123 4567", mobileE164: "+50581234567", landline: "2234 5678", landlineE164: "+50522345678"),
    Sample(country: "PA", mobile: "6123-4567", mobileE164: "+50761234567", landline: "223-4567", landlineE164: "+5072234567"),
]

final class PhoneMatrixTests: XCTestCase {
    private func expect(_ input: String, _ country: String?, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        switch PhoneNumbers.canonicalize(input, defaultCountry: country) {
        case .success(let value): XCTAssertEqual(value, expected, "\(input) [\(country ?? "-")]", file: file, line: line)
        case .failure(let problem): XCTFail("\(input) [\(country ?? "-")]: \(problem.code)", file: file, line: line)
        }
    }

    /// "+525512345678" written "+52 5512345678".
    private func spaced(_ e164: String, callingCode: Int) -> String {
        let cc = "+\(callingCode)"
        return cc + " " + e164.dropFirst(cc.count)
    }

    func testEveryFormOfEveryCountrysNumbers() {
        for sample in samples {
            guard let callingCode = Countries.callingCode(of: sample.country) else { XCTFail(sample.country); continue }
            for (national, e164) in [(sample.mobile, sample.mobileE164), (sample.landline, sample.landlineE164)] {
                let digits = String(e164.dropFirst())
                expect(national, sample.country, e164)
                expect(national.filter(\.isNumber), sample.country, e164)
                expect(national.replacingOccurrences(of: " ", with: "-"), sample.country, e164)
                expect(" \(national)\u{00A0}", sample.country, e164)
                expect(e164, nil, e164)
                expect(e164, "JP", e164)
                expect("'" + e164, nil, e164)
                expect(spaced(e164, callingCode: callingCode), nil, e164)
                expect("(+\(callingCode)) " + e164.dropFirst(String(callingCode).count + 1), nil, e164)
                expect("00" + digits, nil, e164)
                expect("00 \(callingCode) " + digits.dropFirst(String(callingCode).count), sample.country, e164)
                expect(digits, sample.country, e164)
                expect("'" + national, sample.country, e164)

                // Excel's scientific notation: 5.25512E+11.
                let scientific = "\(digits.prefix(1)).\(digits.dropFirst().prefix(5))E+\(digits.count - 1)"
                guard case .failure(let problem) = PhoneNumbers.canonicalize(scientific, defaultCountry: sample.country) else {
                    XCTFail(scientific); continue
                }
                XCTAssertEqual(problem.code, "scientificNotation", scientific)
                let comma = scientific.replacingOccurrences(of: ".", with: ",")
                XCTAssertEqual((try? PhoneNumbers.canonicalize(comma, defaultCountry: sample.country).get()), nil, comma)

                // Without a default country, a national number cannot be read.
                if case .success(let value) = PhoneNumbers.canonicalize(national, defaultCountry: nil) {
                    XCTFail("\(national) read without a country as \(value)")
                }
            }
        }
    }
}
