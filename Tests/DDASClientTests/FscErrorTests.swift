import Foundation
import RegieDomain
import Testing

@testable import DDASClient

@Suite("FSC errors decide the outcome")
struct FscErrorTests {
    @Test(
        "each code of the specification's enum is retryable or final as the table says, whatever the HTTP status",
        arguments: [
            ("ERROR_CODE_ACCESS_TOKEN_EXPIRED", 401, "fscTokenExpired", true),
            ("ERROR_CODE_SERVICE_UNREACHABLE", 502, "fscUnreachable", true),
            ("ERROR_CODE_ACCESS_TOKEN_MISSING", 401, "fscConfiguration", false),
            ("ERROR_CODE_ACCESS_TOKEN_INVALID", 401, "fscConfiguration", false),
            ("ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN", 403, "fscConfiguration", false),
            ("ERROR_CODE_SERVICE_NOT_FOUND", 404, "fscConfiguration", false),
            ("ERROR_CODE_METHOD_UNSUPPORTED", 405, "fscConfiguration", false),
        ])
    func table(code: String, status: Int, errorClass: String, retryable: Bool) {
        let failure = LeveringFailure.status(status, page: 2, retryAfter: nil, fscErrorCode: code, fscDomain: .inway)
        #expect(failure.klasse.rawValue == errorClass)
        #expect(failure.isRetryable == retryable)
        #expect(failure.fscErrorCode == code)
        #expect(failure.message.contains(code) && failure.message.contains("Inway van de leverancier"), "\(failure.message)")
    }

    @Test("the domain names whose configuration is wrong; an unknown code falls back to the HTTP status")
    func domainAndFallback() {
        let ours = LeveringFailure.status(
            403, page: 1, retryAfter: nil, fscErrorCode: "ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN", fscDomain: .outway)
        #expect(ours.message.contains("aan onze kant") && ours.message.contains("Outway van CBS"), "\(ours.message)")
        let unknown = LeveringFailure.status(503, page: 1, retryAfter: 7, fscErrorCode: "ERROR_CODE_SOMETHING_NEW", fscDomain: nil)
        #expect(unknown.klasse.rawValue == "serverError" && unknown.isRetryable && unknown.retryAfter == 7)
        let none = LeveringFailure.status(403, page: 1, retryAfter: nil, fscErrorCode: nil)
        #expect(none.klasse.rawValue == "forbidden" && !none.isRetryable)
    }

    @Test("an FscError body gives its code and domain; free text is not kept; anything else is no FscError")
    func body() {
        let read = FscError.read(
            Array(
                #"{"code":"ERROR_CODE_ACCESS_TOKEN_EXPIRED","domain":"ERROR_DOMAIN_OUTWAY","title":"x","detail":"BSN 123456782","status":401}"#
                    .utf8))
        #expect(read == FscError(code: "ERROR_CODE_ACCESS_TOKEN_EXPIRED", domain: .outway))
        #expect(FscError.read(Array(#"{"code":"ERROR_CODE_X","domain":"ELSEWHERE"}"#.utf8)) == FscError(code: "ERROR_CODE_X", domain: nil))
        #expect(FscError.read(Array(#"{"code":"<script>ERROR"}"#.utf8))?.code == "scriptERROR")
        for text in ["", "[]", #"{"title":"no code"}"#, #"{"code":17}"#, "not json", #"{"code":""}"#] {
            #expect(FscError.read(Array(text.utf8)) == nil, "\(text)")
        }
    }
}
