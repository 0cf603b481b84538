import HTTPTypes
import Hummingbird
import Logging

/// The request context of every route: Hummingbird's core storage plus the request id
/// that the API conventions middleware assigns and that every log line and problem carries.
public struct RegieRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The id of this request, echoed in `X-Request-Id` and in a problem's `instance`.
    public var requestID: String

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.requestID = ""
    }

    /// Bodies are small JSON documents; anything bigger is refused before it is read.
    public var maxUploadSize: Int { 1 << 20 }
}
