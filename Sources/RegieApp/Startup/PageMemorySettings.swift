#if canImport(Glibc)
    import Glibc
#endif

/// How glibc's allocator treats the large buffers of a pull (a page's body and its tape, tens of
/// megabytes each, allocated on one thread and freed on another).
///
/// By default glibc raises its mmap threshold to the size of the largest block freed, so after the
/// first page every later page comes from the heap arenas, and each thread keeps an arena of its
/// own: a worker then holds the memory of its biggest pull long after it (measured: 217 MB resident
/// after a 10-page pull of 29 MB pages, 55 MB before it). A fixed threshold of 4 MiB hands every
/// page back to the system when it is freed, and two arenas are enough for a process whose heavy
/// work runs on two pools. Measured with the pull benchmark: 65 MB after the same pull, and the
/// peak during it 339 → 253 MB.
///
/// `MALLOC_MMAP_THRESHOLD_` and `MALLOC_ARENA_MAX` in the environment win: then nothing is changed.
public enum PageMemorySettings {
    /// Applies the settings once, at the start of `serve`; a no-op where the C library is not glibc.
    public static func apply(environment: [String: String]) {
        #if canImport(Glibc)
            // mallopt is declared in <malloc.h>, which the Glibc module does not import; it is part of
            // glibc's stable ABI, so it is looked up by name. The option numbers are malloc.h's.
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
            let mmapThreshold: Int32 = -3
            let arenaMax: Int32 = -8
            if environment["MALLOC_MMAP_THRESHOLD_"] == nil { _ = mallopt(mmapThreshold, 4 << 20) }
            if environment["MALLOC_ARENA_MAX"] == nil { _ = mallopt(arenaMax, 2) }
        #endif
    }
}
