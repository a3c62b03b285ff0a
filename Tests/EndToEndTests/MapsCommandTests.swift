import Foundation
import Testing
import TestSupport

/// `revshare maps` and `maps show` need no database and print the built-in maps as shipped.
@Suite struct MapsCommandTests {
    @Test func mapsListsNamePaddedThenDescription() throws {
        let result = try RevShareExecutable.run(["maps", "--db", "/nonexistent/x.sqlite"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 7)
        // The longest name, snowflake-monetized-usage, is 25 characters: descriptions start at column 28.
        #expect(lines.first == "aws-billing-feed           AWS Marketplace seller billing event feed; seller revenue per product and month")
    }

    @Test func mapsShowPrintsTheSpecifiedBytes() throws {
        let result = try RevShareExecutable.run(["maps", "show", "inference-requests"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("revshare_map: 1\nname: inference-requests\n"))
        #expect(result.stdout.hasSuffix("  gross_revenue: {const: 0}   # this layout has no money column\n"))
        let unknown = try RevShareExecutable.run(["maps", "show", "nosuch"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("built-in maps: aws-billing-feed, aws-cur-bedrock, azure-earnings"))
    }
}
