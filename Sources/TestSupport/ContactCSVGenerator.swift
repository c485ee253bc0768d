#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Deterministic generator of realistic contact CSV files, for tests and benchmarks.
///
/// The same `(rows, seed)` always gives the same contacts, whatever the delimiter or encoding,
/// so a test can write one file in four encodings and expect identical rows back. Files look
/// like our users' exports: Spanish headers, Spanish and Portuguese names with accents, phones
/// written every way people write them (including Excel's leading apostrophe), notes with
/// commas, quotes and line breaks, tag lists, about 1% rows repeating an earlier contact's
/// phone and e-mail, and a few invalid values.
///
/// Each generated `Row` also says what a correct importer should make of it: the E.164 phone
/// the generator meant (`intendedPhone`), the canonical e-mail (`intendedEmail`) and, for the
/// planted duplicates, which earlier row they repeat.
///
/// Kept free of the CSV module on purpose: it writes bytes itself, so a bug in the reader can't
/// hide behind the same bug in the writer.
public struct ContactCSVGenerator: Sendable {
    public enum Encoding: String, Sendable, CaseIterable {
        case utf8 = "utf-8"
        case utf8BOM = "utf-8-bom"
        case utf16LE = "utf-16le"
        case windows1252 = "windows-1252"
    }

    public enum HeaderLanguage: Sendable, CaseIterable {
        case spanish, english, portuguese
    }

    /// One generated contact, as written and as meant.
    public struct Row: Sendable, Hashable {
        public var firstName: String
        public var lastName: String
        /// The phone exactly as written in the file ("" when the contact has none).
        public var phone: String
        public var email: String
        public var language: String
        /// The country cell as written: an ISO code, a country name, or "".
        public var country: String
        public var tags: String
        public var notes: String

        /// The ISO country the phone belongs to (whatever the country cell says).
        public var phoneCountry: String
        /// The E.164 number meant, or nil when the phone is empty or deliberately invalid (including
        /// an Argentine local mobile like "15 1234-5678", which lacks its area code). A phone
        /// written without its country code (see `phoneIsInternational`) means this number only
        /// when read with `phoneCountry`: the country cell names it, or it is empty and the
        /// importer's default country is `phoneCountry`.
        public var intendedPhone: String?
        /// The e-mail trimmed and lowercased, or nil when empty or deliberately invalid.
        public var intendedEmail: String?
        /// For a planted duplicate: the 0-based data row whose phone and e-mail it repeats.
        public var duplicateOf: Int?

        public var cells: [String] { [firstName, lastName, phone, email, language, country, tags, notes] }

        /// Whether the phone carries its country code (`+…`, `00…`, or Excel's `'+…`).
        public var phoneIsInternational: Bool {
            phone.hasPrefix("+") || phone.hasPrefix("'+") || phone.hasPrefix("00")
        }
    }

    public let rowCount: Int
    public let seed: UInt64
    public let delimiter: UInt8
    public let encoding: Encoding
    public let headerLanguage: HeaderLanguage
    /// Line end written after every record.
    public let lineEnd: String

    public init(rows: Int, seed: UInt64 = 1, delimiter: UInt8 = UInt8(ascii: ","), encoding: Encoding = .utf8,
                headers: HeaderLanguage = .spanish, lineEnd: String = "\r\n") {
        self.rowCount = max(rows, 0)
        self.seed = seed
        self.delimiter = delimiter
        self.encoding = encoding
        self.headerLanguage = headers
        self.lineEnd = lineEnd
    }

    public var headers: [String] {
        switch headerLanguage {
        case .spanish: return ["Nombre", "Apellidos", "Teléfono", "Correo", "Idioma", "País", "Etiquetas", "Notas"]
        case .english: return ["First Name", "Last Name", "Phone", "Email", "Language", "Country", "Tags", "Notes"]
        case .portuguese: return ["Nome", "Sobrenome", "Telefone", "E-mail", "Idioma", "País", "Etiquetas", "Observações"]
        }
    }

    // MARK: Output

    /// The whole file, encoded.
    public func bytes() -> [UInt8] {
        let text = csvText()
        switch encoding {
        case .utf8:
            return Array(text.utf8)
        case .utf8BOM:
            return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        case .utf16LE:
            var out: [UInt8] = [0xFF, 0xFE]
            out.reserveCapacity(text.utf8.count * 2 + 2)
            for unit in text.utf16 {
                out.append(UInt8(truncatingIfNeeded: unit))
                out.append(UInt8(truncatingIfNeeded: unit >> 8))
            }
            return out
        case .windows1252:
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count)
            for scalar in text.unicodeScalars { out.append(Self.windows1252Byte(scalar)) }
            return out
        }
    }

    /// The file as text, before encoding.
    public func csvText() -> String {
        var text = ""
        text.reserveCapacity(rowCount * 110 + 100)
        appendRecord(headers, to: &text)
        for row in rows() { appendRecord(row.cells, to: &text) }
        return text
    }

    private func appendRecord(_ cells: [String], to text: inout String) {
        let separator = String(UnicodeScalar(delimiter))
        for (i, cell) in cells.enumerated() {
            if i > 0 { text += separator }
            if cell.utf8.contains(where: { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                text += "\""
                text += cell.replacingAll("\"", with: "\"\"")
                text += "\""
            } else {
                text += cell
            }
        }
        text += lineEnd
    }

    /// Writes the file; returns its size in bytes.
    @discardableResult
    public func write(toPath path: String) throws -> Int {
        let data = bytes()
        try FileBytes.save(data, toPath: path)
        return data.count
    }

    // MARK: Rows

    public func rows() -> [Row] {
        var random = SplitMix64(seed: seed)
        var rows: [Row] = []
        rows.reserveCapacity(rowCount)
        for index in 0..<rowCount {
            rows.append(makeRow(index, &random, earlier: rows))
        }
        return rows
    }

    private func makeRow(_ index: Int, _ random: inout SplitMix64, earlier: [Row]) -> Row {
        let country = Self.countries[random.weightedIndex(Self.countryWeights)]
        let portuguese = country.iso == "BR" || country.iso == "PT"
        let firstName = random.pick(portuguese ? Self.portugueseFirstNames : Self.spanishFirstNames)
        let lastName = portuguese
            ? random.pick(Self.portugueseLastNames) + (random.chance(0.5) ? " " + random.pick(Self.portugueseLastNames) : "")
            : random.pick(Self.spanishLastNames) + (random.chance(0.7) ? " " + random.pick(Self.spanishLastNames) : "")

        var phoneCountry = country.iso
        var phone: String
        var intendedPhone: String?
        var email: String
        var intendedEmail: String?
        var duplicateOf: Int?

        if index >= 10 && random.chance(0.01), !earlier.isEmpty {
            // A planted duplicate: an earlier contact typed again, possibly formatted differently.
            let original = random.below(earlier.count)
            let source = earlier[original]
            duplicateOf = original
            phoneCountry = source.phoneCountry
            intendedPhone = source.intendedPhone
            if let e164 = source.intendedPhone, let sourceCountry = Self.countries.first(where: { $0.iso == source.phoneCountry }) {
                phone = sourceCountry.written(e164: e164, style: random.below(3))
            } else {
                phone = source.phone
            }
            email = random.chance(0.5) ? source.email.uppercased() : source.email
            intendedEmail = source.intendedEmail
        } else {
            let roll = random.unit()
            if roll < 0.03 {
                phone = ""
            } else if roll < 0.035 {
                phone = random.pick(["12345", "sin teléfono", "+34 6123", "n/a", "555-CASA", "0"])
            } else {
                let subscriber = Self.permuted(index, modulus: country.subscriberSpace, salt: seed)
                let e164 = country.e164(subscriber: subscriber, random: &random)
                intendedPhone = e164
                phone = country.written(e164: e164, style: random.below(country.styleCount))
                if country.iso == "AR" && random.chance(0.05) {
                    // Local Argentine mobile without an area code: cannot be made international.
                    phone = "15 " + String(e164.suffix(8).prefix(4)) + "-" + String(e164.suffix(4))
                    intendedPhone = nil
                }
            }
            let firstSurname = lastName.split(separator: " ").first.map(String.init) ?? lastName
            let user = Self.folded(firstName) + random.pick([".", "_", ""]) + Self.folded(firstSurname)
            let domain = random.pick(portuguese ? Self.portugueseDomains : Self.spanishDomains)
            let canonical = "\(user)\(index)@\(domain)"
            let emailRoll = random.unit()
            if emailRoll < 0.12 {
                email = ""
            } else if emailRoll < 0.125 {
                email = random.pick(["\(user)@", "\(user) @\(domain)", "\(user)@@\(domain)", "sin correo"])
            } else {
                intendedEmail = canonical
                email = emailRoll < 0.2 ? Self.capitalizedEmail(canonical) : (emailRoll < 0.22 ? " \(canonical) " : canonical)
            }
        }
        if phone.isEmpty && email.isEmpty && intendedPhone == nil && intendedEmail == nil {
            // Keep every contact reachable somehow, as real lists are.
            let subscriber = Self.permuted(index, modulus: country.subscriberSpace, salt: seed)
            let e164 = country.e164(subscriber: subscriber, random: &random)
            intendedPhone = e164
            phone = e164
            phoneCountry = country.iso
        }

        let countryCell: String
        let countryRoll = random.unit()
        if countryRoll < 0.7 {
            countryCell = country.iso
        } else if countryRoll < 0.9 {
            countryCell = country.name
        } else {
            countryCell = ""
        }
        let language: String
        if random.chance(0.003) {
            language = "klingon"
        } else {
            language = random.pick(portuguese ? ["pt", "pt-BR", "Português"] : ["es", "es", "es-MX", "Español", "en"])
        }
        let tagCount = random.weightedIndex([30, 40, 20, 10])
        var tags: [String] = []
        while tags.count < tagCount {
            let tag = random.pick(Self.tags)
            if !tags.contains(tag) { tags.append(tag) }
        }
        let notes = random.chance(0.45) ? random.pick(Self.notes).replacingAll("{name}", with: random.pick(Self.spanishFirstNames)) : ""

        return Row(firstName: firstName, lastName: lastName, phone: phone, email: email, language: language,
                   country: countryCell, tags: tags.joined(separator: ", "), notes: notes,
                   phoneCountry: phoneCountry, intendedPhone: intendedPhone, intendedEmail: intendedEmail,
                   duplicateOf: duplicateOf)
    }

    // MARK: Identifier lists for benchmarks

    /// `count` distinct E.164 mobile numbers (Mexico, Spain, Brazil, Argentina), fast enough for
    /// a million. The same seed gives the same list.
    public static func distinctPhones(count: Int, seed: UInt64 = 1) -> [String] {
        let prefixes = ["+5255", "+5233", "+346", "+55119", "+54911", "+5281", "+3467", "+55219"]
        var phones: [String] = []
        phones.reserveCapacity(count)
        for i in 0..<max(count, 0) {
            let prefix = prefixes[i % prefixes.count]
            let subscriber = permuted(i / prefixes.count, modulus: 100_000_000, salt: seed)
            phones.append(prefix + zeroPadded(subscriber, width: 8))
        }
        return phones
    }

    /// `count` distinct, lowercase e-mail addresses.
    public static func distinctEmails(count: Int, seed: UInt64 = 1) -> [String] {
        let domains = spanishDomains + portugueseDomains
        var emails: [String] = []
        emails.reserveCapacity(count)
        var random = SplitMix64(seed: seed)
        let firstNames = spanishFirstNames.map(folded)
        let lastNames = spanishLastNames.map(folded)
        for i in 0..<max(count, 0) {
            var email = random.pick(firstNames)
            email += "."
            email += random.pick(lastNames)
            email += String(i)
            email += "@"
            email += domains[i % domains.count]
            emails.append(email)
        }
        return emails
    }

    // MARK: Helpers

    /// A bijection of 0..<modulus (for index < modulus), so subscribers never collide by accident.
    static func permuted(_ index: Int, modulus: Int, salt: UInt64) -> Int {
        // 7_654_321 is odd and not a multiple of 5, hence coprime with every power of ten.
        let offset = Int(salt % UInt64(modulus))
        return (index % modulus * 7_654_321 % modulus + offset) % modulus
    }

    static func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Names folded once: folding is slow and the name lists are short.
    static let foldedNames: [String: String] = {
        var table: [String: String] = [:]
        for name in spanishFirstNames + portugueseFirstNames + spanishLastNames + portugueseLastNames {
            table[name] = asciiFolded(name)
        }
        return table
    }()

    static func folded(_ name: String) -> String { foldedNames[name] ?? asciiFolded(name) }

    static func asciiFolded(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            switch scalar {
            case "á", "à", "â", "ã", "ä": out += "a"
            case "é", "ê", "è": out += "e"
            case "í", "î": out += "i"
            case "ó", "ô", "õ", "ö": out += "o"
            case "ú", "ü", "û": out += "u"
            case "ñ": out += "n"
            case "ç": out += "c"
            case "a"..."z", "0"..."9": out.unicodeScalars.append(scalar)
            default: break
            }
        }
        return out
    }

    static func capitalizedEmail(_ email: String) -> String {
        var out = ""
        var upperNext = true
        for ch in email {
            out += upperNext ? ch.uppercased() : String(ch)
            upperNext = ch == "." || ch == "@"
        }
        return out
    }

    static func windows1252Byte(_ scalar: Unicode.Scalar) -> UInt8 {
        let value = scalar.value
        if value < 0x80 || (value >= 0xA0 && value <= 0xFF) { return UInt8(value) }
        return windows1252Bytes[value] ?? UInt8(ascii: "?")
    }

    private static let windows1252Bytes: [UInt32: UInt8] = [0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86,
                                     0x2021: 0x87, 0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C,
                                     0x017D: 0x8E, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95,
                                     0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B,
                                     0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F]
}

// MARK: Countries and phone styles

extension ContactCSVGenerator {
    struct Country: Sendable {
        let iso: String
        let name: String
        let callingCode: String
        /// National significant number before the subscriber digits (area code, mobile prefix).
        let prefixes: [String]
        let subscriberDigits: Int
        let styleCount: Int

        var subscriberSpace: Int {
            var space = 1
            for _ in 0..<subscriberDigits { space *= 10 }
            return space
        }

        func e164(subscriber: Int, random: inout SplitMix64) -> String {
            "+" + callingCode + random.pick(prefixes) + ContactCSVGenerator.zeroPadded(subscriber, width: subscriberDigits)
        }

        /// `e164` written the way people in that country write it; `style` picks one way.
        func written(e164: String, style: Int) -> String {
            let national = String(e164.dropFirst(1 + callingCode.count))
            let digits = Array(national)
            func part(_ from: Int, _ to: Int) -> String { String(digits[from..<min(to, digits.count)]) }
            let n = digits.count
            switch (iso, style) {
            case ("MX", 0): return "+52 \(part(0, 2)) \(part(2, 6)) \(part(6, n))"
            case ("MX", 1): return "0052 \(part(0, 2)) \(part(2, 6)) \(part(6, n))"
            case ("MX", 2): return "(\(part(0, 2))) \(part(2, 6))-\(part(6, n))"
            case ("MX", _): return national
            case ("ES", 0): return "+34 \(part(0, 3)) \(part(3, 6)) \(part(6, n))"
            case ("ES", 1): return "0034 \(part(0, 3)) \(part(3, 6)) \(part(6, n))"
            case ("ES", 2): return "'+34\(national)"
            case ("ES", 3): return "\(part(0, 3)) \(part(3, 5)) \(part(5, 7)) \(part(7, n))"
            case ("ES", _): return national
            case ("AR", 0): return "+54 9 \(part(1, 3)) \(part(3, 7))-\(part(7, n))"
            case ("AR", 1): return "0\(part(1, 3)) 15 \(part(3, 7))-\(part(7, n))"
            case ("AR", _): return "\(part(1, 3)) 15-\(part(3, 7))-\(part(7, n))"
            case ("BR", 0): return "+55 \(part(0, 2)) \(part(2, 7))-\(part(7, n))"
            case ("BR", 1): return "(\(part(0, 2))) \(part(2, 7))-\(part(7, n))"
            case ("BR", _): return "'+55\(national)"
            case ("CO", 0): return "+57 \(part(0, 3)) \(part(3, 6)) \(part(6, n))"
            case ("CO", _): return "\(part(0, 3)) \(part(3, n))"
            case ("PT", 0): return "+351 \(part(0, 3)) \(part(3, 6)) \(part(6, n))"
            case ("PT", _): return "00351\(national)"
            case ("US", 0): return "+1 (\(part(0, 3))) \(part(3, 6))-\(part(6, n))"
            case ("US", _): return "(\(part(0, 3))) \(part(3, 6))-\(part(6, n))"
            default: return e164
            }
        }
    }

    static let countries: [Country] = [
        Country(iso: "MX", name: "México", callingCode: "52", prefixes: ["55", "33", "81", "22"], subscriberDigits: 8, styleCount: 4),
        Country(iso: "ES", name: "España", callingCode: "34", prefixes: ["6", "7"], subscriberDigits: 8, styleCount: 5),
        Country(iso: "AR", name: "Argentina", callingCode: "54", prefixes: ["911"], subscriberDigits: 8, styleCount: 3),
        Country(iso: "BR", name: "Brasil", callingCode: "55", prefixes: ["119", "219"], subscriberDigits: 8, styleCount: 3),
        Country(iso: "CO", name: "Colombia", callingCode: "57", prefixes: ["300", "310"], subscriberDigits: 7, styleCount: 2),
        Country(iso: "PT", name: "Portugal", callingCode: "351", prefixes: ["91", "93"], subscriberDigits: 7, styleCount: 2),
        Country(iso: "US", name: "Estados Unidos", callingCode: "1", prefixes: ["212", "305", "415"], subscriberDigits: 7, styleCount: 2),
    ]
    static let countryWeights = [35, 20, 12, 12, 8, 5, 8]

    static let spanishFirstNames = [
        "José", "María", "Lucía", "Sofía", "Martín", "Andrés", "Inés", "Ángel", "Raúl", "Begoña", "Íñigo", "Nuria",
        "Jesús", "Ramón", "Mónica", "Verónica", "Álvaro", "Rocío", "Sebastián", "Valentina", "Camila", "Mateo",
        "Guadalupe", "Joaquín", "Ana", "Luis", "Carmen", "Javier", "Pilar", "Tomás", "Elena", "Adrián", "Héctor",
        "Marisol", "Ximena", "Emilio", "Fernanda", "Agustín", "Concepción", "Germán",
    ]
    static let portugueseFirstNames = [
        "João", "Conceição", "Sebastião", "Letícia", "Gonçalo", "Luís", "Inês", "Vitória", "Júlia", "Antônio",
        "Márcio", "Rogério", "Tânia", "Lúcia", "Fábio", "Cecília", "Mônica", "André", "Beatriz", "Thiago",
    ]
    static let spanishLastNames = [
        "García", "Martínez", "López", "Hernández", "Pérez", "Gómez", "Sánchez", "Díaz", "Fernández", "Rodríguez",
        "Muñoz", "Jiménez", "Álvarez", "Núñez", "Peña", "Ibáñez", "Castañeda", "Ortiz", "Ruiz", "Vázquez",
        "Ramírez", "Flores", "Cruz", "Morales", "Gutiérrez", "Mendoza", "Ordóñez", "Saldaña", "Rincón", "Bolaños",
    ]
    static let portugueseLastNames = [
        "Silva", "Santos", "Oliveira", "Souza", "Conceição", "Gonçalves", "Magalhães", "Araújo", "Simões", "Brandão",
        "Falcão", "Leão", "Ferreira", "Rodrigues", "Almeida", "Carvalho", "Gomes", "Ribeiro",
    ]
    static let spanishDomains = ["gmail.com", "hotmail.com", "yahoo.com.mx", "outlook.es", "empresa.com.ar", "correo.co"]
    static let portugueseDomains = ["gmail.com", "uol.com.br", "bol.com.br", "sapo.pt", "hotmail.com"]
    static let tags = ["vip", "clientes", "proveedores", "newsletter", "black-friday", "mayoristas", "leads 2024",
                       "feria", "recompra", "atención", "exportación"]
    static let notes = [
        "Cliente desde 2019",
        "Llamar por la tarde, después de las 16 h",
        "Prefiere WhatsApp.\nNo llamar los domingos",
        "Dijo \"me interesa\" en la feria",
        "Pagó 25 € en efectivo",
        "Contacto de “Expo Pymes”, stand 12",
        "Referido por {name}",
        "Pedido pendiente; enviar catálogo",
        "Quer receber promoções, só por e-mail",
        "Dirección: Av. Reforma 123, piso 4\r\nCol. Juárez",
        "Habla inglés y portugués",
    ]
}

// MARK: Randomness

/// SplitMix64: tiny, fast, and the same sequence on every platform and Swift version (the
/// standard library's `random(in:using:)` algorithms are not promised to stay the same).
/// The one deterministic random generator of the tests and the generator (SplitMix64): the same
/// seed gives the same data and the same failures on every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (the tiny modulo bias does not matter for test data).
    public mutating func below(_ bound: Int) -> Int {
        bound <= 1 ? 0 : Int(next() % UInt64(bound))
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }

    public mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    public mutating func weightedIndex(_ weights: [Int]) -> Int {
        var roll = below(weights.reduce(0, +))
        for (i, weight) in weights.enumerated() {
            if roll < weight { return i }
            roll -= weight
        }
        return weights.count - 1
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return components(separatedByString: target).joined(separator: replacement)
    }

    private func components(separatedByString separator: String) -> [String] {
        var parts: [String] = []
        var rest = self[...]
        while let range = rest.range(ofString: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}

extension Substring {
    fileprivate func range(ofString target: String) -> Range<Index>? {
        guard !target.isEmpty else { return nil }
        var start = startIndex
        while start < endIndex {
            if self[start...].hasPrefix(target) {
                return start..<index(start, offsetBy: target.count)
            }
            start = index(after: start)
        }
        return nil
    }
}

/// Writing bytes to disk without Foundation, so TestSupport stays light for the benchmark.
enum FileBytes {
    struct WriteError: Error, CustomStringConvertible {
        let path: String
        let code: Int32
        var description: String { "cannot write \(path): errno \(code)" }
    }

    static func save(_ bytes: [UInt8], toPath path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw WriteError(path: path, code: errno) }
        defer { close(descriptor) }
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while written < buffer.count {
                let result = write(descriptor, base + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += result
            }
        }
        if failure != 0 { throw WriteError(path: path, code: failure) }
    }
}
