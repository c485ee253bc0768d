/// How the numbers of one calling code are written and how long they are.
///
/// The table below covers every calling code in use in the ITU-T E.164 list. For the countries our
/// users live in (the Americas, Spain, Portugal) and a few more we import often (the UK, Germany,
/// France, Italy, India, Malaysia, the Philippines) the national rules are detailed; for the others
/// the trunk prefix and the national significant number (NSN) lengths are enough to read a number
/// written nationally and to catch one that is too short or too long.
///
/// Facts (trunk prefixes, lengths, historical prefixes) come from the ITU-T operational bulletins
/// and national numbering plans, as summarised by public references such as libphonenumber's
/// metadata; lengths are deliberately a little generous where a plan has exceptions.
struct NumberingPlan: Sendable {
    /// ISO 3166-1 alpha-2 codes sharing the calling code; the first names the plan in messages.
    /// Empty for non-geographic codes (800, 870, 881...).
    let regions: [String]
    let callingCode: Int
    /// What is dialled before a national number and is not part of it ("0" in most of the world,
    /// "1" in the NANP, "8" in Russia). `#` stands for any digit (Brazil's carrier selection code).
    let trunkPrefixes: [String]
    /// Possible lengths of the national significant number (without calling code or trunk prefix).
    let nsnLengths: ClosedRange<Int>
    /// International call prefixes besides the nearly universal "00", read as `+` only when this
    /// country is the default one ("011" dialled from the NANP).
    let internationalPrefixes: [String]
    /// When not empty, a national significant number must start with one of these.
    let validStarts: [String]
    /// Historical or national-only forms rewritten to the current international one.
    let rewrites: [NumberRewrite]
    /// When not empty, the plan in detail: a national significant number is valid only when it
    /// starts like one of these ranges and has one of that range's lengths (mobiles, landlines,
    /// toll-free and shared-cost numbers each have their own). Replaces `validStarts`.
    let ranges: [NumberRange]
    /// Numbers that fit the plan but are reserved for fiction and examples or never assigned
    /// (the US 555-01xx block): rejected as `phoneFictional`. Patterns over the whole NSN.
    let fictional: [String]
    let notes: String

    init(_ regions: String, _ callingCode: Int, trunk: [String] = [], nsn: ClosedRange<Int>,
         idd: [String] = [], starts: [String] = [], ranges: [NumberRange] = [], fictional: [String] = [],
         rewrites: [NumberRewrite] = [], notes: String = "") {
        self.regions = regions.split(separator: " ").map(String.init)
        self.callingCode = callingCode
        self.trunkPrefixes = trunk
        self.nsnLengths = nsn
        self.internationalPrefixes = idd
        self.validStarts = starts
        self.ranges = ranges
        self.fictional = fictional
        self.rewrites = rewrites
        self.notes = notes
    }
}

/// A block of a national numbering plan: how its numbers start and how long they are.
/// In `prefix`, `#` is any digit, `N` is 2–9 and `n` is 1–9.
struct NumberRange: Sendable {
    let prefix: String
    let lengths: ClosedRange<Int>
    init(_ prefix: String, _ lengths: ClosedRange<Int>) {
        self.prefix = prefix
        self.lengths = lengths
    }
}

/// Ranges sharing one length list, written compactly: `r(["2", "3"], 8...8)`.
private func r(_ prefixes: [String], _ lengths: ClosedRange<Int>) -> [NumberRange] {
    prefixes.map { NumberRange($0, lengths) }
}

/// A national habit that changes the digits of a number, applied after the trunk prefix is gone.
enum NumberRewrite: Sendable {
    /// Drop `prefix` from a number of `length` digits (Mexico's mobile "1" after +52, retired 2019).
    case dropPrefix(String, whenLength: Int)
    /// Put `prefix` before a number of `length` digits whose first digit is one of `firstDigits`
    /// (Colombia's 8-digit landlines "1 234 5678" became "601 234 5678" in 2021).
    case addPrefix(String, whenLength: Int, firstDigits: String)
    /// Insert `digits` at `offset` in a number of `length` digits whose digit there is one of
    /// `nextDigits` (Brazil's ninth mobile digit, added 2012–2016).
    case insert(String, at: Int, whenLength: Int, nextDigits: String)
    /// Remove a mobile `token` written after an area code matching one of `areas` (`#` is any digit)
    /// in a number of `length` digits, and put `prefix` in front (Argentina: area + "15" + number
    /// is dialled internationally as "9" + area + number).
    case removeMobileToken(String, areas: [String], whenLength: Int, prefix: String)
}

private let argentineAreas = ["11", "2##", "3##", "2###", "3###"]

/// Every calling code of the E.164 list (geographic and non-geographic) with its national rules.
let numberingPlans: [NumberingPlan] = [
    // MARK: North American Numbering Plan (+1): one plan, many countries.
    NumberingPlan("US CA AG AI AS BB BM BS DM DO GD GU JM KN KY LC MP MS PR SX TC TT VC VG VI UM", 1,
                  trunk: ["1"], nsn: 10...10, idd: ["011"],
                  ranges: r(["N0#N", "N10N", "N1NN", "N2#N", "N3#N", "N4#N", "N5#N", "N6#N", "N7#N", "N8#N", "N9#N"], 10...10),
                  fictional: ["###55501##", "555"],
                  notes: "Area code and exchange never start with 0 or 1, and N11 (211, 311... 911) are service codes, not area codes; national form 1 + 10 digits. Toll-free 800/833/844/855/866/877/888 are ordinary area codes here. 555-0100 to 555-0199 are reserved for fiction and area code 555 is not assigned (555 555 5555)."),

    // MARK: Latin America
    NumberingPlan("MX", 52, trunk: ["044", "045", "01", "02", "1"], nsn: 10...10,
                  starts: ["2", "3", "4", "5", "6", "7", "8", "9"],
                  rewrites: [.dropPrefix("1", whenLength: 11)],
                  notes: "Since 2019 all numbers are 10 digits. Old prefixes 044/045 (mobiles), 01 (long distance) and the mobile 1 after +52 are dropped."),
    NumberingPlan("AR", 54, trunk: ["0"], nsn: 10...11, starts: ["11", "2", "3", "6", "8", "9"],
                  rewrites: [
                    .removeMobileToken("15", areas: argentineAreas.map { "9" + $0 }, whenLength: 13, prefix: ""),
                    .removeMobileToken("15", areas: argentineAreas, whenLength: 12, prefix: "9"),
                  ],
                  notes: "Area code + number is 10 digits. Mobiles are written 0 + area + 15 + number nationally and +54 9 + area + number internationally. +54 + 10 digits is kept as given (a landline or a mobile written without its 9: we cannot tell)."),
    NumberingPlan("BR", 55, trunk: ["0##", "0"], nsn: 10...11,
                  idd: ["0012", "0014", "0015", "0021", "0023", "0025", "0031", "0041", "0043"],
                  ranges: r(["nn2", "nn3", "nn4", "nn5"], 10...10) + r(["nn9"], 11...11)
                    + r(["800", "300", "303", "500", "900"], 9...10) + r(["300", "400"], 8...8),
                  rewrites: [.insert("9", at: 2, whenLength: 10, nextDigits: "6789")],
                  notes: "Area (2 digits) + 8 (landline) or 9 (mobile) digits. National long distance: 0 + 2-digit carrier + area. Old 8-digit mobiles (6-9...) get their ninth digit. Area codes are two digits 1-9 each; landlines start 2-5, mobiles 9. Toll-free 0800, shared cost 0300/0303, 0500, premium 0900 (+55 800...: 9-10 digits) and the 8-digit nationwide 3003/4004 numbers."),
    NumberingPlan("CL", 56, trunk: ["0"], nsn: 9...9, starts: ["2", "3", "4", "5", "6", "7", "9", "80"],
                  notes: "9 digits since 2016: mobiles 9..., landlines area (2 Santiago, 32-75) + number, 600 shared cost, 800 toll-free."),
    NumberingPlan("CO", 57, trunk: ["03", "05", "07", "09", "0"], nsn: 10...10, idd: ["005", "007", "009"],
                  ranges: r(["3", "60"], 10...10) + r(["1800", "1900"], 11...11),
                  rewrites: [.addPrefix("60", whenLength: 8, firstDigits: "124567")],
                  notes: "10 digits since 2021: mobiles 3..., landlines 60 + area. Old 8-digit landlines (area + 7) get 60; the old 03/05/07/09 long-distance prefixes are dropped. Toll-free 01 8000 and premium 01 900 numbers are 1800/1900 + 7 digits (11). A call abroad is 00 + carrier (005, 007, 009) + country code."),
    NumberingPlan("PE", 51, trunk: ["0"], nsn: 8...9, starts: ["1", "4", "5", "6", "7", "8", "9"], notes: "Mobiles 9 + 8 digits; landlines area (1 for Lima) + 6-7 digits, nationally with 0."),
    NumberingPlan("VE", 58, trunk: ["0"], nsn: 10...10, starts: ["2", "4", "5", "8", "9"], notes: "0 + 3-digit area or mobile code (412, 414...) + 7 digits."),
    NumberingPlan("EC", 593, trunk: ["0"], nsn: 8...9,
                  ranges: r(["2", "3", "4", "5", "6", "7"], 8...8) + r(["9"], 9...9) + r(["1800"], 10...10), notes: "Mobiles 9 + 8 digits, landlines area + 7 digits; nationally with 0; toll-free 1800 + 6 digits."),
    NumberingPlan("BO", 591, trunk: ["01#", "0"], nsn: 8...8, ranges: r(["2", "3", "4", "6", "7"], 8...8) + r(["800"], 9...9),
                  notes: "8 digits: landlines 2-4 (area + 7), mobiles 6-7; toll-free 800 + 6 digits. National long distance may carry a carrier code 0 + 1x."),
    NumberingPlan("PY", 595, trunk: ["0"], nsn: 6...9, notes: "Mobiles 9xx + 6 digits; landlines area + 5-7 digits; nationally with 0."),
    NumberingPlan("UY", 598, trunk: ["0"], nsn: 7...8, ranges: r(["2", "4", "9"], 8...8) + r(["800", "804", "805", "90"], 7...7),
                  notes: "8 digits: landlines 2 (Montevideo) and 4, mobiles 9 (written 09x nationally); 0800/0804/0805 toll-free and 090x premium numbers have 7."),
    NumberingPlan("GT", 502, nsn: 8...8, starts: ["2", "3", "4", "5", "6", "7"]),
    NumberingPlan("SV", 503, nsn: 7...8, ranges: r(["2", "6", "7"], 8...8) + r(["800"], 7...7)),
    NumberingPlan("HN", 504, nsn: 8...8, starts: ["2", "3", "7", "8", "9"]),
    NumberingPlan("NI", 505, nsn: 8...8, starts: ["2", "5", "7", "8"]),
    NumberingPlan("CR", 506, nsn: 8...10, ranges: r(["2", "4", "5", "6", "7", "8"], 8...8) + r(["800", "900"], 10...10),
                  notes: "8 digits; 800/900 service numbers 10."),
    NumberingPlan("PA", 507, nsn: 7...8, ranges: r(["6"], 8...8) + r(["1", "2", "3", "4", "5", "7", "8", "9"], 7...7),
                  notes: "Mobiles 8 digits (6...), landlines and 800 toll-free 7."),
    NumberingPlan("CU", 53, trunk: ["0"], nsn: 6...8),
    NumberingPlan("HT", 509, nsn: 8...8),
    NumberingPlan("BZ", 501, nsn: 7...7), NumberingPlan("GY", 592, nsn: 7...7),
    NumberingPlan("SR", 597, nsn: 6...7), NumberingPlan("GF", 594, trunk: ["0"], nsn: 9...9),
    NumberingPlan("FK", 500, nsn: 5...5), NumberingPlan("PM", 508, trunk: ["0"], nsn: 6...6),
    NumberingPlan("GP BL MF", 590, trunk: ["0"], nsn: 9...9), NumberingPlan("MQ", 596, trunk: ["0"], nsn: 9...9),
    NumberingPlan("CW BQ", 599, nsn: 7...8), NumberingPlan("AW", 297, nsn: 7...7),

    // MARK: Europe
    NumberingPlan("ES", 34, nsn: 9...9, starts: ["6", "7", "8", "9"], fictional: ["999"],
                  notes: "No trunk prefix: 9 digits, mobiles 6/7, landlines 8/9, toll-free 800/900. 999 is not assigned (a placeholder)."),
    NumberingPlan("PT", 351, nsn: 9...9, starts: ["2", "3", "6", "7", "8", "9"], notes: "No trunk prefix: 9 digits, mobiles 9, landlines 2."),
    NumberingPlan("GB GG IM JE", 44, trunk: ["0"], nsn: 7...10, starts: ["1", "2", "3", "5", "7", "8", "9"], notes: "0 + 9-10 digits; \"+44 (0)\" is read too."),
    NumberingPlan("DE", 49, trunk: ["0"], nsn: 5...13, notes: "Variable length: area codes 2-5 digits, mobiles 15x/16x/17x."),
    NumberingPlan("FR", 33, trunk: ["0"], nsn: 9...9, notes: "0 + 9 digits."),
    NumberingPlan("IT VA", 39, nsn: 6...11, starts: ["0", "3", "8"], notes: "No trunk prefix: the leading 0 of landlines is part of the number (+39 06...). Vatican City uses +39 06 698 (code 379 is reserved, unused). Landlines 0..., mobiles 3..., toll-free and premium 8..."),
    NumberingPlan("GR", 30, nsn: 10...10, starts: ["2", "6", "8", "9"]), NumberingPlan("NL", 31, trunk: ["0"], nsn: 9...9),
    NumberingPlan("BE", 32, trunk: ["0"], nsn: 8...9), NumberingPlan("HU", 36, trunk: ["06"], nsn: 8...9),
    NumberingPlan("RO", 40, trunk: ["0"], nsn: 9...9), NumberingPlan("CH", 41, trunk: ["0"], nsn: 9...9),
    NumberingPlan("AT", 43, trunk: ["0"], nsn: 4...13), NumberingPlan("DK", 45, nsn: 8...8, starts: ["2", "3", "4", "5", "6", "7", "8", "9"]),
    NumberingPlan("SE", 46, trunk: ["0"], nsn: 6...10), NumberingPlan("NO SJ", 47, nsn: 5...8),
    NumberingPlan("PL", 48, nsn: 9...9, starts: ["1", "2", "3", "4", "5", "6", "7", "8", "9"]), NumberingPlan("GI", 350, nsn: 8...8),
    NumberingPlan("LU", 352, nsn: 4...11), NumberingPlan("IE", 353, trunk: ["0"], nsn: 7...10),
    NumberingPlan("IS", 354, nsn: 7...9), NumberingPlan("AL", 355, trunk: ["0"], nsn: 6...9),
    NumberingPlan("MT", 356, nsn: 8...8), NumberingPlan("CY", 357, nsn: 8...8),
    NumberingPlan("FI AX", 358, trunk: ["0"], nsn: 5...12), NumberingPlan("BG", 359, trunk: ["0"], nsn: 6...9),
    NumberingPlan("LT", 370, trunk: ["8", "0"], nsn: 8...8), NumberingPlan("LV", 371, nsn: 8...8),
    NumberingPlan("EE", 372, nsn: 7...8), NumberingPlan("MD", 373, trunk: ["0"], nsn: 8...8),
    NumberingPlan("AM", 374, trunk: ["0"], nsn: 8...8), NumberingPlan("BY", 375, trunk: ["80", "8"], nsn: 9...10),
    NumberingPlan("AD", 376, nsn: 6...9), NumberingPlan("MC", 377, trunk: ["0"], nsn: 8...9),
    NumberingPlan("SM", 378, nsn: 6...10), NumberingPlan("UA", 380, trunk: ["0"], nsn: 9...9),
    NumberingPlan("RS", 381, trunk: ["0"], nsn: 6...12), NumberingPlan("ME", 382, trunk: ["0"], nsn: 8...8),
    NumberingPlan("XK", 383, trunk: ["0"], nsn: 8...9), NumberingPlan("HR", 385, trunk: ["0"], nsn: 8...9),
    NumberingPlan("SI", 386, trunk: ["0"], nsn: 8...8), NumberingPlan("BA", 387, trunk: ["0"], nsn: 8...9),
    NumberingPlan("MK", 389, trunk: ["0"], nsn: 8...8), NumberingPlan("CZ", 420, nsn: 9...9, starts: ["2", "3", "4", "5", "6", "7", "8", "9"]),
    NumberingPlan("SK", 421, trunk: ["0"], nsn: 9...9), NumberingPlan("LI", 423, nsn: 7...9),
    NumberingPlan("FO", 298, nsn: 6...6), NumberingPlan("GL", 299, nsn: 6...6),
    NumberingPlan("RU KZ", 7, trunk: ["8"], nsn: 10...10, idd: ["810"], notes: "National form 8 + 10 digits."),

    // MARK: Asia and Oceania
    NumberingPlan("IN", 91, trunk: ["0"], nsn: 10...10, notes: "10 digits; nationally 0 + area + number or 0 + mobile."),
    NumberingPlan("MY", 60, trunk: ["0"], nsn: 8...10, notes: "Mobiles 01x + 7-8 digits, landlines 0 + area + 6-8 digits."),
    NumberingPlan("PH", 63, trunk: ["0"], nsn: 8...10, notes: "Mobiles 09xx + 7 digits (NSN 10), Manila 02 + 8 digits."),
    NumberingPlan("AU CX CC", 61, trunk: ["0"], nsn: 9...9, idd: ["0011"],
                  ranges: r(["2", "3", "4", "7", "8"], 9...9) + r(["1800", "1300"], 10...10) + r(["13"], 6...6),
                  notes: "Landlines 2/3/7/8 + 8 digits, mobiles 4; 1800 toll-free and 1300 shared cost have 10 digits, 13 numbers 6."),
    NumberingPlan("ID", 62, trunk: ["0"], nsn: 8...12, idd: ["001", "007", "008"]), NumberingPlan("NZ", 64, trunk: ["0"], nsn: 8...10),
    NumberingPlan("SG", 65, nsn: 8...8, idd: ["001", "008"], starts: ["3", "6", "8", "9"]), NumberingPlan("TH", 66, trunk: ["0"], nsn: 8...9, idd: ["001"]),
    NumberingPlan("JP", 81, trunk: ["0"], nsn: 9...10, idd: ["010"]),
    NumberingPlan("KR", 82, trunk: ["0"], nsn: 8...10, idd: ["001", "002"]),
    NumberingPlan("VN", 84, trunk: ["0"], nsn: 9...10), NumberingPlan("CN", 86, trunk: ["0"], nsn: 10...11),
    NumberingPlan("TR", 90, trunk: ["0"], nsn: 10...10), NumberingPlan("PK", 92, trunk: ["0"], nsn: 9...10),
    NumberingPlan("AF", 93, trunk: ["0"], nsn: 9...9), NumberingPlan("LK", 94, trunk: ["0"], nsn: 9...9),
    NumberingPlan("MM", 95, trunk: ["0"], nsn: 7...10), NumberingPlan("IR", 98, trunk: ["0"], nsn: 10...10),
    NumberingPlan("TL", 670, nsn: 7...8), NumberingPlan("NF AQ", 672, nsn: 5...6),
    NumberingPlan("BN", 673, nsn: 7...7), NumberingPlan("NR", 674, nsn: 7...7),
    NumberingPlan("PG", 675, nsn: 7...8), NumberingPlan("TO", 676, nsn: 5...7),
    NumberingPlan("SB", 677, nsn: 5...7), NumberingPlan("VU", 678, nsn: 5...7),
    NumberingPlan("FJ", 679, nsn: 7...7), NumberingPlan("PW", 680, nsn: 7...7),
    NumberingPlan("WF", 681, nsn: 6...6), NumberingPlan("CK", 682, nsn: 5...5),
    NumberingPlan("NU", 683, nsn: 4...7), NumberingPlan("WS", 685, nsn: 5...7),
    NumberingPlan("KI", 686, nsn: 5...8), NumberingPlan("NC", 687, nsn: 6...6),
    NumberingPlan("TV", 688, nsn: 5...6), NumberingPlan("PF", 689, nsn: 6...8),
    NumberingPlan("TK", 690, nsn: 4...7), NumberingPlan("FM", 691, nsn: 7...7),
    NumberingPlan("MH", 692, nsn: 7...7),
    NumberingPlan("KP", 850, trunk: ["0"], nsn: 8...10), NumberingPlan("HK", 852, nsn: 8...8, idd: ["001"], starts: ["2", "3", "4", "5", "6", "7", "8", "9"]),
    NumberingPlan("MO", 853, nsn: 8...8), NumberingPlan("KH", 855, trunk: ["0"], nsn: 8...9),
    NumberingPlan("LA", 856, trunk: ["0"], nsn: 8...10), NumberingPlan("BD", 880, trunk: ["0"], nsn: 6...10),
    NumberingPlan("TW", 886, trunk: ["0"], nsn: 8...9), NumberingPlan("MV", 960, nsn: 7...7),
    NumberingPlan("LB", 961, trunk: ["0"], nsn: 7...8), NumberingPlan("JO", 962, trunk: ["0"], nsn: 8...9),
    NumberingPlan("SY", 963, trunk: ["0"], nsn: 8...9), NumberingPlan("IQ", 964, trunk: ["0"], nsn: 8...10),
    NumberingPlan("KW", 965, nsn: 8...8), NumberingPlan("SA", 966, trunk: ["0"], nsn: 9...9),
    NumberingPlan("YE", 967, trunk: ["0"], nsn: 7...9), NumberingPlan("OM", 968, nsn: 8...8),
    NumberingPlan("PS", 970, trunk: ["0"], nsn: 8...9), NumberingPlan("AE", 971, trunk: ["0"], nsn: 8...9),
    NumberingPlan("IL", 972, trunk: ["0"], nsn: 8...9), NumberingPlan("BH", 973, nsn: 8...8),
    NumberingPlan("QA", 974, nsn: 7...8), NumberingPlan("BT", 975, nsn: 7...8),
    NumberingPlan("MN", 976, trunk: ["0"], nsn: 8...8), NumberingPlan("NP", 977, trunk: ["0"], nsn: 8...10),
    NumberingPlan("TJ", 992, trunk: ["8"], nsn: 9...9), NumberingPlan("TM", 993, trunk: ["8"], nsn: 8...8),
    NumberingPlan("AZ", 994, trunk: ["0"], nsn: 9...9), NumberingPlan("GE", 995, trunk: ["0"], nsn: 9...9),
    NumberingPlan("KG", 996, trunk: ["0"], nsn: 9...9), NumberingPlan("UZ", 998, trunk: ["8"], nsn: 9...9),

    // MARK: Africa
    NumberingPlan("EG", 20, trunk: ["0"], nsn: 8...10), NumberingPlan("ZA", 27, trunk: ["0"], nsn: 9...9),
    NumberingPlan("SS", 211, trunk: ["0"], nsn: 9...9), NumberingPlan("MA EH", 212, trunk: ["0"], nsn: 9...9),
    NumberingPlan("DZ", 213, trunk: ["0"], nsn: 8...9), NumberingPlan("TN", 216, nsn: 8...8),
    NumberingPlan("LY", 218, trunk: ["0"], nsn: 9...9), NumberingPlan("GM", 220, nsn: 7...7),
    NumberingPlan("SN", 221, nsn: 9...9), NumberingPlan("MR", 222, nsn: 8...8),
    NumberingPlan("ML", 223, nsn: 8...8), NumberingPlan("GN", 224, nsn: 8...9),
    NumberingPlan("CI", 225, nsn: 8...10), NumberingPlan("BF", 226, nsn: 8...8),
    NumberingPlan("NE", 227, nsn: 8...8), NumberingPlan("TG", 228, nsn: 8...8),
    NumberingPlan("BJ", 229, nsn: 8...10), NumberingPlan("MU", 230, nsn: 7...8),
    NumberingPlan("LR", 231, trunk: ["0"], nsn: 7...9), NumberingPlan("SL", 232, trunk: ["0"], nsn: 8...8),
    NumberingPlan("GH", 233, trunk: ["0"], nsn: 9...9), NumberingPlan("NG", 234, trunk: ["0"], nsn: 8...10),
    NumberingPlan("TD", 235, nsn: 8...8), NumberingPlan("CF", 236, nsn: 8...8),
    NumberingPlan("CM", 237, nsn: 8...9), NumberingPlan("CV", 238, nsn: 7...7),
    NumberingPlan("ST", 239, nsn: 7...7), NumberingPlan("GQ", 240, nsn: 9...9),
    NumberingPlan("GA", 241, trunk: ["0"], nsn: 7...8), NumberingPlan("CG", 242, nsn: 9...9),
    NumberingPlan("CD", 243, trunk: ["0"], nsn: 7...9), NumberingPlan("AO", 244, nsn: 9...9),
    NumberingPlan("GW", 245, nsn: 7...9), NumberingPlan("IO", 246, nsn: 7...7),
    NumberingPlan("AC", 247, nsn: 4...6), NumberingPlan("SC", 248, nsn: 7...7),
    NumberingPlan("SD", 249, trunk: ["0"], nsn: 9...9), NumberingPlan("RW", 250, trunk: ["0"], nsn: 9...9),
    NumberingPlan("ET", 251, trunk: ["0"], nsn: 9...9), NumberingPlan("SO", 252, trunk: ["0"], nsn: 7...9),
    NumberingPlan("DJ", 253, nsn: 8...8), NumberingPlan("KE", 254, trunk: ["0"], nsn: 7...10),
    NumberingPlan("TZ", 255, trunk: ["0"], nsn: 9...9), NumberingPlan("UG", 256, trunk: ["0"], nsn: 9...9),
    NumberingPlan("BI", 257, nsn: 8...8), NumberingPlan("MZ", 258, nsn: 8...9),
    NumberingPlan("ZM", 260, trunk: ["0"], nsn: 9...9), NumberingPlan("MG", 261, trunk: ["0"], nsn: 9...9),
    NumberingPlan("RE YT TF", 262, trunk: ["0"], nsn: 9...9), NumberingPlan("ZW", 263, trunk: ["0"], nsn: 5...10),
    NumberingPlan("NA", 264, trunk: ["0"], nsn: 8...10), NumberingPlan("MW", 265, trunk: ["0"], nsn: 7...9),
    NumberingPlan("LS", 266, nsn: 8...8), NumberingPlan("BW", 267, nsn: 7...8),
    NumberingPlan("SZ", 268, nsn: 8...8), NumberingPlan("KM", 269, nsn: 7...7),
    NumberingPlan("SH TA", 290, nsn: 4...5), NumberingPlan("ER", 291, trunk: ["0"], nsn: 7...7),

    // MARK: Non-geographic codes (no country; read, never a default)
    NumberingPlan("", 800, nsn: 8...8, notes: "International Freephone"),
    NumberingPlan("", 808, nsn: 8...8, notes: "International Shared Cost"),
    NumberingPlan("", 870, nsn: 9...9, notes: "Inmarsat"),
    NumberingPlan("", 878, nsn: 10...12, notes: "Universal Personal Telecommunications"),
    NumberingPlan("", 881, nsn: 9...10, notes: "Global Mobile Satellite System"),
    NumberingPlan("", 882, nsn: 7...12, notes: "International Networks"),
    NumberingPlan("", 883, nsn: 7...12, notes: "International Networks"),
    NumberingPlan("", 888, nsn: 11...11, notes: "Telecommunications for Disaster Relief (OCHA)"),
    NumberingPlan("", 979, nsn: 9...9, notes: "International Premium Rate Service"),
]
