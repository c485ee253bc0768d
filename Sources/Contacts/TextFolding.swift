import Foundation

/// Text helpers shared by the readers: trimming and the folding used to compare names.
extension String {
    /// In Unicode canonical composed form (NFC), so that "José" typed on a Mac (decomposed) and on
    /// Windows (composed) are stored with the same bytes and match in the workspace. ASCII text is
    /// returned as is without touching Foundation.
    func composed() -> String {
        mayNeedComposition ? precomposedStringWithCanonicalMapping : self
    }

    /// Whether the text holds characters that NFC changes: combining marks (U+0300–036F,
    /// U+1AB0–1AFF, U+1DC0–1DFF, U+20D0–20FF, U+FE20–FE2F), Hangul jamo, and the letter-like
    /// singletons of U+2100–214F (Ω, K, Å). A cheap byte scan that spares Foundation for the
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

enum TextFolding {
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
