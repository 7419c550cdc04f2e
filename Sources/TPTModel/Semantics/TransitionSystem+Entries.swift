/// Page-table entries as packed states store them (a guest's entry, a
/// direct entry): 0 empty, 1 + 2 * target + writable.
extension TransitionSystem {
    @inline(__always) static func entryCode(target: Int, writable: Bool) -> Int { 1 + 2 * target + (writable ? 1 : 0) }
    /// The target an entry names, or -1 when it is empty.
    @inline(__always) public static func entryTarget(_ code: Int) -> Int { code == 0 ? -1 : (code - 1) >> 1 }
    @inline(__always) public static func entryIsWritable(_ code: Int) -> Bool { code != 0 && (code - 1) & 1 == 1 }
}
