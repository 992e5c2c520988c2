#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
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

    /// Advises the kernel to back the 2 MiB-aligned part of `bytes` with huge pages, before it is first written.
    @usableFromInline
    static func advise(_ bytes: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard let (aligned, length) = alignedPart(of: bytes) else { return }
        // Advice only: a kernel that declines it leaves ordinary pages, which are as correct.
        _ = madvise(aligned, length, MADV_HUGEPAGE)
        #endif
    }

    /// Advises huge pages for the 2 MiB-aligned part of `bytes` and asks the kernel to move what is written there
    /// into huge pages now (`MADV_COLLAPSE`, Linux 6.1; an older kernel declines, and the pages stay as they are).
    @usableFromInline
    static func collapse(_ bytes: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard let (aligned, length) = alignedPart(of: bytes) else { return }
        _ = madvise(aligned, length, MADV_HUGEPAGE)
        _ = madvise(aligned, length, 25)  // MADV_COLLAPSE, which Glibc's headers may not name yet
        #endif
    }

    /// The 2 MiB-aligned whole pages within `bytes`, when it is large enough to have any worth asking for.
    private static func alignedPart(of bytes: UnsafeMutableRawBufferPointer) -> (UnsafeMutableRawPointer, Int)? {
        guard bytes.count >= threshold, let base = bytes.baseAddress else { return nil }
        let page = 2 << 20
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

    /// Appends `element`; when the array must grow and is large, its new storage asks for huge pages. Plain bytes
    /// are copied into storage advised before it is written; other elements are moved by `reserveCapacity` (a copy
    /// would count every reference they hold) and their storage then collapsed into huge pages.
    @inlinable
    package mutating func appendAdvisingHugePages(_ element: Element) {
        if count == capacity && capacity * MemoryLayout<Element>.stride >= HugePages.threshold / 2 {
            let newCapacity = Swift.max(2 * capacity, 16)
            if _isPOD(Element.self) {
                let old = self
                self = Array(unsafeUninitializedCapacity: newCapacity) { buffer, initialized in
                    HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
                    old.withUnsafeBufferPointer { _ = buffer.initialize(fromContentsOf: $0) }
                    initialized = old.count
                }
            } else {
                reserveCapacity(newCapacity)
                let stride = MemoryLayout<Element>.stride
                let (written, reserved) = (count * stride, capacity * stride)
                withUnsafeMutableBufferPointer {
                    let all = UnsafeMutableRawBufferPointer(start: $0.baseAddress, count: reserved)
                    HugePages.advise(all)
                    HugePages.collapse(UnsafeMutableRawBufferPointer(rebasing: all[0..<written]))
                }
            }
        }
        append(element)
    }
}
