import RevShareCore
import RevShareDomain

public enum CloseRenderer {
    public static func text(period: Period, statements: [Statement]) -> String {
        var out = "closed \(period): \(statements.count) statement\(statements.count == 1 ? "" : "s") issued\n"
        var table = TextTable([("partner", .left), ("currency", .left), ("share", .right), ("true-up", .right),
                               ("adjustments", .right), ("charges", .right), ("closing balance", .right), ("due", .left)])
        for statement in statements {
            let money = { (minor: Int64) in Money.format(minor: minor, currency: statement.currency) }
            table.add([statement.partnerID, statement.currency.code, money(statement.shareMinor),
                       money(statement.minimumTrueUpMinor), money(statement.adjustmentsMinor),
                       money(statement.chargesMinor), money(statement.closingBalanceMinor), statement.dueDate.description])
        }
        if !statements.isEmpty { out += table.rendered(indent: "  ") }
        return out
    }
}
