extension UInt8 {
    /// Whether the bits of `mask` are set, for flags packed into one byte of a value held a million times over (a
    /// launch's spot and protection, the running meters, a machine's own flags; Docs/Performance.md, "A machine in
    /// one cache line"). Setting it sets or clears them and leaves the other bits as they were.
    @inlinable package subscript(bits mask: UInt8) -> Bool {
        get { self & mask == mask }
        set { self = newValue ? self | mask : self & ~mask }
    }
}
