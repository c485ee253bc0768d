import Localization

/// The catalogue of value problems: every machine code with its message in each language.
/// Messages quote the value as the user wrote it, so that a row error can be fixed in the file.
extension ValueProblem {
    /// The message is written only when someone reads it: a review keeps a problem for each of
    /// up to tens of thousands of rows and shows a handful; three finished sentences per row
    /// were about 7 MB of a 200,000-row session with 11,000 bad values.
    private static func make(_ code: String, _ value: String,
                             _ text: @escaping @Sendable (MessageLocale) -> String) -> ValueProblem {
        ValueProblem(code: code, value: value, text: LocalizedText(rendering: text))
    }

    // MARK: Phones

    static func scientificNotation(_ v: String) -> ValueProblem {
        make("scientificNotation", v) { locale in switch locale {
             case .english: "“\(v)” is not a phone number but a number in scientific notation: a spreadsheet converted it and its last digits were lost. In Excel, format the column as Text (or export it again from the original source) and re-enter the numbers."
             case .spanish: "“\(v)” no es un número de teléfono sino un número en notación científica: una hoja de cálculo lo convirtió y se perdieron sus últimos dígitos. En Excel, dé formato de Texto a la columna (o vuelva a exportarla desde el origen) y vuelva a escribir los números."
             case .portuguese: "“\(v)” não é um número de telefone, mas um número em notação científica: uma planilha o converteu e os últimos dígitos foram perdidos. No Excel, formate a coluna como Texto (ou exporte-a novamente da origem) e digite os números de novo." } }
    }

    static func phoneNeedsCountry(_ v: String) -> ValueProblem {
        make("phoneNeedsCountry", v) { locale in switch locale {
             case .english: "“\(v)” has no country code: write it with + and the country code (e.g. +52 55 1234 5678), or set a default country (defaultCountry) for numbers written nationally."
             case .spanish: "“\(v)” no tiene código de país: escríbalo con + y el código de país (p. ej. +52 55 1234 5678), o indique un país predeterminado (defaultCountry) para los números escritos en formato nacional."
             case .portuguese: "“\(v)” não tem código de país: escreva-o com + e o código do país (ex.: +55 11 91234 5678) ou defina um país padrão (defaultCountry) para números escritos no formato nacional." } }
    }

    static func phoneInvalidCharacters(_ v: String) -> ValueProblem {
        make("phoneInvalidCharacters", v) { locale in switch locale {
             case .english: "“\(v)” is not a phone number: it contains letters or symbols other than digits, spaces, + - . ( ) /."
             case .spanish: "“\(v)” no es un número de teléfono: contiene letras o símbolos distintos de dígitos, espacios y + - . ( ) /."
             case .portuguese: "“\(v)” não é um número de telefone: contém letras ou símbolos além de dígitos, espaços e + - . ( ) /." } }
    }

    static func phoneMultiple(_ v: String) -> ValueProblem {
        make("phoneMultiple", v) { locale in switch locale {
             case .english: "“\(v)” seems to hold more than one phone number: keep one number per cell."
             case .spanish: "“\(v)” parece contener más de un número de teléfono: deje un solo número por celda."
             case .portuguese: "“\(v)” parece conter mais de um número de telefone: deixe um só número por célula." } }
    }

    static func phoneNoDigits(_ v: String) -> ValueProblem {
        make("phoneNoDigits", v) { locale in switch locale {
             case .english: "“\(v)” is not a phone number: it has no digits."
             case .spanish: "“\(v)” no es un número de teléfono: no tiene dígitos."
             case .portuguese: "“\(v)” não é um número de telefone: não tem dígitos." } }
    }

    static func phoneUnknownCountryCode(_ v: String) -> ValueProblem {
        make("phoneUnknownCountryCode", v) { locale in switch locale {
             case .english: "“\(v)” does not start with a known country code after the + (or 00)."
             case .spanish: "“\(v)” no empieza por un código de país conocido después del + (o 00)."
             case .portuguese: "“\(v)” não começa com um código de país conhecido depois do + (ou 00)." } }
    }

    /// ": numbers there have 10 digits after the country code" in each language.
    private static func digitCount(_ digits: ClosedRange<Int>?) -> CountryLabel {
        guard let digits else { return CountryLabel(en: "", es: "", pt: "") }
        let count = digits.count == 1 ? "\(digits.lowerBound)" : "\(digits.lowerBound)–\(digits.upperBound)"
        return CountryLabel(en: ": numbers there have \(count) digits after the country code",
                            es: ": allí los números tienen \(count) dígitos después del código de país",
                            pt: ": lá os números têm \(count) dígitos depois do código do país")
    }

    static func phoneTooShort(_ v: String, country: CountryLabel, digits: ClosedRange<Int>?) -> ValueProblem {
        make("phoneTooShort", v) { locale in
            let count = digitCount(digits)
            return switch locale {
                    case .english: "“\(v)” has too few digits for a phone number of \(country.en)\(count.en)."
                    case .spanish: "“\(v)” tiene muy pocos dígitos para un número de teléfono de \(country.es)\(count.es)."
                    case .portuguese: "“\(v)” tem poucos dígitos para um número de telefone de \(country.pt)\(count.pt)." } }
    }

    static func phoneTooLong(_ v: String, country: CountryLabel, digits: ClosedRange<Int>?) -> ValueProblem {
        make("phoneTooLong", v) { locale in
            let count = digitCount(digits)
            return switch locale {
                    case .english: "“\(v)” has too many digits for a phone number of \(country.en)\(count.en)."
                    case .spanish: "“\(v)” tiene demasiados dígitos para un número de teléfono de \(country.es)\(count.es)."
                    case .portuguese: "“\(v)” tem dígitos demais para um número de telefone de \(country.pt)\(count.pt)." } }
    }

    static func phoneInvalidForCountry(_ v: String, country: CountryLabel) -> ValueProblem {
        make("phoneInvalidForCountry", v) { locale in switch locale {
             case .english: "“\(v)” is not a valid phone number of \(country.en): no number there starts like this."
             case .spanish: "“\(v)” no es un número de teléfono válido de \(country.es): ningún número empieza así."
             case .portuguese: "“\(v)” não é um número de telefone válido de \(country.pt): nenhum número começa assim." } }
    }

    static func nulCharacter(_ v: String) -> ValueProblem {
        make("nulCharacter", v) { locale in switch locale {
             case .english: "“\(v)” contains a NUL byte (shown as ␀), an invisible character left by the program that exported the file. Delete it from the cell and import again."
             case .spanish: "“\(v)” contiene un byte NUL (se muestra como ␀), un carácter invisible que dejó el programa que exportó el archivo. Bórrelo de la celda e importe de nuevo."
             case .portuguese: "“\(v)” contém um byte NUL (mostrado como ␀), um caractere invisível deixado pelo programa que exportou o arquivo. Apague-o da célula e importe novamente." } }
    }

    static func phoneFictional(_ v: String, country: CountryLabel) -> ValueProblem {
        make("phoneFictional", v) { locale in switch locale {
             case .english: "“\(v)” is not a real phone number of \(country.en): that range is reserved for examples and fiction or not assigned. Enter the contact's real number."
             case .spanish: "“\(v)” no es un número de teléfono real de \(country.es): ese rango está reservado para ejemplos y ficción o no está asignado. Escriba el número real del contacto."
             case .portuguese: "“\(v)” não é um número de telefone real de \(country.pt): essa faixa é reservada para exemplos e ficção ou não está atribuída. Informe o número real do contato." } }
    }

    static func unknownDefaultCountry(_ v: String, country: String) -> ValueProblem {
        make("unknownDefaultCountry", v) { locale in switch locale {
             case .english: "“\(v)” cannot be read: the default country “\(country)” is not a known country code."
             case .spanish: "No se puede leer “\(v)”: el país predeterminado “\(country)” no es un código de país conocido."
             case .portuguese: "Não é possível ler “\(v)”: o país padrão “\(country)” não é um código de país conhecido." } }
    }

    // MARK: E-mail

    static func emailMissingAt(_ v: String) -> ValueProblem {
        make("emailMissingAt", v) { locale in switch locale {
             case .english: "“\(v)” is not an e-mail address: it has no @."
             case .spanish: "“\(v)” no es una dirección de correo: le falta la @."
             case .portuguese: "“\(v)” não é um endereço de e-mail: falta o @." } }
    }

    static func emailMultiple(_ v: String) -> ValueProblem {
        make("emailMultiple", v) { locale in switch locale {
             case .english: "“\(v)” holds more than one e-mail address: keep one address per cell."
             case .spanish: "“\(v)” contiene más de una dirección de correo: deje una sola dirección por celda."
             case .portuguese: "“\(v)” contém mais de um endereço de e-mail: deixe um só endereço por célula." } }
    }

    static func emailExtraAt(_ v: String) -> ValueProblem {
        make("emailExtraAt", v) { locale in switch locale {
             case .english: "“\(v)” is not a valid e-mail address: it has more than one @ (an address has exactly one)."
             case .spanish: "“\(v)” no es una dirección de correo válida: tiene más de una @ (una dirección lleva exactamente una)."
             case .portuguese: "“\(v)” não é um endereço de e-mail válido: tem mais de um @ (um endereço tem exatamente um)." } }
    }

    static func emailSpaces(_ v: String) -> ValueProblem {
        make("emailSpaces", v) { locale in switch locale {
             case .english: "“\(v)” is not a valid e-mail address: it contains spaces."
             case .spanish: "“\(v)” no es una dirección de correo válida: contiene espacios."
             case .portuguese: "“\(v)” não é um endereço de e-mail válido: contém espaços." } }
    }

    static func emailNoTld(_ v: String) -> ValueProblem {
        make("emailNoTld", v) { locale in switch locale {
             case .english: "“\(v)” is not a valid e-mail address: the domain has no ending such as .com or .mx."
             case .spanish: "“\(v)” no es una dirección de correo válida: al dominio le falta la terminación, como .com o .mx."
             case .portuguese: "“\(v)” não é um endereço de e-mail válido: falta a terminação do domínio, como .com ou .br." } }
    }

    static func emailDoubleDot(_ v: String) -> ValueProblem {
        make("emailDoubleDot", v) { locale in switch locale {
             case .english: "“\(v)” is not a valid e-mail address: it has two dots in a row."
             case .spanish: "“\(v)” no es una dirección de correo válida: tiene dos puntos seguidos."
             case .portuguese: "“\(v)” não é um endereço de e-mail válido: tem dois pontos seguidos." } }
    }

    static func emailLocalPartDot(_ v: String) -> ValueProblem {
        make("emailLocalPartDot", v) { locale in switch locale {
             case .english: "“\(v)” is not a valid e-mail address: the part before the @ cannot start or end with a dot."
             case .spanish: "“\(v)” no es una dirección de correo válida: la parte anterior a la @ no puede empezar ni terminar en punto."
             case .portuguese: "“\(v)” não é um endereço de e-mail válido: a parte antes do @ não pode começar nem terminar com ponto." } }
    }

    static func emailInvalidLocalPart(_ v: String) -> ValueProblem {
        make("emailInvalidLocalPart", v) { locale in switch locale {
             case .english: "“\(v)” is not a valid e-mail address: the part before the @ is empty, too long or has characters not allowed there."
             case .spanish: "“\(v)” no es una dirección de correo válida: la parte anterior a la @ está vacía, es demasiado larga o tiene caracteres no permitidos."
             case .portuguese: "“\(v)” não é um endereço de e-mail válido: a parte antes do @ está vazia, é longa demais ou tem caracteres não permitidos." } }
    }

    static func emailSpecialUseDomain(_ v: String) -> ValueProblem {
        make("emailSpecialUseDomain", v) { locale in switch locale {
             case .english: "“\(v)” cannot receive e-mail: its domain ends in a name reserved for tests and local networks (.local, .localhost, .test, .invalid, .example). Enter the contact's real address."
             case .spanish: "“\(v)” no puede recibir correo: su dominio termina en un nombre reservado para pruebas y redes locales (.local, .localhost, .test, .invalid, .example). Escriba la dirección real del contacto."
             case .portuguese: "“\(v)” não pode receber e-mail: seu domínio termina em um nome reservado para testes e redes locais (.local, .localhost, .test, .invalid, .example). Informe o endereço real do contato." } }
    }

    static func emailTooLong(_ v: String) -> ValueProblem {
        make("emailTooLong", v) { locale in switch locale {
             case .english: "“\(v)” is not a valid e-mail address: it is longer than 254 characters, the most an address can have."
             case .spanish: "“\(v)” no es una dirección de correo válida: tiene más de 254 caracteres, el máximo que admite una dirección."
             case .portuguese: "“\(v)” não é um endereço de e-mail válido: tem mais de 254 caracteres, o máximo que um endereço admite." } }
    }

    static func emailInvalidDomain(_ v: String) -> ValueProblem {
        make("emailInvalidDomain", v) { locale in switch locale {
             case .english: "“\(v)” is not a valid e-mail address: the domain after the @ is not valid."
             case .spanish: "“\(v)” no es una dirección de correo válida: el dominio después de la @ no es válido."
             case .portuguese: "“\(v)” não é um endereço de e-mail válido: o domínio depois do @ não é válido." } }
    }

    // MARK: Other types

    static func unknownLanguage(_ v: String) -> ValueProblem {
        make("unknownLanguage", v) { locale in switch locale {
             case .english: "“\(v)” is not a known language: use a two-letter ISO 639-1 code (es, en, pt) or a name such as Spanish or Español."
             case .spanish: "“\(v)” no es un idioma conocido: use un código ISO 639-1 de dos letras (es, en, pt) o un nombre como Español o Spanish."
             case .portuguese: "“\(v)” não é um idioma conhecido: use um código ISO 639-1 de duas letras (es, en, pt) ou um nome como Português ou Spanish." } }
    }

    static func unknownCountry(_ v: String) -> ValueProblem {
        make("unknownCountry", v) { locale in switch locale {
             case .english: "“\(v)” is not a known country: use a two-letter ISO 3166-1 code (MX, ES, BR) or a name such as Mexico or México."
             case .spanish: "“\(v)” no es un país conocido: use un código ISO 3166-1 de dos letras (MX, ES, BR) o un nombre como México o Mexico."
             case .portuguese: "“\(v)” não é um país conhecido: use um código ISO 3166-1 de duas letras (MX, ES, BR) ou um nome como Brasil ou Brazil." } }
    }

    static func invalidInteger(_ v: String) -> ValueProblem {
        make("invalidInteger", v) { locale in switch locale {
             case .english: "“\(v)” is not a whole positive number."
             case .spanish: "“\(v)” no es un número entero positivo."
             case .portuguese: "“\(v)” não é um número inteiro positivo." } }
    }

    static func invalidNumber(_ v: String) -> ValueProblem {
        make("invalidNumber", v) { locale in switch locale {
             case .english: "“\(v)” is not a number: write digits with an optional sign and decimal separator, such as 1234.5 or 1.234,5."
             case .spanish: "“\(v)” no es un número: escriba dígitos con signo y separador decimal opcionales, como 1234,5 o 1.234,5."
             case .portuguese: "“\(v)” não é um número: escreva dígitos com sinal e separador decimal opcionais, como 1234,5 ou 1.234,5." } }
    }

    static func ambiguousNumber(_ v: String) -> ValueProblem {
        make("ambiguousNumber", v) { locale in switch locale {
             case .english: "“\(v)” is ambiguous: the separator may be a decimal point or a thousands separator. Write it without thousands separators (1234 or 1,234 → 1.234) or with both separators (1.234,0)."
             case .spanish: "“\(v)” es ambiguo: el separador puede ser decimal o de miles. Escríbalo sin separador de miles (1234) o con ambos separadores (1.234,0)."
             case .portuguese: "“\(v)” é ambíguo: o separador pode ser decimal ou de milhar. Escreva-o sem separador de milhar (1234) ou com os dois separadores (1.234,0)." } }
    }

    static func invalidDate(_ v: String) -> ValueProblem {
        make("invalidDate", v) { locale in switch locale {
             case .english: "“\(v)” is not a date: use year-month-day (1990-12-31) or day/month/year (31/12/1990)."
             case .spanish: "“\(v)” no es una fecha: use año-mes-día (1990-12-31) o día/mes/año (31/12/1990)."
             case .portuguese: "“\(v)” não é uma data: use ano-mês-dia (1990-12-31) ou dia/mês/ano (31/12/1990)." } }
    }

    static func invalidCheckbox(_ v: String) -> ValueProblem {
        make("invalidCheckbox", v) { locale in switch locale {
             case .english: "“\(v)” is not a yes/no value: use true/false, yes/no, sí/no, sim/não, 1/0 or x."
             case .spanish: "“\(v)” no es un valor sí/no: use true/false, sí/no, yes/no, sim/não, 1/0 o x."
             case .portuguese: "“\(v)” não é um valor sim/não: use true/false, sim/não, sí/no, yes/no, 1/0 ou x." } }
    }

    static func invalidURL(_ v: String) -> ValueProblem {
        make("invalidURL", v) { locale in switch locale {
             case .english: "“\(v)” is not a web address: use http:// or https:// followed by a domain such as example.com."
             case .spanish: "“\(v)” no es una dirección web: use http:// o https:// seguido de un dominio como ejemplo.com."
             case .portuguese: "“\(v)” não é um endereço web: use http:// ou https:// seguido de um domínio como exemplo.com.br." } }
    }

    static func notAnOption(_ v: String, options: [String]) -> ValueProblem {
        let shown = options.prefix(10).joined(separator: ", ") + (options.count > 10 ? "…" : "")
        if options.isEmpty {
            return make("notAnOption", v) { locale in switch locale {
                        case .english: "“\(v)” cannot be stored: this list field has no options."
                        case .spanish: "No se puede guardar “\(v)”: este campo de lista no tiene opciones."
                        case .portuguese: "Não é possível guardar “\(v)”: este campo de lista não tem opções." } }
        }
        return make("notAnOption", v) { locale in switch locale {
                    case .english: "“\(v)” is not one of the options of this list: \(shown)."
                    case .spanish: "“\(v)” no es una de las opciones de esta lista: \(shown)."
                    case .portuguese: "“\(v)” não é uma das opções desta lista: \(shown)." } }
    }
}
