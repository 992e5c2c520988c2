#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Large arrays read at random places (a fleet's machines, a reader's id table) asking Linux for huge pages.
///
/// A replay of a million instances reads its machines and its id table at a random place per record: with 4 KiB
/// pages each such read also misses the address cache (TLB), while 2 MiB pages cover the arrays with a few dozen
/// entries (Docs/Performance.md, "Huge pages for the large arrays"). Linux serves huge pages to memory that asks
/// for them with `madvise(MADV_HUGEPAGE)` (the "madvise" setting of /sys/kernel/mm/transparent_hugepage/enabled);
/// elsewhere the advice is nothing, and the arrays are the same either way.
@usableFromInline
package enum HugePages {
    /// Arrays of at least this many bytes ask for huge pages (smaller ones would round up to a whole page).
    @usableFromInline
    package static let threshold = 4 << 20

    /// The size of a huge page on x86-64 and most arm64 kernels (`/sys/kernel/mm/transparent_hugepage/hpage_pmd_size`).
    @usableFromInline
    package static let pageSize = 2 << 20

    /// Advises the kernel to back the 2 MiB-aligned part of `bytes` with huge pages, before it is first written.
    @usableFromInline
    package static func advise(_ bytes: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard let (aligned, length) = alignedPart(of: bytes) else { return }
        // Advice only: a kernel that declines it leaves ordinary pages, which are as correct.
        _ = madvise(aligned, length, MADV_HUGEPAGE)
        #endif
    }

    /// Advises the kernel never to back `bytes` with huge pages (a kernel whose setting is "always" would otherwise),
    /// so that memory reserved for a small structure that may grow costs only the ordinary pages it writes.
    @usableFromInline
    package static func adviseAgainst(_ bytes: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        _ = madvise(base, bytes.count, MADV_NOHUGEPAGE)
        #endif
    }

    /// The 2 MiB-aligned whole pages within `bytes`, when it is large enough to have any worth asking for.
    private static func alignedPart(of bytes: UnsafeMutableRawBufferPointer) -> (UnsafeMutableRawPointer, Int)? {
        guard bytes.count >= threshold, let base = bytes.baseAddress else { return nil }
        let page = pageSize
        let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: base) + bytes.count) & ~(page - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return nil }
        return (aligned, end - start)
    }
}

extension Array {
    /// `count` copies of `value`, in storage that asks for huge pages when it is large.
    package init(advisingHugePages value: Element, count: Int) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            buffer.initialize(repeating: value)
            initialized = count
        }
    }

    /// Appends `element`; when the array must grow and is large, its elements are copied into new storage that was
    /// advised before it was written. For plain bytes such as a fleet's per-instance slots and its deadline queue
    /// (the machines, which hold references, are in a ``ChunkedArray``, which never copies them).
    @inlinable
    package mutating func appendAdvisingHugePages(_ element: Element) {
        if count == capacity && capacity * MemoryLayout<Element>.stride >= HugePages.threshold / 2 {
            let old = self
            self = Array(unsafeUninitializedCapacity: Swift.max(2 * capacity, 16)) { buffer, initialized in
                HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
                old.withUnsafeBufferPointer { _ = buffer.initialize(fromContentsOf: $0) }
                initialized = old.count
            }
        }
        append(element)
    }
}

/// Memory mapped from the kernel: zeroed, and backed by pages only where it is written, so that room reserved and
/// never used costs address space, not memory.
///
/// A structure that would otherwise grow by moving everything it holds into storage twice the size (writing each
/// page twice, and holding both storages at once) reserves its whole room here instead: a page is written once, when
/// the first element on it is (Docs/Performance.md, "Room reserved, not moved").
@usableFromInline
package enum MappedMemory {
    /// `bytes` of zeroed memory at a page boundary; traps when the kernel has no address space left, as an
    /// allocation does.
    @usableFromInline
    package static func map(_ bytes: Int) -> UnsafeMutableRawPointer {
        #if canImport(Darwin)
        let flags = MAP_PRIVATE | MAP_ANON
        #else
        let flags = MAP_PRIVATE | MAP_ANONYMOUS
        #endif
        guard let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, flags, -1, 0), mapped != MAP_FAILED else {
            fatalError("cannot map \(bytes) bytes")
        }
        return mapped
    }

    /// Has the kernel back `bytes` at `start` (from ``map(_:)``, advised already) with written pages now, in one call,
    /// rather than one page fault at a time as they are first written: for memory about to be written all over, such
    /// as a hash table's segment that is growing (Linux 5.14's `MADV_POPULATE_WRITE`). Advice only: where the kernel
    /// declines it, pages come as they are written, as before.
    @usableFromInline
    package static func populate(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        _ = madvise(start, bytes, MADV_POPULATE_WRITE)
        #endif
    }

    /// Gives back `bytes` from ``map(_:)`` at `start`.
    @usableFromInline
    package static func unmap(_ start: UnsafeMutableRawPointer, bytes: Int) {
        munmap(start, bytes)
    }
}
