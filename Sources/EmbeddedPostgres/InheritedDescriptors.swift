#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    import Darwin
#endif

/// A spawned program gets standard input, output and error, and nothing else of its parent.
///
/// `posix_spawn` hands the child every descriptor of the parent that lacks close-on-exec,
/// and a server's sockets often lack it. A child that lives on (the postmaster, the
/// shutdown guardian) would then hold the parent's connections open after the parent closed
/// them: a peer never sees its connection end.
public enum InheritedDescriptors {
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the C
    /// headers declare only for GNU sources; found at run time.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private nonisolated(unsafe) static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// Adds to `actions` the closing of every descriptor from `first` on, after the actions
    /// already added (so descriptors moved below `first` stay).
    public static func close(from first: Int32, in actions: inout posix_spawn_file_actions_t) {
        if let closeFrom {
            _ = closeFrom(&actions, first)
            return
        }
        // Elsewhere: close what is open now.
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        var open: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let descriptor = Int32(name), descriptor >= first, descriptor != dirfd(directory) { open.append(descriptor) }
        }
        for descriptor in open { posix_spawn_file_actions_addclose(&actions, descriptor) }
    }
}
