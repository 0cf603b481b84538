import Foundation
import HTTPTypes
import Hummingbird
import Postgres
import RegieDomain
import RegieStore

/// Text as people send it to the service.
enum TextInput {
    /// Whether `text` holds a control character (C0 or C1, DEL) other than tab, line feed and
    /// carriage return: a NUL would cut it short in the database, the rest has no place in it.
    static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: false
            case 0x00...0x1F, 0x7F...0x9F: true
            default: false
            }
        }
    }
}

/// Collects every invalid field of a request, then throws one 400 listing them all.
struct FieldCheck {
    private(set) var invalid: [Problem.InvalidParam] = []
    /// `invalid-body` for a request body, `invalid-parameters` for a query.
    var code = "invalid-body"

    /// A required, non-empty text of at most `maximum` characters.
    mutating func text(_ value: String?, _ name: String, maximum: Int = 500) -> String {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.isEmpty {
            invalid.append(.init(name: name, reason: "is required"))
        } else if TextInput.hasControlCharacter(trimmed) {
            invalid.append(.init(name: name, reason: "must not contain control characters"))
        } else if trimmed.count > maximum {
            invalid.append(.init(name: name, reason: "must be at most \(maximum) characters"))
        }
        return trimmed
    }

    /// A required date `YYYY-MM-DD`.
    mutating func date(_ value: String?, _ name: String) -> PostgresDate {
        guard let value else {
            invalid.append(.init(name: name, reason: "is required (YYYY-MM-DD)"))
            return PostgresDate(year: 1970, month: 1, day: 1)
        }
        return optionalDate(value, name) ?? PostgresDate(year: 1970, month: 1, day: 1)
    }

    /// An optional date `YYYY-MM-DD`; invalid text is reported.
    mutating func optionalDate(_ value: String?, _ name: String) -> PostgresDate? {
        guard let value else { return nil }
        guard let date = PostgresDate(value), Self.isCalendarDate(date) else {
            invalid.append(.init(name: name, reason: "must be a date YYYY-MM-DD"))
            return nil
        }
        return date
    }

    /// A SHA-256 as 64 hexadecimal characters (lower-cased).
    mutating func sha256(_ value: String?, _ name: String) -> String {
        let text = value?.lowercased() ?? ""
        if text.count != 64 || !text.allSatisfy({ $0.isHexDigit }) {
            invalid.append(.init(name: name, reason: "must be a SHA-256: 64 hexadecimal characters"))
        }
        return text
    }

    mutating func add(_ name: String, _ reason: String) {
        invalid.append(.init(name: name, reason: reason))
    }

    /// Throws the 400 when anything was invalid.
    func finish() throws {
        guard invalid.isEmpty else {
            throw Problem(
                .badRequest, code: code, title: "Invalid request",
                detail: code == "invalid-body" ? "The request has invalid fields." : "The query has invalid parameters.",
                invalidParams: invalid)
        }
    }

    static func isCalendarDate(_ date: PostgresDate) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let components = DateComponents(year: date.year, month: date.month, day: date.day)
        return components.isValidDate(in: calendar) && (2000...2100).contains(date.year)
    }
}

extension RegieRequestContext {
    /// The UUID in the path parameter `id`; a 400 naming what kind of id (`code`) otherwise.
    func pathID(code: String, what: String) throws -> UUID {
        guard let id = UUID(uuidString: parameters.get("id") ?? "") else {
            throw Problem(
                .badRequest, code: code, title: "Invalid id", detail: "A \(what) id is a UUID.",
                invalidParams: [.init(name: "id", reason: "must be a UUID")])
        }
        return id
    }

    /// The gemeente named by the path parameter `gemeentecode` (`GM0363` or `0363`); a
    /// malformed code is a 400. Who may act on it, ``AccessGuard`` has decided.
    func gemeentecode() throws -> Gemeentecode {
        guard let code = Gemeentecode(parameters.get("gemeentecode") ?? "") else {
            throw Problem(
                .badRequest, code: "invalid-gemeentecode", title: "Invalid gemeentecode",
                detail: "A gemeentecode is GM and four digits (GM0363) or the four digits alone (0363).",
                invalidParams: [.init(name: "gemeentecode", reason: "must be GM and four digits, or four digits")])
        }
        return code
    }
}

/// Optimistic concurrency: the version of a subject as an ETag, and `If-Match` read back.
enum EntityTag {
    static func header(_ version: Int) -> String { "\"\(version)\"" }

    /// The version `If-Match` names; nil without the header or with `*`. A value that
    /// names no version can never match: 412.
    static func expectedVersion(_ request: Request) throws -> Int? {
        guard let value = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if value == "*" { return nil }
        var tag = value
        if tag.hasPrefix("W/") { tag = String(tag.dropFirst(2)) }
        guard tag.count >= 3, tag.hasPrefix("\""), tag.hasSuffix("\""), let version = Int(tag.dropFirst().dropLast()) else {
            throw Problem(.preconditionFailed, code: "precondition-failed", detail: "If-Match names no version of this resource.")
        }
        return version
    }
}

extension Problem {
    /// The answer for a refused onboarding change.
    static func from(_ error: OnboardingError) -> Problem {
        switch error {
        case .gemeenteNotFound(let code):
            Problem(.notFound, code: "gemeente-not-found", detail: "There is no gemeente \(code) in the register.")
        case .supplierNotFound(let id):
            Problem(
                .badRequest, code: "invalid-body", title: "Invalid request", detail: "There is no supplier \(id).",
                invalidParams: [.init(name: "leverancier", reason: "is not a known supplier")])
        case .serviceNotFound(let id, let stroom):
            Problem(.notFound, code: "service-not-found", detail: "Supplier \(id) has no service for stream \(stroom.rawValue).")
        case .consentNotFound:
            Problem(.notFound, code: "consent-not-found", detail: "This gemeente has no consent record with this id.")
        case .alreadyRevoked:
            Problem(.conflict, code: "consent-already-revoked", title: "Conflict", detail: "This consent was revoked before.")
        case .notCurrentSupplier(let stroom, let current):
            Problem(
                .conflict, code: "not-current-supplier", title: "Conflict",
                detail: current.map {
                    "The current supplier for \(stroom.rawValue) is \($0); consent is given to the current supplier only."
                }
                    ?? "This gemeente has no supplier for \(stroom.rawValue) yet; the project team sets it first.")
        case .consentExists(let stroom, let id):
            Problem(
                .conflict, code: "consent-exists", title: "Conflict",
                detail: "Consent for this supplier and \(stroom.rawValue) is already registered"
                    + (id.map { " (\($0.uuidString.lowercased()))" } ?? "") + "; revoke it before registering a new decision.")
        case .versionMismatch(let current):
            Problem(
                .preconditionFailed, code: "precondition-failed",
                detail: "The resource changed (now version \(current)); read it again and retry.",
                headers: ["ETag": EntityTag.header(current)])
        case .workflow(let refusal):
            Problem(.conflict, code: "transition-refused", title: "Conflict", detail: refusal.description)
        }
    }
}
