import FoundationEssentials

/// Text helpers shared by the readers: trimming and the folding used to compare names.
extension String {
    /// In Unicode canonical composed form (NFC), so that "José" typed on a Mac (decomposed) and on
    /// Windows (composed) are stored with the same bytes and match in the workspace. ASCII text is
    /// returned as is. The standard library's own NFC (what String comparison uses) does the
    /// work, so the daemon needs no ICU-backed Foundation for it.
    func composed() -> String {
        mayNeedComposition ? String(decoding: _nfcCodeUnits, as: UTF8.self) : self
    }

    /// Whether the text holds characters that NFC changes: combining marks (U+0300–036F,
    /// U+1AB0–1AFF, U+1DC0–1DFF, U+20D0–20FF, U+FE20–FE2F), Hangul jamo, and the letter-like
    /// singletons of U+2100–214F (Ω, K, Å). A cheap byte scan that spares the composition for the
    /// common case of text typed composed.
    private var mayNeedComposition: Bool {
        var previous: UInt8 = 0
        for byte in utf8 {
            switch previous {
            case 0xCC: return true
            case 0xCD where byte < 0xB0: return true
            case 0xE1 where byte >= 0x84 && byte <= 0x87 || byte == 0xAA || byte == 0xAB || byte == 0xB7: return true
            case 0xE2 where byte == 0x83 || byte == 0x84 || byte == 0x85: return true
            case 0xEF where byte == 0xB8: return true
            default: break
            }
            previous = byte
        }
        return false
    }

    /// Trimmed of spaces, tabs, line breaks and no-break spaces at both ends.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !TextFolding.isSpace($0) }),
              let last = scalars.lastIndex(where: { !TextFolding.isSpace($0) }) else { return "" }
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}

public enum TextFolding {
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0xA0, 0x2000...0x200B, 0x202F, 0x205F, 0x3000, 0xFEFF: return true
        default: return false
        }
    }

    /// Latin-1 letters U+00C0...U+00FF without their accents, lower-case; a space for × and ÷.
    private static let latin1Base: [Unicode.Scalar] = Array("aaaaaaaceeeeiiiidnooooo ouuuuytsaaaaaaaceeeeiiiidnooooo ouuuuyty".unicodeScalars)

    /// Lower-case, accents removed, every run of punctuation or spaces made one space, trimmed:
    /// "  República  Dominicana. " and "republica dominicana" fold alike.
    static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        func emit(_ scalar: Unicode.Scalar) {
            if pendingSpace && !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.append(scalar)
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x30...0x39, 0x61...0x7A:
                emit(scalar)
            case 0x41...0x5A:
                emit(Unicode.Scalar(UInt8(value + 0x20)))
            case 0xC0...0xFF:
                let base = latin1Base[Int(value - 0xC0)]
                if base == " " { pendingSpace = true } else { emit(base) }
            case 0x300...0x36F:
                continue  // combining accents of decomposed text
            default:
                if scalar.properties.isAlphabetic {
                    for lower in scalar.properties.lowercaseMapping.unicodeScalars { emit(lower) }
                } else {
                    pendingSpace = true
                }
            }
        }
        return String(out)
    }

    /// The first scalar `fold(text)` would start with (nil when it is empty), found by the same
    /// rules without building the folded text.
    static func firstFoldedScalar(_ text: String) -> Unicode.Scalar? {
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x30...0x39, 0x61...0x7A:
                return scalar
            case 0x41...0x5A:
                return Unicode.Scalar(UInt8(value + 0x20))
            case 0xC0...0xFF:
                let base = latin1Base[Int(value - 0xC0)]
                if base != " " { return base }
            case 0x300...0x36F:
                continue
            default:
                if scalar.properties.isAlphabetic, let first = scalar.properties.lowercaseMapping.unicodeScalars.first {
                    return first
                }
            }
        }
        return nil
    }
}

extension String {
    /// The text with each NUL shown as "␀" (U+2400), for messages.
    func replacingNUL() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0.value == 0 ? "\u{2400}" : $0 }))
    }
}

extension TextFolding {
    /// Lower-cased, accents and other combining marks removed, full-width forms made ASCII:
    /// how header words and custom field names are compared ("Teléfono", "TELEFONO" and
    /// "ｔｅｌｅｆｏｎｏ" alike). Letters whose accent is part of the character ("ő", "ș", "ạ")
    /// lose it through their Unicode name, "LATIN SMALL LETTER O WITH DOUBLE ACUTE", which the
    /// standard library knows without Foundation or ICU.
    public static func looseFolded(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0..<0x80:
                out.append(scalar)
            case 0xC0...0xFF where value != 0xD7 && value != 0xF7:
                out.append(latin1Base[Int(value - 0xC0)])
            case 0xFF01...0xFF5E:
                out.append(Unicode.Scalar(value - 0xFEE0)!)
            default:
                switch scalar.properties.generalCategory {
                case .nonspacingMark, .spacingMark, .enclosingMark: continue
                default: out.append(latinBase(of: scalar) ?? scalar)
                }
            }
        }
        return String(out).lowercased()
    }

    /// `looseFolded` keeping only letters and digits ("E-mail 2" → "email2"): the key under which
    /// headers and custom field names are the same.
    public static func looseAlphanumerics(_ text: String) -> String {
        String(String.UnicodeScalarView(looseFolded(text).unicodeScalars.filter {
            $0.properties.isAlphabetic || $0.properties.generalCategory == .decimalNumber
        }))
    }

    /// The base letter of a Latin letter with a diacritic ("LATIN CAPITAL LETTER S WITH COMMA
    /// BELOW" → "S"), nil for anything else.
    private static func latinBase(of scalar: Unicode.Scalar) -> Unicode.Scalar? {
        guard scalar.value >= 0x100 && scalar.value < 0x2C00, let name = scalar.properties.name,
              name.hasPrefix("LATIN ") else { return nil }
        let words = name.split(separator: " ")
        guard words.count >= 5, words[2] == "LETTER", words[4] == "WITH", words[3].utf8.count == 1,
              let letter = words[3].unicodeScalars.first, letter.isASCII, letter.properties.isAlphabetic else { return nil }
        return words[1] == "SMALL" ? Unicode.Scalar(UInt8(letter.value) | 0x20) : letter
    }
}
