import RevShareCore
import RevShareImport
import Testing
import TestSupport

/// Usage maps (SPEC-intake): the grammar's errors with their line:col, the built-in maps byte
/// for byte, and partner files read through them into rows worked out by hand.
@Suite struct MapsGrammarTests {
    static let minimal = """
        revshare_map: 1
        name: test-map
        description: a test map
        columns:
          usage_date: {from: day}
          partner: {const: groq}
          model: {from: model}
          requests: {const: 1}
          input_tokens: {from: tokens}
          output_tokens: {const: 0}
          gross_revenue: {const: 0}

        """

    func errors(_ text: String) -> [String] {
        do {
            _ = try UsageMapParser.parse(Array(text.utf8), fileName: "m.yaml")
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func minimalMapParses() throws {
        let map = try UsageMapParser.parse(Array(Self.minimal.utf8), fileName: "m.yaml")
        #expect(map.name == "test-map")
        #expect(map.grain == .day)
        #expect(map.columns.count == 7)
    }

    @Test func unknownKeyNamesItsPathAndTheAllowedKeys() {
        let text = Self.minimal.replacingOccurrences(of: "input_tokens: {from: tokens}", with: "input_tokens: {from: tokens, scael: 3}")
        #expect(errors(text) == ["m.yaml:9:32: columns.input_tokens.scael: unknown key; expected one of from, const, optional, default, scale, when"])
    }

    @Test func letterEscapeIsOutsideTheSubset() {
        let text = Self.minimal + "filters:\n  - {name: a, column: x, empty: false}\n  - {name: b, column: y, matches: '\\d+'}\n"
        #expect(errors(text) == ["m.yaml:14:35: filters[2].matches: \\d is not in the regular-expression subset; write [0-9]"])
    }

    @Test func missingRequiredTargetIsReportedAtTheMapping() {
        let text = Self.minimal.replacingOccurrences(of: "  gross_revenue: {const: 0}\n", with: "")
        #expect(errors(text) == ["m.yaml:5:3: columns.gross_revenue: required key is missing"])
    }

    @Test func filenameNeedsMonthGrainAndTwoGroups() {
        let text = Self.minimal.replacingOccurrences(of: "usage_date: {from: day}", with: "usage_date: {filename: '^([0-9]{4})'}")
        #expect(errors(text) == ["m.yaml:5:26: columns.usage_date.filename: filename needs grain: month (the file name gives a month, not a day)"])
        let month = text.replacingOccurrences(of: "columns:", with: "grain: month\ncolumns:")
        #expect(errors(month) == ["m.yaml:6:26: columns.usage_date.filename: has 1 capture group; exactly 2 are needed"])
    }

    @Test func badConstDefaultScaleFormatAndDuplicateFilter() {
        var text = Self.minimal.replacingOccurrences(of: "requests: {const: 1}", with: "requests: {const: abc}")
        text = text.replacingOccurrences(of: "input_tokens: {from: tokens}", with: "input_tokens: {from: tokens, scale: 13}")
        text = text.replacingOccurrences(of: "usage_date: {from: day}", with: "usage_date: {from: day, format: \"%Y-%q\"}")
        text += "filters:\n  - {name: a, column: x, empty: false}\n  - {name: a, column: y, equals: z}\n"
        #expect(errors(text) == [
            "m.yaml:5:35: columns.usage_date.format: \"%Y-%q\" is not a date format: %q is not a format part; use %Y, %m, %d, %H, %M, %S, %f or %%",
            "m.yaml:8:21: columns.requests.const: \"abc\" is not a decimal",
            "m.yaml:9:39: columns.input_tokens.scale: expected a whole number from -12 to 12, found \"13\"",
            "m.yaml:14:12: filters[2].name: duplicate filter name \"a\" (first on line 13); filter names are unique",
        ])
    }

    @Test func duplicateKeyAndTagAreRefused() {
        let duplicate = Self.minimal.replacingOccurrences(of: "name: test-map\n", with: "name: test-map\nname: again\n")
        #expect(errors(duplicate).first?.hasPrefix("m.yaml:3:1: duplicate key \"name\"") == true)
        let tagged = Self.minimal.replacingOccurrences(of: "name: test-map", with: "name: !x test-map")
        #expect(errors(tagged) == ["m.yaml:2:7: the YAML tag \"!x\" is not allowed; a map holds plain values, write them without tags"])
    }

    @Test func everyBuiltinMapParsesAndHasTheSpecifiedSHA256() throws {
        let expected = [
            "aws-billing-feed": "c11e217d4027849c4bddbdb65a3a54223059c18d74fbf50c56f311ddb1911c9a",
            "aws-cur-bedrock": "b918f266c491f2492b1e1d284a693c47ebe489621c63e9f14649e71c00638776",
            "azure-earnings": "8247315b76dec3bad9f809701c8b23e8107ef8c291c83c4d36d38a1930160299",
            "databricks-billing-usage": "060062c1466fc7a76dfe3ee67026e165e1604f4a8a1926b45bb0eb6cb75d760f",
            "gcp-charges-usage": "83b72bf99ac450c9cc22cce01796de9eff0f893c6be39c939921bac989991093",
            "inference-requests": "34b03494c319c1090e41e62e69d24a139ef59518ab69fbe51c0436208ae29cd7",
            "snowflake-monetized-usage": "d4470bb60e277e14d32d69b4396fada7f3b78ae122de066787d73ba0304394fe",
        ]
        #expect(BuiltinMaps.all.map(\.name) == expected.keys.sorted())
        for entry in BuiltinMaps.all {
            let loaded = try LoadedMap.load(entry.name)
            #expect(loaded.sha256 == expected[entry.name], "\(entry.name)")
            #expect(loaded.map.name == entry.name)
        }
    }
}

/// Mangled map files are refused with messages, never a crash or a hang.
@Suite struct MapsFuzzTests {
    @Test func mutatedBuiltinMapsNeverCrashTheParser() {
        var random = SplitMix64(seed: 20_250_101)
        let alphabet = Array("{}[]:,-'\"\\%()?*+|^$.# \n\tab01".utf8)
        for entry in BuiltinMaps.all {
            for _ in 0..<200 {
                var bytes = Array(entry.text.utf8)
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let at = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[at] = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                }
                do {
                    _ = try UsageMapParser.parse(bytes, fileName: "fuzz.yaml")
                } catch {
                    #expect(!error.diagnostics.isEmpty)
                }
            }
        }
    }
}
