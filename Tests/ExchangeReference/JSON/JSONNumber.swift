/// A JSON number: exact when the literal is an integer that fits in 64 bits, a `Double` otherwise.
public struct JSONNumber: Sendable {
    /// How the number is held.
    enum Storage: Sendable {
        case integer(Int64)
        case double(Double)
    }

    /// The number.
    let storage: Storage

    /// An exact integer.
    public init(_ integer: Int64) {
        storage = .integer(integer)
    }

    /// A floating-point number; nil when it is not finite (JSON has no infinity or NaN).
    public init?(_ double: Double) {
        guard double.isFinite else { return nil }
        storage = .double(double)
    }

    /// The value as a `Double` (rounded for integers beyond 2^53).
    public var doubleValue: Double {
        switch storage {
        case .integer(let integer): Double(integer)
        case .double(let double): double
        }
    }

    /// Whether the fractional part is zero (`3`, `3.0`, `3e2`), JSON Schema's `integer`.
    public var isInteger: Bool {
        switch storage {
        case .integer: true
        case .double(let double): double.rounded(.towardZero) == double
        }
    }

    /// The exact integer when the fractional part is zero and the value fits in 64 bits.
    public var integerValue: Int64? {
        switch storage {
        case .integer(let integer): integer
        case .double(let double): Self.exactInteger(double)
        }
    }

    /// Whether the literal was written as an integer that fits in 64 bits (no fraction, no exponent).
    public var isExactInteger: Bool {
        if case .integer = storage { true } else { false }
    }

    /// The integer a double stands for exactly, when it is integral and fits in 64 bits.
    static func exactInteger(_ double: Double) -> Int64? {
        guard double.rounded(.towardZero) == double, double >= -9.223_372_036_854_775_808e18,
            double < 9.223_372_036_854_775_808e18
        else { return nil }
        return Int64(double)
    }
}

extension JSONNumber: Hashable, Comparable {
    /// Mathematical equality: `1` equals `1.0`.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.integer(let left), .integer(let right)): left == right
        case (.double(let left), .double(let right)): left == right
        case (.integer(let integer), .double(let double)), (.double(let double), .integer(let integer)):
            exactInteger(double) == integer
        }
    }

    /// Mathematical order.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.integer(let left), .integer(let right)): left < right
        case (.integer(let left), .double(let right)):
            exactInteger(right).map { left < $0 } ?? (Double(left) < right)
        case (.double(let left), .integer(let right)):
            exactInteger(left).map { $0 < right } ?? (left < Double(right))
        case (.double(let left), .double(let right)): left < right
        }
    }

    public func hash(into hasher: inout Hasher) {
        // Equal numbers hash alike: integral values hash as integers, others as doubles.
        if let integer = integerValue {
            hasher.combine(integer)
        } else {
            hasher.combine(doubleValue)
        }
    }
}

extension JSONNumber: CustomStringConvertible {
    /// The number as JSON text: integers without a fraction, others in Swift's shortest form.
    public var description: String {
        switch storage {
        case .integer(let integer): String(integer)
        case .double(let double):
            if let integer = Self.exactInteger(double), abs(double) < 1e15 { String(integer) } else { "\(double)" }
        }
    }
}
