/// An ISO 4217 currency with the number of minor digits its code prescribes.
///
/// Only codes with a defined minor unit are known: precious metals and special drawing
/// rights (XAU, XDR, …) have none and cannot carry revenue-share money.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    public let code: String
    public let minorDigits: Int

    public init?(code: String) {
        guard let digits = Currency.iso4217MinorDigits[code] else { return nil }
        self.code = code
        self.minorDigits = digits
    }

    public var description: String { code }

    /// 10^minorDigits: minor units in one currency unit.
    public var minorUnitsPerUnit: Int64 { Powers.ten(minorDigits) }

    /// Current ISO 4217 codes (list one, as published by SIX) with their minor units.
    static let iso4217MinorDigits: [String: Int] = {
        var table: [String: Int] = [:]
        for code in twoDigitCodes.split(separator: " ") { table[String(code)] = 2 }
        for code in zeroDigitCodes.split(separator: " ") { table[String(code)] = 0 }
        for code in threeDigitCodes.split(separator: " ") { table[String(code)] = 3 }
        for code in fourDigitCodes.split(separator: " ") { table[String(code)] = 4 }
        return table
    }()

    public static var allCodes: [String] { iso4217MinorDigits.keys.sorted() }

    private static let zeroDigitCodes =
        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
    private static let threeDigitCodes = "BHD IQD JOD KWD LYD OMR TND"
    private static let fourDigitCodes = "CLF UYW"
    private static let twoDigitCodes = """
        AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP \
        BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR \
        FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR \
        KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV \
        MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR \
        SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH \
        USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG
        """
}

enum Powers {
    /// 10^exponent for 0 ≤ exponent ≤ 18.
    static func ten(_ exponent: Int) -> Int64 {
        precondition((0...18).contains(exponent), "10^\(exponent) does not fit Int64")
        var value: Int64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    static func ten128(_ exponent: Int) -> Int128 {
        precondition((0...38).contains(exponent), "10^\(exponent) does not fit Int128")
        var value: Int128 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}
