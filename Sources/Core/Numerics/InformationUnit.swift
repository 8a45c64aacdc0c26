import Foundation

/// Unit of an information quantity: bits (log base 2) or nats (natural log).
public enum InformationUnit: String, Codable, Sendable {
    case bits, nats
    /// Multiply a value in nats by this to get the unit.
    public var fromNats: Double { self == .bits ? 1 / M_LN2 : 1 }
}
