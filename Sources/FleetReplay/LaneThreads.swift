#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with one or more conditions, over POSIX threads: how the replay's reader and workers hand batches on
/// (``TraceReplayer/replaySummary(path:options:jobs:progress:)``).
///
/// The replay's modules use the standard library and `FoundationEssentials` only, so that a command does not load
/// Foundation's full library and ICU at start (Docs/Performance.md, "Foundation's essentials only"); `NSCondition`
/// and `Thread` are in the full library.
final class ConditionLock: @unchecked Sendable {
    // Allocated, not stored inline: a POSIX mutex and condition must not move once initialised.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let conditions: UnsafeMutablePointer<pthread_cond_t>
    private let conditionCount: Int

    /// A mutex with `conditions` conditions, numbered from 0.
    init(conditions: Int = 1) {
        conditionCount = max(1, conditions)
        self.conditions = .allocate(capacity: conditionCount)
        mutex.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(mutex, nil) == 0, "cannot initialise a mutex")
        for index in 0..<conditionCount {
            (self.conditions + index).initialize(to: pthread_cond_t())
            precondition(pthread_cond_init(self.conditions + index, nil) == 0, "cannot initialise a condition")
        }
    }

    deinit {
        for index in 0..<conditionCount { pthread_cond_destroy(conditions + index) }
        pthread_mutex_destroy(mutex)
        conditions.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits for a signal of condition `condition`, the mutex released meanwhile (held when it returns; callers check
    /// their condition again).
    func wait(_ condition: Int = 0) { pthread_cond_wait(conditions + condition, mutex) }
    /// Wakes one waiter of condition `condition`.
    func signal(_ condition: Int = 0) { pthread_cond_signal(conditions + condition) }
    /// Wakes every waiter of condition `condition`.
    func broadcast(_ condition: Int = 0) { pthread_cond_broadcast(conditions + condition) }
}

/// A thread of its own running one closure, with an 8 MB stack (the appliers' depth is the engine's, the same as
/// the calling thread's), joined by ``join()``.
final class LaneThread {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    #if canImport(Darwin)
    private var thread: pthread_t?
    #else
    private var thread = pthread_t()
    #endif
    private var isJoined = false

    /// Starts `run` on a new thread. A system that cannot start one more thread stops the process with a message,
    /// as `Thread` did.
    init(_ run: @escaping @Sendable () -> Void) {
        let body = Unmanaged.passRetained(Body(run)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 8 << 20)
        #if canImport(Darwin)
        let status = pthread_create(
            &thread,
            &attributes,
            { raw in
                Unmanaged<Body>.fromOpaque(raw).takeRetainedValue().run()
                return nil
            },
            body
        )
        #else
        let status = pthread_create(
            &thread,
            &attributes,
            { raw in
                Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            },
            body
        )
        #endif
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(body).release()
            fatalError("cannot start an applier thread (error \(status))")
        }
    }

    /// Waits for the closure to return.
    func join() {
        guard !isJoined else { return }
        isJoined = true
        #if canImport(Darwin)
        pthread_join(thread!, nil)
        #else
        pthread_join(thread, nil)
        #endif
    }
}
