import Testing

@testable import RevShareImport

/// The cases of the public csv-spectrum suite, as our own table: the input bytes and every field
/// expected, byte for byte. Field values are written with explicit `\u{0D}`/`\u{0A}` escapes (or
/// as bytes) because Swift's `String` would treat CR LF as one `Character`; `Row` compares
/// `Array(utf8)`, so nothing is normalized on the way.
struct CSVSpectrumTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let input: [UInt8]
        let expected: Parsed
        var testDescription: String { name }

        init(_ name: String, _ input: String, _ expected: Parsed) {
            self.init(name, Array(input.utf8), expected)
        }

        init(_ name: String, _ input: [UInt8], _ expected: Parsed) {
            self.name = name
            self.input = input
            self.expected = expected
        }
    }

    static let cases: [Case] = [
        Case("comma_in_quotes",
             "first,last,address,city,zip\u{0A}John,Doe,120 any st.,\"Anytown, WW\",08123\u{0A}",
             Parsed(rows: [
                 Row(1, ["first", "last", "address", "city", "zip"]),
                 Row(2, ["John", "Doe", "120 any st.", "Anytown\u{2C} WW", "08123"]),
             ])),
        Case("empty",
             "a,b,c\u{0A}1,\"\",\"\"\u{0A}2,3,4\u{0A}",
             Parsed(rows: [Row(1, ["a", "b", "c"]), Row(2, ["1", "", ""]), Row(3, ["2", "3", "4"])])),
        Case("empty_crlf",
             "a,b,c\u{0D}\u{0A}1,\"\",\"\"\u{0D}\u{0A}2,3,4\u{0D}\u{0A}",
             Parsed(rows: [Row(1, ["a", "b", "c"]), Row(2, ["1", "", ""]), Row(3, ["2", "3", "4"])])),
        Case("escaped_quotes",
             "a,b\u{0A}1,\"ha \"\"ha\"\" ha\"\u{0A}3,4\u{0A}",
             Parsed(rows: [Row(1, ["a", "b"]), Row(2, ["1", "ha \u{22}ha\u{22} ha"]), Row(3, ["3", "4"])])),
        Case("json",
             "key,val\u{0A}1,\"{\"\"type\"\": \"\"Point\"\", \"\"coordinates\"\": [102.0, 0.5]}\"\u{0A}",
             Parsed(rows: [
                 Row(1, ["key", "val"]),
                 Row(2, ["1", "{\u{22}type\u{22}: \u{22}Point\u{22}, \u{22}coordinates\u{22}: [102.0, 0.5]}"]),
             ])),
        Case("newlines",
             "a,b,c\u{0A}1,2,3\u{0A}\"Once upon \u{0A}a time\",5,6\u{0A}7,8,9\u{0A}",
             Parsed(rows: [
                 Row(1, ["a", "b", "c"]), Row(2, ["1", "2", "3"]),
                 Row(line: 3, bytes: [
                     [0x4F, 0x6E, 0x63, 0x65, 0x20, 0x75, 0x70, 0x6F, 0x6E, 0x20, 0x0A, 0x61, 0x20, 0x74, 0x69, 0x6D, 0x65],
                     [0x35], [0x36],
                 ]),
                 Row(5, ["7", "8", "9"]),
             ])),
        Case("newlines_crlf",
             "a,b,c\u{0D}\u{0A}1,2,3\u{0D}\u{0A}\"Once upon \u{0D}\u{0A}a time\",5,6\u{0D}\u{0A}7,8,9\u{0D}\u{0A}",
             Parsed(rows: [
                 Row(1, ["a", "b", "c"]), Row(2, ["1", "2", "3"]),
                 Row(line: 3, bytes: [
                     [0x4F, 0x6E, 0x63, 0x65, 0x20, 0x75, 0x70, 0x6F, 0x6E, 0x20, 0x0D, 0x0A, 0x61, 0x20, 0x74, 0x69, 0x6D, 0x65],
                     [0x35], [0x36],
                 ]),
                 Row(5, ["7", "8", "9"]),
             ])),
        Case("quotes_and_newlines",
             "a,b\u{0A}1,\"ha \u{0A}\"\"ha\"\" \u{0A}ha\"\u{0A}3,4\u{0A}",
             Parsed(rows: [
                 Row(1, ["a", "b"]),
                 Row(2, ["1", "ha \u{0A}\u{22}ha\u{22} \u{0A}ha"]),
                 Row(5, ["3", "4"]),
             ])),
        Case("simple", "a,b,c\u{0A}1,2,3\u{0A}",
             Parsed(rows: [Row(1, ["a", "b", "c"]), Row(2, ["1", "2", "3"])])),
        Case("simple_crlf", "a,b,c\u{0D}\u{0A}1,2,3\u{0D}\u{0A}",
             Parsed(rows: [Row(1, ["a", "b", "c"]), Row(2, ["1", "2", "3"])])),
        Case("utf8", "a,b,c\u{0A}1,2,3\u{0A}4,5,\u{2A4}\u{0A}",
             Parsed(rows: [
                 Row(1, ["a", "b", "c"]), Row(2, ["1", "2", "3"]),
                 Row(line: 3, bytes: [[0x34], [0x35], [0xCA, 0xA4]]),
             ])),
        // The suite expects the quote after 37.8 (inches) as content of an unquoted field; this
        // reader refuses a bare quote there, naming the line and column.
        Case("location_coordinates",
             Array("Contact Phone Number,Location Coordinates,Cities,Counties\u{0A}02095257564,37".utf8) + [0xB0]
                 + Array("36'37.8\"N 121".utf8) + [0xB0] + Array("2'17.9\"W,Modesto,Stanislaus".utf8),
             Parsed(rows: [Row(1, ["Contact Phone Number", "Location Coordinates", "Cities", "Counties"])],
                    error: CSVError(line: 2, kind: .strayQuote(column: 2)))),
        // Classic-Mac line ends: a bare CR outside quotes is refused rather than read as a line break.
        Case("newlines_cr", "a,b,c\u{0D}1,2,3\u{0D}",
             Parsed(rows: [], error: CSVError(line: 1, kind: .bareCarriageReturn))),
        // Beyond the suite: a lone CR and a lone LF inside quotes, in a file with CR LF line ends.
        Case("lone CR inside quotes",
             "a,b\u{0D}\u{0A}\"x\u{0D}y\",\"\u{0D}\"\u{0D}\u{0A}\"\u{0D}\u{0D}\u{0A}\u{0D}\",z\u{0D}\u{0A}",
             Parsed(rows: [
                 Row(1, ["a", "b"]),
                 Row(line: 2, bytes: [[0x78, 0x0D, 0x79], [0x0D]]),
                 Row(line: 3, bytes: [[0x0D, 0x0D, 0x0A, 0x0D], [0x7A]]),
             ])),
        Case("lone LF inside quotes",
             "a,b\u{0D}\u{0A}\"x\u{0A}y\",\"\u{0A}\"\u{0D}\u{0A}end,\"\u{0A}\u{0D}\u{0A}\"\u{0D}\u{0A}",
             Parsed(rows: [
                 Row(1, ["a", "b"]),
                 Row(line: 2, bytes: [[0x78, 0x0A, 0x79], [0x0A]]),
                 Row(line: 5, bytes: [[0x65, 0x6E, 0x64], [0x0A, 0x0D, 0x0A]]),
             ])),
    ]

    /// 1…9 put a chunk boundary between every CR and its LF (inside quotes and out), and inside
    /// every `""`; 64 and the default read a case in one chunk.
    static let chunkSizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 64, 256 * 1024]

    @Test(arguments: cases, chunkSizes)
    func spectrum(_ spectrumCase: Case, chunkSize: Int) {
        #expect(parse(spectrumCase.input, chunkSize: chunkSize) == spectrumCase.expected)
        // Short reads too: the source hands over fewer bytes than the reader asks for.
        #expect(parse(spectrumCase.input, chunkSize: chunkSize, maxReadSize: 3) == spectrumCase.expected)
    }

    @Test("a quoted CR LF is kept as the two bytes 0D 0A, not as the one Character String sees")
    func crlfIsTwoBytes() {
        let field = "Once upon \u{0D}\u{0A}a time"
        #expect(field.count == 17)  // String: CR LF is one Character
        #expect(Array(field.utf8).count == 18)
        let parsed = parse("\"Once upon \u{0D}\u{0A}a time\"\u{0D}\u{0A}", chunkSize: 11)
        #expect(parsed.rows.map(\.fields) == [[Array(field.utf8)]])
    }
}
