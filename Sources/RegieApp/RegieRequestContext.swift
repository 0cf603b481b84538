import HTTPTypes
import Hummingbird
import Logging
import RegieDomain

/// The request context of every route: Hummingbird's core storage plus the request id
/// that the API conventions middleware assigns and that every log line and problem carries.
public struct RegieRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The id of this request, echoed in `X-Request-Id` and in a problem's `instance`.
    public var requestID: String
    /// The caller, when the request carried a valid bearer token.
    public var principal: Principal?
    /// What the caller sees of a list, as ``AccessGuard`` decided it from the route's entry.
    var callerScope = CallerScope.everything
    /// The signed-in visitor of a page, as ``AccessGuard`` found it.
    var visitor: WebVisitor?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.principal = nil
    }

    /// Bodies are small JSON documents; anything bigger is refused before it is read.
    public var maxUploadSize: Int { 1 << 20 }
}
