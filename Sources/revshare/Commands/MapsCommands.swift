import ArgumentParser
import RevShareCore
import RevShareImport

struct Maps: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The built-in usage maps: list them, or print one to copy and adapt.",
        subcommands: [MapsList.self, MapsShow.self], defaultSubcommand: MapsList.self)
}

struct MapsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the built-in maps, sorted by name.")

    // Accepted and ignored: listing the maps needs no database.
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let maps = try BuiltinMaps.all.map { entry in (entry, try LoadedMap.load(entry.name)) }
        switch format {
        case .json:
            let items = maps.map { entry, loaded in
                JSONValue.object([("name", .string(entry.name)), ("description", .string(loaded.map.description)), ("sha256", .string(loaded.sha256))])
            }
            try Console.out(JSONValue.object([("maps", .array(items))]).serialized() + "\n")
        default:
            let width = (maps.map(\.0.name.count).max() ?? 0) + 2
            try Console.out(maps.map { entry, loaded in
                entry.name.padding(toLength: width, withPad: " ", startingAt: 0) + loaded.map.description + "\n"
            }.joined())
        }
    }
}

struct MapsShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a built-in map's YAML byte for byte.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The built-in map's name (see `revshare maps`).")
    var name: String

    func run() throws {
        guard let entry = BuiltinMaps.named(name) else {
            throw Refusal(.invalidInput, "\(name): no built-in map of that name; built-in maps: \(BuiltinMaps.all.map(\.name).joined(separator: ", "))")
        }
        try Console.out(entry.text)
    }
}
